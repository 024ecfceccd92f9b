// Issue 12 §1 end to end: an intercepted command with a warm cache starts no process of its own
// before the real pip. The real pip sits behind a fake pyenv (the real shim text; libexec/pyenv
// and the version's python3.11 are wrappers that log every start), so whatever safe-pip starts
// through pyenv or Python leaves a line in the log.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EARLY_START_PLACEHOLDER } from '../../src/io/early-pip.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { BIN, ensureBuilt, envWith, run, writeExecutable } from './harness.js';

const REAL_PYTHON = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();

beforeAll(() => ensureBuilt());

describe('warm intercepted command', () => {
  it('starts only the real pip: no `pip debug`, no probe', () => {
    const dir = makeTempDir();
    const root = join(dir, 'pyenv');
    const log = join(dir, 'spawns.log');
    writeFileSync(log, '');
    const bin = join(root, 'versions', '3.11.7', 'bin');
    writeExecutable(join(bin, 'python3.11'), `#!/bin/sh\nprintf 'python %s %s\\n' "$1" "$2" >>'${log}'\nexec '${REAL_PYTHON}' "$@"\n`);
    writeExecutable(join(bin, 'pip'), `#!${join(bin, 'python3.11')}\nimport sys\nfrom pip._internal.cli.main import main\nsys.exit(main())\n`);
    writeExecutable(join(root, 'libexec', 'pyenv'), `#!/bin/sh\necho "pyenv $1 $2 $3" >>'${log}'\nshift\nprogram=$1\nshift\nexec '${bin}'/"$program" "$@"\n`);
    const shim = writeExecutable(
      join(root, 'shims', 'pip'),
      `#!/usr/bin/env bash\nset -e\nprogram="\${0##*/}"\n\nexport PYENV_ROOT="${root}"\nexec "${root}/libexec/pyenv" exec "$program" "$@"\n`,
    );
    writeFileSync(join(root, 'version'), '3.11.7\n');
    const work = join(dir, 'work');
    mkdirSync(work);
    const env = envWith({ SAFE_PIP_REAL_PIP: shim, SAFE_PIP_CACHE_DIR: join(dir, 'cache'), PIP_NO_INDEX: '1', PYENV_VERSION: undefined });
    // A wheel with no dependencies, installed into a target that already holds it.
    const wheel = join(work, 'tiny-1.0-py3-none-any.whl');
    execFileSync(REAL_PYTHON, ['-c', `import zipfile\nwith zipfile.ZipFile(${JSON.stringify(wheel)}, "w") as z:\n    z.writestr("tiny/__init__.py", "")\n    z.writestr("tiny-1.0.dist-info/METADATA", "Metadata-Version: 2.1\\nName: tiny\\nVersion: 1.0\\n")\n    z.writestr("tiny-1.0.dist-info/WHEEL", "Wheel-Version: 1.0\\nGenerator: test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n")\n    z.writestr("tiny-1.0.dist-info/RECORD", "")\n`]);
    const args = ['install', '--target', join(dir, 'target'), '--no-index', wheel];
    const cold = run(join(BIN, 'pip'), args, env);
    const coldLines = readFileSync(log, 'utf8').split('\n').filter(Boolean);
    expect(coldLines.filter((l) => l.startsWith('python -I -S'))).toHaveLength(1);
    expect(coldLines.some((l) => l.includes('debug'))).toBe(false);

    writeFileSync(log, '');
    const warm = run(join(BIN, 'pip'), args, env);
    expect(cold.exitCode).toBe(0);
    expect(warm.exitCode).toBe(0);
    const warmLines = readFileSync(log, 'utf8').split('\n').filter(Boolean);
    // Only the real pip itself, through the shim, started early (src/io/early-pip.ts) for the
    // install it is to warm up for: pyenv exec, then its Python running pip, once.
    expect(warmLines.filter((l) => l.startsWith('pyenv'))).toEqual(warmLines.filter((l) => l.startsWith('pyenv exec pip')));
    expect(warmLines.filter((l) => l.startsWith('python -I'))).toEqual([]);
    expect(warmLines).toEqual([`pyenv exec pip ${EARLY_START_PLACEHOLDER}=install`, `python ${join(bin, 'pip')} ${EARLY_START_PLACEHOLDER}=install`]);
  });
});
