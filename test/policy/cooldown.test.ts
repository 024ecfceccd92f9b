// Cooldown (issue 14 §2): `min-age` in safe-pip's config, SAFE_PIP_MIN_AGE or the
// `--safe-pip-min-age` flag (which pip never sees) holds back releases
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
import { createRecordingPip } from '../cli/intercept/recording-pip.js';
import { withoutStagingArgs } from '../helpers/staging-options.js';

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

describe('--safe-pip-min-age', () => {
  it('download: the flag holds back fresh 2.0 and names itself; the real pip never sees it (it would stop at an unknown option)', async () => {
    const dest = makeTempDir('safe-');
    const result = await safe(['download', '-d', dest, '--safe-pip-min-age=3d', 'app']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).not.toContain('no such option');
    expect(readdirSync(dest).sort()).toEqual(['app-1.0-py3-none-any.whl', 'fresh-1.0-py3-none-any.whl']);
    expect(result.stderr).toMatch(/^safe-pip: min-age 3d \(--safe-pip-min-age\) held back fresh 2\.0 \(uploaded 1 hours ago\)/m);
  });
  it('the two-token form wins over SAFE_PIP_MIN_AGE (which alone lets fresh 2.0 through)', async () => {
    const alone = makeTempDir('safe-');
    expect((await safe(['download', '-d', alone, 'fresh'], { SAFE_PIP_MIN_AGE: '30m' })).exitCode).toBe(0);
    expect(readdirSync(alone)).toEqual(['fresh-2.0-py3-none-any.whl']);
    const dest = makeTempDir('safe-');
    const result = await safe(['download', '-d', dest, 'fresh', '--safe-pip-min-age', '3d'], { SAFE_PIP_MIN_AGE: '30m' });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(readdirSync(dest)).toEqual(['fresh-1.0-py3-none-any.whl']);
    expect(result.stderr).toContain('min-age 3d (--safe-pip-min-age) held back fresh 2.0');
  });
  it('--safe-pip-min-age=0 turns off the cooldown of SAFE_PIP_MIN_AGE and config.toml for this command', async () => {
    const dest = makeTempDir('safe-');
    const result = await safe(['download', '-d', dest, '--safe-pip-min-age=0', 'fresh'], { SAFE_PIP_MIN_AGE: '3d', XDG_CONFIG_HOME: configHome('min-age = "3d"\n') });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(readdirSync(dest)).toEqual(['fresh-2.0-py3-none-any.whl']);
    expect(result.stderr).not.toContain('held back');
  });
  it('safe-pip fetch takes the same flag: fresh 1.0 saved, 2.0 held back; a bad value is the same usage error', async () => {
    const fetch = (dest: string, flag: string) =>
      runCommand(SAFE_PIP, ['fetch', '-q', '-d', dest, '-i', server.indexUrl(), flag, 'fresh'], { env: { ...PLAIN_PIP_ENV, SAFE_PIP_REAL_PIP: REAL_PIP, SAFE_PIP_MIN_AGE: '30m' } });
    const plain = makeTempDir('fetch-');
    expect((await fetch(plain, '--safe-pip-min-age=0')).exitCode).toBe(0);
    expect(readdirSync(plain)).toEqual(['fresh-2.0-py3-none-any.whl']);
    const dest = makeTempDir('fetch-');
    const result = await fetch(dest, '--safe-pip-min-age=3d');
    expect(result.exitCode, result.stderr).toBe(0);
    expect(readdirSync(dest)).toEqual(['fresh-1.0-py3-none-any.whl']);
    const bad = await fetch(makeTempDir('fetch-'), '--safe-pip-min-age=soon');
    expect({ exitCode: bad.exitCode, stderr: bad.stderr }).toEqual({
      exitCode: 2,
      stderr: 'safe-pip: error: --safe-pip-min-age: "soon" is not a duration (write it as 3d, 12h, 90m, 2w, or a number of days; 0 turns the cooldown off)\n',
    });
  });
  it('install --target: the constraints handed to pip carry the flag\'s choice', async () => {
    const target = makeTempDir('target-');
    const result = await safe(['install', '--safe-pip-min-age', '3d', '--target', target, 'app']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(readdirSync(target).filter((n) => n.endsWith('.dist-info')).sort()).toEqual(['app-1.0.dist-info', 'fresh-1.0.dist-info']);
  });
  it('what pip receives: the user\'s command line without the flag, plus the constraints it chose', async () => {
    const pip = createRecordingPip();
    const target = makeTempDir('target-');
    const result = await runCommand(SAFE_PIP, ['pip', 'install', '--safe-pip-min-age', '3d', '--target', target, 'app', '-i', server.indexUrl()], { env: { ...PLAIN_PIP_ENV, SAFE_PIP_REAL_PIP: pip.path } });
    expect(result.exitCode, result.stderr).toBe(0);
    const calls = pip.calls();
    expect(calls).toHaveLength(1);
    const constraints = calls[0]!.argv[calls[0]!.argv.indexOf('-c') + 1]!;
    // The wheels safe-pip fetched (install-staging.ts) are found in its private directory.
    const { rest, runDir } = withoutStagingArgs(calls[0]!.argv);
    expect(constraints.startsWith(`${runDir}/`)).toBe(true);
    expect(rest).toEqual(['install', '--target', target, 'app', '-i', server.indexUrl(), '-c', constraints, '--only-binary=:all:']);
    expect(calls[0]!.files[constraints]).toBe('app==1.0\nfresh==1.0\n');
  });
  it('explain accepts it: the plan takes fresh 1.0, the note names the flag, and pip\'s command line does not carry it', async () => {
    const dest = makeTempDir('safe-');
    const result = await runCommand(SAFE_PIP, ['explain', '--json', 'download', '-d', dest, '--safe-pip-min-age=3d', 'app', '-i', server.indexUrl()], { env: { SAFE_PIP_REAL_PIP: REAL_PIP } });
    expect(result.exitCode, result.stderr).toBe(0);
    const plan = JSON.parse(result.stdout) as { packages: { name: string; version: string }[]; pipArgs: string[]; notes: string[] };
    expect(plan.packages.map((p) => `${p.name} ${p.version}`).sort()).toEqual(['app 1.0', 'fresh 1.0']);
    expect(plan.pipArgs).toEqual(['download', '-d', dest, '-i', server.indexUrl(), '-r', '<temp>/safe-pip-pins.txt', '--no-deps', '--only-binary=:all:']);
    expect(plan.notes.find((n) => n.startsWith('min-age'))).toMatch(/^min-age 3d \(--safe-pip-min-age\) held back fresh 2\.0/);
    expect(readdirSync(dest)).toEqual([]);
  });
  it('a missing or bad value: one safe-pip error line, exit 2, nothing run or saved', async () => {
    for (const [args, message] of [
      [['--safe-pip-min-age'], '--safe-pip-min-age needs a duration, such as --safe-pip-min-age=3d'],
      [['--safe-pip-min-age=soon'], '--safe-pip-min-age: "soon" is not a duration (write it as 3d, 12h, 90m, 2w, or a number of days; 0 turns the cooldown off)'],
    ] as const) {
      const dest = makeTempDir('safe-');
      const result = await runCommand(SAFE_PIP, ['pip', 'download', '-d', dest, '-i', server.indexUrl(), 'fresh', ...args], { env: { ...PLAIN_PIP_ENV, SAFE_PIP_REAL_PIP: REAL_PIP } });
      expect({ exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr }).toEqual({ exitCode: 2, stdout: '', stderr: `safe-pip: error: ${message}\n` });
      expect(readdirSync(dest)).toEqual([]);
      const explained = await runCommand(SAFE_PIP, ['explain', 'download', '-d', dest, 'fresh', ...args], { env: { SAFE_PIP_REAL_PIP: REAL_PIP } });
      expect({ exitCode: explained.exitCode, stderr: explained.stderr }).toEqual({ exitCode: 2, stderr: `safe-pip: error: ${message}\n` });
    }
  });
});
