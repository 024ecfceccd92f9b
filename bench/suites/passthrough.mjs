// 1. Pass-through overhead of the launchers (issue 2 §5, issue 6 §1): the real pip against bin/pip
// for `pip --version` and `pip list`, interleaved round by round, medians and the overhead in
// percent. Target: at most 5% over the real pip. Two more rows are for information: the
// launcher's own cost with a "pip" that is /bin/true (no pip noise), and the Node path (an
// abbreviated option the sh fast path does not recognise and hands to Node).
// Method from the first bench/passthrough.mjs: a warm-up run of each, then rounds alternating
// which goes first.
import { mkdtempSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { interleave, removeDir, round, summarize, timeCommand } from '../lib/measure.mjs';

export const PASSTHROUGH_TARGET_PERCENT = 5;

export async function runPassthrough({ bin, realPip, env, rounds, log }) {
  const trueDir = mkdtempSync(join(tmpdir(), 'safe-pip-bench-true-'));
  symlinkSync('/bin/true', join(trueDir, 'pip'));
  // The /bin/true case must not be told about the real pip: the launcher finds "pip" on PATH.
  const { SAFE_PIP_REAL_PIP: _unused, ...trueEnvBase } = env;
  const trueEnv = { ...trueEnvBase, PATH: `${trueDir}:${env.PATH ?? ''}` };
  const shim = join(bin, 'pip');
  const cases = [
    { name: 'pip --version', args: ['--version'], real: realPip, env, target: true },
    { name: 'pip list', args: ['list'], real: realPip, env, target: true },
    { name: 'launcher alone (pip = /bin/true) list', args: ['list'], real: join(trueDir, 'pip'), env: trueEnv, target: false },
    { name: 'pip --isol --version (Node path)', args: ['--isol', '--version'], real: realPip, env, target: false },
  ];
  const rows = [];
  try {
    for (const c of cases) {
      log(`pass-through: ${c.name} (${rounds} rounds)`);
      await timeCommand(c.real, c.args, { env: c.env }); // warm the page cache and pip's own caches
      await timeCommand(shim, c.args, { env: c.env });
      const samples = await interleave(
        [
          { name: 'real', run: () => timeCommand(c.real, c.args, { env: c.env }) },
          { name: 'shim', run: () => timeCommand(shim, c.args, { env: c.env }) },
        ],
        rounds,
      );
      const real = summarize(samples.real);
      const shimmed = summarize(samples.shim);
      const overheadPercent = round(((shimmed.medianMs - real.medianMs) / real.medianMs) * 100);
      rows.push({
        case: c.name,
        rounds,
        real,
        shim: shimmed,
        overheadMs: round(shimmed.medianMs - real.medianMs),
        overheadPercent,
        target: c.target ? { maxPercent: PASSTHROUGH_TARGET_PERCENT, met: overheadPercent <= PASSTHROUGH_TARGET_PERCENT } : null,
      });
    }
  } finally {
    removeDir(trueDir);
  }
  return { name: 'passthrough', rows };
}
