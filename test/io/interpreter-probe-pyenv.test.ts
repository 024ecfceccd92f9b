// Issue 12 §1: the interpreter facts of a pip behind a pyenv shim, cached under a key that changes
// with each of pyenv's inputs, and a warm lookup that starts no process. A fake pyenv root holds
// the real shim text, two "versions" whose python3.11 is a wrapper that logs each start and runs
// the real interpreter, and a libexec/pyenv that logs too (anything that reaches pyenv or Python
// leaves a line in the log).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { locatePipInterpreter, probeInterpreterWithSource } from '../../src/io/interpreter-probe.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { writeExecutable } from '../launcher/harness.js';

const REAL_PYTHON = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();

interface FakePyenv {
  root: string;
  shim: string;
  log: string;
  work: string;
  cacheDir: string;
}

function makeFakePyenv(): FakePyenv {
  const dir = makeTempDir();
  const root = join(dir, 'pyenv');
  const log = join(dir, 'spawns.log');
  writeFileSync(log, '');
  // The shim exactly as pyenv-rehash writes it (pyenv 2.x), for this root.
  const shim = writeExecutable(
    join(root, 'shims', 'pip'),
    `#!/usr/bin/env bash
set -e
[ -n "$PYENV_DEBUG" ] && set -x

program="\${0##*/}"

export PYENV_ROOT="${root}"
SHIM_PATH=\${0%/*}
if [[ $SHIM_PATH != "${root}/shims" ]]; then
  export _PYENV_SHIM_PATH="$SHIM_PATH"
fi
exec "${root}/libexec/pyenv" exec "$program" "$@"
`,
  );
  writeExecutable(join(root, 'libexec', 'pyenv'), `#!/bin/sh\necho "pyenv $*" >>'${log}'\n[ "$2" = pip ] && [ "$3" = debug ] && echo "sys.executable: ${REAL_PYTHON}"\nexit 0\n`);
  for (const version of ['3.11.7', '3.12.1']) {
    const bin = join(root, 'versions', version, 'bin');
    writeExecutable(join(bin, 'python3.11'), `#!/bin/sh\necho "python ${version}" >>'${log}'\nexec '${REAL_PYTHON}' "$@"\n`);
    writeExecutable(join(bin, 'pip'), `#!${join(bin, 'python3.11')}\nimport sys\nfrom pip._internal.cli.main import main\nsys.exit(main())\n`);
  }
  writeFileSync(join(root, 'version'), '3.11.7\n');
  const work = join(dir, 'work');
  mkdirSync(join(work, 'project', 'src'), { recursive: true });
  return { root, shim, log, work, cacheDir: join(dir, 'cache') };
}

const spawns = (f: FakePyenv): string[] => readFileSync(f.log, 'utf8').split('\n').filter(Boolean);

function touch(path: string): void {
  const later = new Date(statSync(path).mtimeMs + 5000);
  utimesSync(path, later, later);
}

