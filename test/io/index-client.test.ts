// The index client against the shared loopback index server (test/helpers/index-server.ts): pip's
// source order (checked against pip 23.2.1's PackageFinder.find_all_candidates), content types,
// failures, retries, redirects, the page cache and the file operations.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { IndexClient, type IndexClientOptions } from '../../src/io/index-client.js';
import { FetchError } from '../../src/io/fetch-error.js';
import { ACCEPT_HEADER } from '../../src/standards/simple-api.js';
import { findLinksDir, startIndexServer, type IndexServer } from '../helpers/index-server.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { buildSdist } from '../helpers/sdist-builder.js';
import { buildWheel, wheelMetadata } from '../helpers/wheel-builder.js';
import { askPip } from './io-oracle.js';
import { projectSourceFor } from '../../src/resolve/resolution-session.js';
import { parseVersion } from '../../src/standards/versions.js';

const open: Array<IndexServer | IndexClient> = [];
afterEach(async () => {
  for (const x of open.splice(0)) await x.close();
});

async function server(...args: Parameters<typeof startIndexServer>): Promise<IndexServer> {
  const s = await startIndexServer(...args);
  open.push(s);
  return s;
}

function client(options: Partial<IndexClientOptions> & Pick<IndexClientOptions, 'indexUrls'>): IndexClient {
  const c = new IndexClient({
    findLinks: [],
    pipVersion: [23, 2],
    cacheDir: null,
    ...options,
    transport: { retries: 0, sleep: async () => undefined, ...options.transport },
  });
  open.push(c);
  return c;
}

const wheel = (name: string, version: string, extra: Record<string, unknown> = {}) => buildWheel({ name, version, ...extra });

