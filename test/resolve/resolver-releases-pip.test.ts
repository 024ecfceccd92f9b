// Differential test of the per-release resolver rules against every pip of the matrix
// (test/helpers/pip-matrix.ts): each scenario of harness/release-scenarios.ts is a wheel-only
// loopback index, so pip runs no package code. pip X runs `install --dry-run --ignore-installed
// --only-binary :all: --report` in its own venv; safe-pip resolves the same request as pip X. The
// chosen files must be the same, or both must fail the same way; and pip X's answer must be the
// one the scenario records for that release (so the in-memory tests in resolver-releases.test.ts
// assert what the real pips do). `pip download` of one scenario checks the files saved.
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachPip } from '../helpers/pip-matrix.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { dryRunInvocation, pipRuns, type PipRun } from './harness/pip-oracle.js';
import { targetEnvironment, type TargetEnvironment } from './harness/loopback.js';
import { expectedAnswer, RELEASE_SCENARIOS, type ReleaseAnswer } from './harness/release-scenarios.js';
import { choices, pipArgs, resolveWithSafePip, serveScenarios, type ServedScenarios } from './harness/scenarios.js';

const DOWNLOADED = 'upper-bound-root-first';

let env: TargetEnvironment;
let served: ServedScenarios;

beforeAll(async () => {
  env = await targetEnvironment();
  served = await serveScenarios(RELEASE_SCENARIOS);
}, 300_000);

afterAll(async () => {
  await served?.server.close();
});

function pipAnswer(run: PipRun): ReleaseAnswer {
  if (run.exit === 1) return 'impossible';
  if (run.exit !== 0) return 'crashed';
  return run.installs.map((i) => `${i.name}==${i.version}`).sort();
}

describe('safe-pip resolves as each pip release does', () => {
  describeEachPip('all', (pip) => {
    let runs: PipRun[];
    let download: { dir: string; run: PipRun };

    beforeAll(async () => {
      const dir = makeTempDir('pip-release-download-');
      const scenario = RELEASE_SCENARIOS.find((s) => s.name === DOWNLOADED)!;
      const invocations = [...RELEASE_SCENARIOS.map((s) => dryRunInvocation(pipArgs(s, served))), { args: ['download', '--only-binary', ':all:', '-q', '-d', dir, ...pipArgs(scenario, served)] }];
      const all = await pipRuns(invocations, pip.python);
      runs = all.slice(0, RELEASE_SCENARIOS.length);
      download = { dir, run: all[RELEASE_SCENARIOS.length]! };
    }, 600_000);

    it.each(RELEASE_SCENARIOS.map((s, i) => [s.name, i] as const))('%s', async (_name, index) => {
      const scenario = RELEASE_SCENARIOS[index]!;
      const run = runs[index]!;
      const answer = pipAnswer(run);
      expect(answer, `pip ${pip.version}: ${run.stderr.trim().split('\n').slice(-3).join(' / ')}`).toEqual(expectedAnswer(scenario, pip.version));
      const ours = await resolveWithSafePip(scenario, served, { ...env, pipVersion: pip.version }, pip.version);
      if (answer === 'impossible' || answer === 'crashed') {
        expect(ours.ok, 'pip failed but safe-pip resolved').toBe(false);
        if (!ours.ok) expect(ours.error.message.includes('internal error')).toBe(answer === 'crashed');
        return;
      }
      expect(ours.ok ? null : ours.error.message, 'pip resolved but safe-pip failed').toBeNull();
      if (!ours.ok) return;
      expect(choices(ours.resolution.packages.map((p) => ({ name: p.name, url: p.candidate.entry.file.url })))).toEqual(choices(run.installs));
    });

    it(`pip download saves the files safe-pip chooses (${DOWNLOADED})`, async () => {
      expect(download.run.exit, download.run.stderr).toBe(0);
      const ours = await resolveWithSafePip(RELEASE_SCENARIOS.find((s) => s.name === DOWNLOADED)!, served, { ...env, pipVersion: pip.version }, pip.version);
      expect(ours.ok).toBe(true);
      if (!ours.ok) return;
      expect(ours.resolution.packages.map((p) => p.candidate.entry.file.filename).sort()).toEqual(readdirSync(download.dir).sort());
    });
  });
});
