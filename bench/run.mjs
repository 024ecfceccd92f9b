#!/usr/bin/env node
// `npm run bench`: safe-pip against the real pip, on this machine, over loopback only.
// Prints a table (each figure beside its target, met or not) and writes the same figures as JSON
// to bench/results/latest.json. Method and targets: bench/README.md.
//
// Usage: node bench/run.mjs [--quick] [--only NAME[,NAME...]] [--rounds N] [--latency MS] [--node PATH] [--pip PATH] [--mirror DIR] [--json] [--list]
//   --quick    a ~2-minute smoke run (10 and 100 packages, few rounds, no 500)
//   --only     suites whose name starts with NAME: passthrough, fixed-cost, fetch, fetch-100,
//              fetch-real, download-500-rich, install, uv, memory (= the suites at the largest
//              closure, which give the memory figures)
//   --rounds   the same number of rounds for every suite
//   --latency  the index holds every answer back MS milliseconds, as a distant one would (default
//              0: loopback, where round trips made one after another cost almost nothing)
//   --node     run safe-pip under this Node binary (SAFE_PIP_NODE) instead of the one running the
//              bench, e.g. a Node 22 or 24 from `npx node@24 --version`'s npx cache: the
//              figures where Node has a compile cache (22.1+)
//   --pip      the real pip to compare with and hand off to (default: python3's own), e.g. one of
//              the pip matrix's venvs (.cache/pip-matrix/venvs/<version>/bin/pip); the fixed-cost
//              suite adds a row for it
//   --mirror   the wheel mirror the fetch-real suite serves on loopback (default /opt/pypi, the one
//              this machine's pip is configured with)
//   --json     print the JSON on stdout instead of the table (progress always goes to stderr)
//   --list     print the suites that would run, and exit
// Runs against the built CLI: `npm run build` first.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync, readdirSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateClosure } from './lib/wheel-closure.mjs';
import { startIndexServer } from './lib/index-server.mjs';
import { cleanEnvironment, makeScratch, removeDir, round } from './lib/measure.mjs';
import { renderTables } from './lib/report-table.mjs';
import { runPassthrough, PASSTHROUGH_TARGET_PERCENT } from './suites/passthrough.mjs';
import { runAgainstPip, TARGETS } from './suites/against-pip.mjs';
import { FIXED_COST_TARGET_MS, runFixedCost } from './suites/fixed-cost.mjs';
import { ensureUv, runAgainstUv } from './suites/against-uv.mjs';
import { REAL_SETS_TARGET, runRealSets } from './suites/real-sets.mjs';
import { DEFAULT_MIRROR } from './lib/mirror-server.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'bin');

function parseArgs(argv) {
  const options = { quick: false, only: null, rounds: null, latency: 0, node: null, pip: null, mirror: DEFAULT_MIRROR, json: false, list: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === '--quick') options.quick = true;
    else if (arg === '--json') options.json = true;
    else if (arg === '--list') options.list = true;
    else if (arg === '--only' || arg.startsWith('--only=')) options.only = value().split(',').map((s) => s.trim()).filter(Boolean);
    else if (arg === '--node' || arg.startsWith('--node=')) options.node = value();
    else if (arg === '--pip' || arg.startsWith('--pip=')) options.pip = value();
    else if (arg === '--mirror' || arg.startsWith('--mirror=')) options.mirror = resolve(value());
    else if (arg === '--rounds' || arg.startsWith('--rounds=')) {
      options.rounds = Number(value());
      if (!Number.isInteger(options.rounds) || options.rounds < 1) throw new Error('--rounds takes a whole number >= 1');
    } else if (arg === '--latency' || arg.startsWith('--latency=')) {
      options.latency = Number(value());
      if (!Number.isInteger(options.latency) || options.latency < 0) throw new Error('--latency takes a whole number of milliseconds >= 0');
    } else if (arg === '-h' || arg === '--help') {
      process.stdout.write('Usage: node bench/run.mjs [--quick] [--only NAME[,NAME...]] [--rounds N] [--latency MS] [--node PATH] [--pip PATH] [--mirror DIR] [--json] [--list]\n');
      process.exit(0);
    } else throw new Error(`unknown argument ${arg} (see --help)`);
  }
  return options;
}

