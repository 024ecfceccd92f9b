// Node versions (issue 13 item 12): safe-pip supports Node 20.18.1+ on the 20 line and Node 22
// and later (package.json `engines`). The CLI is one CommonJS bundle run with V8's code cache
// (src/code-cache.ts), the same way on every line; what else differs between them is checked by
// feature, not by version number.
// The run under Node 22 needs a Node 22 binary already on the machine (tests never download):
// NODE_22_BINARY, or the one `npx node@22 --version` leaves in npm's npx cache.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { codeCacheDir, codeCacheEntry } from '../src/code-cache.js';
import { V8_ELEVEN_DEFAULT_INTERRUPT_BUDGET } from '../src/v8-options.js';
import { buildWheel } from './helpers/wheel-builder.js';
import { findLinksDir } from './helpers/index-server.js';
import { runCommand } from './helpers/run-cli.js';
import { PYTHON } from './helpers/stand-in-pip.js';
import { makeTempDir } from './helpers/temp-dir.js';
import { BIN, distIsBundled, ensureBuilt, launcherNodeFlags, writeExecutable } from './launcher/harness.js';

const SAFE_PIP = join(BIN, 'safe-pip');
const manifest = JSON.parse(readFileSync(join(BIN, '..', 'package.json'), 'utf8')) as { version: string; engines: { node: string } };

beforeAll(() => ensureBuilt());

function nodeMajor(binary: string): number | null {
  try {
    return Number(/^v(\d+)\./.exec(execFileSync(binary, ['--version'], { encoding: 'utf8' }))?.[1]);
  } catch {
    return null;
  }
}


describe('engines', () => {
  it('Node 20 from 20.18.1, and every line from 22 on', () => {
    expect(manifest.engines.node).toBe('^20.18.1 || >=22');
  });
});

