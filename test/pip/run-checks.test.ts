// pip's run()-time refusal of --platform/--python-version/--abi/--implementation without
// --only-binary=:all: or --no-deps (and, for install, without --target): safe-pip answers with
// pip's exact words and exit code instead of making the call safe. Oracle: the real pip of every
// release in the matrix, on the same command lines (nothing is resolved: --no-index, a name that
// does not exist).
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { describeEachPip, PIP_MATRIX } from '../helpers/pip-matrix.js';
import { PLAIN_PIP_ENV, runCommand } from '../helpers/run-cli.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const SAFE_PIP = join(process.cwd(), 'bin', 'safe-pip');
const CASES: Array<{ argv: (dir: string) => string[]; env?: Record<string, string> }> = [
  { argv: (d) => ['download', '-d', d, '--platform', 'manylinux2014_x86_64', 'nothing-here'] },
  { argv: (d) => ['download', '-d', d, '--platform', 'manylinux2014_x86_64', '--no-deps', 'nothing-here'] },
  { argv: (d) => ['download', '-d', d, '--python-version', '3.8', '--only-binary=:all:', 'nothing-here'] },
  { argv: (d) => ['download', '-d', d, '--python-version', '3.8', '--only-binary=:all:', '--only-binary=foo', 'nothing-here'] },
  { argv: (d) => ['download', '-d', d, '--abi', 'cp311', '--only-binary=:all:', '--no-binary=:none:', 'nothing-here'] },
  { argv: (d) => ['download', '-d', d, '--implementation', 'cp', '--only-binary=:all:', '--no-binary=foo', 'nothing-here'] },
  { argv: (d) => ['download', '-d', d, 'nothing-here'], env: { PIP_PLATFORM: 'manylinux2014_x86_64' } },
  { argv: () => ['install', '--platform', 'manylinux2014_x86_64', '--only-binary=:all:', 'nothing-here'] },
  { argv: () => ['install', '--dry-run', '--platform', 'manylinux2014_x86_64', '--only-binary=:all:', 'nothing-here'] },
  { argv: (d) => ['install', '--target', d, '--platform', 'manylinux2014_x86_64', '--only-binary=:all:', 'nothing-here'] },
  { argv: (d) => ['install', '--target', d, '--platform', 'manylinux2014_x86_64', 'nothing-here'] },
];

const MESSAGES = /^ERROR: (When restricting platform.*|Can not use any platform or abi specific options.*)$/m;

describe('platform options need --only-binary=:all: or --no-deps, as in pip', () => {
  describeEachPip(['23.2.1', '24.0', '25.2', PIP_MATRIX[PIP_MATRIX.length - 1]!], (pip) => {
    for (const c of CASES) {
      const shown = c.argv('DIR').join(' ') + (c.env ? ` with ${Object.keys(c.env).join(' ')}` : '');
      it(shown, async () => {
        const args = [...c.argv(makeTempDir('run-checks-')), '--no-index'];
        const env = { ...PLAIN_PIP_ENV, ...c.env };
        const plain = await runCommand(pip.python, ['-m', 'pip', ...args], { env });
        const safe = await runCommand(SAFE_PIP, ['pip', ...args], { env: { ...env, SAFE_PIP_REAL_PIP: pip.pip } });
        const pipSays = MESSAGES.exec(plain.stderr)?.[0] ?? null;
        expect(MESSAGES.exec(safe.stderr)?.[0] ?? null, safe.stderr).toBe(pipSays);
        if (pipSays !== null) {
          expect(safe.exitCode).toBe(plain.exitCode);
          expect(safe.stderr).toBe(`${pipSays}\n`);
        }
      });
    }
  });
});