describe('pip behind a pyenv shim', () => {
  let f: FakePyenv;
  beforeEach(() => {
    f = makeFakePyenv();
    expect(existsSync('/.python-version')).toBe(false);
  });

  it('is resolved by reading pyenv\'s selection, without starting pyenv', async () => {
    const env = { PATH: process.env.PATH };
    const located = await locatePipInterpreter(f.shim, env, f.work);
    expect(located).toEqual({
      python: join(f.root, 'versions', '3.11.7', 'bin', 'python3.11'),
      pyenv: { root: f.root, versions: '3.11.7', origin: join(f.root, 'version'), program: join(f.root, 'versions', '3.11.7', 'bin', 'pip') },
      askedPip: false,
    });
    expect((await locatePipInterpreter(f.shim, { ...env, PYENV_VERSION: 'python-3.12.1' }, f.work)).python).toBe(join(f.root, 'versions', '3.12.1', 'bin', 'python3.11'));
    writeFileSync(join(f.work, 'project', '.python-version'), '# pinned\n\n3.12.1 ignored words\r\n3.11.7\n');
    const local = await locatePipInterpreter(f.shim, env, join(f.work, 'project', 'src'));
    expect(local.pyenv).toMatchObject({ versions: '3.12.1:3.11.7', origin: join(f.work, 'project', '.python-version') });
    expect(spawns(f)).toEqual([]);
  });

  it('defers to the pip itself for what only pyenv knows: a version prefix, an unknown hook', async () => {
    const env = { PATH: process.env.PATH };
    expect(await locatePipInterpreter(f.shim, { ...env, PYENV_VERSION: '3.11' }, f.work)).toMatchObject({ python: REAL_PYTHON, askedPip: true });
    writeExecutable(join(f.root, 'pyenv.d', 'which', 'custom.bash'), 'PYENV_COMMAND_PATH=/elsewhere\n');
    expect(await locatePipInterpreter(f.shim, env, f.work)).toMatchObject({ python: REAL_PYTHON, askedPip: true });
    expect(spawns(f)).toEqual(['pyenv exec pip debug', 'pyenv exec pip debug']);
  });

  it('caches the facts under a key that changes with every input; a warm lookup starts nothing', async () => {
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH };
    let expected = 0;
    const lookUp = async (changes: NodeJS.ProcessEnv = {}, cwd = f.work) => probeInterpreterWithSource(f.shim, { env: { ...env, ...changes }, cacheDir: f.cacheDir, cwd });
    const expectProbe = async (changes: NodeJS.ProcessEnv = {}, cwd = f.work) => {
      const first = await lookUp(changes, cwd);
      expect(first.source).toBe('probe');
      expect(spawns(f)).toHaveLength(++expected);
      const second = await lookUp(changes, cwd);
      expect(second.source).toBe('cache');
      expect(second.facts).toEqual(first.facts);
      expect(spawns(f)).toHaveLength(expected);
      return first;
    };

    const initial = await expectProbe();
    expect(initial.facts.executable).toBe(REAL_PYTHON);
    expect(spawns(f)).toEqual(['python 3.11.7']);
    // PYENV_VERSION selects another version.
    await expectProbe({ PYENV_VERSION: '3.12.1' });
    expect(spawns(f).at(-1)).toBe('python 3.12.1');
    // A .python-version up the working directory: another origin, even for the same version.
    writeFileSync(join(f.work, 'project', '.python-version'), '3.11.7\n');
    await expectProbe({}, join(f.work, 'project', 'src'));
    // $PYENV_ROOT/version modified.
    writeFileSync(join(f.root, 'version'), '3.12.1\n');
    await expectProbe();
    // The interpreter touched.
    touch(join(f.root, 'versions', '3.12.1', 'bin', 'python3.11'));
    await expectProbe();
    // The selected pip touched (reinstalled).
    touch(join(f.root, 'versions', '3.12.1', 'bin', 'pip'));
    await expectProbe();
    // A pyvenv.cfg appears next to bin/, then changes.
    writeFileSync(join(f.root, 'versions', '3.12.1', 'pyvenv.cfg'), 'home = /usr/bin\n');
    await expectProbe();
    writeFileSync(join(f.root, 'versions', '3.12.1', 'pyvenv.cfg'), 'home = /usr/local/bin\ninclude-system-site-packages = false\n');
    await expectProbe();
    // The shim itself rewritten (pyenv rehash).
    touch(f.shim);
    await expectProbe();
    // Back to an earlier state: that entry is still valid.
    expect((await lookUp({ PYENV_VERSION: '3.11.7' }, f.work)).source).toBe('probe');
    expect((await lookUp({ PYENV_VERSION: '3.11.7' }, f.work)).source).toBe('cache');
  });

  it('reads pip\'s version from its installed metadata on every lookup, without starting pip', async () => {
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH };
    const first = await probeInterpreterWithSource(f.shim, { env, cacheDir: f.cacheDir, cwd: f.work });
    const realPipVersion = execFileSync(REAL_PYTHON, ['-c', 'import pip; print(pip.__version__)'], { encoding: 'utf8' }).trim();
    expect(first.facts.pipVersion).toBe(realPipVersion);
    // A newer pip earlier on the import path (PYTHONPATH): the real pip would run that one.
    const site = join(makeTempDir(), 'site');
    mkdirSync(join(site, 'pip-99.1.dist-info'), { recursive: true });
    writeFileSync(join(site, 'pip-99.1.dist-info', 'METADATA'), 'Metadata-Version: 2.1\nName: pip\nVersion: 99.1\nSummary: x\n\nVersion: 0\n');
    const upgraded = await probeInterpreterWithSource(f.shim, { env: { ...env, PYTHONPATH: site }, cacheDir: f.cacheDir, cwd: f.work });
    expect(upgraded.source).toBe('cache');
    expect(upgraded.facts.pipVersion).toBe('99.1');
    expect({ ...upgraded.facts, pipVersion: realPipVersion }).toEqual(first.facts);
    expect(spawns(f)).toEqual(['python 3.11.7']);
  });
});
