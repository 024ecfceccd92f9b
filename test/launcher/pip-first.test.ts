// The launcher's "pip first" start (bin/safe-pip, python/early-pip-loader.py, src/io/pip-first.ts): when
// the real pip is a script pip wrote, the launcher execs that pip's Python, which starts Node and
// waits for the decision. The stand-in pip (test/helpers/stand-in-pip.ts) runs on an interpreter
// that logs every start with its pid, and Node is a wrapper (SAFE_PIP_NODE) that logs its pid and
// its parent's, so the log shows which process came first, which started which, and in which
// process pip's main() ran. The same runs with a pip script the launcher does not start first
// (a shebang with an option) show the other order, so the log can tell the two apart. On a Python
// 3.7 (taken from PATH or pyenv's versions, skipped without one) the first process becomes Node.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { EXIT_REFUSED } from '../../src/exit-codes.js';
import { LOADER_BOOTSTRAP } from '../../src/io/early-pip.js';
import { probeInterpreterWithSource } from '../../src/io/interpreter-probe.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { startIndexServer } from '../helpers/index-server.js';
import { PYTHON, pipScriptText, readLog, standInPip } from '../helpers/stand-in-pip.js';
import { buildWheel } from '../helpers/wheel-builder.js';
import { BIN, ensureBuilt, envWith, run, signalWhileNodeDecides, start, writeExecutable } from './harness.js';

beforeAll(() => ensureBuilt());

interface Started {
  what: 'python' | 'node';
  pid: number;
  /** python: its first argument; node: its parent's pid. */
  detail: string;
}

/**
 * A stand-in pip whose interpreter and Node log their starts; `shebangOption` makes it a pip the
 * launcher does not start first, `node` replaces what Node does after logging.
 */
function setUp(options: { shebangOption?: string; node?: string; interpreter?: string } = {}) {
  const dir = makeTempDir('safe-pip-pip-first-');
  const starts = join(dir, 'starts');
  writeFileSync(starts, '');
  const python = writeExecutable(join(dir, 'python', 'python3'), `#!/bin/sh\necho "python $$ $1" >>'${starts}'\nexec '${options.interpreter ?? PYTHON}' "$@"\n`);
  const node = writeExecutable(join(dir, 'node-bin', 'node'), `#!/bin/sh\necho "node $$ $PPID" >>'${starts}'\n${options.node ?? `exec '${process.execPath}' "$@"`}\n`);
  const { pip, log } = standInPip({ dir, python: options.shebangOption === undefined ? python : `${python} ${options.shebangOption}` });
  const env = envWith({ SAFE_PIP_REAL_PIP: pip, SAFE_PIP_NODE: node, SAFE_PIP_CACHE_DIR: join(dir, 'cache') });
  const started = (): Started[] =>
    readFileSync(starts, 'utf8').trim().split('\n').filter(Boolean).map((line) => {
      const [what, pid, detail] = line.split(' ');
      return { what: what as Started['what'], pid: Number(pid), detail: detail ?? '' };
    });
  const pipProcess = (): { pid: number; ppid: number; env: Record<string, string>; signals: Record<string, string> } | undefined => {
    if (!existsSync(`${log}.process`)) return undefined;
    const [pid, ...rest] = readFileSync(`${log}.process`, 'utf8').trim().split(' ');
    return { pid: Number(pid), ...(JSON.parse(rest.join(' ')) as { ppid: number; env: Record<string, string>; signals: Record<string, string> }) };
  };
  return { dir, pip, log, env, started, pipProcess };
}

/**
 * The machine's pip, on an interpreter that logs "<parent pid> <first argument>" for each start into
 * `starts`, and a loopback index serving `tiny`; `download` runs `bin/pip download` of it into DEST.
 */
