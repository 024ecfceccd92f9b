#!/usr/bin/env node
// Pass-through overhead of the launchers (issue 2 §5): the real pip against bin/pip for
// `pip --version` and `pip list`, interleaved round by round (so drift in machine load hits both
// alike), medians and the overhead in percent. Target: at most 5% over the real pip.
// A third row shows the Node path (an abbreviated option the sh fast path hands to Node) for
// information. Runs against the built dist/ and bin/ (`npm run build` first).
// Usage: node bench/passthrough.mjs [--rounds N] [--json]
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'bin');
const args = process.argv.slice(2);
const json = args.includes('--json');
const roundsIndex = args.indexOf('--rounds');
const rounds = roundsIndex >= 0 ? Number(args[roundsIndex + 1]) : 30;

const env = { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}`, PIP_DISABLE_PIP_VERSION_CHECK: '1' };
const realPip = execFileSync('/bin/sh', [join(bin, 'safe-pip'), '--which-real-pip', 'pip'], { env, encoding: 'utf8' }).trim();

// The launcher's own cost, without pip's noise: a "pip" that is /bin/true, found on PATH.
const trueDir = mkdtempSync(join(tmpdir(), 'safe-pip-bench-'));
symlinkSync('/bin/true', join(trueDir, 'pip'));
process.on('exit', () => rmSync(trueDir, { recursive: true, force: true }));
const trueEnv = { ...env, PATH: `${bin}:${trueDir}:${process.env.PATH ?? ''}` };

const cases = [
  { name: 'pip --version', real: [realPip, ['--version']], shim: [join(bin, 'pip'), ['--version']] },
  { name: 'pip list', real: [realPip, ['list']], shim: [join(bin, 'pip'), ['list']] },
  { name: 'launcher alone (pip = /bin/true) list', real: [join(trueDir, 'pip'), ['list']], shim: [join(bin, 'pip'), ['list']], env: trueEnv },
  { name: 'pip --isol --version (Node path)', real: [realPip, ['--isol', '--version']], shim: [join(bin, 'pip'), ['--isol', '--version']] },
];

function timeOnce([file, argv], caseEnv = env) {
  const start = process.hrtime.bigint();
  const result = spawnSync(file, argv, { env: caseEnv, stdio: 'ignore' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`${file} ${argv.join(' ')} exited with ${result.status}`);
  return ms;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const results = [];
for (const c of cases) {
  timeOnce(c.real, c.env); // warm the page cache and pip's own caches
  timeOnce(c.shim, c.env);
  const real = [];
  const shim = [];
  for (let i = 0; i < rounds; i++) {
    // Alternate which goes first so neither always benefits from the other's warm-up.
    if (i % 2 === 0) {
      real.push(timeOnce(c.real, c.env));
      shim.push(timeOnce(c.shim, c.env));
    } else {
      shim.push(timeOnce(c.shim, c.env));
      real.push(timeOnce(c.real, c.env));
    }
  }
  const realMedian = median(real);
  const shimMedian = median(shim);
  results.push({
    case: c.name,
    rounds,
    realMedianMs: Number(realMedian.toFixed(2)),
    shimMedianMs: Number(shimMedian.toFixed(2)),
    overheadMs: Number((shimMedian - realMedian).toFixed(2)),
    overheadPercent: Number((((shimMedian - realMedian) / realMedian) * 100).toFixed(2)),
  });
}

const report = { realPip, node: process.version, targetPercent: 5, results };
if (json) {
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
} else {
  console.log(`real pip: ${realPip}; ${rounds} interleaved rounds; medians`);
  const header = ['case', 'real pip ms', 'bin/pip ms', 'overhead ms', 'overhead %'];
  const rows = results.map((r) => [r.case, r.realMedianMs.toFixed(1), r.shimMedianMs.toFixed(1), r.overheadMs.toFixed(1), `${r.overheadPercent.toFixed(1)}%`]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  console.log(line(header));
  for (const row of rows) console.log(line(row));
}