describe('the code cache (src/code-cache.ts)', () => {
  it('lives in NODE_COMPILE_CACHE, else in safe-pip\'s cache; NODE_DISABLE_COMPILE_CACHE=1 or SAFE_PIP_NO_COMPILE_CACHE=1 turn it off', () => {
    expect(codeCacheDir({ XDG_CACHE_HOME: '/x' })).toBe('/x/safe-pip/code-cache');
    expect(codeCacheDir({ SAFE_PIP_CACHE_DIR: '/c', XDG_CACHE_HOME: '/x' })).toBe('/c/code-cache');
    expect(codeCacheDir({ NODE_COMPILE_CACHE: '/n', SAFE_PIP_CACHE_DIR: '/c' })).toBe('/n');
    expect(codeCacheDir({ NODE_COMPILE_CACHE: '/n', NODE_DISABLE_COMPILE_CACHE: '1' })).toBeNull();
    expect(codeCacheDir({ SAFE_PIP_CACHE_DIR: '/c', SAFE_PIP_NO_COMPILE_CACHE: '1' })).toBeNull();
  });

  it('one file a subcommand and Node line (`other` for any other first argument), whose digest changes with the build and with NODE_OPTIONS', () => {
    const major = process.version.slice(1).split('.')[0];
    const build = { build: 'build-1', words: ['pip', 'fetch'] };
    const pip = codeCacheEntry('/d', build, 'pip', {});
    expect(pip.file).toBe(`/d/pip-node${major}.bin`);
    expect(codeCacheEntry('/d', build, 'fetch', {}).file).toBe(`/d/fetch-node${major}.bin`);
    for (const word of ['--version', 'fetchh', 'explain', '', '../x']) expect(codeCacheEntry('/d', build, word, {}).file).toBe(`/d/other-node${major}.bin`);
    expect(codeCacheEntry('/d', build, 'pip', {}).digest).toEqual(pip.digest);
    expect(codeCacheEntry('/d', { ...build, build: 'build-2' }, 'pip', {}).digest).not.toEqual(pip.digest);
    expect(codeCacheEntry('/d', build, 'pip', { NODE_OPTIONS: '--max-old-space-size=100' }).digest).not.toEqual(pip.digest);
  });

  it.skipIf(!distIsBundled())('reads a bundle that is ASCII, as Latin-1 (skipped when dist/ is not the bundle)', () => {
    // scripts/bundle.mjs refuses to write another; a non-ASCII character read as Latin-1 would be
    // another string than the one written.
    const bundle = readFileSync(join(BIN, '..', 'dist', 'bundle', 'safe-pip.cjs'));
    expect(bundle.findIndex((byte) => byte > 0x7f)).toBe(-1);
  });

  it.skipIf(!distIsBundled())('is written by a first run, used as it is by the next, and rewritten when it is another build\'s, V8 refuses it or a run used more than twice the CPU time of the one that wrote it (skipped when dist/ is not the bundle)', async () => {
    const links = findLinksDir([await buildWheel({ name: 'tiny', version: '1.0' })]);
    const cache = makeTempDir('cache-');
    const dest = makeTempDir('dest-');
    const explain = async (env: NodeJS.ProcessEnv = {}) => {
      const result = await runCommand(SAFE_PIP, ['explain', '--json', 'download', '-d', dest, '--no-index', '-f', links, 'tiny'], { env: { SAFE_PIP_CACHE_DIR: cache, ...env } });
      expect(result.exitCode, result.stderr).toBe(0);
      return result.stdout;
    };
    const file = join(cache, 'code-cache', `explain-node${process.version.slice(1).split('.')[0]}.bin`);
    const identity = () => ({ ino: statSync(file).ino, mtimeMs: statSync(file).mtimeMs });
    const plan = await explain();
    const written = readFileSync(file);
    expect(written.length).toBeGreaterThan(1000);
    const first = identity();
    expect(await explain()).toBe(plan);
    expect(identity()).toEqual(first);
    // After the digest, the CPU time of the run that wrote it: a run that used more than twice as
    // much rewrites it with every function it has, a run that used less leaves it.
    const writerCpu = (content: Buffer) => content.readDoubleLE(32);
    expect(writerCpu(written)).toBeGreaterThan(0);
    const withWriterCpu = (ms: number) => {
      const edited = Buffer.from(written);
      edited.writeDoubleLE(ms, 32);
      writeFileSync(file, edited);
      return identity();
    };
    const heavierWriter = withWriterCpu(1e9);
    expect(await explain()).toBe(plan);
    expect(identity()).toEqual(heavierWriter);
    expect(writerCpu(readFileSync(file))).toBe(1e9);
    const lighterWriter = withWriterCpu(0.001);
    expect(await explain()).toBe(plan);
    expect(identity()).not.toEqual(lighterWriter);
    expect(writerCpu(readFileSync(file))).toBeGreaterThan(0.001);
    expect(readFileSync(file).subarray(0, 32)).toEqual(written.subarray(0, 32));
    expect(readFileSync(file).length).toBeGreaterThanOrEqual(written.length - 1000);
    // Another build's digest, then code V8 refuses under the right digest: the run is the same,
    // and the file holds this build's code again.
    for (const stale of [Buffer.concat([Buffer.alloc(32, 1), written.subarray(32)]), Buffer.concat([written.subarray(0, 32), Buffer.from('not code')])]) {
      writeFileSync(file, stale);
      expect(await explain()).toBe(plan);
      expect(readFileSync(file).subarray(0, 32)).toEqual(written.subarray(0, 32));
      expect(readFileSync(file).length).toBeGreaterThan(1000);
    }
    // Turned off, or somewhere it cannot be written: nothing written, the same run.
    const off = makeTempDir('off-');
    expect(await explain({ SAFE_PIP_CACHE_DIR: off, SAFE_PIP_NO_COMPILE_CACHE: '1' })).toBe(plan);
    expect(existsSync(join(off, 'code-cache'))).toBe(false);
    expect(await explain({ NODE_COMPILE_CACHE: '/dev/null/code-cache' })).toBe(plan);
    const elsewhere = makeTempDir('node-compile-cache-');
    expect(await explain({ NODE_COMPILE_CACHE: elsewhere })).toBe(plan);
    expect(readdirSync(elsewhere)).toEqual([basename(file)]);
    // A mistyped subcommand is refused, and its code goes to the one file of every other first
    // argument, not to a file of its own: a cache entry per typo would grow without end.
    for (const word of ['explainn', 'fetchh']) {
      const typo = await runCommand(SAFE_PIP, [word], { env: { NODE_COMPILE_CACHE: elsewhere } });
      expect(typo.exitCode).toBe(2);
    }
    expect(readdirSync(elsewhere).sort()).toEqual([basename(file), basename(file).replace(/^explain-/, 'other-')]);
  });

  it(`this Node (${process.version}) runs bin/safe-pip --version`, async () => {
    const result = await runCommand(SAFE_PIP, ['--version']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout.split('\n')[0]).toBe(`safe-pip ${manifest.version}`);
  });
});

