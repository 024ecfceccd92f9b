// `safe-pip setup` (issue 5 §1): the rc-file block for each of the user's shells, or with `--ci`
// a shims directory for PATH. Re-running is safe: an up-to-date block or shim is left alone.
import { appendFile, mkdir, readFile, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { SafePipError } from '../errors.js';
import { EXIT_OK, EXIT_USAGE } from '../exit-codes.js';
import { packageLauncherDir, type CommandIo, type SetupContext } from './command-io.js';
import { parseSetupOptions, SETUP_USAGE } from './command-options.js';
import { readBytesIfExists, writeFileAtomic, writeTarget } from './atomic-write.js';
import { RcBlockError, withBlock } from './rc-block.js';
import { detectShells, rcFileFor } from './rc-files.js';
import { shellIntegrationCode } from './shell-integration.js';
import { defaultShimsDir, findVersionedPips, installShims } from './shims.js';
import { quoteSh } from './shell-quote.js';

/** Converts a damaged-markers error into the user-facing kind main.ts reports. */
export function rcBlockProblem(error: unknown): unknown {
  if (!(error instanceof RcBlockError)) return error;
  return new SafePipError(error.message, {
    hint: `fix or delete the safe-pip lines in "${error.file}" by hand, then run the command again`,
    cause: error,
  });
}

async function missingParents(file: string): Promise<number> {
  let count = 0;
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    try {
      await stat(dir);
      return count;
    } catch {
      count += 1;
      if (dirname(dir) === dir) return count;
    }
  }
}

export async function runSetup(args: readonly string[], io: CommandIo, context: SetupContext = {}): Promise<number> {
  const options = parseSetupOptions(args, 'setup');
  if (options.help) {
    io.stdout.write(SETUP_USAGE);
    return EXIT_OK;
  }
  const launcherDir = context.launcherDir ?? packageLauncherDir();
  if (options.ci) return setupShims(options.dir, options.dryRun, launcherDir, io);

  const shells = options.shells.length > 0 ? options.shells : detectShells(io.env, existsSync);
  if (shells.length === 0) {
    throw new SafePipError(`found no bash, zsh or fish to set up (SHELL is "${io.env.SHELL ?? ''}" and none of their rc files exists)`, {
      hint: 'name the shell with `safe-pip setup --shell bash` (or zsh, fish), or use `safe-pip setup --ci` for PATH shims',
      exitCode: EXIT_USAGE,
    });
  }
  const changed: string[] = [];
  for (const shell of shells) {
    const file = rcFileFor(shell, io.env);
    const target = await writeTarget(file);
    const before = await readBytesIfExists(target);
    const createdDirs = before === undefined ? await missingParents(target) : 0;
    // The code is UTF-8 (a launcher path may not be ASCII); the file is handled byte for byte.
    const body = Buffer.from(shellIntegrationCode(shell, launcherDir), 'utf8').toString('latin1');
    let result;
    try {
      result = withBlock(before, body, file, createdDirs);
    } catch (error) {
      throw rcBlockProblem(error);
    }
    if (result.change === 'unchanged') {
      io.stderr.write(`safe-pip: ${shell}: ${file} already has the shell integration\n`);
      continue;
    }
    if (!options.dryRun) {
      if (createdDirs > 0) await mkdir(dirname(target), { recursive: true });
      await writeFileAtomic(file, Buffer.from(result.text, 'latin1'));
    }
    const verb = options.dryRun ? `would ${result.change === 'added' ? 'add' : 'update'}` : result.change;
    io.stderr.write(`safe-pip: ${shell}: ${verb} the shell integration in ${file}\n`);
    changed.push(file);
  }
  if (changed.length > 0 && !options.dryRun) {
    io.stderr.write(
      'safe-pip: open a new terminal for it to take effect (or source the file); `safe-pip teardown` removes it\n',
    );
  }
  return EXIT_OK;
}

async function setupShims(dir: string | undefined, dryRun: boolean, launcherDir: string, io: CommandIo): Promise<number> {
  const shimsDir = dir ?? defaultShimsDir(io.env);
  const names = ['pip', 'pip3', ...findVersionedPips(io.env)];
  const result = await installShims(shimsDir, names, launcherDir, dryRun);
  const would = dryRun ? 'would make' : 'made';
  io.stderr.write(`safe-pip: ${would} shims for ${result.shims.join(', ')} in ${result.dir}\n`);
  if (result.removed.length > 0) {
    io.stderr.write(`safe-pip: ${dryRun ? 'would remove' : 'removed'} shims no longer on PATH: ${result.removed.join(', ')}\n`);
  }
  const githubPath = io.env.GITHUB_PATH;
  if (githubPath) {
    const existing = await readFile(githubPath, 'utf8').catch(() => '');
    if (!existing.split('\n').includes(result.dir)) {
      if (!dryRun) await appendFile(githubPath, `${existing === '' || existing.endsWith('\n') ? '' : '\n'}${result.dir}\n`);
      io.stderr.write(`safe-pip: ${dryRun ? 'would add' : 'added'} ${result.dir} to $GITHUB_PATH (first on PATH in the next steps)\n`);
    }
  }
  io.stderr.write('safe-pip: put the directory first on PATH with this line (stdout), e.g. eval "$(safe-pip setup --ci)":\n');
  io.stdout.write(`export PATH=${quoteSh(result.dir)}:"$PATH"\n`);
  return EXIT_OK;
}
