// src/io/run-pip.ts called directly with fake pips: exit codes, environment, signal deaths,
// and a pip that cannot be started.
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SafePipError } from '../../src/errors.js';
import { EXIT_NO_REAL_PIP } from '../../src/exit-codes.js';
import { runPip } from '../../src/io/run-pip.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { ensureBuilt, ROOT, writeExecutable } from '../launcher/harness.js';

it.each([0, 1, 2, 3, 23, 255])('returns pip\'s exit code %i unchanged', async (code) => {
  const pip = writeExecutable(join(makeTempDir(), 'pip'), `#!/bin/sh\nexit ${code}\n`);
  expect(await runPip(pip, [], { env: { ...process.env } })).toBe(code);
});

it('passes argv and the environment unchanged except the recursion guard', async () => {
  const dir = makeTempDir();
  const pip = writeExecutable(join(dir, 'pip'), `#!/bin/sh\nprintf '%s\\n' "$@" >"${dir}/argv"\nenv >"${dir}/env"\n`);
  const env = { ...process.env, SAFE_PIP_TEST_MARK: 'a b', SAFE_PIP_DEPTH: '1' };
  expect(await runPip(pip, ['install', '--', 'a b', ''], { env })).toBe(0);
  const { readFileSync } = await import('node:fs');
  expect(readFileSync(join(dir, 'argv'), 'utf8')).toBe('install\n--\na b\n\n');
  const seen = Object.fromEntries(
    readFileSync(join(dir, 'env'), 'utf8').trim().split('\n').filter((l) => /^[A-Za-z_][A-Za-z0-9_]*=/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
  const expected = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && !v.includes('\n')));
  // sh itself adds PWD (and may add SHLVL/_); compare the variables we gave it.
  for (const [key, value] of Object.entries(expected)) {
    if (key === 'SAFE_PIP_DEPTH' || key === 'PWD' || key === 'SHLVL' || key === '_') continue;
    expect({ key, value: seen[key] }).toEqual({ key, value });
  }
  expect(seen.SAFE_PIP_DEPTH).toBe('2');
});

it('a signal death becomes 128 + the signal number', async () => {
  const pip = writeExecutable(join(makeTempDir(), 'pip'), '#!/bin/sh\nkill -KILL $$\n');
  expect(await runPip(pip, [], { env: { ...process.env } })).toBe(128 + 9);
});

it('a pip that cannot be started is a SafePipError with EXIT_NO_REAL_PIP', async () => {
  const error = await runPip(join(makeTempDir(), 'missing-pip'), [], { env: { ...process.env } }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(SafePipError);
  expect((error as SafePipError).exitCode).toBe(EXIT_NO_REAL_PIP);
  expect((error as SafePipError).message).toContain('missing-pip');
});

describe('a reader that goes away (`pip … | head -1`)', () => {
  const python = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();

  /**
   * pip's behaviour in small: a long output, and its own message and exit code on a broken pipe;
   * in the form of pip's own script (a stand-in pip package beside it), so that early-pip.ts can
   * start it too.
   */
  function talkativePip(): string {
    const bin = join(makeTempDir(), 'bin');
    for (const init of ['pip', 'pip/_internal', 'pip/_internal/cli']) writeExecutable(join(bin, init, '__init__.py'), '');
    writeExecutable(
      join(bin, 'pip', '_internal', 'cli', 'main.py'),
      `import os, sys\ndef main():\n    try:\n        for i in range(200000):\n            print('line', i)\n        sys.stdout.flush()\n    except BrokenPipeError:\n        sys.stderr.write('pip: broken pipe\\n')\n        os._exit(3)\n    return 0\n`,
    );
    return writeExecutable(join(bin, 'pip3'), `#!${python}\nimport sys\nfrom pip._internal.cli.main import main\nif __name__ == '__main__':\n    sys.exit(main())\n`);
  }

  function throughHead(command: string): { status: string; stderr: string } {
    const result = spawnSync('bash', ['-c', `${command} | head -1 >/dev/null; echo "\${PIPESTATUS[0]}"`], { encoding: 'utf8', timeout: 120_000 });
    return { status: result.stdout.trim(), stderr: result.stderr };
  }

  it.each([
    ['copied as it is (a pip started early, safe-pip\'s stdout not a terminal)', true, 'undefined'],
    ['through line rules', false, '{ rewrite: (l) => l, mayChange: () => true }'],
  ])('pip\'s output %s: pip runs to its end, nothing crashes (plain pip would stop at the broken pipe)', (_what, early, rules) => {
    ensureBuilt();
    const pip = talkativePip();
    // Plain pip, for the record: it meets the broken pipe and stops with its own message.
    expect(throughHead(JSON.stringify(pip))).toEqual({ status: '3', stderr: 'pip: broken pipe\n' });
    const script = join(makeTempDir(), 'run.mjs');
    writeExecutable(
      script,
      `import { runPip } from ${JSON.stringify(join(ROOT, 'dist', 'io', 'run-pip.js'))};
import { startEarlyPip } from ${JSON.stringify(join(ROOT, 'dist', 'io', 'early-pip.js'))};
if (${early}) startEarlyPip(${JSON.stringify(pip)}, [], process.env, process.cwd(), { stdoutIsTerminal: false });
const rules = ${rules};
process.exitCode = await runPip(${JSON.stringify(pip)}, [], rules === undefined ? {} : { rewriteStdout: rules });
`,
    );
    expect(throughHead(`${JSON.stringify(process.execPath)} ${JSON.stringify(script)}`)).toEqual({ status: '0', stderr: '' });
  });
});