describe('sources and order', () => {
  it('merges several indexes and find-links in the order pip 23.2.1 reports', async () => {
    const [a1, a2, a3, a4, s1] = await Promise.all([
      wheel('demo', '1.0'), wheel('demo', '2.0'), wheel('demo', '1.5'), wheel('demo', '3.0'), buildSdist({ name: 'demo', version: '0.9' }),
    ]);
    const srv = await server({ indexes: { one: { demo: [a1, s1] }, two: { demo: [a2, a1] } } });
    const flDir = findLinksDir([a3, a4]);
    // An HTML page in the find-links directory pointing at a file on the server.
    writeFileSync(join(flDir, 'links.html'), `<a href="${srv.fileUrl(a2.filename, 'two')}">x</a>`);
    const flFile = join(makeTempDir(), a4.filename.replace('3.0', '3.1'));
    writeFileSync(flFile, (await wheel('demo', '3.1')).data);
    const indexUrls = [srv.indexUrl('one'), srv.indexUrl('two')];
    const findLinks = [flDir, flFile, srv.projectUrl('demo', 'two')];
    const pip = await askPip({ candidates: [{ name: 'Demo', indexUrls, findLinks }] });
    const got = await client({ indexUrls, findLinks }).projectFiles('Demo');
    const candidateUrls = new Set(pip.candidates[0]);
    // pip's list holds only the links its finder accepted; ours holds every link, in the same order.
    expect(got.files.map((f) => f.file.url).filter((u) => candidateUrls.has(u))).toEqual(pip.candidates[0]);
    expect(pip.candidates[0]!.length).toBeGreaterThanOrEqual(8);
    expect(got.sources.map((s) => [s.kind, s.status])).toEqual([
      ['find-links-page', 'ok'], ['find-links-dir', 'ok'], ['find-links-file', 'ok'], ['find-links-page', 'ok'], ['index', 'ok'], ['index', 'ok'],
    ]);
  });

  it('asks for JSON with pip\'s Accept header and reads HTML servers too', async () => {
    const w = await wheel('neg', '1.0');
    for (const format of ['negotiate', 'html', 'json'] as const) {
      const srv = await server({ projects: { neg: [{ ...w, yanked: 'bad', coreMetadata: true, requiresPython: '>=3.8' }] }, format });
      const got = await client({ indexUrls: [srv.indexUrl()] }).projectFiles('NEG');
      expect(srv.requestsTo('/simple/neg/')[0]?.headers.accept).toBe(ACCEPT_HEADER);
      expect(got.files).toHaveLength(1);
      expect(got.files[0]!.file).toMatchObject({ filename: w.filename, yanked: 'bad', requiresPython: '>=3.8', hashes: { sha256: w.sha256 } });
      expect(got.files[0]!.file.coreMetadata).not.toBe(false);
    }
  });

  it('skips a page with another content type, and 404 / 500 sources, and says why', async () => {
    const w = await wheel('ct', '1.0');
    const srv = await server({ indexes: { good: { ct: [w] }, bad: { ct: [w] }, broken: { ct: [w] }, empty: {} } });
    srv.fault('/bad/simple/ct/', { contentType: 'text/plain' });
    srv.fault('/broken/simple/ct/', { status: 500 });
    const warnings: string[] = [];
    const got = await client({ indexUrls: ['good', 'bad', 'broken', 'empty'].map((i) => srv.indexUrl(i)), warn: (m) => warnings.push(m) }).projectFiles('ct');
    expect(got.files).toHaveLength(1);
    expect(got.sources.map((s) => s.status)).toEqual(['ok', 'unsupported-content-type', 'failed', 'not-found']);
    expect(warnings.join('\n')).toContain('got Content-Type: text/plain');
  });

  it('ignores plain http to a host that is not loopback or trusted, without connecting', async () => {
    const warnings: string[] = [];
    const got = await client({ indexUrls: ['http://user:pw@10.255.255.1/simple/'], warn: (m) => warnings.push(m) }).projectFiles('x');
    expect(got.sources[0]).toMatchObject({ status: 'insecure', location: 'http://user:****@10.255.255.1/simple/x/' });
    expect(warnings[0]).toContain("--trusted-host 10.255.255.1");
    expect(JSON.stringify(got)).not.toContain(':pw@');
  });

  it('reads local index directories and file: indexes', async () => {
    const w = await wheel('loc', '1.0');
    const root = makeTempDir();
    mkdirSync(join(root, 'loc'));
    writeFileSync(join(root, 'loc', w.filename), w.data);
    writeFileSync(join(root, 'loc', 'index.html'), `<a href="${w.filename}#sha256=${w.sha256}">x</a>`);
    for (const index of [root, `file://${root}`]) {
      const got = await client({ indexUrls: [index] }).projectFiles('LOC');
      expect(got.files.map((f) => f.file.filename)).toEqual([w.filename]);
      expect(got.sources[0]!.status).toBe('ok');
    }
    const missing = await client({ indexUrls: ['/nonexistent/index'] }).projectFiles('loc');
    expect(missing.sources[0]!.status).toBe('ignored');
  });

  it('keeps only strict wheel/sdist names of the project in find-links directories from pip 24.0', async () => {
    const dir = makeTempDir();
    for (const n of ['flt-1.0-py3-none-any.whl', 'flt-1.0.tar.gz', 'other-1.0.tar.gz', 'flt-1.0.tar.bz2', 'README.txt', 'flt-notaversion.zip']) writeFileSync(join(dir, n), 'x');
    const names = async (pipVersion: [number, number]) =>
      (await client({ indexUrls: [], findLinks: [dir], pipVersion }).projectFiles('flt')).files.map((f) => f.file.filename).sort();
    expect(await names([24, 0])).toEqual(['flt-1.0-py3-none-any.whl', 'flt-1.0.tar.gz']);
    expect((await names([23, 2])).length).toBe(6);
  });
});

