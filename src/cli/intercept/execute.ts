// Carrying out a plan (the I/O half of policy/plan.ts): fetch raw files, copy local archives, then
// run the real pip with the rewritten command line. Files are written to temporary names and
// renamed into place by the index client; temporary pip inputs live in a private temp directory
// that is removed afterwards.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runPip } from '../../io/run-pip.js';
import { EXIT_REFUSED } from '../../exit-codes.js';
import { notesText, refusalText } from '../../report/plan-report.js';
import type { Analysis } from './analyze.js';
import { pipInvocation } from './pip-invocation.js';
import { saveDownloadFiles } from './download-step.js';

export interface ExecuteContext {
  realPip: string;
  env: NodeJS.ProcessEnv;
  cwd: string;
  quiet: boolean;
  stderr: NodeJS.WritableStream;
}

export async function carryOut(analysis: Analysis, context: ExecuteContext): Promise<number> {
  const { plan } = analysis;
  if (plan.refused) {
    context.stderr.write(refusalText(plan.refusals));
    return EXIT_REFUSED;
  }
  if (!context.quiet) context.stderr.write(notesText(plan));

  if (plan.command === 'download') await saveDownloadFiles(analysis, context);

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