/**
 * The plan: rounds chosen so the full run takes about 15–20 minutes on 2 idle cores, and --quick
 * about 2. pip alone needs 30–90 s to resolve the 500-package closure (its cost grows faster than
 * the closure), so the 500 suites get 1–2 rounds; use --rounds or --only for more.
 */
function plan(quick) {
  if (quick) {
    return [
      { name: 'passthrough', rounds: 5 },
      { name: 'fixed-cost', rounds: 5 },
      { name: 'fetch-10-rich', kind: 'fetch', size: 10, mode: 'rich', rounds: 3, warmUp: true },
      { name: 'fetch-10-plain', kind: 'fetch', size: 10, mode: 'plain', rounds: 3, warmUp: true },
      { name: 'fetch-100-rich', kind: 'fetch', size: 100, mode: 'rich', rounds: 2, warmUp: false },
      { name: 'download-100-rich', kind: 'download', size: 100, mode: 'rich', rounds: 2, warmUp: false },
      { name: 'install-100-rich', kind: 'install', size: 100, mode: 'rich', rounds: 1, warmUp: false },
      { name: 'uv-100-rich', kind: 'uv', size: 100, mode: 'rich', rounds: 1, warmUp: false },
    ];
  }
  return [
    { name: 'passthrough', rounds: 15 },
    { name: 'fixed-cost', rounds: 11 },
    { name: 'fetch-10-rich', kind: 'fetch', size: 10, mode: 'rich', rounds: 7, warmUp: true },
    { name: 'fetch-10-plain', kind: 'fetch', size: 10, mode: 'plain', rounds: 7, warmUp: true },
    { name: 'download-10-rich', kind: 'download', size: 10, mode: 'rich', rounds: 5, warmUp: true },
    { name: 'download-10-plain', kind: 'download', size: 10, mode: 'plain', rounds: 5, warmUp: true },
    { name: 'install-10-rich', kind: 'install', size: 10, mode: 'rich', rounds: 5, warmUp: true },
    { name: 'fetch-100-rich', kind: 'fetch', size: 100, mode: 'rich', rounds: 5, warmUp: true },
    { name: 'fetch-100-plain', kind: 'fetch', size: 100, mode: 'plain', rounds: 5, warmUp: true },
    { name: 'fetch-real', kind: 'fetch-real', rounds: 5 },
    { name: 'download-100-rich', kind: 'download', size: 100, mode: 'rich', rounds: 5, warmUp: true },
    { name: 'download-100-plain', kind: 'download', size: 100, mode: 'plain', rounds: 2, warmUp: false },
    { name: 'install-100-rich', kind: 'install', size: 100, mode: 'rich', rounds: 3, warmUp: false },
    { name: 'uv-100-rich', kind: 'uv', size: 100, mode: 'rich', rounds: 3, warmUp: false },
    { name: 'fetch-500-rich', kind: 'fetch', size: 500, mode: 'rich', rounds: 2, warmUp: false },
    { name: 'fetch-500-plain', kind: 'fetch', size: 500, mode: 'plain', rounds: 1, warmUp: false },
    { name: 'download-500-rich', kind: 'download', size: 500, mode: 'rich', rounds: 2, warmUp: false },
    { name: 'install-500-rich', kind: 'install', size: 500, mode: 'rich', rounds: 1, warmUp: false },
  ];
}

function select(suites, only) {
  if (only === null) return suites;
  const largest = Math.max(...suites.map((s) => s.size ?? 0));
  const chosen = suites.filter((s) => only.some((o) => s.name === o || s.name.startsWith(`${o}-`) || (o === 'memory' && s.size === largest && s.kind !== 'uv')));
  if (chosen.length === 0) throw new Error(`--only ${only.join(',')} matches no suite; suites: ${suites.map((s) => s.name).join(', ')}`);
  return chosen;
}

