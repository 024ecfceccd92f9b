// Timing primitives for the benchmarks: a clean environment, one timed child process (async, so
// the loopback index in this same process keeps answering), interleaved rounds and statistics.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The environment every benchmarked command gets: the caller's, minus every PIP_* / SAFE_PIP_* /
 * _PIP_* variable (this machine sets PIP_FIND_LINKS, PIP_CERT, PIP_DEFAULT_TIMEOUT...), with pip
 * pointed at an empty config file and an empty XDG config home (so ~/.config/pip/pip.conf with its
 * find-links and extra indexes is not read), no version check, and the real pip named.
 */
export function cleanEnvironment(base, scratch, realPip) {
  const env = {};
  for (const [key, value] of Object.entries(base)) {
    if (key.startsWith('PIP_') || key.startsWith('SAFE_PIP_') || key.startsWith('_PIP_')) continue;
    if (key === 'XDG_CACHE_HOME' || key === 'XDG_CONFIG_HOME' || key === 'NODE_OPTIONS' || key === 'PYTHONPATH') continue;
    env[key] = value;
  }
  const configFile = join(scratch, 'pip.conf');
  writeFileSync(configFile, '');
  mkdirSync(join(scratch, 'xdg-config'), { recursive: true });
  env.PIP_CONFIG_FILE = configFile;
  env.XDG_CONFIG_HOME = join(scratch, 'xdg-config');
  env.PIP_DISABLE_PIP_VERSION_CHECK = '1';
  env.SAFE_PIP_REAL_PIP = realPip;
  env.NO_COLOR = '1';
  return env;
}

export function makeScratch(prefix = 'safe-pip-bench-') {
  return mkdtempSync(join(tmpdir(), prefix));
}

export const removeDir = (dir) => rmSync(dir, { recursive: true, force: true, maxRetries: 3 });

/**
 * Runs one command to completion; resolves to wall milliseconds. Rejects on a non-zero exit with
 * the tail of stderr, since a benchmark of a failing command measures nothing.
 */
export function timeCommand(file, args, { env, cwd } = {}) {
  return new Promise((resolve, reject) => {
    const stderr = [];
    let stderrBytes = 0;
    const start = process.hrtime.bigint();
    const child = spawn(file, args, { env, cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr.on('data', (chunk) => {
      stderr.push(chunk);
      stderrBytes += chunk.length;
      while (stderrBytes > 64_000 && stderr.length > 1) stderrBytes -= stderr.shift().length;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (code === 0) resolve(ms);
      else {
        const tail = Buffer.concat(stderr).toString('utf8').split('\n').slice(-15).join('\n');
        reject(new Error(`${file} ${args.join(' ')} exited with ${signal ?? code}\n${tail}`));
      }
    });
  });
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function summarize(values) {
  return { runs: values.length, medianMs: round(median(values)), minMs: round(Math.min(...values)), maxMs: round(Math.max(...values)), samplesMs: values.map(round) };
}

export const round = (x, digits = 2) => Number(x.toFixed(digits));

/**
 * Interleaved rounds: every round runs each variant once; the order rotates from round to round
 * so none always runs first (page cache, CPU frequency and machine load drift hit all alike).
 * Each variant: { name, setup?(): ctx, run(ctx): Promise<number ms>, teardown?(ctx) }, where
 * setup/teardown are outside the timing.
 * @returns {Promise<Record<string, number[]>>}
 */
export async function interleave(variants, rounds, { onRound } = {}) {
  const samples = Object.fromEntries(variants.map((v) => [v.name, []]));
  for (let r = 0; r < rounds; r++) {
    const offset = r % variants.length;
    const order = [...variants.slice(offset), ...variants.slice(0, offset)];
    for (const variant of r % 2 === 1 ? order.reverse() : order) {
      const context = variant.setup ? await variant.setup() : undefined;
      try {
        samples[variant.name].push(await variant.run(context));
      } finally {
        if (variant.teardown) await variant.teardown(context);
      }
    }
    onRound?.(r + 1);
  }
  return samples;
}
