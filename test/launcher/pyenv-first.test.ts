// The launcher's start behind a pyenv shim (bin/safe-pip safe_pip_pyenv_first, python/early-pip-loader.py
// --pyenv-shim, src/io/pip-first.ts): a Python of pyenv's starts the shim, as early-pip.ts would
// (behind the placeholder, the early site on PYTHONPATH), and Node at once, then tells Node how the
// shim ended. The fake pyenv (test/helpers/fake-pyenv.ts) logs each `pyenv exec` with its parent;
// the supervising Python (the version's python3) and Node are wrappers that log their starts, so
// the logs show which process started which. The control is the same setup without that python3:
// Node comes first and starts the shim itself.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXIT_REFUSED } from '../../src/exit-codes.js';
import { EARLY_START_PLACEHOLDER, earlyPyenvShim } from '../../src/io/early-pip.js';
import { fakePyenv, logText } from '../helpers/fake-pyenv.js';
import { PYTHON, readLog } from '../helpers/stand-in-pip.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { BIN, ROOT, ensureBuilt, envWith, run, signalWhileNodeDecides, waitFor, writeExecutable } from './harness.js';

beforeAll(() => ensureBuilt());

const LOADER = join(ROOT, 'python', 'early-pip-loader.py');
const EARLY_SITE = join(ROOT, 'python', 'early-pip-site');

interface Start {
  what: string;
  pid: number;
  parent: number;
}

/** A fake pyenv whose version has a python3 (logged) for the launcher, or none (`control`). */
function setUp(options: { control?: boolean; node?: string } = {}) {
  const pyenv = fakePyenv();
  const starts = join(pyenv.dir, 'starts');
  writeFileSync(starts, '');
  const python3 = join(dirname(pyenv.program), 'python3');
  rmSync(python3);
  if (options.control !== true) writeExecutable(python3, `#!/bin/sh\necho "python $$ $PPID" >>'${starts}'\nexec '${PYTHON}' "$@"\n`);
  const node = writeExecutable(join(pyenv.dir, 'node-bin', 'node'), `#!/bin/sh\necho "node $$ $PPID" >>'${starts}'\n${options.node ?? `exec '${process.execPath}' "$@"`}\n`);
  const env = envWith({ SAFE_PIP_REAL_PIP: pyenv.shim, SAFE_PIP_NODE: node, SAFE_PIP_CACHE_DIR: join(pyenv.dir, 'cache'), PYENV_VERSION: undefined, PYENV_DIR: undefined, PYENV_HOOK_PATH: undefined });
  const parse = (file: string, what?: string): Start[] =>
    logText(file).map((line) => {
      const words = line.split(' ');
      return what === undefined ? { what: words[0]!, pid: Number(words[1]), parent: Number(words[2]) } : { what, pid: Number(words[0]), parent: Number(words[1]) };
    });
  return { ...pyenv, env, started: () => parse(starts), pyenvRuns: () => parse(`${pyenv.log}.pyenv`, 'pyenv') };
}

/** The fake pyenv's own lines, without the stand-in pip's and the child's pid. */
const pyenvLines = (log: string): string[] => logText(log).filter((line) => !/^(import|main|child|command|site) /.test(line));