// What V8 made of a hot WebAssembly loop in a Node started with these options, once dist/main.cjs
// has set its own (src/v8-options.ts): a preload (--require) compiles a one-function module as the
// process exits, calls it until V8 has recompiled it with TurboFan or two seconds have passed, and
// writes "turbofan" or "liftoff" to a file.
function wasmTierProbe(dir: string): { preload: string; result: string } {
  const result = join(dir, 'wasm-tier.txt');
  const preload = join(dir, 'wasm-tier.cjs');
  // (func (export "f") (param i32) (result i32) (loop (local.set 0 (i32.sub (local.get 0) (i32.const 1))) (br_if 0 (local.get 0))) (local.get 0))
  const body = [0, 3, 64, 32, 0, 65, 1, 107, 33, 0, 32, 0, 13, 0, 11, 32, 0, 11];
  const module = [0, 97, 115, 109, 1, 0, 0, 0, 1, 6, 1, 96, 1, 127, 1, 127, 3, 2, 1, 0, 7, 5, 1, 1, 102, 0, 0, 10, body.length + 2, 1, body.length, ...body];
  writeFileSync(preload, [
    "process.on('exit', () => {",
    `  const f = new WebAssembly.Instance(new WebAssembly.Module(new Uint8Array(${JSON.stringify(module)}))).exports.f;`,
    '  const until = Date.now() + 2000;',
    '  while (!%IsTurboFanFunction(f) && Date.now() < until) f(100000);',
    `  require('node:fs').writeFileSync(${JSON.stringify(result)}, %IsTurboFanFunction(f) ? 'turbofan' : 'liftoff');`,
    '});',
  ].join('\n'));
  return { preload, result };
}

/** The probe's answer for a wasm loop run after bin/safe-pip's start-up, under `nodeBinary`. */
async function wasmTierUnder(nodeBinary: string): Promise<string> {
  const dir = makeTempDir('wasm-tier-');
  const { preload, result } = wasmTierProbe(dir);
  const node = writeExecutable(join(dir, 'node'), `#!/bin/sh\nexec '${nodeBinary}' --allow-natives-syntax --require '${preload}' "$@"\n`);
  const run = await runCommand(SAFE_PIP, ['--version'], { env: { SAFE_PIP_NODE: node } });
  expect(run.exitCode, run.stderr).toBe(0);
  return readFileSync(result, 'utf8');
}

describe('WebAssembly on the baseline compiler (bin/safe-pip)', () => {
  it('the Node the launcher starts never recompiles WebAssembly with TurboFan, which Node would wait for as it exits (undici\'s llhttp)', async () => {
    const dir = makeTempDir('wasm-tier-');
    const { preload, result } = wasmTierProbe(dir);
    // The same probe in a Node started without the launcher's options: V8 tiers the loop up.
    execFileSync(process.execPath, ['--allow-natives-syntax', '--require', preload, '-e', '0']);
    expect(readFileSync(result, 'utf8')).toBe('turbofan');
    expect(await wasmTierUnder(process.execPath)).toBe('liftoff');
  });
});

// How many calls of a small hot function V8 makes before it marks it for TurboFan, in a Node
// started with these options, counted as the process exits (after dist/main.cjs has run).
function tierUpProbe(dir: string): { preload: string; result: string } {
  const result = join(dir, 'tier-up.txt');
  const preload = join(dir, 'tier-up.cjs');
  // Marked for (concurrent) optimization, being optimized, or optimized (V8's OptimizationStatus bits).
  const onItsWay = (1 << 4) | (1 << 6) | (1 << 8) | (1 << 9) | (1 << 10);
  writeFileSync(preload, [
    "process.on('exit', () => {",
    '  function f(n) { let s = 0; for (let i = 0; i < n; i++) s += i % 7; return s; }',
    '  let calls = 0;',
    `  while (calls < 100000 && (%GetOptimizationStatus(f) & ${onItsWay}) === 0) { f(50); calls++; }`,
    `  require('node:fs').writeFileSync(${JSON.stringify(result)}, String(calls));`,
    '});',
  ].join('\n'));
  return { preload, result };
}

