// Finding the real pip (issue 2 §2/§4): the next pip/pip3 on PATH that is not a safe-pip launcher,
// however the launcher is reached; SAFE_PIP_REAL_PIP; no pip at all; a PATH that loops back.
// Fake pips (sh scripts that print their own path, argv and recursion guard) stand in for pip.
import { spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync, copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXIT_NO_REAL_PIP } from '../../src/exit-codes.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { BIN, ensureBuilt, envWith, NODE_DIR, parseFakePipOutput, run, writeExecutable, writeFakePip } from './harness.js';

beforeAll(() => ensureBuilt());

/** A scenario directory with fake pips; PATH entries are given relative to it. */
function scenario() {
  const dir = makeTempDir('safe-pip-find-');
  return {
    dir,
    pip: (rel: string) => writeFakePip(join(dir, rel)),
    path: (...entries: string[]) => entries.map((e) => (e.startsWith('/') ? e : join(dir, e))).join(':'),
  };
}

function launch(launcher: string, args: string[], path: string, extra: Record<string, string | undefined> = {}) {
  // SAFE_PIP_NODE keeps Node reachable whatever PATH the scenario uses; SAFE_PIP_DISABLE keeps the
  // policy (tested in test/cli/) out of these tests of finding and running the real pip.
  return run(launcher, args, envWith({ PATH: path, SAFE_PIP_NODE: process.execPath, SAFE_PIP_DISABLE: '1', ...extra }));
}

const routes: Array<[string, (args: string[]) => [string, string[]]]> = [
  ['bin/pip fast path', (args) => [join(BIN, 'pip'), args]],
  ['bin/pip via Node', (args) => [join(BIN, 'pip'), ['--isol', ...args]]],
  ['safe-pip pip', (args) => [join(BIN, 'safe-pip'), ['pip', ...args]]],
];

describe.each(routes)('%s', (_route, route) => {
  const expectedArgs = (args: string[]) => (_route === 'bin/pip via Node' ? ['--isol', ...args] : args);

  it('shim first on PATH: runs the next pip', () => {
    const s = scenario();
    const real = s.pip('real/pip');
    const [file, args] = route(['list']);
    const result = launch(file, args, s.path(BIN, 'real', '/usr/bin'));
    expect(result.exitCode).toBe(0);
    expect(parseFakePipOutput(result.stdout)).toEqual({ pip: real, depth: '1', argv: expectedArgs(['list']) });
  });

  it('shim twice on PATH, once as a copy elsewhere: skips both', () => {
    const s = scenario();
    mkdirSync(join(s.dir, 'copy'));
    for (const name of ['pip', 'pip3', 'safe-pip']) copyFileSync(join(BIN, name), join(s.dir, 'copy', name));
    writeExecutable(join(s.dir, 'copy', 'pip'), `${'#!/bin/sh\n# safe-pip-launcher: a copy\n'}exit 99\n`);
    const real = s.pip('real/pip');
    const [file, args] = route(['freeze']);
    const result = launch(file, args, s.path(BIN, 'copy', BIN, 'real'));
    expect(parseFakePipOutput(result.stdout)).toEqual({ pip: real, depth: '1', argv: expectedArgs(['freeze']) });
  });

  it('a symlinked shim (named pip, in another directory) is recognised through the link', () => {
    const s = scenario();
    mkdirSync(join(s.dir, 'links'));
    symlinkSync(join(BIN, 'pip'), join(s.dir, 'links', 'pip'));
    symlinkSync(join(s.dir, 'links', 'pip'), join(s.dir, 'links', 'pip3')); // a chain of two links
    const real = s.pip('real/pip');
    const [file, args] = route(['show', 'x']);
    const viaLink = file === join(BIN, 'pip') ? join(s.dir, 'links', 'pip') : file;
    const result = launch(viaLink, args, s.path('links', 'real'));
    expect(parseFakePipOutput(result.stdout)).toEqual({ pip: real, depth: '1', argv: expectedArgs(['show', 'x']) });
  });

  it('no pip at all: names what was searched and how to point at one, exit EXIT_NO_REAL_PIP', () => {
    const s = scenario();
    mkdirSync(join(s.dir, 'empty'));
    const [file, args] = route(['list']);
    const result = launch(file, args, s.path(BIN, 'empty'));
    expect(result.exitCode).toBe(EXIT_NO_REAL_PIP);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('safe-pip: error: no real pip found');
    expect(result.stderr).toContain(`  ${join(s.dir, 'empty')}\n`);
    expect(result.stderr).toContain(`  ${BIN}\n`);
    expect(result.stderr).toContain('hint: ');
    expect(result.stderr).toContain('SAFE_PIP_REAL_PIP=/path/to/pip');
  });

  it('a PATH loop (a "real pip" that runs `pip` from PATH again) stops with a clear error', () => {
    const s = scenario();
    const wrapper = writeExecutable(join(s.dir, 'wrap', 'pip'), '#!/bin/sh\nexec pip "$@"\n');
    const [file, args] = route(['list']);
    const result = launch(file, args, s.path(BIN, 'wrap', NODE_DIR));
    expect(result.exitCode).toBe(EXIT_NO_REAL_PIP);
    expect(result.stderr).toContain('safe-pip: error: safe-pip has been started 5 times inside itself');
    expect(result.stderr).toContain(wrapper);
    expect(result.stderr.match(/safe-pip: error/g)).toHaveLength(1);
  });

  it('SAFE_PIP_REAL_PIP overrides PATH', () => {
    const s = scenario();
    s.pip('first/pip');
    const chosen = s.pip('elsewhere/my-pip');
    const [file, args] = route(['list']);
    const result = launch(file, args, s.path(BIN, 'first'), { SAFE_PIP_REAL_PIP: chosen });
    expect(parseFakePipOutput(result.stdout)).toEqual({ pip: chosen, depth: '1', argv: expectedArgs(['list']) });
  });
});

