// Carrying out a plan (the I/O half of policy/plan.ts): fetch raw files, copy local archives, then
// run the real pip with the rewritten command line. Files are written to temporary names and
// renamed into place by the index client; temporary pip inputs live in a private temp directory
// that is removed afterwards.
import { copyFile, mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve as resolvePath } from 'node:path';
import { runPip } from '../../io/run-pip.js';
import { linkFromUrl } from '../../standards/simple-api.js';
import type { SourcedFile } from '../../resolve/index-reader.js';
import { EXIT_REFUSED } from '../../exit-codes.js';
import { notesText, refusalText } from '../../report/plan-report.js';
import type { Analysis } from './analyze.js';
import { pipInvocation } from './pip-invocation.js';

export interface ExecuteContext {
  realPip: string;
  env: NodeJS.ProcessEnv;
  cwd: string;
  quiet: boolean;
  stderr: NodeJS.WritableStream;
}

export async function carryOut(analysis: Analysis, context: ExecuteContext): Promise<number> {
  const { plan, settings } = analysis;
  if (plan.refused) {
    context.stderr.write(refusalText(plan.refusals));
    return EXIT_REFUSED;
  }
  if (!context.quiet) context.stderr.write(notesText(plan));

  if (plan.command === 'download') {
    const dest = resolvePath(context.cwd, settings.downloadDir ?? '.');
    await mkdir(dest, { recursive: true });
    for (const fetch of plan.fetches) {
      const entry = await sourcedFileFor(analysis, fetch.url);
      const expected = analysis.userHashes.get(fetch.name);
      const result = await analysis.reader.downloadFile(entry, dest, expected);
      if (!context.quiet) context.stderr.write(`safe-pip: saved ${result.path} (fetched raw, sha256 ${result.sha256.slice(0, 16)}…)\n`);
    }
    for (const copy of plan.copies) {
      const target = join(dest, basename(copy.path));
      if (resolvePath(copy.path) !== target) {
        const temp = join(dirname(target), `.${basename(target)}.safe-pip-${process.pid}.tmp`);
        await copyFile(copy.path, temp);
        await rename(temp, target);
      }
      if (!context.quiet) context.stderr.write(`safe-pip: saved ${target} (copied unbuilt)\n`);
    }
  }

  const tempDir = await mkdtemp(join(tmpdir(), 'safe-pip-run-'));
  try {
    const invocation = pipInvocation(analysis, tempDir);
    if (invocation === null) return 0;
    for (const file of invocation.files) {
      await mkdir(dirname(file.path), { recursive: true });
      await writeFile(file.path, file.bytes);
    }
    const env: NodeJS.ProcessEnv = { ...context.env };
    for (const [name, value] of Object.entries(invocation.envChanges)) {
      if (value === undefined) delete env[name];
      else env[name] = value;
    }
    return await runPip(context.realPip, invocation.args, { env, cwd: context.cwd });
  } finally {
    await rm(tempDir, { recursive: true, force: true });
  }
}

/** The index file behind a URL in the plan (so its index hashes are checked), or a bare link. */
async function sourcedFileFor(analysis: Analysis, url: string): Promise<SourcedFile> {
  for (const pkg of analysis.plan.packages) {
    if (pkg.url !== url) continue;
    const found = (await analysis.reader.projectFiles(pkg.name)).files.find((f) => f.file.url === url);
    if (found !== undefined) return found;
  }
  return { file: linkFromUrl(url), origin: { kind: 'find-links-file', location: url, page: null } };
}
