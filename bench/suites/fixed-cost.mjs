// Issue 12 §1/§2: what safe-pip adds to one intercepted command when there is nothing to resolve.
//
// fixed cost  `pip install --target T --no-index WHEEL`, the wheel already in T, warm safe-pip
//             cache (an untimed run first), through bin/pip vs the real pip alone; once with the
//             real pip behind a pyenv shim (when `pip` on PATH is one) and once a plain venv's pip
//             (both the machine's pip release); with `--pip`, a third time with that pip (each pip
//             release writes its own script: pip 26.3's calls cli(), not main()).
//             Target: at most 60 ms over the real pip.
// start-up    information rows, no pip involved: `node -e 0`, `safe-pip --help` (Node start-up and
//             the CLI's entry) and `safe-pip explain` of the same command (what the intercept path
//             loads and decides, warm cache, with the venv's pip).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { interleave, round, summarize, timeCommand } from '../lib/measure.mjs';
import { buildWheel, metadataText } from '../lib/wheel-closure.mjs';

export const FIXED_COST_TARGET_MS = 60;

function pyenvShimPip(env) {
  let pip;
  try {
    pip = execFileSync('/bin/sh', ['-c', 'command -v pip'], { env, encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
  const text = existsSync(pip) ? readFileSync(pip, 'utf8').slice(0, 2000) : '';
  return /\/libexec\/pyenv" exec "\$program"/.test(text) ? pip : null;
}

async function writeWheel(dir) {
  const metadata = metadataText('bench-fixed-cost', '1.0', '>=3.8', [], []);
  const wheel = await buildWheel({ name: 'bench_fixed_cost', version: '1.0', tags: 'py3-none-any', metadata, payload: Buffer.alloc(16) });
  const path = join(dir, wheel.filename);
  writeFileSync(path, wheel.data);
  return path;
}

export async function runFixedCost({ bin, env, scratch, rounds, log, node, chosenPip = null }) {
  const dir = join(scratch, 'fixed-cost');
  mkdirSync(dir, { recursive: true });
  const wheel = await writeWheel(dir);
  const venv = join(dir, 'venv');
  log('fixed cost: creating a venv');
  execFileSync('python3', ['-m', 'venv', venv], { env, stdio: 'ignore' });
  const pips = [
    { name: 'pyenv shim', pip: pyenvShimPip(env) },
    { name: 'venv', pip: join(venv, 'bin', 'pip') },
    ...(chosenPip === null ? [] : [{ name: `--pip, ${chosenPip.version}`, pip: chosenPip.pip }]),
  ];
  const rows = [];
  for (const { name, pip } of pips) {
    if (pip === null) {
      rows.push({ case: `install --target, already there (${name})`, skipped: '`pip` on PATH is not a pyenv shim' });
      continue;
    }
    const target = join(dir, `target-${name.replace(/\W+/g, '-')}`);
    const runEnv = { ...env, SAFE_PIP_REAL_PIP: pip, SAFE_PIP_CACHE_DIR: join(dir, 'safe-pip-cache'), PIP_CACHE_DIR: join(dir, 'pip-cache'), XDG_CACHE_HOME: join(dir, 'xdg-cache') };
    const args = ['install', '--target', target, '--no-index', wheel];
    log(`fixed cost: ${name} (${rounds} rounds)`);
    await timeCommand(pip, args, { env: runEnv, cwd: dir }); // fills the target
    await timeCommand(join(bin, 'pip'), args, { env: runEnv, cwd: dir }); // fills safe-pip's cache
    const samples = await interleave(
      [
        { name: 'real', run: () => timeCommand(pip, args, { env: runEnv, cwd: dir }) },
        { name: 'shim', run: () => timeCommand(join(bin, 'pip'), args, { env: runEnv, cwd: dir }) },
      ],
      rounds,
    );
    const real = summarize(samples.real);
    const shim = summarize(samples.shim);
    const overheadMs = round(shim.medianMs - real.medianMs);
    rows.push({ case: `install --target, already there (${name})`, pip, rounds, real, shim, overheadMs, target: { maxMs: FIXED_COST_TARGET_MS, met: overheadMs <= FIXED_COST_TARGET_MS } });
  }

  const venvPip = join(venv, 'bin', 'pip');
  const startEnv = { ...env, SAFE_PIP_REAL_PIP: venvPip, SAFE_PIP_CACHE_DIR: join(dir, 'safe-pip-cache') };
  const explainArgs = ['explain', 'install', '--target', join(dir, 'target-venv'), '--no-index', wheel];
  // Node's bare start as the launcher gives it: without NODE_EXTRA_CA_CERTS, which the launcher
  // hides from Node (Node 20 would parse the file as it starts, ~50 ms for a system bundle).
  const { NODE_EXTRA_CA_CERTS: _deferred, ...nodeEnv } = startEnv;
  const startup = [
    { name: 'node -e 0', file: node, args: ['-e', '0'], env: nodeEnv },
    { name: 'safe-pip --help', file: join(bin, 'safe-pip'), args: ['--help'] },
    { name: 'safe-pip explain (warm)', file: join(bin, 'safe-pip'), args: explainArgs },
  ];
  log(`start-up (${rounds * 2} rounds)`);
  for (const s of startup) await timeCommand(s.file, s.args, { env: s.env ?? startEnv, cwd: dir });
  const startSamples = await interleave(
    startup.map((s) => ({ name: s.name, run: () => timeCommand(s.file, s.args, { env: s.env ?? startEnv, cwd: dir }) })),
    rounds * 2,
  );
  const startRows = startup.map((s) => ({ case: s.name, ...summarize(startSamples[s.name]) }));
  return { name: 'fixed-cost', rows, startup: startRows };
}
