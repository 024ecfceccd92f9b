// The offline malware data (src/io/advisories.ts) and `safe-pip update-advisories`
// (src/cli/advisories-command.ts): a small OSV zip written by the test, read from a file or served
// on loopback, reduced to its MAL- records in the cache, written atomically; doctor's status.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { advisoriesPath, advisoriesStatus, loadAdvisories, updateAdvisories } from '../../src/io/advisories.js';
import { HttpClient } from '../../src/io/http/client.js';
import { runUpdateAdvisories } from '../../src/cli/advisories-command.js';
import { advisoriesUrl } from '../../src/cli/intercept/beyond-pip-settings.js';
import { matchMalware } from '../../src/standards/osv.js';
import { startIndexServer, type IndexServer } from '../helpers/index-server.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { malRecord, writeOsvZip } from '../helpers/osv-zip.js';

const SHA = 'b'.repeat(64);
let zipPath: string;
let server: IndexServer;
beforeAll(async () => {
  zipPath = await writeOsvZip(
    [
      malRecord('MAL-2099-1', 'evil-pkg', { versions: ['1.0'], files: [{ filename: 'evil_pkg-1.0-py3-none-any.whl', sha256: SHA }] }),
      malRecord('MAL-2099-2', 'typosquat', { allVersions: true }),
      malRecord('MAL-2099-3', 'withdrawn-pkg', { versions: ['1.0'], withdrawn: '2026-03-01T00:00:00Z' }),
      { ...malRecord('MAL-2099-4', 'x', { versions: ['1'] }), id: 'PYSEC-2099-4' },
    ],
    { 'GHSA-aaaa-bbbb-cccc.json': JSON.stringify({ id: 'GHSA-aaaa-bbbb-cccc', affected: [{ package: { ecosystem: 'PyPI', name: 'requests' }, versions: ['2.0'] }] }), 'MAL-broken.json': '{ not json' },
  );
  server = await startIndexServer({ projects: { osv: [{ filename: 'all.zip', data: readFileSync(zipPath) }] } });
});
afterAll(async () => {
  await server?.close();
});

describe('updateAdvisories', () => {
  it('from a file: keeps only live MAL records, written in the cache', async () => {
    const cache = makeTempDir('cache-');
    const result = await updateAdvisories(cache, { kind: 'file', path: zipPath }, new Date('2026-05-01T12:00:00Z'));
    expect(result.status).toEqual({ path: advisoriesPath(cache), updatedAt: '2026-05-01T12:00:00.000Z', records: 2, source: zipPath });
    expect(result.skipped).toEqual(['MAL-broken.json']);
    const index = (await loadAdvisories(cache))!;
    expect(Object.keys(index.projects).sort()).toEqual(['evil-pkg', 'typosquat']);
    expect(matchMalware(index, { name: 'whatever', version: '9', sha256s: [SHA] })).toHaveLength(1);
    // Nothing but the index is left behind (no temporaries).
    expect(readdirSync(join(cache, 'advisories'))).toEqual(['pypi-malicious.json']);
    expect(await advisoriesStatus(cache)).toEqual(result.status);
  });
  it('from a URL on loopback: downloaded to a temporary file, then indexed; the temporary is removed', async () => {
    const cache = makeTempDir('cache-');
    const http = new HttpClient({});
    try {
      const result = await updateAdvisories(cache, { kind: 'url', url: server.fileUrl('all.zip'), http });
      expect(result.status.records).toBe(2);
      expect(result.status.source).toBe(server.fileUrl('all.zip'));
    } finally {
      await http.close();
    }
    expect(readdirSync(join(cache, 'advisories'))).toEqual(['pypi-malicious.json']);
  });
  it('a failed update keeps the previous data', async () => {
    const cache = makeTempDir('cache-');
    await updateAdvisories(cache, { kind: 'file', path: zipPath });
    const before = readFileSync(advisoriesPath(cache), 'utf8');
    const bad = join(makeTempDir('bad-'), 'all.zip');
    writeFileSync(bad, 'not a zip');
    await expect(updateAdvisories(cache, { kind: 'file', path: bad })).rejects.toThrow(/is not a readable zip file/);
    const http = new HttpClient({ retries: 0 });
    try {
      await expect(updateAdvisories(cache, { kind: 'url', url: `${server.url}/missing.zip`, http })).rejects.toThrow(/HTTP 404/);
    } finally {
      await http.close();
    }
    expect(readFileSync(advisoriesPath(cache), 'utf8')).toBe(before);
    expect(readdirSync(join(cache, 'advisories'))).toEqual(['pypi-malicious.json']);
  });
  it('no data yet: status null, nothing loaded', async () => {
    const cache = makeTempDir('cache-');
    expect(await advisoriesStatus(cache)).toBeNull();
    expect(existsSync(advisoriesPath(cache))).toBe(false);
  });
});