async function realPipLoggingStarts(prefix: string) {
  const dir = makeTempDir(prefix);
  const starts = join(dir, 'starts');
  const python = writeExecutable(join(dir, 'python', 'python3'), `#!/bin/sh\necho "$PPID $1" >>'${starts}'\nexec '${PYTHON}' "$@"\n`);
  const pip = writeExecutable(join(dir, 'bin', 'pip'), pipScriptText(python));
  const server = await startIndexServer({ format: 'json', projects: { tiny: [await buildWheel({ name: 'tiny', version: '1.0' })] } });
  onTestFinished(() => server.close());
  const env = envWith({ SAFE_PIP_REAL_PIP: pip, PIP_CONFIG_FILE: '/dev/null', PIP_DISABLE_PIP_VERSION_CHECK: '1', PYTHONPATH: undefined, PYTHONHOME: undefined });
  const download = async (dest: string, changes: Record<string, string>) => (await start(join(BIN, 'pip'), ['download', '-d', join(dir, dest), '-i', server.indexUrl(), 'tiny'], { ...env, ...changes }).done);
  return { dir, starts, pip, server, env, download };
}

describe('a pip script pip wrote is started before Node', () => {
  it('pip runs in the first process, Node is its child, and pip gets what a run by Node gets', () => {
    const s = setUp();
    const ca = join(s.dir, 'extra-ca.pem');
    writeFileSync(ca, '');
    const result = run(join(BIN, 'pip'), ['install', 'x'], { ...s.env, SAFE_PIP_DISABLE: '1', EARLY_TEST_PRINT: '1', EARLY_TEST_EXIT: '3', NODE_EXTRA_CA_CERTS: ca, PIP_NO_INPUT: '1' });
    expect(result.stderr).toMatch(/^safe-pip: SAFE_PIP_DISABLE=1: [^\n]*\n$/);
    expect(result.stdout).toBe('pip says hello\n');
    expect(result.exitCode).toBe(3);
    const [first, second, ...rest] = s.started();
    expect(first).toEqual({ what: 'python', pid: expect.any(Number), detail: '-c' });
    expect(second).toEqual({ what: 'node', pid: expect.any(Number), detail: String(first!.pid) });
    expect(rest).toEqual([]);
    // pip was imported once, in that first process, with the install command's modules (warmed
    // while Node decided), and main() ran there, after the decision.
    const logged = readLog(s.log);
    expect(logged.map((l) => [l.kind, l.pid, l.command])).toEqual([['import', first!.pid, undefined], ['command', first!.pid, 'install'], ['main', first!.pid, undefined]]);
    expect(logged[2]!.seen).toMatchObject({
      argv: [s.pip, 'install', 'x'],
      path0: dirname(realpathSync(s.pip)),
      mainFile: s.pip,
      name: '__main__',
      env: { SAFE_PIP_DEPTH: '1', PIP_NO_INPUT: '1' },
      fd3: false,
    });
    // Its parent is whoever ran the launcher; none of safe-pip's hand-offs is left for it, and
    // NODE_EXTRA_CA_CERTS (which the launcher hides from Node) is back.
    expect(s.pipProcess()).toEqual({ pid: first!.pid, ppid: process.pid, env: { NODE_EXTRA_CA_CERTS: ca }, signals: { SIGINT: 'default', SIGTERM: 'default', SIGHUP: 'default' } });
  });

  it('with a pip script the launcher does not start first, Node comes first and pip is its child', () => {
    const s = setUp({ shebangOption: '-s' });
    const result = run(join(BIN, 'pip'), ['install', 'x'], { ...s.env, SAFE_PIP_DISABLE: '1', EARLY_TEST_EXIT: '3' });
    expect(result.exitCode).toBe(3);
    const [first] = s.started();
    expect(first).toEqual({ what: 'node', pid: expect.any(Number), detail: String(process.pid) });
    expect(s.pipProcess()?.ppid).toBe(first!.pid);
  });

  it('a refused command runs nothing: pip is imported but main() never runs, and the refusal is as without pip first', () => {
    const refusals = [setUp(), setUp({ shebangOption: '-s' })].map((s) => ({ s, result: run(join(BIN, 'pip'), ['install', 'git+https://example.invalid/canary.git'], s.env) }));
    const [first, control] = refusals;
    expect(first!.s.started()[0]!.what).toBe('python');
    expect(control!.s.started()[0]!.what).toBe('node');
    for (const { result, s } of refusals) {
      expect(result.exitCode).toBe(EXIT_REFUSED);
      expect(readLog(s.log).filter((l) => l.kind === 'main')).toEqual([]);
    }
    expect(first!.result.stderr).toMatch(/^safe-pip: refused: /);
    expect(first!.result.stderr).toBe(control!.result.stderr);
    expect(first!.result.stdout).toBe(control!.result.stdout);
  });

  it("no module of the working directory is imported, as pip's own script would import none", () => {
    const s = setUp();
    const work = join(s.dir, 'work');
    const marker = join(s.dir, 'imported-from-cwd');
    for (const name of ['signal', 'json', 'runpy', 'atexit', 'importlib', '_frozen_importlib_external', 'traceback', 're', 'subprocess', 'tempfile', 'pip']) {
      writeExecutable(join(work, `${name}.py`), `open(${JSON.stringify(marker)}, 'a').write(${JSON.stringify(`${name}\n`)})\n`);
    }
    // The oracle: `python -c`, as the launcher starts it, would import them from there.
    spawnSync(PYTHON, ['-c', 'import signal'], { cwd: work, env: s.env });
    expect(readFileSync(marker, 'utf8')).toBe('signal\n');
    rmSync(marker);
    const result = spawnSync(join(BIN, 'pip'), ['install', 'x'], { cwd: work, env: { ...s.env, SAFE_PIP_DISABLE: '1', EARLY_TEST_EXIT: '3' }, encoding: 'utf8' });
    expect(result.status).toBe(3);
    expect(s.started()[0]!.what).toBe('python');
    expect(readLog(s.log).filter((l) => l.kind === 'main')).toHaveLength(1);
    expect(existsSync(marker)).toBe(false);
  });

  it("with the real pip: pip's stdout, which safe-pip rewrites, reaches safe-pip from the first process", async () => {
    // The machine's pip (pip < 24: safe-pip stages the wheels and names them in pip's output). The
    // second run has the interpreter facts cached, so every Python start it logs is pip's own.
    const r = await realPipLoggingStarts('safe-pip-pip-first-real-');
    const cache = { SAFE_PIP_CACHE_DIR: join(r.dir, 'cache') };
    expect((await r.download('cold', cache)).exitCode).toBe(0);
    writeFileSync(r.starts, '');
    const warm = await r.download('warm', cache);
    expect(warm.exitCode, warm.stderr).toBe(0);
    expect(warm.stdout).toContain(`Collecting tiny==1.0\n  Fetched by safe-pip from ${r.server.fileUrl('tiny-1.0-py3-none-any.whl')}\n`);
    expect(warm.stdout).not.toMatch(/safe-pip-run-|Processing /);
    expect(readdirSync(join(r.dir, 'warm'))).toEqual(['tiny-1.0-py3-none-any.whl']);
    // One Python: the launcher's (its parent is this test), which ran pip.
    expect(readFileSync(r.starts, 'utf8')).toBe(`${process.pid} -c\n`);
  });

  it('a cold run starts no second Python: the first process answers the interpreter probe, as `python -I` answers it', async () => {
    // A new safe-pip cache per run. The oracle is the isolated probe itself, run from this test
    // (no hand-off here).
    const r = await realPipLoggingStarts('safe-pip-pip-first-probe-');
    const oracle = await probeInterpreterWithSource(r.pip, { env: r.env, cacheDir: join(r.dir, 'oracle') });
    const cacheEntry = (cacheDir: string) => JSON.parse(readFileSync(join(cacheDir, 'interpreters', basename(oracle.cacheFile)), 'utf8')) as unknown;
    const coldRun = async (name: string, changes: Record<string, string>) => {
      writeFileSync(r.starts, '');
      const cacheDir = join(r.dir, `cache-${name}`);
      const result = await r.download(name, { ...changes, SAFE_PIP_CACHE_DIR: cacheDir });
      expect(result.exitCode, result.stderr).toBe(0);
      expect(readdirSync(join(r.dir, name))).toEqual(['tiny-1.0-py3-none-any.whl']);
      // Each line is "<parent pid> <first argument>".
      return { starts: readFileSync(r.starts, 'utf8').trim().split('\n').map((line) => line.split(' ')[1]), entry: cacheEntry(cacheDir) };
    };
    // Variables -I ignores that change no answer: the first process answers.
    const answered = await coldRun('answered', { PYTHONDONTWRITEBYTECODE: '1', PYTHONUNBUFFERED: '1' });
    expect(answered.starts).toEqual(['-c']);
    expect(answered.entry).toEqual(cacheEntry(join(r.dir, 'oracle')));
    // PYTHONPATH could change them (another pip, another module): Node runs the isolated probe.
    const probed = await coldRun('probed', { PYTHONPATH: join(r.dir, 'empty') });
    expect(probed.starts).toEqual(['-c', '-I']);
    expect(probed.entry).toEqual(answered.entry);
  });

  it('pip gets back the signal handling it started with: SIGHUP ignored under nohup stays ignored, as for the script run directly', () => {
    const s = setUp();
    const underNohup = (command: string) => spawnSync('/bin/sh', ['-c', `trap '' HUP; exec ${command} install x`], { env: { ...s.env, SAFE_PIP_DISABLE: '1' }, encoding: 'utf8' });
    expect(underNohup(s.pip).status).toBe(0);
    const direct = s.pipProcess()!.signals;
    rmSync(`${s.log}.process`);
    expect(underNohup(join(BIN, 'pip')).status).toBe(0);
    expect(s.started()[0]!.what).toBe('python');
    expect(direct).toEqual({ SIGINT: 'default', SIGTERM: 'default', SIGHUP: 'ignored' });
    expect(s.pipProcess()!.signals).toEqual(direct);
  });

  it("Node's exit status comes back as it is, and pip never runs", () => {
    const s = setUp({ node: 'exit 7' });
    const result = run(join(BIN, 'pip'), ['install', 'x'], { ...s.env, SAFE_PIP_DISABLE: '1' });
    expect(result.exitCode).toBe(7);
    expect(s.started().map((x) => x.what)).toEqual(['python', 'node']);
    expect(readLog(s.log).filter((l) => l.kind === 'main')).toEqual([]);
  });

  it('a Node killed by a signal ends the first process with the same signal', () => {
    const s = setUp({ node: 'kill -TERM $$\nsleep 5' });
    const result = run(join(BIN, 'pip'), ['install', 'x'], { ...s.env, SAFE_PIP_DISABLE: '1' });
    expect(result).toMatchObject({ exitCode: null, signal: 'SIGTERM' });
    expect(s.started().map((x) => x.what)).toEqual(['python', 'node']);
    expect(readLog(s.log).filter((l) => l.kind === 'main')).toEqual([]);
  });

  it.each(['SIGTERM', 'SIGINT', 'SIGHUP'] as const)('%s sent while Node decides reaches Node, whose exit comes back; pip never runs', async (signal) => {
    let s!: ReturnType<typeof setUp>;
    await signalWhileNodeDecides(signal, (node) => {
      s = setUp({ node });
      return { ...s.env, SAFE_PIP_DISABLE: '1' };
    });
    expect(s.started().map((x) => x.what)).toEqual(['python', 'node']);
    expect(readLog(s.log).filter((l) => l.kind === 'main')).toEqual([]);
  });
});