describe.skipIf(!process.versions.v8.startsWith('11.'))(
  `TurboFan later than V8's default (src/v8-options.ts)${process.versions.v8.startsWith('11.') ? '' : ' (skipped: this Node\'s V8 has no --interrupt-budget; only V8 11, Node 20, gets it)'}`,
  () => {
    it('the Node bin/safe-pip runs marks a hot function for TurboFan after several times as many calls', async () => {
      const dir = makeTempDir('tier-up-');
      const { preload, result } = tierUpProbe(dir);
      execFileSync(process.execPath, ['--allow-natives-syntax', '--require', preload, '-e', '0']);
      const plain = Number(readFileSync(result, 'utf8'));
      expect(plain).toBeGreaterThan(0);
      expect(plain).toBeLessThan(100000);
      const node = writeExecutable(join(dir, 'node'), `#!/bin/sh\nexec '${process.execPath}' --allow-natives-syntax --require '${preload}' "$@"\n`);
      const run = await runCommand(SAFE_PIP, ['--version'], { env: { SAFE_PIP_NODE: node } });
      expect(run.exitCode, run.stderr).toBe(0);
      expect(run.stderr).toBe('');
      expect(Number(readFileSync(result, 'utf8'))).toBeGreaterThan(3 * plain);
    });
  },
);

// Which of Node's built-in modules a process compiled from Node's code cache and which from source,
// recorded as it exits (Node's own internal test binding, behind --expose-internals, a Node option,
// not a V8 one).
function builtinCacheProbe(dir: string): { preload: string; result: string } {
  const result = join(dir, 'builtins.json');
  const preload = join(dir, 'builtins.cjs');
  writeFileSync(preload, [
    "process.on('exit', () => {",
    "  const { getCacheUsage } = require('internal/test/binding').internalBinding('builtins');",
    '  const usage = getCacheUsage();',
    `  require('node:fs').writeFileSync(${JSON.stringify(result)}, JSON.stringify({ cached: [...usage.compiledWithCache], compiled: [...usage.compiledWithoutCache] }));`,
    '});',
  ].join('\n'));
  return { preload, result };
}

/** Which of `wanted` a `safe-pip fetch --help` under `nodeBinary` compiled from Node's code cache, and which from source. */
async function builtinsUnder(nodeBinary: string, wanted: readonly string[], args: readonly string[] = ['fetch', '--help']): Promise<{ cached: string[]; compiled: string[] }> {
  const dir = makeTempDir('builtins-');
  const { preload, result } = builtinCacheProbe(dir);
  const node = writeExecutable(join(dir, 'node'), `#!/bin/sh\nexec '${nodeBinary}' --expose-internals --require '${preload}' "$@"\n`);
  const run = await runCommand(SAFE_PIP, args, { env: { SAFE_PIP_NODE: node, SAFE_PIP_REAL_PIP: join(dirname(PYTHON), 'pip') } });
  expect(run.exitCode, run.stderr).toBe(0);
  expect(run.stderr).toBe('');
  const usage = JSON.parse(readFileSync(result, 'utf8')) as { cached: string[]; compiled: string[] };
  return { cached: wanted.filter((m) => usage.cached.includes(m)), compiled: wanted.filter((m) => usage.compiled.includes(m)) };
}

const RESOLVING_SAMPLE = ['net', 'child_process', 'zlib', 'crypto'];

/**
 * The sample a Node should load from its cache: with process.binding('v8') (Node 20, 22),
 * src/v8-options.ts sets V8's options without loading node:v8, whose streams would otherwise be
 * compiled from source, under the launcher's options, before the options are set back.
 */
function cachedSampleUnder(nodeBinary: string): string[] {
  const probe = "process.noDeprecation = true; try { process.stdout.write(typeof process.binding('v8').setFlagsFromString) } catch { process.stdout.write('none') }";
  const binding = execFileSync(nodeBinary, ['-e', probe], { encoding: 'utf8' }) === 'function';
  return binding ? [...RESOLVING_SAMPLE, 'stream', 'internal/streams/readable'] : RESOLVING_SAMPLE;
}