describe('behind a pyenv shim, the launcher starts the shim and Node at once', () => {
  it('one pyenv run, started by the launcher\'s Python beside Node; pip runs in it once, after the decision, and its output and status come back', () => {
    const s = setUp();
    const result = run(join(BIN, 'pip'), ['install', 'x'], { ...s.env, SAFE_PIP_DISABLE: '1', EARLY_TEST_PRINT: '1', EARLY_TEST_EXIT: '3' });
    expect(result.stdout).toBe('pip says hello\n');
    expect(result.stderr).toMatch(/^safe-pip: SAFE_PIP_DISABLE=1: [^\n]*\n$/);
    expect(result.exitCode).toBe(3);
    const [python, node, ...rest] = s.started();
    expect(python).toEqual({ what: 'python', pid: expect.any(Number), parent: process.pid });
    expect(node).toEqual({ what: 'node', pid: expect.any(Number), parent: python!.pid });
    expect(rest).toEqual([]);
    expect(s.pyenvRuns()).toEqual([{ what: 'pyenv', pid: expect.any(Number), parent: python!.pid }]);
    // pip-rehash saw the user's argv; pip failed, so nothing was rehashed.
    expect(pyenvLines(s.log)).toEqual([`exec pip3 ${EARLY_START_PLACEHOLDER}=install install x`, 'status 3']);
    const logged = readLog(s.log);
    expect(logged.map((l) => l.kind)).toEqual(['import', 'command', 'main']);
    expect(new Set(logged.map((l) => l.pid)).size).toBe(1);
    expect(logged[2]!.seen).toMatchObject({ argv: [s.program, 'install', 'x'], mainFile: s.program, name: '__main__', earlySite: [], fd3: false, env: { SAFE_PIP_DEPTH: '1' } });
    expect(logged[2]!.seen!.env).not.toHaveProperty('PYTHONPATH');
  });

  it('gives what Node gives when it starts the shim itself (the control: no python3 for the launcher)', () => {
    const [s, control] = [setUp(), setUp({ control: true })];
    const ca = join(makeTempDir('safe-pip-pyenv-first-ca-'), 'extra-ca.pem');
    writeFileSync(ca, '');
    const extra = { SAFE_PIP_DISABLE: '1', EARLY_TEST_PRINT: '1', PIP_KEPT: 'same', NODE_EXTRA_CA_CERTS: ca, PYTHONPATH: '/nonexistent' };
    const results = [s, control].map((x) => run(join(BIN, 'pip'), ['install', 'x'], { ...x.env, ...extra }));
    expect(control.started().map((x) => [x.what, x.parent])).toEqual([['node', process.pid]]);
    expect(control.pyenvRuns()).toEqual([{ what: 'pyenv', pid: expect.any(Number), parent: control.started()[0]!.pid }]);
    expect(s.started().map((x) => x.what)).toEqual(['python', 'node']);
    expect(results[0]).toEqual(results[1]);
    expect(results[0]!.exitCode).toBe(0);
    // What pip's main() saw, and the hand-off variables and NODE_EXTRA_CA_CERTS it was given, in the setup's own paths.
    const seen = (x: typeof s) => {
      const { ppid: _parent, ...given } = JSON.parse(readFileSync(`${x.log}.process`, 'utf8').split(' ').slice(1).join(' ')) as { ppid: number };
      return JSON.parse(JSON.stringify([readLog(x.log).find((l) => l.kind === 'main')!.seen, given]).replaceAll(x.dir, '<dir>')) as unknown;
    };
    expect(seen(s)).toEqual(seen(control));
    expect(seen(s)).toEqual([expect.anything(), expect.objectContaining({ env: { NODE_EXTRA_CA_CERTS: ca } })]);
    for (const x of [s, control]) expect(pyenvLines(x.log)).toEqual([`exec pip3 ${EARLY_START_PLACEHOLDER}=install install x`, 'status 0', 'rehash']);
  });

  it('a refusal runs nothing: the waiting pip ends without a word, nothing is rehashed, and the refusal is the control\'s', async () => {
    const [s, control] = [setUp(), setUp({ control: true })];
    const [result, controlResult] = [s, control].map((x) => run(join(BIN, 'pip'), ['install', 'git+https://example.invalid/canary.git'], x.env));
    expect(result!.exitCode).toBe(EXIT_REFUSED);
    expect(result!.stderr).toMatch(/^safe-pip: refused: /);
    expect(result).toEqual(controlResult);
    expect(s.started().map((x) => x.what)).toEqual(['python', 'node']);
    await waitFor(() => pyenvLines(s.log).some((line) => line.startsWith('status ')), "pyenv's wrapper to end");
    expect(pyenvLines(s.log)).toEqual([`exec pip3 ${EARLY_START_PLACEHOLDER}=install install git+https://example.invalid/canary.git`, 'status 1']);
    expect(readLog(s.log).filter((l) => l.kind === 'main')).toEqual([]);
  });

  it('a shim that does not qualify (a shebang with -E, which skips PYTHONPATH) is not started early: no placeholder reaches pip', () => {
    const s = setUp();
    writeFileSync(s.program, readFileSync(s.program, 'utf8').replace(/^(#!\S+)/, '$1 -E'));
    const result = run(join(BIN, 'pip'), ['install', 'x'], { ...s.env, SAFE_PIP_DISABLE: '1', EARLY_TEST_PRINT: '1' });
    expect(result.stdout).toBe('pip says hello\n');
    expect(result.stderr).toMatch(/^safe-pip: SAFE_PIP_DISABLE=1: [^\n]*\n$/);
    expect(result.exitCode).toBe(0);
    // The launcher's Python looked and handed over to Node, which ran pip after deciding.
    const [python, node] = s.started();
    expect(python!.what).toBe('python');
    expect(node).toEqual({ what: 'node', pid: python!.pid, parent: process.pid });
    expect(s.pyenvRuns()).toEqual([{ what: 'pyenv', pid: expect.any(Number), parent: python!.pid }]);
    expect(pyenvLines(s.log)).toEqual(['exec pip3 install x', 'status 0', 'rehash']);
  });

  it.each(['SIGTERM', 'SIGINT', 'SIGHUP'] as const)('%s to the first process while Node decides reaches Node, whose exit comes back; pip never runs', async (signal) => {
    let s!: ReturnType<typeof setUp>;
    await signalWhileNodeDecides(signal, (node) => {
      s = setUp({ node });
      return { ...s.env, SAFE_PIP_DISABLE: '1' };
    });
    expect(s.started().map((x) => x.what)).toEqual(['python', 'node']);
    await waitFor(() => pyenvLines(s.log).some((line) => line.startsWith('status ')), "pyenv's wrapper to end");
    expect(readLog(s.log).filter((l) => l.kind === 'main')).toEqual([]);
  });
});

describe("the launcher's Python decides as early-pip.ts does whether a pyenv shim qualifies", () => {
  // The loader's own qualification, run on the same setups as earlyPyenvShim (the oracle): it may
  // say no where Node says yes (Node then starts the shim itself), never yes where Node says no.
  function loaderSays(cases: Array<{ shim: string; env: NodeJS.ProcessEnv; cwd: string }>): boolean[] {
    const source = readFileSync(LOADER, 'utf8').replace(/\nmain\(\)\s*$/, '\n');
    const program = `import json, sys\nexec(compile(${JSON.stringify(source)}, 'loader', 'exec'))\nprint(json.dumps([_pyenv_early_pip(c['shim'], c['env'], c['cwd'], ${JSON.stringify(EARLY_SITE)}) is not None for c in json.load(sys.stdin)]))\n`;
    const result = spawnSync(PYTHON, ['-I', '-S', '-c', program], { input: JSON.stringify(cases), encoding: 'utf8' });
    expect(result.stderr).toBe('');
    return JSON.parse(result.stdout) as boolean[];
  }

  it('on the usual selections and on those it leaves to Node', () => {
    const setups: Array<{ name: string; make: () => { shim: string; env: NodeJS.ProcessEnv; cwd: string }; both: boolean | null }> = [];
    const add = (name: string, both: boolean | null, change: (pyenv: ReturnType<typeof fakePyenv>, env: NodeJS.ProcessEnv) => string | void) =>
      setups.push({
        name,
        both,
        make: () => {
          const pyenv = fakePyenv();
          const env: NodeJS.ProcessEnv = { PATH: process.env.PATH };
          const cwd = change(pyenv, env) ?? pyenv.dir;
          return { shim: pyenv.shim, env, cwd };
        },
      });
    const root = (pyenv: { shim: string }) => dirname(dirname(pyenv.shim));
    add('the global version file', true, () => undefined);
    add('PYENV_VERSION', true, (_p, env) => void (env.PYENV_VERSION = '3.11.7'));
    add('PYENV_VERSION with python- before the version', true, (_p, env) => void (env.PYENV_VERSION = 'python-3.11.7'));
    add('PYENV_VERSION, a first version without pip3', true, (p, env) => {
      writeExecutable(join(root(p), 'versions', '3.12.1', 'bin', 'python3'), '#!/bin/sh\n');
      env.PYENV_VERSION = '3.12.1:3.11.7';
    });
    add('PYENV_VERSION naming a version that is not installed', false, (_p, env) => void (env.PYENV_VERSION = '3.9.9:3.11.7'));
    add('a .python-version above the working directory', true, (p) => {
      writeFileSync(join(root(p), 'version'), 'missing\n');
      writeFileSync(join(p.dir, '.python-version'), '# pinned\n\n3.11.7 extra words\n');
      const deeper = join(p.dir, 'a', 'b');
      writeExecutable(join(deeper, 'placeholder'), '');
      return deeper;
    });
    add('PYENV_DIR', true, (p, env) => {
      writeFileSync(join(root(p), 'version'), 'missing\n');
      writeExecutable(join(p.dir, 'pinned', '.python-version'), '3.11.7\n');
      env.PYENV_DIR = join(p.dir, 'pinned');
    });
    add('a version file with a path in it', false, (p) => void writeFileSync(join(root(p), 'version'), '../3.11.7\n'));
    add('system', null, (_p, env) => void (env.PYENV_VERSION = 'system'));
    add('no version file at all (system)', null, (p) => void rmSync(join(root(p), 'version')));
    add('a which hook pyenv-shim.ts does not model', false, (p, env) => {
      writeExecutable(join(p.dir, 'hooks', 'which', 'other.bash'), '');
      env.PYENV_HOOK_PATH = join(p.dir, 'hooks');
    });
    add('a which hook it models', true, (p, env) => {
      writeExecutable(join(p.dir, 'hooks', 'which', 'conda.bash'), '');
      env.PYENV_HOOK_PATH = join(p.dir, 'hooks');
    });
    add("a plugin's version-name hook", false, (p) => void writeExecutable(join(root(p), 'plugins', 'x', 'etc', 'pyenv.d', 'version-name', 'x.bash'), ''));
    add('a shebang with an option', false, (p) => void writeFileSync(p.program, readFileSync(p.program, 'utf8').replace(/^(#!\S+)/, '$1 -E')));
    add('CRLF lines', true, (p) => void writeFileSync(p.program, readFileSync(p.program, 'utf8').replace(/\n/g, '\r\n')));
    add('a script too long to be one pip wrote', false, (p) => void writeFileSync(p.program, readFileSync(p.program, 'utf8') + `# ${'x'.repeat(4096)}\n`));
    add('a script that does not run pip', false, (p) => void writeFileSync(p.program, readFileSync(p.program, 'utf8').replace('from pip._internal.cli.main import main', 'from other import main')));
    add('a shim that is not a pyenv shim', false, (p) => void writeFileSync(p.shim, readFileSync(p.shim, 'utf8').replace('libexec/pyenv" exec', 'libexec/other" exec')));

    const made = setups.map((setup) => ({ setup, ...setup.make() }));
    const loader = loaderSays(made.map(({ shim, env, cwd }) => ({ shim, env, cwd })));
    const node = made.map(({ shim, env, cwd }) => earlyPyenvShim(shim, env, cwd));
    made.forEach(({ setup }, i) => {
      if (setup.both !== null) expect([setup.name, loader[i], node[i]]).toEqual([setup.name, setup.both, setup.both]);
      else expect([setup.name, loader[i]]).toEqual([setup.name, false]);
    });
  });

  it('for pythons named by version only, 3.7 and later', () => {
    const cases = (['python3.11', 'python3.7', 'python3.6', 'python3'] as const).map((python) => ({ python, ...fakePyenv(python) }));
    const loader = loaderSays(cases.map(({ shim, dir }) => ({ shim, env: { PATH: process.env.PATH }, cwd: dir })));
    const node = cases.map(({ shim, dir }) => earlyPyenvShim(shim, { PATH: process.env.PATH }, dir));
    expect(loader).toEqual([true, true, false, false]);
    expect(node).toEqual(loader);
  });
});