describe('retries and redirects', () => {
  it('retries 5xx and connection drops, then succeeds (requests counted)', async () => {
    const w = await wheel('rt', '1.0');
    const srv = await server({ projects: { rt: [w] } });
    srv.fault('/simple/rt/', { status: 503, times: 2 });
    const c = client({ indexUrls: [srv.indexUrl()], transport: { retries: 3 } });
    const got = await c.projectFiles('rt');
    expect(got.files).toHaveLength(1);
    expect(srv.requestsTo('/simple/rt/')).toHaveLength(3);

    srv.clearFaults();
    srv.clearRequests();
    srv.fault('/simple/rt/', { dropConnection: true, times: 1 });
    const again = await client({ indexUrls: [srv.indexUrl()], transport: { retries: 2 } }).projectFiles('rt');
    expect(again.files).toHaveLength(1);
    expect(srv.requestsTo('/simple/rt/').length).toBe(2);
  });

  it('gives up after --retries and reports the source as failed', async () => {
    const srv = await server({ projects: { gu: [await wheel('gu', '1.0')] } });
    srv.fault('/simple/gu/', { status: 502 });
    const got = await client({ indexUrls: [srv.indexUrl()], transport: { retries: 2 } }).projectFiles('gu');
    expect(got.sources[0]).toMatchObject({ status: 'failed', reason: 'HTTP 502' });
    expect(srv.requestsTo('/simple/gu/')).toHaveLength(3);
  });

  it('honours Retry-After on 429 (the wait is observed, not timed)', async () => {
    const srv = await server({ projects: { ra: [await wheel('ra', '1.0')] } });
    srv.fault('/simple/ra/', { status: 429, headers: { 'retry-after': '7' }, times: 1 });
    const waits: number[] = [];
    const got = await client({ indexUrls: [srv.indexUrl()], transport: { retries: 1, sleep: async (ms) => void waits.push(ms) } }).projectFiles('ra');
    expect(got.files).toHaveLength(1);
    expect(waits).toEqual([7000]);
  });

  it('stops redirect loops and refuses redirects to other schemes', async () => {
    const srv = await server({ indexes: { loop: {}, esc: {} } });
    srv.fault('/loop/simple/x/', { status: 302, headers: { location: '/loop/simple/x/' } });
    srv.fault('/esc/simple/x/', { status: 302, headers: { location: 'file:///etc/passwd' } });
    const got = await client({ indexUrls: [srv.indexUrl('loop'), srv.indexUrl('esc')] }).projectFiles('x');
    expect(got.sources.map((s) => s.status)).toEqual(['failed', 'failed']);
    expect(got.sources[0]!.reason).toContain('more than 10 redirects');
    expect(got.sources[1]!.reason).toContain('refused redirect to "file:"');
    expect(srv.requestsTo('/loop/simple/x/')).toHaveLength(11);
  });

  it('follows the server\'s redirect for a non-normalized name and resolves links against the final URL', async () => {
    const w = await wheel('Red.Ir', '1.0');
    const srv = await server({ projects: { 'red-ir': [w] } });
    srv.fault('/simple/red-ir/', { status: 301, headers: { location: '/simple/moved/' }, times: 1 });
    srv.fault('/simple/moved/', { status: 301, headers: { location: '/simple/red-ir/' }, times: 1 });
    const got = await client({ indexUrls: [srv.indexUrl()] }).projectFiles('Red_Ir');
    expect(got.files[0]!.file.url).toBe(`${srv.url}/simple/red-ir/${w.filename}`);
    expect(got.files[0]!.file.hashes).toEqual({ sha256: w.sha256 });
  });
});

