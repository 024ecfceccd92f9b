// Cooldown (issue 14 §2): `min-age` in safe-pip's config or SAFE_PIP_MIN_AGE holds back releases
// uploaded too recently (PEP 700 upload-time), for every pip. Shown open first: plain pip takes
// the release uploaded an hour ago; through safe-pip the older one is taken (download: the pins;
// install: constraints handed to pip), the held-back release is listed with its age, exemptions
// and an index without upload times behave as documented (docs/beyond-pip.md).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startIndexServer, type IndexServer } from '../helpers/index-server.js';
import { PLAIN_PIP_ENV, runCommand, runPlainPip, type RunResult } from '../helpers/run-cli.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { buildWheel } from '../helpers/wheel-builder.js';
import { REAL_PIP, SAFE_PIP } from './vector-world.js';

const HOUR = 3_600_000;
let server: IndexServer;

beforeAll(async () => {
  const ago = (ms: number): string => new Date(Date.now() - ms).toISOString();
  server = await startIndexServer({
    format: 'json',
    projects: {
      fresh: [
        { ...(await buildWheel({ name: 'fresh', version: '1.0' })), uploadTime: ago(30 * 24 * HOUR) },
        { ...(await buildWheel({ name: 'fresh', version: '2.0' })), uploadTime: ago(HOUR) },
      ],
      app: [{ ...(await buildWheel({ name: 'app', version: '1.0', requiresDist: ['fresh'] })), uploadTime: ago(10 * 24 * HOUR) }],
      untimed: [await buildWheel({ name: 'untimed', version: '1.0' })],
    },
  });
});
afterAll(() => server?.close());

function safe(args: string[], env: Record<string, string> = {}): Promise<RunResult> {
  return runCommand(SAFE_PIP, ['pip', ...args, '-i', server.indexUrl()], { env: { ...PLAIN_PIP_ENV, SAFE_PIP_REAL_PIP: REAL_PIP, ...env } });
}

function configHome(toml: string): string {
  const home = makeTempDir('xdg-');
  mkdirSync(join(home, 'safe-pip'));
  writeFileSync(join(home, 'safe-pip', 'config.toml'), toml);
  return home;
}

describe('min-age', () => {
  it('download: plain pip takes fresh 2.0 (an hour old); with SAFE_PIP_MIN_AGE=3d safe-pip takes 1.0 and says why', async () => {
    const plainDest = makeTempDir('plain-');
    const plain = await runPlainPip(['download', '-d', plainDest, '-i', server.indexUrl(), 'app']);
    expect(plain.exitCode, plain.stderr).toBe(0);
    expect(readdirSync(plainDest).sort()).toEqual(['app-1.0-py3-none-any.whl', 'fresh-2.0-py3-none-any.whl']);

    const dest = makeTempDir('safe-');
    const result = await safe(['download', '-d', dest, 'app'], { SAFE_PIP_MIN_AGE: '3d' });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(readdirSync(dest).sort()).toEqual(['app-1.0-py3-none-any.whl', 'fresh-1.0-py3-none-any.whl']);
    expect(result.stderr).toMatch(/^safe-pip: min-age 3d \(SAFE_PIP_MIN_AGE\) held back fresh 2\.0 \(uploaded 1 hours ago\)/m);
  });
  it('install --target: pip is constrained to what safe-pip chose (min-age in config.toml)', async () => {
    const target = makeTempDir('target-');
    const result = await safe(['install', '--target', target, 'app'], { XDG_CONFIG_HOME: configHome('min-age = "3d"\n') });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(readdirSync(target).filter((n) => n.endsWith('.dist-info')).sort()).toEqual(['app-1.0.dist-info', 'fresh-1.0.dist-info']);
  });
  it('an exempt project is not held back', async () => {
    const dest = makeTempDir('safe-');
    const result = await safe(['download', '-d', dest, 'fresh'], { SAFE_PIP_MIN_AGE: '3d', SAFE_PIP_MIN_AGE_EXEMPT: 'Fresh' });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(readdirSync(dest)).toEqual(['fresh-2.0-py3-none-any.whl']);
  });
  it('no upload time on the index: kept with one warning by default; refused with min-age-missing = "refuse"', async () => {
    const dest = makeTempDir('safe-');
    const kept = await safe(['download', '-d', dest, 'untimed'], { SAFE_PIP_MIN_AGE: '3d' });
    expect(kept.exitCode, kept.stderr).toBe(0);
    expect(readdirSync(dest)).toEqual(['untimed-1.0-py3-none-any.whl']);
    expect(kept.stderr.split('\n').filter((l) => l.includes('no upload time'))).toHaveLength(1);
    const refused = await safe(['download', '-d', makeTempDir('safe-'), 'untimed'], { XDG_CONFIG_HOME: configHome('min-age = "3d"\nmin-age-missing = "refuse"\n') });
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain('untimed');
  });
  it('a min-age that is no duration is a clear error', async () => {
    const result = await safe(['download', '-d', makeTempDir('safe-'), 'fresh'], { SAFE_PIP_MIN_AGE: 'three days' });
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain('safe-pip: error: SAFE_PIP_MIN_AGE: min-age "three days" is not a duration');
    expect(result.stderr).toContain('hint: write it as "3d"');
  });
});