/** A Python 3.7 (no os.posix_spawnp) on PATH or among pyenv's versions, or null. */
function findPython37(): string | null {
  const candidates = [...(process.env.PATH ?? '').split(':').map((dir) => join(dir || '.', 'python3.7'))];
  const pyenvVersions = join(process.env.PYENV_ROOT ?? join(process.env.HOME ?? '/', '.pyenv'), 'versions');
  if (existsSync(pyenvVersions)) for (const version of readdirSync(pyenvVersions).filter((v) => /^3\.7\./.test(v)).sort()) candidates.push(join(pyenvVersions, version, 'bin', 'python3.7'));
  return candidates.find((path) => spawnSync(path, ['-c', 'import os, sys; sys.exit(0 if sys.version_info[:2] == (3, 7) else 1)']).status === 0) ?? null;
}

describe('on a Python without os.posix_spawnp (3.7), the launcher\'s Python hands over to Node as the launcher would have', () => {
  const python37 = findPython37();
  const reason = python37 === null ? ' (skipped: no Python 3.7 on PATH or among pyenv\'s versions)' : '';

  it.skipIf(python37 === null)(`the first process becomes Node, which starts pip early itself; pip runs once, after the decision${reason}`, () => {
    // The oracle for the path under test: this Python has no posix_spawnp.
    expect(spawnSync(python37!, ['-c', 'import os; print(hasattr(os, "posix_spawnp"))'], { encoding: 'utf8' }).stdout).toBe('False\n');
    // Node records the descriptors it was given: the same as when the launcher starts it directly.
    const fds = join(makeTempDir('safe-pip-pip-first-fds-'), 'fds');
    const node = `ls /proc/$$/fd >>'${fds}'\necho --- >>'${fds}'\nexec '${process.execPath}' "$@"`;
    const [s, control] = [setUp({ interpreter: python37!, node }), setUp({ interpreter: python37!, node, shebangOption: '-s' })];
    expect(run(join(BIN, 'pip'), ['install', 'x'], { ...control.env, SAFE_PIP_DISABLE: '1', EARLY_TEST_EXIT: '3' }).exitCode).toBe(3);
    const result = run(join(BIN, 'pip'), ['install', 'x'], { ...s.env, SAFE_PIP_DISABLE: '1', EARLY_TEST_PRINT: '1', EARLY_TEST_EXIT: '3' });
    const [controlFds, fallbackFds] = readFileSync(fds, 'utf8').split('---\n').map((list) => list.trim().split('\n').map(Number).sort((a, b) => a - b));
    expect(fallbackFds).toEqual(controlFds);
    expect(result.stdout).toBe('pip says hello\n');
    expect(result.exitCode).toBe(3);
    const [first, second, third, ...rest] = s.started();
    expect(first).toEqual({ what: 'python', pid: expect.any(Number), detail: '-c' });
    // Replaced by Node: the same process, still the test's child.
    expect(second).toEqual({ what: 'node', pid: first!.pid, detail: String(process.pid) });
    expect(third).toEqual({ what: 'python', pid: expect.any(Number), detail: '-c' });
    expect(rest).toEqual([]);
    const logged = readLog(s.log);
    expect(logged.map((l) => [l.kind, l.pid])).toEqual([['import', third!.pid], ['command', third!.pid], ['main', third!.pid]]);
    expect(logged[2]!.seen).toMatchObject({ argv: [s.pip, 'install', 'x'], name: '__main__', env: { SAFE_PIP_DEPTH: '1' } });
    expect(s.pipProcess()).toMatchObject({ pid: third!.pid, ppid: first!.pid, env: {} });
  });

  it.skipIf(python37 === null)(`a refused command runs nothing and is refused as without pip first${reason}`, () => {
    const [s, control] = [setUp({ interpreter: python37! }), setUp({ interpreter: python37!, shebangOption: '-s' })];
    const [result, controlResult] = [s, control].map((x) => run(join(BIN, 'pip'), ['install', 'git+https://example.invalid/canary.git'], x.env));
    expect(s.started()[0]!.what).toBe('python');
    expect(control.started()[0]!.what).toBe('node');
    expect(result!.exitCode).toBe(EXIT_REFUSED);
    expect(result!.stderr).toMatch(/^safe-pip: refused: /);
    expect(result!.stderr).toBe(controlResult!.stderr);
    expect(readLog(s.log).filter((l) => l.kind === 'main')).toEqual([]);
  });
});

it("the launcher starts the loader with the bootstrap Node uses", () => {
  expect(readFileSync(join(BIN, 'safe-pip'), 'utf8')).toContain(`\nsafe_pip_first_bootstrap='${LOADER_BOOTSTRAP}'\n`);
});