describe('page cache', () => {
  it('revalidates with the ETag and uses the cached page on 304', async () => {
    const w = await wheel('cached', '1.0');
    const srv = await server({ projects: { cached: [w] } });
    const cacheDir = join(makeTempDir(), 'cache');
    expect((await client({ indexUrls: [srv.indexUrl()], cacheDir }).projectFiles('cached')).files).toHaveLength(1);
    const second = await client({ indexUrls: [srv.indexUrl()], cacheDir }).projectFiles('cached');
    const log = srv.requestsTo('/simple/cached/');
    expect(log.map((r) => r.status)).toEqual([200, 304]);
    expect(log[1]!.headers.ifNoneMatch).toBeDefined();
    expect(second.sources[0]!.cached).toBe(true);
    expect(second.files).toHaveLength(1);
  });

  it('with honourMaxAge serves a fresh page without asking', async () => {
    const srv = await server({ projects: { fresh: [await wheel('fresh', '1.0')] } });
    const cacheDir = join(makeTempDir(), 'cache');
    await client({ indexUrls: [srv.indexUrl()], cacheDir }).projectFiles('fresh');
    await client({ indexUrls: [srv.indexUrl()], cacheDir, honourMaxAge: true }).projectFiles('fresh');
    expect(srv.requestsTo('/simple/fresh/')).toHaveLength(1);
  });

  it('writes nothing with --no-cache-dir and nothing for no-store pages', async () => {
    const srv = await server({ projects: { nc: [await wheel('nc', '1.0')] }, pageCacheControl: 'no-store' });
    const base = makeTempDir();
    await client({ indexUrls: [srv.indexUrl()], cacheDir: null }).projectFiles('nc');
    await client({ indexUrls: [srv.indexUrl()], cacheDir: join(base, 'c') }).projectFiles('nc');
    expect(existsSync(join(base, 'c', 'pages-v3'))).toBe(false);
    expect(readdirSync(base)).toEqual([]);
    expect(existsSync(join(process.env.XDG_CACHE_HOME!, 'safe-pip'))).toBe(false);
  });
});

