// `safe-pip --version`: safe-pip's version and, when one is found, the real pip's own
// `pip --version` line (run with the recursion guard like every other real-pip run).
import { execFile } from 'node:child_process';
import { findRealPip } from '../io/real-pip.js';
import { guardedEnvironment } from '../io/real-pip-guard.js';
import type { CliContext } from './context.js';
import { safePipVersion } from './package-info.js';

export async function runVersionCommand(context: CliContext): Promise<number> {
  const lines = [`safe-pip ${safePipVersion()}`];
  let realPip: string | undefined;
  try {
    realPip = await findRealPip({ env: context.env, handOff: context.realPipHandOff });
  } catch {
    lines.push('real pip: not found (run `safe-pip pip --version` to see why)');
  }
  if (realPip !== undefined) {
    const pipVersion = await new Promise<string>((resolve) => {
      execFile(realPip, ['--version'], { env: guardedEnvironment(context.env) }, (error, stdout) => {
        resolve(error === null ? stdout.trim() : `\`${realPip} --version\` failed`);
      });
    });
    lines.push(`real pip: ${realPip}`, pipVersion);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