describe("Node's built-in modules from its code cache (src/v8-options.ts)", () => {
  it('a resolving command loads them from the cache, though the launcher starts Node with V8 options', async () => {
    const dir = makeTempDir('builtins-');
    const { preload, result } = builtinCacheProbe(dir);
    const options = launcherNodeFlags();
    // The price of the options: a Node started with them compiles what it loads from source.
    execFileSync(process.execPath, [...options, '--expose-internals', '--require', preload, '-e', RESOLVING_SAMPLE.map((m) => `require('node:${m}');`).join('')]);
    expect((JSON.parse(readFileSync(result, 'utf8')) as { compiled: string[] }).compiled).toEqual(expect.arrayContaining(RESOLVING_SAMPLE));
    const sample = cachedSampleUnder(process.execPath);
    expect(await builtinsUnder(process.execPath, sample)).toEqual({ cached: sample, compiled: [] });
  });

  // defaultV8OptionsUntil sets the budget back to this value for the cache writer's worker; any
  // other value is an option V8 compiled the built-ins' cache without.
  it.runIf(process.versions.v8.startsWith('11.'))("V8 11's own interrupt budget is the one src/v8-options.ts sets back", () => {
    const options = execFileSync(process.execPath, ['--v8-options'], { encoding: 'utf8' });
    expect(/^\s*--interrupt-budget \(.*\n\s*type: int\s+default: --interrupt-budget=(\d+)$/m.exec(options)?.[1]).toBe(String(V8_ELEVEN_DEFAULT_INTERRUPT_BUDGET));
  });

  it('so does a pip command that only passes through by Node (an abbreviated option, which the launcher leaves to Node)', async () => {
    expect(await builtinsUnder(process.execPath, RESOLVING_SAMPLE, ['pip', '--isol', '--version'])).toEqual({ cached: RESOLVING_SAMPLE, compiled: [] });
  });
});

/** Every Node >= 22 in npm's npx cache (and NODE_22_BINARY), one per major version. */
function laterNodes(): { major: number; binary: string }[] {
  const candidates: string[] = [];
  if (process.env.NODE_22_BINARY) candidates.push(process.env.NODE_22_BINARY);
  const npx = join(userInfo().homedir, '.npm', '_npx');
  if (existsSync(npx)) for (const entry of readdirSync(npx)) candidates.push(join(npx, entry, 'node_modules', 'node', 'bin', 'node'));
  const byMajor = new Map<number, string>();
  for (const binary of candidates.filter((c) => existsSync(c))) {
    const major = nodeMajor(binary) ?? 0;
    if (major >= 22 && !byMajor.has(major)) byMajor.set(major, binary);
  }
  return [...byMajor].sort((a, b) => a[0] - b[0]).map(([major, binary]) => ({ major, binary }));
}

const later = laterNodes();
describe.skipIf(later.length === 0)(
  `V8's options under later Nodes${later.length === 0 ? ' (skipped: no Node >= 22 on this machine; run `npx node@24 --version` once, or set NODE_22_BINARY)' : ''}`,
  () => {
    // V8 12+ reads some options differently at run time: Node 24 and 26 once tiered WebAssembly up
    // after dist/main.cjs set the launcher's options again.
    it.each(later)('Node $major: WebAssembly stays on Liftoff, and the built-ins come from the cache', async ({ binary }) => {
      expect(await wasmTierUnder(binary)).toBe('liftoff');
      const sample = cachedSampleUnder(binary);
      expect(await builtinsUnder(binary, sample)).toEqual({ cached: sample, compiled: [] });
    });
  },
);

const node22 = later[0]?.binary ?? null;
describe.skipIf(node22 === null)(
  `under Node 22${node22 === null ? ' (skipped: no Node >= 22 on this machine; run `npx node@22 --version` once, or set NODE_22_BINARY)' : ''}`,
  () => {
    it('bin/safe-pip --version, and the code cache is written', async () => {
      const cache = makeTempDir('cache-');
      const result = await runCommand(SAFE_PIP, ['--version'], { env: { SAFE_PIP_NODE: node22!, XDG_CACHE_HOME: cache } });
      expect(result.exitCode, result.stderr).toBe(0);
      expect(result.stdout.split('\n')[0]).toBe(`safe-pip ${manifest.version}`);
      // Nothing on stderr: V8 12+ would print an error for a flag it does not have (src/v8-options.ts).
      expect(result.stderr).toBe('');
      expect(readdirSync(join(cache, 'safe-pip', 'code-cache'))).toEqual(['other-node' + (nodeMajor(node22!) ?? 0) + '.bin']);
    });

    it('an intercepted download (explain --json) from a find-links folder', async () => {
      const wheel = await buildWheel({ name: 'tiny', version: '1.0' });
      const links = findLinksDir([wheel]);
      const dest = makeTempDir('dest-');
      const result = await runCommand(SAFE_PIP, ['explain', '--json', 'download', '-d', dest, '--no-index', '-f', links, 'tiny'], {
        env: { SAFE_PIP_NODE: node22! },
      });
      expect(result.exitCode, result.stderr).toBe(0);
      const doc = JSON.parse(result.stdout) as { packages: { name: string; filename: string; via: string }[] };
      expect(doc.packages).toEqual([expect.objectContaining({ name: 'tiny', filename: wheel.filename, via: 'pip' })]);
    });
  },
);