describe('name preference and overrides', () => {
  it('pip prefers pip then pip3; pip3 prefers pip3 then pip (over the whole PATH)', () => {
    const s = scenario();
    const pip3 = s.pip('a/pip3');
    const pip = s.pip('b/pip');
    const path = s.path(BIN, 'a', 'b');
    expect(parseFakePipOutput(launch(join(BIN, 'pip'), ['list'], path).stdout).pip).toBe(pip);
    expect(parseFakePipOutput(launch(join(BIN, 'pip3'), ['list'], path).stdout).pip).toBe(pip3);
    // With only the other name available, each falls back to it.
    expect(parseFakePipOutput(launch(join(BIN, 'pip'), ['list'], s.path(BIN, 'a')).stdout).pip).toBe(pip3);
    expect(parseFakePipOutput(launch(join(BIN, 'pip3'), ['list'], s.path(BIN, 'b')).stdout).pip).toBe(pip);
  });

  it('a symlink named pip3 to bin/pip prefers pip3 (the name the user typed)', () => {
    const s = scenario();
    symlinkSync(join(BIN, 'pip'), join(s.dir, 'pip3'));
    const pip3 = s.pip('a/pip3');
    s.pip('a/pip');
    expect(parseFakePipOutput(launch(join(s.dir, 'pip3'), ['list'], s.path('a')).stdout).pip).toBe(pip3);
  });

  it('non-executable files and directories named pip are skipped', () => {
    const s = scenario();
    mkdirSync(join(s.dir, 'a', 'pip'), { recursive: true });
    mkdirSync(join(s.dir, 'b'));
    writeFileSync(join(s.dir, 'b', 'pip'), '#!/bin/sh\nexit 9\n');
    const real = s.pip('c/pip');
    expect(parseFakePipOutput(launch(join(BIN, 'pip'), ['list'], s.path('a', 'b', 'c')).stdout).pip).toBe(real);
  });

  it.each([
    ['missing', (dir: string) => join(dir, 'nope'), 'does not exist'],
    ['not executable', (dir: string) => { writeFileSync(join(dir, 'pip'), ''); return join(dir, 'pip'); }, 'is not executable'],
    ['a directory', (dir: string) => dir, 'is not a file'],
    ['a launcher', () => join(BIN, 'pip'), "is one of safe-pip's own launchers"],
  ])('an unusable SAFE_PIP_REAL_PIP (%s) is reported, not searched around', (_name, make, problem) => {
    const s = scenario();
    s.pip('real/pip');
    const value = make(s.dir);
    const result = launch(join(BIN, 'pip'), ['list'], s.path(BIN, 'real'), { SAFE_PIP_REAL_PIP: value });
    expect(result.exitCode).toBe(EXIT_NO_REAL_PIP);
    expect(result.stderr).toContain(`safe-pip: error: SAFE_PIP_REAL_PIP="${value}" ${problem}`);
  });

  it('an empty PATH entry means the current directory, as for a shell', () => {
    const s = scenario();
    s.pip('cwd/pip');
    for (const path of [`${BIN}:`, `:${BIN}`, `${BIN}::/nonexistent`]) {
      const result = spawnSync(join(BIN, 'pip'), ['list'], {
        cwd: join(s.dir, 'cwd'),
        env: envWith({ PATH: path, SAFE_PIP_NODE: process.execPath }),
        encoding: 'utf8',
      });
      expect(parseFakePipOutput(result.stdout).pip).toBe('./pip');
    }
  });
});