describe('advisoriesUrl', () => {
  it('SAFE_PIP_ADVISORIES_URL, else advisories-url in the user config, else OSV', () => {
    const config = makeTempDir('xdg-');
    const env = { HOME: makeTempDir('home-'), XDG_CONFIG_HOME: config, SAFE_PIP_ETC_DIR: makeTempDir('etc-') };
    expect(advisoriesUrl(env)).toEqual({ url: 'https://osv-vulnerabilities.storage.googleapis.com/PyPI/all.zip', source: 'default' });
    const file = join(config, 'safe-pip', 'config.toml');
    mkdirSync(join(config, 'safe-pip'), { recursive: true });
    writeFileSync(file, 'advisories-url = "https://mirror.example/osv/all.zip"\n');
    expect(advisoriesUrl(env)).toEqual({ url: 'https://mirror.example/osv/all.zip', source: file });
    expect(advisoriesUrl({ ...env, SAFE_PIP_ADVISORIES_URL: 'http://127.0.0.1:1/all.zip' }).source).toBe('SAFE_PIP_ADVISORIES_URL');
  });
});

describe('safe-pip update-advisories', () => {
  it('--file into SAFE_PIP_CACHE_DIR, --json output; --status reads it back', async () => {
    const cache = makeTempDir('cache-');
    const out: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string) => (out.push(String(chunk)), true)) as typeof process.stdout.write;
    try {
      expect(await runUpdateAdvisories(['--file', zipPath, '--json'], { env: { ...process.env, SAFE_PIP_CACHE_DIR: cache }, realPipHandOff: undefined })).toBe(0);
      expect(await runUpdateAdvisories(['--status', '--json'], { env: { ...process.env, SAFE_PIP_CACHE_DIR: cache }, realPipHandOff: undefined })).toBe(0);
    } finally {
      process.stdout.write = write;
    }
    const [update, status] = out.map((text) => JSON.parse(text) as Record<string, unknown>);
    expect(update).toMatchObject({ path: advisoriesPath(cache), records: 2, skipped: ['MAL-broken.json'] });
    expect(status).toMatchObject({ path: advisoriesPath(cache), records: 2, source: zipPath });
  });
  it('from the URL in SAFE_PIP_ADVISORIES_URL', async () => {
    const cache = makeTempDir('cache-');
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = (() => true) as typeof process.stdout.write;
    try {
      expect(await runUpdateAdvisories(['--json'], { env: { ...process.env, SAFE_PIP_CACHE_DIR: cache, SAFE_PIP_ADVISORIES_URL: server.fileUrl('all.zip') }, realPipHandOff: undefined })).toBe(0);
    } finally {
      process.stdout.write = write;
    }
    expect((await advisoriesStatus(cache))?.records).toBe(2);
  });
  it('usage errors', async () => {
    await expect(runUpdateAdvisories(['--bogus'], { env: process.env, realPipHandOff: undefined })).rejects.toThrow(/unknown argument "--bogus"/);
    await expect(runUpdateAdvisories(['--file', 'a', '--url', 'b'], { env: process.env, realPipHandOff: undefined })).rejects.toThrow(/not both/);
  });
});
