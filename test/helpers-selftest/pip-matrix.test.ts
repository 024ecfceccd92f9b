// The pip matrix (test/helpers/pip-matrix.ts, built by scripts/prepare-pip-matrix.mjs): each
// release's venv runs that very pip, the manifest covers the whole matrix, versions order as
// PEP 440 says.
import { describe, expect, it } from 'vitest';
import {
  PIP_MATRIX, availablePips, describeEachPip, pipAtLeast, pipMatrixManifest, pipRelease,
} from '../helpers/pip-matrix.js';
import { runPlainPip } from '../helpers/run-cli.js';

describe('pip matrix', () => {
  it('has the fixed releases and one newest 26.x, oldest first', () => {
    expect(PIP_MATRIX.slice(0, 8)).toEqual(['23.2.1', '24.0', '24.3.1', '25.0.1', '25.1.1', '25.2', '25.3', '26.0.1']);
    const newest = PIP_MATRIX.at(-1) ?? '';
    expect(newest).toMatch(/^26\./);
    if (newest !== '26.x') expect(pipAtLeast(newest, '26.0.1')).toBe(true);
  });

  it('has a manifest entry for every release of PIP_MATRIX, ready or with a reason', () => {
    const entries = pipMatrixManifest();
    expect(entries, 'no manifest: run `node scripts/prepare-pip-matrix.mjs` (npm test does it first)').not.toBeNull();
    const versions = (entries ?? []).map((entry) => entry.version);
    expect(versions).toEqual(expect.arrayContaining([...PIP_MATRIX]));
    for (const entry of entries ?? []) {
      if (entry.status === 'ready') {
        expect(entry.python).toMatch(/^\/.*\/bin\/python$/);
        expect(entry.pip).toMatch(/^\/.*\/bin\/pip$/);
      } else {
        expect(entry.reason, `pip ${entry.version} is missing without a reason`).toBeTruthy();
      }
    }
    expect((entries ?? []).filter((entry) => entry.newestOf === '26')).toHaveLength(1);
  });

  it('gives a reason for a release it does not have', () => {
    const unknown = pipRelease('9.9.9');
    expect(unknown).toMatchObject({ version: '9.9.9', skipReason: expect.stringContaining('prepare-pip-matrix') });
    expect(availablePips(['9.9.9'])).toEqual([]);
  });

  it('orders pip versions as PEP 440 does', () => {
    expect(pipAtLeast('23.10', '23.2.1')).toBe(true);
    expect(pipAtLeast('23.2.1', '23.10')).toBe(false);
    expect(pipAtLeast('23.2.1', '23.2')).toBe(true);
    expect(pipAtLeast('23.2', '23.2.1')).toBe(false);
    expect(pipAtLeast('24.0', '24')).toBe(true);
    expect(pipAtLeast('24', '24.0.0')).toBe(true);
    expect(pipAtLeast('25.0b1', '25.0')).toBe(false);
    expect(pipAtLeast('26.0.1.post1', '26.0.1')).toBe(true);
    expect(pipAtLeast({ version: '25.1.1', python: '/p', pip: '/q' }, '25.1')).toBe(true);
  });

  describeEachPip('all', (pip) => {
    it('runs that pip', async () => {
      const result = await runPlainPip(['--version'], { python: pip.python });
      expect(result.exitCode, result.stderr).toBe(0);
      expect(result.stdout).toMatch(new RegExp(`^pip ${pip.version.replaceAll('.', '\\.')} from `));
    });

    it('runs `pip debug --verbose`', async () => {
      const result = await runPlainPip(['debug', '--verbose'], { python: pip.python });
      expect(result.exitCode, result.stderr).toBe(0);
      expect(result.stdout).toContain(`pip version: pip ${pip.version} from `);
    });
  });
});
