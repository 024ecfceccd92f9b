// `safe-pip teardown` (issue 5 §1): removes exactly what `setup` added — the block in each rc file
// (the file then byte for byte as before, see rc-block.ts) and the shims directory.
import { rmdir, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { EXIT_OK } from '../exit-codes.js';
import type { CommandIo, SetupContext } from './command-io.js';
import { parseSetupOptions, TEARDOWN_USAGE } from './command-options.js';
import { readBytesIfExists, writeFileAtomic, writeTarget } from './atomic-write.js';
import { withoutBlocks } from './rc-block.js';
import { rcFileFor } from './rc-files.js';
import { rcBlockProblem } from './setup-command.js';
import { SHELL_KINDS } from './shell-integration.js';
import { defaultShimsDir, removeShims } from './shims.js';

export async function runTeardown(args: readonly string[], io: CommandIo, _context: SetupContext = {}): Promise<number> {
  const options = parseSetupOptions(args, 'teardown');
  if (options.help) {
    io.stdout.write(TEARDOWN_USAGE);
    return EXIT_OK;
  }
  const would = options.dryRun ? 'would remove' : 'removed';
  let didSomething = false;
  const doRcFiles = !options.ci || options.shells.length > 0;
  const doShims = options.ci || options.dir !== undefined || options.shells.length === 0;

  if (doRcFiles) {
    for (const shell of options.shells.length > 0 ? options.shells : SHELL_KINDS) {
      const file = rcFileFor(shell, io.env);
      const target = await writeTarget(file);
      const before = await readBytesIfExists(target);
      if (before === undefined) continue;
      let result;
      try {
        result = withoutBlocks(before, file);
      } catch (error) {
        throw rcBlockProblem(error);
      }
      if (result.removed === 0) continue;
      didSomething = true;
      if (!options.dryRun) {
        if (result.deleteFile) {
          await unlink(target);
          let dir = dirname(target);
          for (let i = 0; i < result.createdDirs; i += 1, dir = dirname(dir)) {
            if (!(await rmdir(dir).then(() => true, () => false))) break;
          }
        } else {
          await writeFileAtomic(file, Buffer.from(result.text, 'latin1'));
        }
      }
      const what = result.deleteFile ? `${file} (safe-pip had created it)` : file;
      io.stderr.write(`safe-pip: ${shell}: ${would} the shell integration from ${what}\n`);
    }
  }

  if (doShims) {
    // Without --dir and without HOME there is no default directory to look at: nothing to do there.
    const dir = options.dir ?? (io.env.XDG_DATA_HOME || io.env.HOME ? defaultShimsDir(io.env) : undefined);
    if (dir !== undefined) {
      const removal = await removeShims(dir, options.dryRun);
      if (removal.found) {
        didSomething = true;
        io.stderr.write(`safe-pip: ${would} the shims directory ${dir}\n`);
        if (removal.left.length > 0) {
          io.stderr.write(`safe-pip: left ${dir} in place: it holds files safe-pip did not make (${removal.left.join(', ')})\n`);
        }
      }
    }
  }
  if (!didSomething) io.stderr.write('safe-pip: nothing to remove: no safe-pip block or shims directory was found\n');
  else if (!options.dryRun && doRcFiles) io.stderr.write('safe-pip: shells already open keep the functions until they exit\n');
  return EXIT_OK;
}
