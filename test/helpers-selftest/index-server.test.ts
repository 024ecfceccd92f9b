import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { findLinksDir, negotiateContentType, startIndexServer, type IndexServer } from '../helpers/index-server.js';
import { buildWheel } from '../helpers/wheel-builder.js';

const servers: IndexServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(...args: Parameters<typeof startIndexServer>): Promise<IndexServer> {
  const server = await startIndexServer(...args);
  servers.push(server);
  return server;
}

const PIP_ACCEPT = 'application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html; q=0.1, text/html; q=0.01';

/** A raw GET that keeps whatever arrives, even past Content-Length or before a reset. */
function rawGet(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer; error?: string }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const req = request(url, { headers, agent: false }, (res) => {
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', (e) => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), error: e.message }));
    });
    req.on('error', (e) => resolve({ status: 0, headers: {}, body: Buffer.concat(chunks), error: e.message }));
    req.end();
  });
}

describe('content negotiation', () => {
  it.each([
    [PIP_ACCEPT, 'json', 'application/vnd.pypi.simple.v1+json'],
    ['application/vnd.pypi.simple.v1+html', 'html', 'application/vnd.pypi.simple.v1+html'],
    ['text/html', 'html', 'text/html'],
    ['application/vnd.pypi.simple.latest+json', 'json', 'application/vnd.pypi.simple.v1+json'],
    ['text/html; q=0.9, application/vnd.pypi.simple.v1+json; q=0.1', 'html', 'text/html'],
    ['*/*', 'html', 'text/html'],
  ])('%s -> %s', (accept, format, contentType) => {
    expect(negotiateContentType(accept)).toEqual({ format, contentType });
  });
  it('answers 406 when nothing acceptable is asked for', async () => {
    const server = await serve({ projects: { a: [] } });
    const res = await fetch(server.projectUrl('a'), { headers: { accept: 'application/xml' } });
    expect(res.status).toBe(406);
  });
});