describe('files', () => {
  it('reads a wheel through range requests without fetching all of it', async () => {
    const big = await wheel('rng', '1.0', { files: { 'rng/data.bin': randomBytes(300_000), 'rng/__init__.py': '' } });
    const srv = await server({ projects: { rng: [big] } });
    const c = client({ indexUrls: [srv.indexUrl()], rangeTailBytes: 4096 });
    const [entry] = (await c.projectFiles('rng')).files;
    const src = await c.openFile(entry!);
    expect(src.size).toBe(big.data.length);
    expect(Buffer.from(await src.read(0, 4))).toEqual(big.data.subarray(0, 4));
    expect(Buffer.from(await src.read(src.size - 10, src.size))).toEqual(big.data.subarray(-10));
    const served = srv.requestsTo(`/simple/rng/${big.filename}`).reduce((n, r) => n + r.bytes, 0);
    expect(served).toBe(4096 + 4);
  });

  it('falls back to one whole download when ranges are not honoured, and reuses it', async () => {
    const w = await wheel('norng', '1.0');
    const srv = await server({ projects: { norng: [w] }, ranges: false });
    const cacheDir = join(makeTempDir(), 'cache');
    const c = client({ indexUrls: [srv.indexUrl()], cacheDir });
    const [entry] = (await c.projectFiles('norng')).files;
    const src = await c.openFile(entry!);
    expect(Buffer.from(await src.read(0, src.size))).toEqual(w.data);
    const dest = makeTempDir();
    const res = await c.downloadFile(entry!, dest);
    expect(res.via).toBe('cache');
    expect(srv.requestsTo(`/simple/norng/${w.filename}`)).toHaveLength(1);
    expect(existsSync(join(cacheDir, 'files-v3', w.sha256))).toBe(true);
  });

  it('streams a whole file into the cache (no hash on the index) and the download reuses it by URL', async () => {
    const w = await wheel('nohash', '1.0', { files: { 'nohash/data.bin': randomBytes(200_000), 'nohash/__init__.py': '' } });
    const srv = await server({ projects: { nohash: [{ ...w, hash: 'none' }] }, ranges: false });
    const cacheDir = join(makeTempDir(), 'cache');
    const c = client({ indexUrls: [srv.indexUrl()], cacheDir });
    const [entry] = (await c.projectFiles('nohash')).files;
    expect(entry!.file.hashes).toEqual({});
    const src = await c.openFile(entry!);
    expect(Buffer.from(await src.read(0, src.size))).toEqual(w.data);
    const cached = join(cacheDir, 'files-v3', w.sha256);
    expect(existsSync(cached)).toBe(true);
    // The staging directory inside the cache is gone once the file is in place.
    expect(readdirSync(join(cacheDir, 'tmp'))).toEqual([]);
    const res = await c.downloadFile(entry!, makeTempDir());
    expect(res).toMatchObject({ via: 'cache', sha256: w.sha256, size: w.data.length });
    expect(srv.requestsTo(`/simple/nohash/${w.filename}`)).toHaveLength(1);
  });

  it('a whole file with the wrong hash fails openFile and leaves nothing in the cache', async () => {
    const w = await wheel('badwhole', '1.0');
    const srv = await server({ projects: { badwhole: [{ ...w, hash: 'wrong' }] }, ranges: false });
    const cacheDir = join(makeTempDir(), 'cache');
    const c = client({ indexUrls: [srv.indexUrl()], cacheDir });
    const [entry] = (await c.projectFiles('badwhole')).files;
    const err = await c.openFile(entry!).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FetchError);
    expect((err as Error).message).toMatch(/hash mismatch: the index expects sha256=/);
    await c.close();
    expect(existsSync(join(cacheDir, 'files-v3'))).toBe(false);
    expect(readdirSync(join(cacheDir, 'tmp'))).toEqual([]);
  });

  it('without a cache, a whole file is read into memory and still downloaded once', async () => {
    const w = await wheel('mem', '1.0');
    const srv = await server({ projects: { mem: [w] }, ranges: false });
    const c = client({ indexUrls: [srv.indexUrl()], cacheDir: null });
    const [entry] = (await c.projectFiles('mem')).files;
    const src = await c.openFile(entry!);
    expect(Buffer.from(await src.read(0, src.size))).toEqual(w.data);
    expect((await c.downloadFile(entry!, makeTempDir())).via).toBe('cache');
    expect(srv.requestsTo(`/simple/mem/${w.filename}`)).toHaveLength(1);
  });

  it('downloads, verifies, keeps an existing good file, and checks user hashes', async () => {
    const w = await wheel('dl', '1.0');
    const srv = await server({ projects: { dl: [w] } });
    const c = client({ indexUrls: [srv.indexUrl()] });
    const [entry] = (await c.projectFiles('dl')).files;
    const dest = makeTempDir();
    expect(await c.downloadFile(entry!, dest, { sha256: [w.sha256] })).toMatchObject({ via: 'network', sha256: w.sha256, path: join(dest, w.filename) });
    expect((await c.downloadFile(entry!, dest)).via).toBe('existing');
    await expect(c.downloadFile(entry!, makeTempDir(), { sha256: ['0'.repeat(64)] })).rejects.toThrow(/your --hash expects sha256=0{64}, got sha256=/);
  });

  it('into a private directory (install staging): a hard link to the verified cache entry, once the metadata claims hold', async () => {
    const good = await wheel('linked', '1.0', { requiresDist: ['helper'] });
    const liar = await wheel('liar', '1.0');
    const lie = wheelMetadata({ name: 'liar', version: '1.0', requiresDist: ['helper'] });
    const srv = await server({ projects: { linked: [{ ...good, coreMetadata: true }], liar: [{ ...liar, coreMetadata: { content: lie } }] } });
    const cacheDir = join(makeTempDir(), 'cache');
    const c = client({ indexUrls: [srv.indexUrl()], cacheDir });
    const entryOf = async (name: string) => {
      const [entry] = (await c.projectFiles(name)).files;
      await c.fetchMetadataFile(entry!);
      await c.openFile(entry!, { whole: true });
      return entry!;
    };
    const [goodEntry, liarEntry] = [await entryOf('linked'), await entryOf('liar')];
    const cached = (sha: string) => join(cacheDir, 'files-v3', sha);
    const dest = makeTempDir();
    const staged = await c.downloadFile(goodEntry, dest, {}, { private: true });
    expect(staged).toMatchObject({ via: 'cache', sha256: good.sha256, size: good.data.length, path: join(dest, good.filename) });
    expect(statSync(staged.path).ino).toBe(statSync(cached(good.sha256)).ino);
    // The same file saved where the user asked is a copy of its own.
    const saved = await c.downloadFile(goodEntry, makeTempDir());
    expect(saved.via).toBe('cache');
    expect(statSync(saved.path).ino).not.toBe(statSync(cached(good.sha256)).ino);
    // A metadata file that disagrees with its wheel: refused, nothing staged, the cache entry kept.
    await expect(c.downloadFile(liarEntry, dest, {}, { private: true })).rejects.toThrow(/metadata file disagrees with the file itself/);
    expect(readdirSync(dest)).toEqual([good.filename]);
    expect(existsSync(cached(liar.sha256))).toBe(true);
    // Without a cache there is nothing to link: a copy, from the bytes held in memory.
    const memory = client({ indexUrls: [srv.indexUrl()], cacheDir: null });
    const [inMemory] = (await memory.projectFiles('linked')).files;
    await memory.openFile(inMemory!, { whole: true });
    const copied = await memory.downloadFile(inMemory!, makeTempDir(), {}, { private: true });
    expect(copied).toMatchObject({ via: 'cache', sha256: good.sha256 });
    expect(statSync(copied.path).nlink).toBe(1);
  });

  it('leaves nothing behind on a hash mismatch or a truncated body', async () => {
    const bad = await wheel('bad', '1.0');
    const cut = await wheel('cut', '1.0');
    const srv = await server({ projects: { bad: [{ ...bad, hash: 'wrong' }], cut: [cut] } });
    srv.fault(`/simple/cut/${cut.filename}`, { truncateAt: 100 });
    const c = client({ indexUrls: [srv.indexUrl()] });
    const dest = makeTempDir();
    const [b] = (await c.projectFiles('bad')).files;
    const err = await c.downloadFile(b!, dest).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FetchError);
    expect((err as Error).message).toMatch(new RegExp(`^${bad.filename} \\(http://127\\.0\\.0\\.1:\\d+/simple/bad/${bad.filename}\\): hash mismatch: the index expects sha256=`));
    const [t] = (await c.projectFiles('cut')).files;
    await expect(c.downloadFile(t!, dest)).rejects.toBeInstanceOf(FetchError);
    expect(readdirSync(dest)).toEqual([]);
  });

  it('never writes outside the destination, whatever the link name', async () => {
    const w = await wheel('esc', '1.0');
    const srv = await server({
      projects: {
        esc: [
          { ...w, href: `..%252F..%252F${w.filename}` },
          { ...w, filename: 'x', href: `..%255C..%255Cesc-2.0.tar.gz` },
        ],
      },
    });
    const c = client({ indexUrls: [srv.indexUrl()] });
    const files = (await c.projectFiles('esc')).files;
    expect(files.map((f) => f.file.filename)).toEqual([`../../${w.filename}`, '..\\..\\esc-2.0.tar.gz']);
    const outer = makeTempDir();
    const dest = join(outer, 'a', 'b');
    mkdirSync(dest, { recursive: true });
    await c.downloadFile(files[0]!, dest).catch(() => undefined);
    await c.downloadFile(files[1]!, dest).catch(() => undefined);
    expect(readdirSync(outer)).toEqual(['a']);
    expect(readdirSync(join(outer, 'a'))).toEqual(['b']);
  });

  it('fetches PEP 658 metadata files and checks their hash', async () => {
    const w = await wheel('md', '1.0', { requiresDist: ['dep>=1'] });
    const srv = await server({ projects: { md: [{ ...w, coreMetadata: true }], mdbad: [{ ...w, filename: w.filename.replace('md-', 'mdbad-'), coreMetadata: { content: 'Metadata-Version: 2.1\nName: other\n', hash: 'wrong' } }] } });
    const c = client({ indexUrls: [srv.indexUrl()] });
    const [ok] = (await c.projectFiles('md')).files;
    expect(await c.fetchMetadataFile(ok!)).toContain('Requires-Dist: dep>=1');
    const [bad] = (await c.projectFiles('mdbad')).files;
    await expect(c.fetchMetadataFile(bad!)).rejects.toThrow(/metadata file.*hash mismatch|hash mismatch/);
  });
});

