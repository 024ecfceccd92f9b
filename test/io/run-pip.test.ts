// src/io/run-pip.ts called directly with fake pips: exit codes, environment, signal deaths,
// and a pip that cannot be started.
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { SafePipError } from '../../src/errors.js';
import { EXIT_NO_REAL_PIP } from '../../src/exit-codes.js';
import { runPip } from '../../src/io/run-pip.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { writeExecutable } from '../launcher/harness.js';

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
