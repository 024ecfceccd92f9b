// Pass-through against the machine's real pip (issue 2 §4): for commands that cannot build
// anything, stdout, stderr and the exit code through bin/pip, bin/pip3 and `safe-pip pip` are
// exactly those of the pip the launcher finds (the first pip/pip3 on the original PATH).
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, commandOnPath, ensureBuilt, envWith, run } from './harness.js';

beforeAll(() => ensureBuilt());

const originalPath = process.env.PATH ?? '';
// The self version check would try the network (there is none) and may add timing-dependent lines.
const env = envWith({ PATH: `${BIN}:${originalPath}`, PIP_DISABLE_PIP_VERSION_CHECK: '1' });

const commands: string[][] = [
  ['--version'], ['list'], ['show', 'pip'], ['freeze'], ['help'], ['config', 'list'], ['show', 'nonexistent-pkg-xyz'],
  // These two reach Node (an abbreviation, a short-option cluster) and still pass through unchanged.
  ['--isol', '--version'], ['-vq', 'show', 'nonexistent-pkg-xyz'],
];

const launchers: Array<[string, string, string[]]> = [
  ['bin/pip', 'pip', []],
  ['bin/pip3', 'pip3', []],
  ['safe-pip pip', 'pip', ['pip']],
];

describe.each(launchers)('%s', (label, realName, prefix) => {
  const launcher = join(BIN, label === 'bin/pip3' ? 'pip3' : label === 'bin/pip' ? 'pip' : 'safe-pip');
  it.each(commands.map((c) => [c.join(' '), c] as const))('pip %s: identical output and exit code', (_name, args) => {
    const realPip = commandOnPath(realName, originalPath);
    const expected = run(realPip, args, env);
    const actual = run(launcher, [...prefix, ...args], env);
    expect(actual).toEqual(expected);
  });
});

it('the failing show really fails, and list really lists (the comparison is not vacuous)', () => {
  const realPip = commandOnPath('pip', originalPath);
  expect(run(join(BIN, 'pip'), ['show', 'nonexistent-pkg-xyz'], env).exitCode).toBe(1);
  expect(run(join(BIN, 'pip'), ['list'], env).stdout).toMatch(/^pip\s+\d/m);
  expect(run(realPip, ['--version'], env).stdout).toMatch(/^pip \d/);
});