describe('index server', () => {
  it('serves HTML and JSON project pages with yanked, requires-python, hashes and PEP 658 attributes', async () => {
    const w1 = await buildWheel({ name: 'pkg', version: '1.0' });
    const w2 = await buildWheel({ name: 'pkg', version: '2.0', requiresDist: ['dep'] });
    const w3 = await buildWheel({ name: 'pkg', version: '3.0' });
    const server = await serve({
      projects: {
        Pkg: [
          { ...w1, yanked: 'broken <build>' },
          { ...w2, requiresPython: '>=3.8,<4', coreMetadata: true },
          { ...w3, hash: 'none', coreMetadata: { attribute: 'dist-info-metadata', hash: 'none' } },
        ],
      },
    });
    const html = await fetch(server.projectUrl('pkg'), { headers: { accept: 'text/html' } });
    expect(html.headers.get('content-type')).toBe('text/html');
    const page = await html.text();
    expect(page).toContain(`href="${w1.filename}#sha256=${w1.sha256}" data-yanked="broken &lt;build&gt;"`);
    expect(page).toContain('data-requires-python="&gt;=3.8,&lt;4"');
    const metaHash = createHash('sha256').update(w2.metadata ?? '').digest('hex');
    expect(page).toContain(`data-core-metadata="sha256=${metaHash}"`);
    expect(page).toContain(`href="${w3.filename}" data-dist-info-metadata="true"`);

    const json = await fetch(server.projectUrl('pkg'), { headers: { accept: PIP_ACCEPT } });
    expect(json.headers.get('content-type')).toBe('application/vnd.pypi.simple.v1+json');
    const doc = (await json.json()) as { name: string; versions: string[]; files: Record<string, unknown>[] };
    expect(doc.name).toBe('pkg');
    expect(doc.versions).toEqual(['1.0', '2.0', '3.0']);
    expect(doc.files[0]).toMatchObject({ filename: w1.filename, url: w1.filename, hashes: { sha256: w1.sha256 }, yanked: 'broken <build>', size: w1.data.length });
    expect(doc.files[1]).toMatchObject({ 'requires-python': '>=3.8,<4', 'core-metadata': { sha256: metaHash } });
    expect(doc.files[2]).toMatchObject({ hashes: {}, 'dist-info-metadata': true });

    const meta = await fetch(`${server.fileUrl(w2.filename)}.metadata`);
    expect(await meta.text()).toBe(w2.metadata);
    expect((await fetch(`${server.fileUrl(w1.filename)}.metadata`)).status).toBe(404);
    const file = Buffer.from(await (await fetch(server.fileUrl(w1.filename))).arrayBuffer());
    expect(file.equals(w1.data)).toBe(true);
  });

  it('serves wrong hashes when asked, and a root page, 404s and redirects', async () => {
    const w = await buildWheel({ name: 'a-b', version: '1.0' });
    const server = await serve({ projects: { 'a-b': [{ ...w, hash: 'wrong' }], zed: [] } });
    const page = await (await fetch(server.projectUrl('a-b'))).text();
    expect(page).toMatch(/#sha256=[0-9a-f]{64}"/);
    expect(page).not.toContain(w.sha256);

    const root = await (await fetch(server.indexUrl(), { headers: { accept: 'application/vnd.pypi.simple.v1+json' } })).json();
    expect(root).toEqual({ meta: { 'api-version': '1.1' }, projects: [{ name: 'a-b' }, { name: 'zed' }] });
    expect(await (await fetch(server.indexUrl())).text()).toContain('<a href="a-b/">a-b</a>');

    expect((await fetch(server.projectUrl('nothing'))).status).toBe(404);
    for (const path of ['/simple/A_B/', '/simple/a.b', '/simple/a-b', '/simple']) {
      const res = await fetch(server.url + path, { redirect: 'manual' });
      expect(res.status, path).toBe(301);
    }
    expect((await fetch(`${server.url}/simple/A_B/`, { redirect: 'manual' })).headers.get('location')).toBe('/simple/a-b/');
    const followed = await fetch(`${server.url}/simple/A.b`);
    expect(followed.url).toBe(server.projectUrl('a-b'));
    expect(server.requestsTo('/simple/A.b')[0]).toMatchObject({ kind: 'redirect', status: 301 });
  });

  it('serves several indexes and forced formats', async () => {
    const wa = await buildWheel({ name: 'x', version: '1.0' });
    const wb = await buildWheel({ name: 'x', version: '2.0' });
    const server = await serve({ indexes: { a: { x: [wa] }, b: { x: [wb] } }, format: 'json' });
    expect(server.indexUrl('a')).toBe(`${server.url}/a/simple/`);
    const a = (await (await fetch(server.projectUrl('x', 'a'), { headers: { accept: 'text/html' } })).json()) as { versions: string[] };
    const b = (await (await fetch(server.projectUrl('x', 'b'))).json()) as { versions: string[] };
    expect([a.versions, b.versions]).toEqual([['1.0'], ['2.0']]);
    expect((await fetch(`${server.url}/simple/x/`)).status).toBe(404);
    expect(server.requestsTo(/^\/[ab]\/simple\/x\/$/).map((r) => r.index)).toEqual(['a', 'b']);
  });

  it('honours Range (206, suffix, open end, 416) and can switch it off', async () => {
    const w = await buildWheel({ name: 'r', version: '1.0' });
    const server = await serve({ projects: { r: [w] } });
    const url = server.fileUrl(w.filename);
    const head = await fetch(url, { method: 'HEAD' });
    expect(head.headers.get('accept-ranges')).toBe('bytes');
    expect(head.headers.get('content-length')).toBe(String(w.data.length));

    const tail = await fetch(url, { headers: { range: 'bytes=-22' } });
    expect(tail.status).toBe(206);
    expect(tail.headers.get('content-range')).toBe(`bytes ${w.data.length - 22}-${w.data.length - 1}/${w.data.length}`);
    expect(Buffer.from(await tail.arrayBuffer()).equals(w.data.subarray(-22))).toBe(true);
    const mid = await fetch(url, { headers: { range: 'bytes=10-19' } });
    expect(Buffer.from(await mid.arrayBuffer()).equals(w.data.subarray(10, 20))).toBe(true);
    const open = await fetch(url, { headers: { range: 'bytes=100-' } });
    expect((await open.arrayBuffer()).byteLength).toBe(w.data.length - 100);
    expect((await fetch(url, { headers: { range: `bytes=${w.data.length}-` } })).status).toBe(416);
    expect(server.requestsTo(new URL(url).pathname).map((r) => r.headers.range)).toEqual([
      undefined, 'bytes=-22', 'bytes=10-19', 'bytes=100-', `bytes=${w.data.length}-`,
    ]);

    const noRanges = await serve({ projects: { r: [w] }, ranges: false });
    const full = await fetch(noRanges.fileUrl(w.filename), { headers: { range: 'bytes=-22' } });
    expect(full.status).toBe(200);
    expect(full.headers.get('accept-ranges')).toBeNull();
    expect((await full.arrayBuffer()).byteLength).toBe(w.data.length);
  });

  it('answers If-None-Match with 304 and sends Cache-Control; the ETag changes with the project', async () => {
    const w1 = await buildWheel({ name: 'c', version: '1.0' });
    const server = await serve({ projects: { c: [w1] }, pageCacheControl: 'max-age=5' });
    const first = await fetch(server.projectUrl('c'));
    const etag = first.headers.get('etag') ?? '';
    expect(first.headers.get('cache-control')).toBe('max-age=5');
    expect(etag).toMatch(/^"[0-9a-f]+"$/);
    expect((await fetch(server.projectUrl('c'), { headers: { 'if-none-match': etag } })).status).toBe(304);
    server.addFile('c', await buildWheel({ name: 'c', version: '2.0' }));
    const changed = await fetch(server.projectUrl('c'), { headers: { 'if-none-match': etag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    const file = await fetch(server.fileUrl(w1.filename));
    expect(file.headers.get('etag')).toBe(`"${w1.sha256}"`);
    expect((await fetch(server.fileUrl(w1.filename), { headers: { 'if-none-match': `"${w1.sha256}"` } })).status).toBe(304);
  });

  it('applies faults: status for N times then recovery, delay, content type, truncation, overlong body, drop', async () => {
    const w = await buildWheel({ name: 'f', version: '1.0' });
    const server = await serve({ projects: { f: [w] } });
    const page = new URL(server.projectUrl('f')).pathname;
    const file = new URL(server.fileUrl(w.filename)).pathname;

    const flaky = server.fault(page, { status: 503, times: 2 });
    expect((await fetch(server.url + page)).status).toBe(503);
    expect((await fetch(server.url + page)).status).toBe(503);
    expect((await fetch(server.url + page)).status).toBe(200);
    expect(flaky.hits).toBe(2);
    expect(server.requestsTo(page).map((r) => [r.kind, r.status])).toEqual([['fault', 503], ['fault', 503], ['page', 200]]);

    const typed = server.fault(page, { contentType: 'application/json', delayMs: 50 });
    const res = await fetch(server.url + page);
    expect(res.headers.get('content-type')).toBe('application/json');
    typed.remove();
    expect((await fetch(server.url + page)).headers.get('content-type')).toBe('text/html');

    server.fault(file, { truncateAt: 100, times: 1 });
    const truncated = await rawGet(server.url + file);
    expect(truncated.headers['content-length']).toBe(String(w.data.length));
    expect(truncated.body.length).toBe(100);
    expect(truncated.error).toBeDefined();
    await expect(fetch(server.url + file).then((r) => r.arrayBuffer())).resolves.toHaveProperty('byteLength', w.data.length);

    server.fault(file, { extraBytes: 1000, times: 1 });
    const raw = await new Promise<Buffer>((resolve) => {
      const chunks: Buffer[] = [];
      const s = connect(server.port, '127.0.0.1', () => s.write(`GET ${file} HTTP/1.1\r\nHost: x\r\n\r\n`));
      s.on('data', (c: Buffer) => chunks.push(c));
      s.on('close', () => resolve(Buffer.concat(chunks)));
    });
    const split = raw.indexOf('\r\n\r\n');
    expect(raw.subarray(0, split).toString()).toContain(`content-length: ${w.data.length}`);
    expect(raw.length - split - 4).toBe(w.data.length + 1000);

    server.fault(file, { dropConnection: true, times: 1 });
    expect((await rawGet(server.url + file)).error).toBeDefined();

    server.fault(/\.whl$/, { status: 500, body: 'boom' });
    const boom = await fetch(server.url + file);
    expect([boom.status, await boom.text()]).toEqual([500, 'boom']);
    server.clearFaults();
    expect((await fetch(server.url + file)).status).toBe(200);
  });

  it('closes while a request hangs', async () => {
    const server = await startIndexServer({ projects: { h: [] } });
    server.fault('/simple/h/', { hang: true });
    const pending = fetch(server.projectUrl('h')).then(
      () => 'answered',
      () => 'failed',
    );
    await new Promise((r) => setTimeout(r, 50));
    await server.close();
    expect(await pending).toBe('failed');
  });

  it('writes find-links directories', async () => {
    const w = await buildWheel({ name: 'fl', version: '1.0' });
    const dir = findLinksDir([w]);
    expect(readdirSync(dir)).toEqual([w.filename]);
  });
});
