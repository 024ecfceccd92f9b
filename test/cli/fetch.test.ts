// `safe-pip fetch` against `pip download --only-binary :all:` on wheel-only loopback indexes (pip runs
// no package code there), plus --sdist, --json and the failures a careful user expects.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startIndexServer, type IndexServer } from '../helpers/index-server.js';
import { buildWheel } from '../helpers/wheel-builder.js';
import { buildSdist } from '../helpers/sdist-builder.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { runCommand, runPlainPip } from '../helpers/run-cli.js';

const SAFE_PIP = join(process.cwd(), 'bin', 'safe-pip');
let server: IndexServer;

beforeAll(async () => {
  const wheels = await Promise.all([
    buildWheel({ name: 'app', version: '1.0', requiresDist: ['lib>=1', 'extra-dep ; extra == "fancy"', 'winonly ; sys_platform == "win32"'] }),
    buildWheel({ name: 'app', version: '2.0rc1', requiresDist: ['lib>=1'] }),
    buildWheel({ name: 'lib', version: '1.0' }),
    buildWheel({ name: 'lib', version: '1.5' }),
    buildWheel({ name: 'lib', version: '1.6', requiresPython: '<3' }),
    buildWheel({ name: 'extra-dep', version: '3.0' }),
    buildWheel({ name: 'winonly', version: '1.0' }),
  ]);
  const libSdist = await buildSdist({ name: 'lib', version: '1.5' });
  const [app1, app2, lib1, lib15, lib16, extra, win] = wheels;
  server = await startIndexServer({
    projects: {
      app: [app1!, app2!],
      lib: [lib1!, lib15!, { ...lib16!, requiresPython: '<3' }, libSdist],
      'extra-dep': [extra!],
      winonly: [win!],
    },
  });
});
afterAll(async () => server?.close());

async function fetchInto(args: string[], env: Record<string, string> = {}): Promise<{ dir: string; result: Awaited<ReturnType<typeof runCommand>> }> {
  const dir = makeTempDir();
  const result = await runCommand(SAFE_PIP, ['fetch', '-d', dir, '-i', server.indexUrl(), ...args], { env: { PIP_NO_CACHE_DIR: '1', ...env } });
  return { dir, result };
}

async function pipDownloadInto(args: string[]): Promise<string[]> {
  const dir = makeTempDir();
  const result = await runPlainPip(['download', '--only-binary', ':all:', '-d', dir, '-i', server.indexUrl(), ...args]);
  expect(result.exitCode, result.stderr).toBe(0);
  return readdirSync(dir).sort();
}

describe('safe-pip fetch chooses the files pip download would', () => {
  for (const args of [['app'], ['app[fancy]'], ['app', '--pre'], ['lib<1.5'], ['app', '--no-deps'], ['lib==1.0', 'app']]) {
    it(`fetch ${args.join(' ')}`, async () => {
      const expected = await pipDownloadInto(args);
      const { dir, result } = await fetchInto(args);
      expect(result.exitCode, result.stderr).toBe(0);
      expect(readdirSync(dir).sort()).toEqual(expected);
    });
  }
});

describe('safe-pip fetch options and output', () => {
  it('--sdist takes the chosen version\'s source archive', async () => {
    const { dir, result } = await fetchInto(['lib', '--sdist', '--no-deps']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(readdirSync(dir)).toEqual(['lib-1.5.tar.gz']);
  });

  it('--json reports every file with its hash, and nothing else on stdout', async () => {
    const { dir, result } = await fetchInto(['app', '--json']);
    expect(result.exitCode, result.stderr).toBe(0);
    const doc = JSON.parse(result.stdout) as { files: { filename: string; sha256: string; path: string }[] };
    expect(doc.files.map((f) => f.filename).sort()).toEqual(readdirSync(dir).sort());
    for (const file of doc.files) {
      const { createHash } = await import('node:crypto');
      expect(createHash('sha256').update(readFileSync(file.path)).digest('hex')).toBe(file.sha256);
    }
  });

  it('a file whose bytes do not match the index hash is not left behind', async () => {
    const bad = await buildWheel({ name: 'tampered', version: '1.0' });
    server.setProject('tampered', [{ ...bad, hash: 'wrong' }]);
    const { dir, result } = await fetchInto(['tampered']);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toMatch(/tampered-1\.0-py3-none-any\.whl/);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a requirement that nothing satisfies fails with pip-like wording and writes nothing', async () => {
    const { dir, result } = await fetchInto(['lib>=9']);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toMatch(/lib/);
    expect(existsSync(dir) ? readdirSync(dir) : []).toEqual([]);
  });

  it('no requirement at all is a usage error', async () => {
    const { result } = await fetchInto([]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/at least one requirement/);
  });
});
