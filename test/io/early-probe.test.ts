// src/io/early-probe.ts and src/probe-ahead.ts: on a cold cache, dist/main.cjs starts the
// interpreter probe before it reads the bundle, the command takes that probe's answer (one Python
// started, not two), and a probe nothing takes (another environment, or a command that needs
// none) is killed and holds nothing up.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keepLookUp, startEarlyProbe, takeEarlyProbe, takeLookUp } from '../../src/io/early-probe.js';
import { probeArguments, PROBE_TIMEOUT_MS } from '../../src/io/interpreter-probe.js';
import { probeAhead } from '../../src/probe-ahead.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { writeWheel } from '../helpers/wheel-builder.js';
import { BIN, ensureBuilt, envWith, ROOT, waitFor, writeExecutable } from '../launcher/harness.js';

const python = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();

/** A pip script whose interpreter is a wrapper of python3 that logs its first argument per start. */
function loggingPip(dir: string): { pip: string; python: string; starts: () => string[] } {
  const log = join(dir, 'starts');
  writeFileSync(log, '');
  const wrapper = writeExecutable(join(dir, 'python', 'python3'), `#!/bin/sh\necho "$1" >>'${log}'\nexec '${python}' "$@"\n`);
  const pip = writeExecutable(join(dir, 'pip'), `#!${wrapper}\nimport sys\nfrom pip._internal.cli.main import main\nsys.exit(main())\n`);
  return { pip, python: wrapper, starts: () => readFileSync(log, 'utf8').split('\n').filter(Boolean) };
}

/**
 * A --require preload for dist/main.cjs that records every process Node starts and every opening
 * of the pip script, and whether the bundle had been read by then (src/code-cache.ts reads it with
 * readFileSync), into `out` at exit.
 */
function spawnRecorder(dir: string, out: string, pip: string): string {
  return writeExecutable(
    join(dir, 'record-spawns.cjs'),
    [
      "const fs = require('node:fs');",
      "const { ChildProcess } = require('node:child_process');",
      'let bundleRead = false;',
      'const spawns = [];',
      'const readFileSync = fs.readFileSync;',
      "fs.readFileSync = function (path, ...rest) { if (String(path).endsWith('safe-pip.cjs')) bundleRead = true; return readFileSync.call(this, path, ...rest); };",
      'const spawn = ChildProcess.prototype.spawn;',
      'ChildProcess.prototype.spawn = function (options) { spawns.push({ args: options.args, bundleRead }); return spawn.call(this, options); };',
      // Where the pip script is read (to find its interpreter).
      'const opens = [];',
      'const openSync = fs.openSync;',
      `fs.openSync = function (path, ...rest) { if (String(path) === ${JSON.stringify(pip)}) opens.push({ bundleRead }); return openSync.call(this, path, ...rest); };`,
      `process.on('exit', () => fs.writeFileSync(${JSON.stringify(out)}, JSON.stringify({ spawns, opens })));`,
    ].join('\n'),
  );
}

