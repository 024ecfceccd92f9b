// src/io/early-pip.ts: the real pip's Python started before safe-pip has decided. A pip script of
// the form pip writes, next to a stand-in `pip` package (found only through sys.path[0], as pip's
// own script finds nothing there), records when it is imported and what main() is given. What must
// hold: the import happens before the decision, main() only after it and only once, with the argv,
// script path and environment a direct run would have; a run that does not match, or no run at
// all, leaves no process and no output behind.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { adoptEarlyPip, discardEarlyPip, EARLY_START_PLACEHOLDER, earlyPipInterpreter, earlyPyenvShim, pipVariableChanges, startEarlyPip } from '../../src/io/early-pip.js';
import { runPip } from '../../src/io/run-pip.js';
import { guardedEnvironment } from '../../src/io/real-pip-guard.js';
import { EXIT_NO_REAL_PIP } from '../../src/exit-codes.js';
import { describeEachPip, pipAtLeast } from '../helpers/pip-matrix.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { pipScriptText, readLog, standInPip } from '../helpers/stand-in-pip.js';
import { fakePyenv, logText } from '../helpers/fake-pyenv.js';
import { ensureBuilt, ROOT, writeExecutable } from '../launcher/harness.js';

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function baseEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'C.UTF-8' };
  return env;
}

afterEach(() => discardEarlyPip());

/** Takes what is written to process.stdout/stderr, and completes each write as the stream would. */
function capture(name: 'stdout' | 'stderr', take: (chunk: string) => void) {
  return vi.spyOn(process[name], 'write').mockImplementation(((chunk: string | Uint8Array, encodingOrDone?: unknown, done?: unknown) => {
    take(String(chunk));
    const callback = typeof encodingOrDone === 'function' ? encodingOrDone : done;
    if (typeof callback === 'function') queueMicrotask(() => (callback as (error?: Error | null) => void)(null));
    return true;
  }) as typeof process.stdout.write);
}

describe('which pips qualify', () => {
  it('a script pip itself wrote: its interpreter', () => {
    const pip = writeExecutable(join(makeTempDir(), 'pip'), pipScriptText('/opt/py/bin/python3.12'));
    expect(earlyPipInterpreter(pip)).toBe('/opt/py/bin/python3.12');
  });

  it.each([
    ['a pyenv shim', '#!/usr/bin/env bash\nset -e\nexec "/root/.pyenv/libexec/pyenv" exec "$program" "$@"\n'],
    ['an env shebang', pipScriptText('/usr/bin/env python3').replace('#!/usr/bin/env python3', '#!/usr/bin/env python3')],
    ['a shebang with an argument', pipScriptText('/usr/bin/python3 -I')],
    ['a relative shebang', pipScriptText('python3')],
    ['a script that does not start pip', '#!/usr/bin/python3\nimport sys\nprint(sys.argv)\n'],
    ['a file too large to be pip\'s script', `${pipScriptText('/usr/bin/python3')}#${'x'.repeat(5000)}\n`],
  ])('not %s', (_what, text) => {
    expect(earlyPipInterpreter(writeExecutable(join(makeTempDir(), 'pip'), text))).toBeNull();
  });

  describe('the script each pip release writes for itself (pip 26.3 calls cli(), not main())', () => {
    describeEachPip('all', (release) => {
      it('qualifies, with its venv\'s interpreter, and the started pip, warmed for a command, runs the argv it is handed', async () => {
        expect(earlyPipInterpreter(release.pip)).toBe(release.python);
        const dir = makeTempDir();
        const env = { ...baseEnv(), PIP_CONFIG_FILE: '/dev/null', PIP_DISABLE_PIP_VERSION_CHECK: '1' };
        startEarlyPip(release.pip, ['download', 'x'], env, dir, { stdoutIsTerminal: false, warmCommand: 'download' });
        // runPip's environment for the real pip, which the started one was given too.
        const child = adoptEarlyPip(release.pip, ['--version'], { env: guardedEnvironment(env), cwd: dir, stdoutPlain: true, stderrPlain: true });
        expect(child).not.toBeNull();
        let stdout = '';
        child!.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
        const status = await new Promise((resolve) => child!.once('close', resolve));
        expect({ status, stdout }).toEqual({ status: 0, stdout: expect.stringMatching(new RegExp(`^pip ${release.version.replace(/\./g, '\\.')} from `)) });
      });
    });
  });

  it('not a pip that does not exist', () => {
    expect(earlyPipInterpreter(join(makeTempDir(), 'missing', 'pip'))).toBeNull();
  });
});

