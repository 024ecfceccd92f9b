// A cache that cannot be trusted or written: the user truncates a file safe-pip saved (it must not
// share an inode with the cache, or the cache breaks with it), someone replaces a cache entry with
// other bytes (every read of it is checked against its sha256: the entry is dropped and the file
// fetched again), and a cache that cannot be written (its path runs through a regular file; root
// ignores permission bits, so read-only folders prove nothing here) is skipped with one warning.
// The index has no PEP 658 metadata, so each wheel is read for its metadata: whole (and kept in the
// cache for the download) or through ranges (then downloaded, and a copy put in the cache).
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { buildWheel } from '../helpers/wheel-builder.js';
import type { BuiltDistribution } from '../helpers/archives.js';
import { cacheEnv, expectDestination, expectSuccess, makeSandbox, safePipDownload, safePipFetch, type Sandbox } from './harness.js';
import { serveProject, serveRanges, startHostileServer, type HostileServer } from './hostile-server.js';

/**
 * `app` (requires `helper`). With `ranges`, `app` is large and served with honest range support,
 * so its metadata is read through ranges and the download comes from the network (the path on
 * which a downloaded file used to be hard-linked into the cache).
 */
async function index(options: { ranges?: boolean } = {}): Promise<{ srv: HostileServer; app: BuiltDistribution; helper: BuiltDistribution }> {
  const srv = await startHostileServer();
  onTestFinished(() => srv.close());
  const helper = await buildWheel({ name: 'helper', version: '1.0' });
  const files: Record<string, Buffer> = options.ranges === true ? { 'app/blob.bin': randomBytes(200 * 1024) } : {};
  const app = await buildWheel({ name: 'app', version: '1.0', requiresDist: ['helper'], files });
  serveProject(srv, 'helper', [{ filename: helper.filename, data: helper.data }]);
  serveProject(srv, 'app', [{ filename: app.filename, data: app.data }]);
  if (options.ranges === true) serveRanges(srv, `/simple/app/${app.filename}`, app.data, app.data);
  return { srv, app, helper };
}

const cacheEntry = (s: Sandbox, data: Buffer): string => {
  const sum = createHash('sha256').update(data).digest('hex');
  return join(s.cache, 'files-v3', sum);
};

const options = (srv: HostileServer): string[] => ['-i', `${srv.url}/simple/`, '--retries', '0'];

describe('the cache never shares an inode with a file handed to the user', () => {
  it('safe-pip fetch: the saved file is a copy; truncating it does not break the next run', async () => {
    const { srv, app, helper } = await index({ ranges: true });
    const s = makeSandbox();
    expectSuccess(await safePipFetch(s, [...options(srv), 'app'], cacheEnv(s)));
    const saved = join(s.dest, app.filename);
    expect(existsSync(cacheEntry(s, app.data))).toBe(true);
    expect(statSync(saved).ino).not.toBe(statSync(cacheEntry(s, app.data)).ino);
    expect(statSync(saved).nlink).toBe(1);
    truncateSync(saved, 10);
    const again = await safePipFetch(s, [...options(srv), 'app'], cacheEnv(s));
    expectSuccess(again);
    expectDestination(s, { [app.filename]: app.data, [helper.filename]: helper.data });
  }, 120_000);

  it('pip download through safe-pip: truncating the saved file leaves the cache intact', async () => {
    const { srv, app, helper } = await index();
    const s = makeSandbox();
    expectSuccess(await safePipDownload(s, [...options(srv), 'app'], cacheEnv(s)));
    expectDestination(s, { [app.filename]: app.data, [helper.filename]: helper.data });
    truncateSync(join(s.dest, app.filename), 10);
    expect(readFileSync(cacheEntry(s, app.data))).toEqual(app.data);
    // pip itself keeps a damaged file it finds in the destination ("File was already downloaded",
    // then "is invalid"), as plain pip does; the user removes it, and the next run works.
    unlinkSync(join(s.dest, app.filename));
    expectSuccess(await safePipDownload(s, [...options(srv), 'app'], cacheEnv(s)));
    expectDestination(s, { [app.filename]: app.data, [helper.filename]: helper.data });
  }, 120_000);
});

describe('a cache entry replaced by other bytes', () => {
  it('is dropped and the file fetched again: the dependencies are the real ones', async () => {
    const { srv, app, helper } = await index();
    const s = makeSandbox();
    expectSuccess(await safePipFetch(s, [...options(srv), 'app'], cacheEnv(s)));
    // Same name and version, no dependencies: read for dependencies, it would lose `helper`.
    const decoy = await buildWheel({ name: 'app', version: '1.0' });
    writeFileSync(cacheEntry(s, app.data), decoy.data);
    for (const name of [app.filename, helper.filename]) unlinkSync(join(s.dest, name));
    const fetchedBefore = srv.requestsTo(`/simple/app/${app.filename}`).length;
    expectSuccess(await safePipFetch(s, [...options(srv), 'app'], cacheEnv(s)));
    expectDestination(s, { [app.filename]: app.data, [helper.filename]: helper.data });
    expect(srv.requestsTo(`/simple/app/${app.filename}`).length).toBeGreaterThan(fetchedBefore);
    expect(readFileSync(cacheEntry(s, app.data))).toEqual(app.data);
  }, 120_000);
});

describe('a cache that cannot be written', () => {
  it('is skipped with one warning line, and the run succeeds', async () => {
    const { srv, app, helper } = await index();
    const s = makeSandbox();
    const blocker = join(s.cache, 'not-a-directory');
    writeFileSync(blocker, '');
    const cacheDir = join(blocker, 'safe-pip');
    const result = await safePipFetch(s, [...options(srv), 'app'], cacheEnv(s, { SAFE_PIP_CACHE_DIR: cacheDir }));
    expectSuccess(result);
    expectDestination(s, { [app.filename]: app.data, [helper.filename]: helper.data });
    const warnings = result.stderr.split('\n').filter((line) => line.includes('cannot be written'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(new RegExp(`^safe-pip: warning: the cache at ${cacheDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} cannot be written \\(.*ENOTDIR.*\\); going on without it$`));
  }, 120_000);

  it('pip download through safe-pip: the same', async () => {
    const { srv, app, helper } = await index();
    const s = makeSandbox();
    mkdirSync(join(s.cache, 'x'));
    writeFileSync(join(s.cache, 'x', 'file'), '');
    const result = await safePipDownload(s, [...options(srv), 'app'], cacheEnv(s, { SAFE_PIP_CACHE_DIR: join(s.cache, 'x', 'file', 'safe-pip') }));
    expectSuccess(result);
    expectDestination(s, { [app.filename]: app.data, [helper.filename]: helper.data });
    expect(result.stderr.split('\n').filter((line) => /^safe-pip: warning: the cache at .* cannot be written \(.*\); going on without it$/.test(line))).toHaveLength(1);
  }, 120_000);
});