describe('prefetch', () => {
  it('reads a project ahead of need without a word; projectFiles then takes that read and says what pip would', async () => {
    const w = await wheel('pf', '1.0');
    const srv = await server({ indexes: { good: { pf: [w] }, broken: { pf: [w] } } });
    srv.fault('/broken/simple/pf/', { status: 500 });
    const warnings: string[] = [];
    const c = client({ indexUrls: [srv.indexUrl('good'), srv.indexUrl('broken'), join(makeTempDir(), 'nowhere')], warn: (m) => warnings.push(m) });
    const prefetched = await c.prefetchProject('pf');
    expect(prefetched.map((f) => f.file.filename)).toEqual([w.filename]);
    expect(srv.requestsTo('/good/simple/pf/')).toHaveLength(1);
    expect(srv.requestsTo('/broken/simple/pf/')).toHaveLength(1);
    expect(warnings).toEqual([]);
    const got = await c.projectFiles('pf');
    expect(got.sources.map((s) => s.status)).toEqual(['ok', 'failed', 'ignored']);
    // The ignored location first (pip names it while collecting its sources), then the page that failed.
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/nowhere.* is ignored/);
    expect(warnings[1]).toMatch(/^Could not fetch URL .*\/broken\/simple\/pf\/: .*500.* - skipping$/);
    expect(srv.requestsTo('/good/simple/pf/')).toHaveLength(1);
    expect(srv.requestsTo('/broken/simple/pf/')).toHaveLength(1);
  });

  it('a page that cannot be read fails the project, after what pip would say of the other sources', async () => {
    const w = await wheel('pfx', '1.0');
    const srv = await server({ indexes: { broken: { pfx: [w] }, garbled: { pfx: [w] } } });
    srv.fault('/broken/simple/pfx/', { status: 500 });
    srv.fault('/garbled/simple/pfx/', { contentType: 'application/vnd.pypi.simple.v1+json', body: '{"files": 7' });
    const warnings: string[] = [];
    const c = client({ indexUrls: [srv.indexUrl('broken'), srv.indexUrl('garbled')], warn: (m) => warnings.push(m) });
    await expect(c.prefetchProject('pfx')).resolves.toEqual([]);
    expect(warnings).toEqual([]);
    await expect(c.projectFiles('pfx')).rejects.toThrow(/cannot be read/);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^Could not fetch URL .*\/broken\/simple\/pfx\/: .*500/);
  });

  it('a metadata file read ahead is read once', async () => {
    const w = await wheel('pfm', '1.0', { requiresDist: ['dep>=1'] });
    const srv = await server({ projects: { pfm: [{ ...w, coreMetadata: true }] } });
    const c = client({ indexUrls: [srv.indexUrl()] });
    const [entry] = await c.prefetchProject('pfm');
    c.prefetchMetadataFile(entry!);
    expect(await c.fetchMetadataFile(entry!)).toContain('Requires-Dist: dep>=1');
    expect(srv.requestsTo(`/simple/pfm/${w.filename}.metadata`)).toHaveLength(1);
  });

  it('a wheel’s METADATA read ahead (no metadata file, no ranges: the whole wheel) is read once, and the download reuses it', async () => {
    const w = await wheel('pfw', '1.0', { requiresDist: ['dep>=2'] });
    const srv = await server({ projects: { pfw: [w] }, ranges: false });
    const c = client({ indexUrls: [srv.indexUrl()], cacheDir: join(makeTempDir(), 'cache') });
    const source = projectSourceFor(c, { usePep658: true });
    const [entry] = await source.prefetchFiles!('pfw');
    const candidate = { entry: entry!, version: parseVersion('1.0'), isWheel: true, tagRank: 0, buildTag: null };
    // The resolver asks while the read ahead is still under way.
    const ahead = source.prefetchMetadata!('pfw', candidate);
    expect((await source.metadata('pfw', candidate)).requiresDist).toEqual(['dep>=2']);
    await expect(ahead).resolves.toEqual(['dep>=2']);
    expect((await c.downloadFile(entry!, makeTempDir())).via).toBe('cache');
    expect(srv.requestsTo(`/simple/pfw/${w.filename}`)).toHaveLength(1);
  });

  it('reads ahead a few at a time, and the resolver\'s own read does not queue behind them', async () => {
    const srv = await server({ projects: {} });
    srv.fault(/^\/simple\/slow\d+\/$/, { hang: true });
    const w = await wheel('wanted', '1.0');
    srv.setProject('wanted', [w]);
    const c = client({ indexUrls: [srv.indexUrl()], transport: { retries: 0, timeoutSeconds: 600 } });
    const waitFor = async (count: () => number, n: number) => {
      while (count() < n) await new Promise((r) => setTimeout(r, 10));
    };
    const ahead = Array.from({ length: 20 }, (_, i) => c.prefetchProject(`slow${i}`));
    const hanging = () => srv.requestsTo(/^\/simple\/slow\d+\/$/).length;
    await waitFor(hanging, 8);
    // The resolver's own read goes out at once and is answered while 8 reads ahead still hang.
    expect((await c.projectFiles('wanted')).files.map((f) => f.file.filename)).toEqual([w.filename]);
    await new Promise((r) => setTimeout(r, 200));
    expect(hanging()).toBe(8);
    await c.close();
    await Promise.all(ahead);
  });

  it('close() ends a wait between retries, and nothing is sent after it', async () => {
    const srv = await server({ projects: { later: [] } });
    srv.fault('/simple/later/', { status: 503, headers: { 'retry-after': '3600' } });
    // The real wait (no injected sleep), as long as the index asks: an hour, beyond the test's timeout.
    const c = client({ indexUrls: [srv.indexUrl()], transport: { retries: 5, sleep: undefined, maxRetryAfterSeconds: 3600 } });
    const abandoned = c.prefetchProject('later');
    while (srv.requestsTo('/simple/later/').length === 0) await new Promise((r) => setTimeout(r, 10));
    // Time for the 503 to arrive and the wait to begin (closing earlier would cut the request instead).
    await new Promise((r) => setTimeout(r, 300));
    await c.close();
    await expect(abandoned).resolves.toEqual([]);
    await expect(c.projectFiles('later')).resolves.toMatchObject({ files: [] });
    expect(srv.requestsTo('/simple/later/')).toHaveLength(1);
  });

  it('close() does not wait for a read nobody waits for any more', async () => {
    const srv = await server({ projects: { slow: [] } });
    srv.fault('/simple/slow/', { hang: true });
    const c = client({ indexUrls: [srv.indexUrl()], transport: { retries: 0, timeoutSeconds: 600 } });
    const abandoned = c.prefetchProject('slow');
    while (srv.requestsTo('/simple/slow/').length === 0) await new Promise((r) => setTimeout(r, 10));
    await c.close();
    await expect(abandoned).resolves.toEqual([]);
  });
});