describe('a cold fetch through the launcher', () => {
  it('starts the probe before the bundle is read, starts it once, and uses its answer; warm, looks the interpreter up once', async () => {
    ensureBuilt();
    const dir = makeTempDir();
    const { pip, starts } = loggingPip(dir);
    const wheels = join(dir, 'wheels');
    mkdirSync(wheels);
    await writeWheel(wheels, { name: 'tiny', version: '1.0' });
    const spawns = join(dir, 'spawns.json');
    const cache = join(dir, 'cache');
    const env = envWith({ SAFE_PIP_REAL_PIP: pip, SAFE_PIP_CACHE_DIR: cache, NODE_OPTIONS: `--require ${spawnRecorder(dir, spawns, pip)}` });
    const recorded = (): { spawns: Array<{ args: string[]; bundleRead: boolean }>; opens: Array<{ bundleRead: boolean }> } => JSON.parse(readFileSync(spawns, 'utf8'));
    const result = spawnSync(join(BIN, 'safe-pip'), ['fetch', '-q', '--no-index', '-f', wheels, '-d', join(dir, 'dest'), 'tiny'], { env, cwd: dir, encoding: 'utf8', timeout: 120_000 });
    expect(result.status, result.stderr).toBe(0);
    expect(readdirSync(join(dir, 'dest'))).toEqual(['tiny-1.0-py3-none-any.whl']);

    const probes = recorded().spawns.filter((s) => s.args.includes(join(ROOT, 'python', 'interpreter-probe.py')));
    expect(probes).toEqual([{ args: [expect.any(String), ...probeArguments()], bundleRead: false }]);
    expect(starts()).toEqual(['-I']);
    // Its answer is what the command used and cached: the interpreter the pip names.
    const entries = readdirSync(join(cache, 'interpreters'));
    expect(entries).toHaveLength(1);
    const entry = JSON.parse(readFileSync(join(cache, 'interpreters', entries[0]!), 'utf8')) as { facts: { executable: string } };
    expect(entry.facts.executable).toBe(python);

    // The pip script was read once, to find its interpreter, before the bundle was.
    expect(recorded().opens).toEqual([{ bundleRead: false }]);

    // Warm: no probe at all, early or late, and the interpreter is looked up once.
    writeFileSync(join(dir, 'starts'), '');
    const warm = spawnSync(join(BIN, 'safe-pip'), ['fetch', '-q', '--no-index', '-f', wheels, '-d', join(dir, 'dest-2'), 'tiny'], { env, cwd: dir, encoding: 'utf8', timeout: 120_000 });
    expect(warm.status, warm.stderr).toBe(0);
    expect(starts()).toEqual([]);
    expect(recorded().opens).toEqual([{ bundleRead: false }]);
  });
});

describe('takeEarlyProbe', () => {
  it('gives the answer of a probe run as asked; none (and a kill) for another environment or folder; none for a failed one; the same for what was looked up', async () => {
    const dir = makeTempDir();
    const env = { PATH: process.env.PATH, MARK: 'a' };
    const echo = (text: string): string[] => ['-c', `print(${JSON.stringify(text)})`];
    startEarlyProbe(python, echo('answer'), env, dir);
    expect(await takeEarlyProbe(python, echo('answer'), { ...env }, dir, PROBE_TIMEOUT_MS)).toBe('answer\n');
    expect(takeEarlyProbe(python, echo('answer'), env, dir, PROBE_TIMEOUT_MS), 'once only').toBeUndefined();

    const log = join(dir, 'log');
    const sleeper = writeExecutable(join(dir, 'sleeper'), `#!/bin/sh\ntrap 'echo killed >>"${log}"; exit 143' TERM\necho started >>"${log}"\nsleep 60 &\nwait\n`);
    const others: Array<[string, NodeJS.ProcessEnv, string]> = [
      ['another environment', { ...env, MARK: 'b' }, dir],
      ['a variable more', { ...env, MORE: '1' }, dir],
      ['another folder', env, ROOT],
    ];
    for (const [what, otherEnv, cwd] of others) {
      writeFileSync(log, '');
      startEarlyProbe(sleeper, [], env, dir);
      await waitFor(() => readFileSync(log, 'utf8').includes('started'), `the probe of "${what}" to start`);
      expect(takeEarlyProbe(sleeper, [], otherEnv, cwd, PROBE_TIMEOUT_MS), what).toBeUndefined();
      await waitFor(() => readFileSync(log, 'utf8').includes('killed'), `the probe not taken for "${what}" to be killed`);
    }

    // What was looked up goes the same way: for the same pip, environment, folder and cache only, once.
    for (const [what, taker] of [
      ['the same', (): unknown => takeLookUp('/p/pip', { ...env }, dir, '/c')],
      ['another pip', (): unknown => takeLookUp('/q/pip', env, dir, '/c')],
      ['another environment', (): unknown => takeLookUp('/p/pip', { ...env, MARK: 'b' }, dir, '/c')],
      ['another folder', (): unknown => takeLookUp('/p/pip', env, ROOT, '/c')],
      ['another cache', (): unknown => takeLookUp('/p/pip', env, dir, '/d')],
    ] as const) {
      keepLookUp('/p/pip', env, dir, '/c', { found: 1 });
      expect(taker(), what).toEqual(what === 'the same' ? { found: 1 } : undefined);
      expect(takeLookUp('/p/pip', env, dir, '/c'), `${what}: once only`).toBeUndefined();
    }

    startEarlyProbe(python, ['-c', 'import sys; print("half"); sys.exit(3)'], env, dir);
    expect(await takeEarlyProbe(python, ['-c', 'import sys; print("half"); sys.exit(3)'], env, dir, PROBE_TIMEOUT_MS)).toBeUndefined();
  });

  it('a probe nothing takes is killed as the process exits, which does not wait for it', async () => {
    ensureBuilt();
    const dir = makeTempDir();
    const log = join(dir, 'log');
    const sleeper = writeExecutable(join(dir, 'sleeper'), `#!/bin/sh\ntrap 'echo killed >>"${log}"; exit 143' TERM\necho started >>"${log}"\nsleep 60 &\nwait\n`);
    const script = [
      `import { startEarlyProbe } from ${JSON.stringify(join(ROOT, 'dist', 'io', 'early-probe.js'))};`,
      `import { existsSync, readFileSync } from 'node:fs';`,
      `startEarlyProbe(${JSON.stringify(sleeper)}, [], process.env, process.cwd());`,
      // Exits once the probe runs: the sleeper would keep a process that waited for it 60 s.
      `const wait = () => (existsSync(${JSON.stringify(log)}) && readFileSync(${JSON.stringify(log)}, 'utf8').includes('started') ? undefined : setTimeout(wait, 20));`,
      'wait();',
    ].join('\n');
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: dir, encoding: 'utf8', timeout: 30_000 });
    expect(result.error).toBeUndefined();
    expect([result.status, result.stderr]).toEqual([0, '']);
    await waitFor(() => existsSync(log) && readFileSync(log, 'utf8').includes('killed'), 'the probe to be killed');
  });
});

