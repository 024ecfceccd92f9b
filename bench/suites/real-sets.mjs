// Issue 12 §2: `safe-pip fetch` against `pip download --only-binary :all:` on real requirement sets,
// over a loopback copy of a real wheel mirror (mirror-server.mjs; by default the one this machine's
// pip is configured with, /opt/pypi: 843 projects), cold caches both (and safe-pip warm, for
// information). Target: the sum over the sets at most 0.25× pip's, and every set at most 0.5×.
// What each set must leave in the destination is what pip itself saves in an untimed first run;
// a set the mirror cannot satisfy is reported as such, not timed.
import { mkdtempSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { removeDir, round, timeCommand } from '../lib/measure.mjs';
import { DEFAULT_MIRROR, isMirror, startMirrorServer } from '../lib/mirror-server.mjs';
import { runAgainstPip } from './against-pip.mjs';

export const REAL_SETS = [['flask'], ['jupyter'], ['pandas', 'scikit-learn', 'matplotlib'], ['fastapi'], ['sphinx'], ['boto3'], ['django'], ['requests[socks]', 'click'], ['aiohttp'], ['alembic']];

export const REAL_SETS_TARGET = { sumMaxRatio: 0.25, eachMaxRatio: 0.5 };

/**
 * @returns {Promise<{ mirror: string, sets: object[], skipped: string | null, sum: object | null }>}
 *   sets: one runAgainstPip result per set that could be measured (name `fetch-real-<set>`), or
 *   `{ name, requirements, skipped }`.
 */
export async function runRealSets({ mirror = DEFAULT_MIRROR, rounds, bin, realPip, env, scratch, log }) {
  if (!isMirror(mirror)) return { mirror, sets: [], skipped: `no wheel mirror at ${mirror} (a folder with simple/<project>/index.html)`, sum: null };
  const server = await startMirrorServer(mirror);
  const sets = [];
  try {
    for (const requirements of REAL_SETS) {
      const label = requirements.join(' ');
      const name = `fetch-real-${requirements.map((r) => r.replace(/\W+/g, '_')).join('+')}`;
      log(`${name}: ${rounds} rounds at ${server.indexUrl}`);
      const expectedFiles = await pipsPicks(realPip, server.indexUrl, requirements, env, scratch);
      if (typeof expectedFiles === 'string') {
        sets.push({ name, requirements: label, skipped: expectedFiles });
        continue;
      }
      const closure = { root: requirements, size: expectedFiles.size, expectedFiles, wheelCount: expectedFiles.size };
      const result = await runAgainstPip({ kind: 'fetch', closure, server, rounds, warmUp: false, bin, realPip, env, scratch, log });
      sets.push({ ...result, name, kind: 'fetch-real', requirements: label, files: expectedFiles.size, size: null });
    }
  } finally {
    await server.close();
  }
  const measured = sets.filter((s) => s.skipped === undefined);
  let sum = null;
  if (measured.length > 0) {
    const total = (variant) => round(measured.reduce((acc, s) => acc + s.variants[variant].medianMs, 0), 1);
    const pip = total('pip');
    const cold = total('safe-pip cold');
    const warm = total('safe-pip warm');
    const ratio = round(cold / pip, 3);
    sum = {
      sets: measured.length,
      pipMs: pip,
      coldMs: cold,
      warmMs: warm,
      ratio,
      warmRatio: round(warm / pip, 3),
      target: { ...REAL_SETS_TARGET, met: ratio <= REAL_SETS_TARGET.sumMaxRatio && measured.every((s) => s.ratios['safe-pip cold'] <= REAL_SETS_TARGET.eachMaxRatio) && measured.length === sets.length },
    };
  }
  return { mirror, sets, skipped: null, sum };
}

/** The files pip saves for these requirements from the mirror (an untimed run), or why it cannot. */
async function pipsPicks(realPip, indexUrl, requirements, env, scratch) {
  const runDir = mkdtempSync(join(scratch, 'picks-'));
  const dest = join(runDir, 'dest');
  const runEnv = { ...env, PIP_CACHE_DIR: join(runDir, 'cache'), XDG_CACHE_HOME: join(runDir, 'cache') };
  try {
    await timeCommand(realPip, ['download', '--only-binary', ':all:', '-d', dest, '-i', indexUrl, ...requirements], { env: runEnv, cwd: runDir });
    return new Set(readdirSync(dest));
  } catch (error) {
    return `pip cannot download it from the mirror: ${String(error.message).split('\n').filter(Boolean).pop()}`;
  } finally {
    removeDir(runDir);
  }
}