describe('pipVariableChanges', () => {
  it('only PIP_* variables may differ; removals are null', () => {
    expect(pipVariableChanges({ A: '1', PIP_X: 'a', PIP_GONE: 'b' }, { A: '1', PIP_X: 'c', PIP_NEW: 'd' })).toEqual({ PIP_X: 'c', PIP_GONE: null, PIP_NEW: 'd' });
    expect(pipVariableChanges({ A: '1' }, { A: '2' })).toBeNull();
    expect(pipVariableChanges({ _PIP_STANDALONE_CERT: 'x' }, {})).toBeNull();
  });
});

describe('a started pip and the run safe-pip decides on', () => {
  it('imports pip before the decision, runs main() only when handed the argv, once, as a direct run would', async () => {
    const { pip, log, dir } = standInPip();
    const env = { ...baseEnv(), PIP_KEPT: 'same', EARLY_TEST_EXIT: '3' };
    startEarlyPip(pip, [], env, dir);
    await waitFor(() => readLog(log).some((l) => l.kind === 'import'), 'the early import');
    const [imported] = readLog(log);
    // While pip is imported, sys.argv[0] is already the script's path, as in a direct run.
    expect(imported!.seen).toEqual({ argv: [pip] });
    // Nothing of pip's own work happens before safe-pip hands over the argv.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(readLog(log).filter((l) => l.kind === 'main')).toEqual([]);

    const code = await runPip(pip, ['install', '--', 'a b', ''], { env, cwd: dir });
    expect(code).toBe(3);
    const lines = readLog(log);
    expect(lines.map((l) => l.kind)).toEqual(['import', 'main']);
    const main = lines[1]!;
    expect(main.pid).toBe(imported!.pid);
    expect(main.seen).toEqual({
      argv: [pip, 'install', '--', 'a b', ''],
      path0: join(dir, 'bin'),
      mainFile: pip,
      name: '__main__',
      env: { PIP_KEPT: 'same', EARLY_TEST_EXIT: '3', SAFE_PIP_DEPTH: '1' },
      cwd: dir,
      fd3: false,
      earlySite: [],
    });
  });

  it('with the command safe-pip expects, also imports that command\'s module before the decision, in the same process', async () => {
    const { pip, log, dir } = standInPip();
    startEarlyPip(pip, ['-q', 'download', 'x'], baseEnv(), dir, { warmCommand: 'download' });
    await waitFor(() => readLog(log).some((l) => l.kind === 'command'), 'the command module\'s import');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(readLog(log).filter((l) => l.kind === 'main')).toEqual([]);
    expect(await runPip(pip, ['-q', 'download', 'x'], { env: baseEnv(), cwd: dir })).toBe(0);
    const lines = readLog(log);
    expect(lines.map((l) => l.kind === 'command' ? `command ${l.command}` : l.kind)).toEqual(['import', 'command download', 'main']);
    expect(new Set(lines.map((l) => l.pid)).size).toBe(1);
    expect(lines[2]!.seen!.argv).toEqual([pip, '-q', 'download', 'x']);
  });

  it.each([
    ['a command pip does not have', 'frobnicate'],
    ['a command whose module does not import (left for pip to report)', 'lock'],
    ['no command', null],
  ])('with %s, imports no command module, and pip still runs when handed the argv', async (_what, warmCommand) => {
    const { pip, log, dir } = standInPip();
    startEarlyPip(pip, ['x'], baseEnv(), dir, { warmCommand });
    await waitFor(() => readLog(log).some((l) => l.kind === 'import'), 'the early import');
    expect(await runPip(pip, ['lock', 'x'], { env: baseEnv(), cwd: dir })).toBe(0);
    const lines = readLog(log);
    expect(lines.map((l) => l.kind)).toEqual(['import', 'main']);
    expect(lines[1]!.pid).toBe(lines[0]!.pid);
  });

  it('is handed the PIP_* variables the run changes, and only those may differ', async () => {
    const { pip, log, dir } = standInPip();
    const env = { ...baseEnv(), PIP_CONSTRAINT: 'user.txt', PIP_GONE: 'x' };
    startEarlyPip(pip, [], env, dir);
    const { PIP_GONE: _gone, ...runEnv } = { ...env, PIP_CONSTRAINT: '/tmp/private/c.txt' };
    expect(await runPip(pip, ['download', 'x'], { env: runEnv, cwd: dir })).toBe(0);
    const lines = readLog(log);
    expect(lines.map((l) => l.kind)).toEqual(['import', 'main']);
    expect(lines[1]!.pid).toBe(lines[0]!.pid);
    expect(lines[1]!.seen!.env).toEqual({ PIP_CONSTRAINT: '/tmp/private/c.txt', SAFE_PIP_DEPTH: '1' });
  });

  const rewriteToUpper = { rewrite: (line: string) => line.toUpperCase(), mayChange: () => true };

  it.each([
    ['stdout plain', {}, 'stdout', 'pip says hello\n'],
    ['stdout rewritten', { rewriteStdout: rewriteToUpper }, 'stdout', 'PIP SAYS HELLO\n'],
    ['stdout sent to stderr', { stdout: 'stderr' as const }, 'stderr', 'pip says hello\n'],
  ])('safe-pip\'s stdout not a terminal: pip\'s stdout is a pipe, and the loader serves a run with %s', async (_what, change, stream, expected) => {
    const { pip, log, dir } = standInPip();
    const env = { ...baseEnv(), EARLY_TEST_PRINT: '1' };
    startEarlyPip(pip, [], env, dir, { stdoutIsTerminal: false });
    const written = { stdout: '', stderr: '' };
    const spies = (['stdout', 'stderr'] as const).map((name) => capture(name, (chunk) => (written[name] += chunk)));
    try {
      expect(await runPip(pip, ['install', 'x'], { env, cwd: dir, ...change })).toBe(0);
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
    const lines = readLog(log);
    expect(lines.map((l) => l.kind)).toEqual(['import', 'main']);
    expect(lines[1]!.pid).toBe(lines[0]!.pid);
    expect(written[stream as 'stdout' | 'stderr']).toBe(expected);
  });

  it.each([
    ['a run whose stdout safe-pip rewrites', true, { rewriteStdout: rewriteToUpper }],
    ['a run whose stdout goes to stderr', true, { stdout: 'stderr' as const }],
    ['a run whose stderr safe-pip rewrites', false, { rewriteStderr: rewriteToUpper }],
    ['another working directory', false, { cwd: '/' }],
    ['another environment', false, { env: { ...baseEnv(), EARLY_TEST_OTHER: '1' } }],
    ['another environment, on a terminal', true, { env: { ...baseEnv(), EARLY_TEST_OTHER: '1' } }],
  ])('is discarded for %s: pip runs once, in a process of its own', async (_what, stdoutIsTerminal, change) => {
    const { pip, log, dir } = standInPip();
    startEarlyPip(pip, [], baseEnv(), dir, { stdoutIsTerminal });
    await waitFor(() => readLog(log).some((l) => l.kind === 'import'), 'the early import');
    const early = readLog(log)[0]!.pid;
    const spies = (['stdout', 'stderr'] as const).map((name) => capture(name, () => undefined));
    try {
      expect(await runPip(pip, ['wheel', 'x'], { env: baseEnv(), cwd: dir, ...change })).toBe(0);
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
    const mains = readLog(log).filter((l) => l.kind === 'main');
    expect(mains).toHaveLength(1);
    expect(mains[0]!.pid).not.toBe(early);
    await waitFor(() => !alive(early), 'the discarded loader to end');
  });

  it('a pip that is not started early still runs (nothing to adopt)', async () => {
    const { pip, log, dir } = standInPip();
    expect(adoptEarlyPip(pip, ['install'], { env: baseEnv(), cwd: dir, stdoutPlain: true, stderrPlain: true })).toBeNull();
    expect(await runPip(pip, ['install'], { env: baseEnv(), cwd: dir })).toBe(0);
    expect(readLog(log).map((l) => l.kind)).toEqual(['import', 'main']);
  });

  it('an interpreter that cannot start is not adopted: runPip reports the real pip as before', async () => {
    const dir = makeTempDir();
    const pip = writeExecutable(join(dir, 'pip'), pipScriptText(join(dir, 'no-such-python')));
    startEarlyPip(pip, [], baseEnv(), dir);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await expect(runPip(pip, ['install'], { env: baseEnv(), cwd: dir })).rejects.toMatchObject({ exitCode: EXIT_NO_REAL_PIP });
  });
});

describe('a safe-pip that never runs pip', () => {
  it('exits at once, and the started Python ends without a word and without running pip', async () => {
    ensureBuilt();
    const { pip, log, dir } = standInPip();
    const earlyPipModule = join(ROOT, 'dist', 'io', 'early-pip.js');
    const script = `import { startEarlyPip } from ${JSON.stringify(earlyPipModule)};
import { existsSync } from 'node:fs';
startEarlyPip(${JSON.stringify(pip)}, [], process.env, ${JSON.stringify(dir)});
// Exits once pip has been imported, as a refusal after the decision would.
const poll = setInterval(() => { if (existsSync(${JSON.stringify(log)})) { clearInterval(poll); process.exitCode = 4; } }, 20);
`;
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { env: baseEnv(), encoding: 'utf8', timeout: 60_000 });
    expect({ status: result.status, stdout: result.stdout, stderr: result.stderr }).toEqual({ status: 4, stdout: '', stderr: '' });
    const [imported] = readLog(log);
    expect(imported?.kind).toBe('import');
    await waitFor(() => !alive(imported!.pid), 'the loader to end');
    expect(readLog(log).filter((l) => l.kind === 'main')).toEqual([]);
  });

  it('Ctrl-C while safe-pip decides: the waiting Python ends without a word (no KeyboardInterrupt trace)', async () => {
    ensureBuilt();
    const { pip, log, dir } = standInPip();
    const script = `import { startEarlyPip } from ${JSON.stringify(join(ROOT, 'dist', 'io', 'early-pip.js'))};
import { existsSync, readFileSync } from 'node:fs';
startEarlyPip(${JSON.stringify(pip)}, [], process.env, ${JSON.stringify(dir)});
// A terminal's Ctrl-C reaches the whole foreground group: here, the loader once pip is imported.
const poll = setInterval(() => {
  if (!existsSync(${JSON.stringify(log)})) return;
  clearInterval(poll);
  const pid = Number(readFileSync(${JSON.stringify(log)}, 'utf8').split(' ')[1]);
  process.kill(pid, 'SIGINT');
  const gone = setInterval(() => { try { process.kill(pid, 0); } catch { clearInterval(gone); process.exitCode = 5; } }, 20);
}, 20);
`;
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { env: baseEnv(), encoding: 'utf8', timeout: 60_000 });
    expect({ status: result.status, stdout: result.stdout, stderr: result.stderr }).toEqual({ status: 5, stdout: '', stderr: '' });
    expect(readLog(log).map((l) => l.kind)).toEqual(['import']);
  });
});