describe('probeAhead', () => {
  it('starts a probe for fetch and explain on a cold cache only, for the pip the launcher found; never for a pip command', async () => {
    const dir = makeTempDir();
    const { pip, python: wrapper, starts } = loggingPip(dir);
    const cacheDir = join(dir, 'cache');
    const launched = { ...process.env, SAFE_PIP_CACHE_DIR: cacheDir, SAFE_PIP_LAUNCHER_REAL_PIP: pip };
    // The environment the command sees: main() has taken the launcher's hand-off out of it.
    const seen: NodeJS.ProcessEnv = { ...launched };
    delete seen.SAFE_PIP_LAUNCHER_REAL_PIP;
    const taken = (): Promise<string | undefined> | undefined => takeEarlyProbe(wrapper, probeArguments(), seen, process.cwd(), PROBE_TIMEOUT_MS);

    for (const [what, word, env] of [
      ['not a resolving command', 'doctor', launched],
      ['no launcher hand-off', 'fetch', seen],
      ['the launcher found no pip', 'fetch', { ...launched, SAFE_PIP_LAUNCHER_REAL_PIP: '' }],
      ['a pip command', 'pip', launched],
      ["a pip command the launcher's Python probes for", 'pip', { ...launched, SAFE_PIP_LAUNCHER_PIP_FIRST: '7 8 9 10 /x/pip' }],
      ['a pip command that passes unchecked', 'pip', { ...launched, SAFE_PIP_DISABLE: '1' }],
    ] as const) {
      probeAhead(word, env);
      expect(taken(), what).toBeUndefined();
    }
    expect(starts()).toEqual([]);

    probeAhead('fetch', launched);
    const answer = await taken();
    expect(JSON.parse(answer!)).toMatchObject({ executable: python });
    expect(starts()).toEqual(['-I']);

    // Once the facts are cached, nothing is started.
    const { probeInterpreterWithSource } = await import('../../src/io/interpreter-probe.js');
    expect((await probeInterpreterWithSource(pip, { env: seen })).source).toBe('probe');
    writeFileSync(join(dir, 'starts'), '');
    probeAhead('explain', launched);
    expect(taken()).toBeUndefined();
    expect(starts()).toEqual([]);
  });
});