function findRealPip(env, given) {
  // Absolute: the suites run their commands in directories of their own.
  let pip = given === null ? null : resolve(given);
  if (pip === null) {
    const python = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { env, encoding: 'utf8' }).trim();
    pip = join(dirname(python), 'pip');
    if (!existsSync(pip)) throw new Error(`no pip next to ${python}`);
  } else if (!existsSync(pip)) throw new Error(`--pip ${pip}: no such file`);
  const version = execFileSync(pip, ['--version'], { env, encoding: 'utf8' }).trim().split(' from ')[0];
  return { pip, version };
}

/** The Node binary safe-pip runs under: the bench's own, or --node's (checked to run). */
function nodeUnderTest(path) {
  if (path === null) return { path: process.execPath, version: process.version };
  let version;
  try {
    version = execFileSync(path, ['--version'], { encoding: 'utf8' }).trim();
  } catch (error) {
    throw new Error(`--node ${path}: cannot run it (${error.message.split('\n')[0]})`);
  }
  return { path, version };
}

/** Newest mtime under src/, to warn when dist/ is older than the sources. */
function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const suites = select(plan(options.quick), options.only).map((s) => (options.rounds === null ? s : { ...s, rounds: options.rounds }));
  if (options.list) {
    for (const s of suites) process.stdout.write(`${s.name}  rounds=${s.rounds}\n`);
    return 0;
  }
  const log = (m) => process.stderr.write(`bench: ${m}\n`);
  if (!existsSync(join(root, 'dist', 'main.js'))) throw new Error('dist/main.js is missing: run `npm run build` first');
  const entry = existsSync(join(root, 'dist', 'main.cjs')) ? 'main.cjs' : 'main.js';
  if (newestMtime(join(root, 'src')) > statSync(join(root, 'dist', entry)).mtimeMs) log(`warning: src/ has changes newer than dist/${entry}; run \`npm run build\` to measure them`);

  const started = Date.now();
  const loadAverageStart = loadavg()[0];
  const scratch = makeScratch();
  const cleanup = () => removeDir(scratch);
  process.on('SIGINT', () => {
    cleanup();
    process.exit(130);
  });
  const env = cleanEnvironment(process.env, scratch, 'placeholder');
  const realPip = findRealPip(env, options.pip);
  env.SAFE_PIP_REAL_PIP = realPip.pip;
  const node = nodeUnderTest(options.node);
  if (options.node !== null) env.SAFE_PIP_NODE = node.path;
  // safe-pip's code cache (src/code-cache.ts, kept in NODE_COMPILE_CACHE when set) is its compiled
  // code, as pip's __pycache__ is pip's: it stays warm in every run, "cold" runs included (those
  // start without safe-pip's HTTP cache and interpreter facts).
  env.NODE_COMPILE_CACHE = join(scratch, 'node-compile-cache');

  const results = {
    meta: { node: node.version, pip: realPip.pip, pipVersion: realPip.version, cpus: availableParallelism(), quick: options.quick, only: options.only, latencyMs: options.latency, startedAt: new Date(started).toISOString(), loadAverageStart, loadAverageEnd: 0, durationSeconds: 0 },
    targets: { passthroughMaxPercent: PASSTHROUGH_TARGET_PERCENT, fixedCostMaxMs: FIXED_COST_TARGET_MS, fetchMaxRatio: TARGETS.fetch.maxRatio, fetchAimRatio: TARGETS.fetch.aimRatio, realSetsSumMaxRatio: REAL_SETS_TARGET.sumMaxRatio, realSetsEachMaxRatio: REAL_SETS_TARGET.eachMaxRatio, downloadMaxRatio: TARGETS.download.maxRatio, installMaxRatio: TARGETS.install.maxRatio, peakRssMb: TARGETS.peakRssMb },
    suites: [],
    realSets: null,
    memory: [],
    errors: [],
  };
  try {
    for (const suite of suites.filter((s) => s.name === 'passthrough')) {
      try {
        results.suites.push(await runPassthrough({ bin, realPip: realPip.pip, env, rounds: suite.rounds, log }));
      } catch (error) {
        results.errors.push({ suite: suite.name, message: error.message });
      }
    }
    for (const suite of suites.filter((s) => s.name === 'fixed-cost')) {
      try {
        results.suites.push(await runFixedCost({ bin, env, scratch, rounds: suite.rounds, log, node: node.path, chosenPip: options.pip === null ? null : realPip }));
      } catch (error) {
        results.errors.push({ suite: suite.name, message: error.message });
      }
    }
    for (const suite of suites.filter((s) => s.kind === 'fetch-real')) {
      try {
        const real = await runRealSets({ mirror: options.mirror, rounds: suite.rounds, bin, realPip: realPip.pip, env, scratch, log });
        results.realSets = { mirror: real.mirror, skipped: real.skipped, sum: real.sum };
        results.suites.push(...real.sets);
      } catch (error) {
        results.errors.push({ suite: suite.name, message: error.message });
        log(`${suite.name} failed: ${error.message.split('\n')[0]}`);
      }
    }
    const uv = suites.some((s) => s.kind === 'uv') ? ensureUv(env, log) : null;
    if (uv !== null) results.meta.uv = uv.version ?? uv.error;
    const sizes = [...new Set(suites.filter((s) => s.size).map((s) => s.size))].sort((a, b) => a - b);
    for (const size of sizes) {
      log(`generating a ${size}-package closure`);
      const closure = await generateClosure(size);
      log(`  ${closure.wheelCount} wheels, ${(closure.bytes / 1e6).toFixed(1)} MB`);
      for (const suite of suites.filter((s) => s.size === size)) {
        const server = await startIndexServer(closure, suite.mode, { latencyMs: options.latency });
        log(`${suite.name}: ${suite.rounds} rounds at ${server.indexUrl}`);
        try {
          if (suite.kind === 'uv') results.suites.push(...(await runAgainstUv({ closure, server, rounds: suite.rounds, bin, realPip: realPip.pip, env, scratch, log, uv })));
          else results.suites.push(await runAgainstPip({ kind: suite.kind, closure, server, rounds: suite.rounds, warmUp: suite.warmUp, bin, realPip: realPip.pip, env, scratch, log }));
        } catch (error) {
          results.errors.push({ suite: suite.name, message: error.message });
          log(`${suite.name} failed: ${error.message.split('\n')[0]}`);
        } finally {
          await server.close();
        }
      }
    }
  } finally {
    cleanup();
  }

  const largest = Math.max(0, ...results.suites.filter((s) => s.size).map((s) => s.size));
  for (const s of results.suites.filter((x) => x.variants && x.size !== null && !x.kind.startsWith('uv'))) {
    for (const [name, v] of Object.entries(s.variants)) {
      if (v.peakRssMb === null || name === 'pip') continue;
      const targeted = s.size === largest;
      results.memory.push({ run: `${s.kind} ${name === 'bin/pip' ? 'intercepted' : name.replace('safe-pip ', '')}`, suite: s.name, size: s.size, index: s.index, peakRssMb: v.peakRssMb, targeted, met: v.peakRssMb < TARGETS.peakRssMb });
    }
  }
  results.meta.loadAverageEnd = loadavg()[0];
  results.meta.durationSeconds = round((Date.now() - started) / 1000, 1);

  const resultsDir = join(root, 'bench', 'results');
  mkdirSync(resultsDir, { recursive: true });
  const json = `${JSON.stringify(results, null, 2)}\n`;
  writeFileSync(join(resultsDir, 'latest.json'), json);
  process.stdout.write(options.json ? json : renderTables(results));
  return results.errors.length > 0 || results.suites.some((s) => (s.problems ?? []).length > 0 || s.skipped !== undefined) ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`bench: error: ${error.message}\n`);
    process.exitCode = 2;
  },
);