describe('pip behind a pyenv shim', () => {
  it('qualifies when pyenv selects pip\'s own script for a Python 3.7+ named by its version', () => {
    const { shim, dir } = fakePyenv();
    expect(earlyPyenvShim(shim, baseEnv(), dir)).toBe(true);
    expect(earlyPyenvShim(fakePyenv('python3.6').shim, baseEnv(), dir)).toBe(false);
    expect(earlyPyenvShim(fakePyenv('python3').shim, baseEnv(), dir)).toBe(false);
    // A version-name hook pyenv-shim.ts does not model: the selection is pyenv's alone.
    const hooks = join(makeTempDir(), 'hooks');
    writeExecutable(join(hooks, 'version-name', 'other.bash'), 'PYENV_VERSION_NAME=other\n');
    expect(earlyPyenvShim(shim, { ...baseEnv(), PYENV_HOOK_PATH: hooks }, dir)).toBe(false);
  });

  it('not when the selected script\'s shebang has an option (-E, -I and -S would skip the early start)', () => {
    const { shim, program, dir } = fakePyenv();
    writeFileSync(program, readFileSync(program, 'utf8').replace(/^(#!\S+)/, '$1 -E'));
    expect(earlyPyenvShim(shim, baseEnv(), dir)).toBe(false);
  });

  it.each([
    ['PYTHONPATH unset', undefined],
    ['PYTHONPATH set', 'user-site'],
  ])('pyenv runs as it always does, pip waits for the decided argv, then runs it once with the environment it was given (%s)', async (_what, pythonPath) => {
    const { shim, program, log, dir, userSite } = fakePyenv();
    const env = { ...baseEnv(), PIP_KEPT: 'same', ...(pythonPath === undefined ? {} : { PYTHONPATH: userSite }) };
    startEarlyPip(shim, ['install', 'x'], env, dir);
    await waitFor(() => logText(log).length > 1, 'pyenv to start pip\'s Python');
    // pyenv saw the user's argv (pip-rehash decides on it), behind the placeholder pip itself would
    // reject. (The import line that may already follow is checked below, once it has had time.)
    const started = logText(log).slice(0, 2);
    expect(started).toEqual([`exec pip3 ${EARLY_START_PLACEHOLDER} install x`, expect.stringMatching(/^child [0-9]+$/)]);
    // Nothing of pip's runs before safe-pip hands over the argv: only pip's command line is
    // imported, and not even that when a sitecustomize of the user's must run first.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(logText(log).slice(0, 2)).toEqual(started);
    expect(readLog(log).map((l) => l.kind)).toEqual(pythonPath === undefined ? ['import'] : []);

    const code = await runPip(shim, ['install', 'x', '--only-binary=:all:'], { env, cwd: dir });
    expect(code).toBe(0);
    const lines = logText(log);
    const decided = [program, 'install', 'x', '--only-binary=:all:'];
    // One pyenv run; the user's sitecustomize runs (when there is one) after the decision, as pip does.
    expect(lines.filter((l) => !/^(site|import|main|child) /.test(l))).toEqual([`exec pip3 ${EARLY_START_PLACEHOLDER} install x`, 'status 0', 'rehash']);
    // With a sitecustomize of the user's, pip is imported only after the decision, after it.
    const logged = readLog(log).filter((l) => l.kind === 'site' || l.kind === 'import' || l.kind === 'main');
    expect(logged.map((l) => [l.kind, l.seen!.argv])).toEqual(
      pythonPath === undefined
        ? [['import', [program, EARLY_START_PLACEHOLDER, 'install', 'x']], ['main', decided]]
        : [['site', decided], ['import', decided], ['main', decided]],
    );
    const main = logged.at(-1)!.seen!;
    expect(main.argv).toEqual(decided);
    expect(main.mainFile).toBe(program);
    expect(main.earlySite).toEqual([]);
    expect(main.env).toEqual({ PIP_KEPT: 'same', SAFE_PIP_DEPTH: '1', ...(pythonPath === undefined ? {} : { PYTHONPATH: userSite }) });
    expect(main.fd3).toBe(false);
  });

  it('with the command safe-pip expects: pip\'s command line and that command\'s module are imported while it waits', async () => {
    const { shim, program, log, dir } = fakePyenv();
    startEarlyPip(shim, ['install', 'x'], baseEnv(), dir, { warmCommand: 'install' });
    await waitFor(() => readLog(log).some((l) => l.kind === 'command'), 'the command module\'s import');
    // pip-rehash still sees the user's argv; the command rides on the placeholder.
    expect(logText(log)[0]).toBe(`exec pip3 ${EARLY_START_PLACEHOLDER}=install install x`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(readLog(log).filter((l) => l.kind === 'main')).toEqual([]);

    expect(await runPip(shim, ['install', 'x'], { env: baseEnv(), cwd: dir })).toBe(0);
    const logged = readLog(log);
    expect(logged.map((l) => l.kind === 'command' ? `command ${l.command}` : l.kind)).toEqual(['import', 'command install', 'main']);
    expect(new Set(logged.map((l) => l.pid)).size).toBe(1);
    // The stand-in pip is found only through the script's directory, sys.path[0], which the
    // warm-up borrowed and gave back: the script then has it as Python set it.
    expect(logged[0]!.seen!.argv).toEqual([program, `${EARLY_START_PLACEHOLDER}=install`, 'install', 'x']);
    expect(logged[2]!.seen).toMatchObject({ argv: [program, 'install', 'x'], path0: join(dir, 'pyenv', 'versions', '3.11.7', 'bin'), earlySite: [], fd3: false });
    expect(logText(log).filter((l) => !/^(import|main|child|command) /.test(l))).toEqual([`exec pip3 ${EARLY_START_PLACEHOLDER}=install install x`, 'status 0', 'rehash']);
  });

  it('with a sitecustomize of the user\'s, nothing is imported before the decision: the user\'s runs first, as it would before pip', async () => {
    const { shim, log, dir, userSite } = fakePyenv();
    const env = { ...baseEnv(), PYTHONPATH: userSite };
    startEarlyPip(shim, ['install', 'x'], env, dir, { warmCommand: 'install' });
    await waitFor(() => logText(log).length > 1, 'pyenv to start pip\'s Python');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(readLog(log)).toEqual([]);
    expect(await runPip(shim, ['install', 'x'], { env, cwd: dir })).toBe(0);
    expect(readLog(log).map((l) => l.kind)).toEqual(['site', 'import', 'main']);
  });

  it('relays pip\'s exit status; pip-rehash does not rehash after a failure', async () => {
    const { shim, log, dir } = fakePyenv();
    const env = { ...baseEnv(), EARLY_TEST_EXIT: '3' };
    startEarlyPip(shim, ['install', 'x'], env, dir);
    expect(await runPip(shim, ['install', 'x'], { env, cwd: dir })).toBe(3);
    expect(logText(log).filter((l) => !/^(import|main|child) /.test(l))).toEqual([`exec pip3 ${EARLY_START_PLACEHOLDER} install x`, 'status 3']);
  });

  it('discarded (a refusal): pip never runs, the waiting Python ends, nothing rehashes, without a word', async () => {
    const { shim, log, dir, userSite } = fakePyenv();
    const script = `import { startEarlyPip } from ${JSON.stringify(join(ROOT, 'dist', 'io', 'early-pip.js'))};
import { readFileSync } from 'node:fs';
startEarlyPip(${JSON.stringify(shim)}, ['install', 'x'], process.env, ${JSON.stringify(dir)});
// Exits once pyenv has started pip's Python, as a refusal after the decision would.
const poll = setInterval(() => { try { if (readFileSync(${JSON.stringify(log)}, 'utf8').includes('child ')) { clearInterval(poll); process.exitCode = 4; } } catch {} }, 20);
`;
    ensureBuilt();
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { env: { ...baseEnv(), PYTHONPATH: userSite }, encoding: 'utf8', timeout: 60_000 });
    expect({ status: result.status, stdout: result.stdout, stderr: result.stderr }).toEqual({ status: 4, stdout: '', stderr: '' });
    const python = Number(logText(log).find((l) => l.startsWith('child '))!.split(' ')[1]);
    await waitFor(() => !alive(python), 'the waiting Python to end');
    // pyenv's wrapper is stopped with it; it logs no status when stopped, and "status 1" (no rehash) when it outlives pip.
    const lines = logText(log);
    expect(lines.slice(0, 2)).toEqual([`exec pip3 ${EARLY_START_PLACEHOLDER} install x`, `child ${python}`]);
    expect(lines.slice(2).filter((l) => l !== 'status 1')).toEqual([]);
  });

  it('Ctrl-C while safe-pip decides: the waiting Python ends without a word, and nothing rehashes', async () => {
    ensureBuilt();
    const { shim, log, dir } = fakePyenv();
    const script = `import { startEarlyPip } from ${JSON.stringify(join(ROOT, 'dist', 'io', 'early-pip.js'))};
import { readFileSync } from 'node:fs';
startEarlyPip(${JSON.stringify(shim)}, ['install', 'x'], process.env, ${JSON.stringify(dir)});
// A terminal's Ctrl-C reaches the whole foreground group: here, pip's Python once pyenv has started it.
const poll = setInterval(() => {
  const child = (() => { try { return /^child ([0-9]+)$/m.exec(readFileSync(${JSON.stringify(log)}, 'utf8')); } catch { return null; } })();
  if (child === null) return;
  clearInterval(poll);
  const pid = Number(child[1]);
  setTimeout(() => process.kill(pid, 'SIGINT'), 300);
  const gone = setInterval(() => { try { process.kill(pid, 0); } catch { clearInterval(gone); process.exitCode = 5; } }, 20);
}, 20);
`;
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { env: baseEnv(), encoding: 'utf8', timeout: 60_000 });
    expect({ status: result.status, stdout: result.stdout, stderr: result.stderr }).toEqual({ status: 5, stdout: '', stderr: '' });
    await waitFor(() => logText(log).some((l) => l.startsWith('status ')), 'pyenv\'s wrapper to end');
    const lines = logText(log);
    // pip's command line may have been imported; nothing of pip's ran.
    expect(lines.filter((l) => !/^(child|import) /.test(l))).toEqual([`exec pip3 ${EARLY_START_PLACEHOLDER} install x`, expect.stringMatching(/^status (1|130)$/)]);
  });

  describe('the loader\'s warm-up finds each building command\'s module in the real pip', () => {
    describeEachPip('all', (release) => {
      it('imports pip\'s command line, each building command\'s module and the resolver, without a word', () => {
        const probe = `import json, sys
shared = {'__name__': '_safe_pip_early'}
site = sys.argv[1]
exec(compile(open(site, 'rb').read(), site, 'exec'), shared)
seen = {}
for command in sys.argv[2:]:
    shared['_safe_pip_warm'](command)
    seen[command] = 'pip._internal.commands.' + command in sys.modules
for name in ('pip._internal.cli.main', 'pip._internal.cli.main_parser', 'pip._internal.resolution.resolvelib.resolver'):
    seen[name] = name in sys.modules
json.dump(seen, sys.stdout)
`;
        const site = join(ROOT, 'python', 'early-pip-site', 'sitecustomize.py');
        const result = spawnSync(release.python, ['-c', probe, site, 'install', 'download', 'wheel', 'lock'], { env: { ...baseEnv(), PIP_CONFIG_FILE: '/dev/null' }, encoding: 'utf8', timeout: 120_000 });
        expect(result.stderr).toBe('');
        expect(JSON.parse(result.stdout)).toEqual({
          install: true, download: true, wheel: true, lock: pipAtLeast(release, '25.1'),
          'pip._internal.cli.main': true, 'pip._internal.cli.main_parser': true, 'pip._internal.resolution.resolvelib.resolver': true,
        });
      });
    });
  });

  describe('the safety net: a pip started without the sitecustomize stops at the placeholder, before doing anything', () => {
    describeEachPip('all', (release) => {
      it.each([EARLY_START_PLACEHOLDER, `${EARLY_START_PLACEHOLDER}=install`])('%s: usage error, exit status 2, before pip looks at any index', (placeholder) => {
        // -E: the Python ignores PYTHONPATH (and so the sitecustomize).
        const result = spawnSync(release.python, ['-E', '-m', 'pip', placeholder, 'install', '--index-url', 'http://127.0.0.1:9/simple/', 'nothing-here'], { env: { ...baseEnv(), PIP_CONFIG_FILE: '/dev/null', PYTHONPATH: join(ROOT, 'python', 'early-pip-site') }, encoding: 'utf8', timeout: 120_000 });
        expect(result.status).toBe(2);
        expect(result.stderr).toContain(`no such option: ${EARLY_START_PLACEHOLDER}`);
        expect(result.stderr).not.toMatch(/nothing-here|Looking in indexes|Collecting/);
      });
    });
  });
});
