// Hostile bodies: files whose bytes do not match the index hash, files with no hash at all, bodies
// that break off, bodies longer than announced, bodies that never end, compressed bodies that
// expand enormously, pages too large to hold. The destination only ever holds complete, verified
// files; memory stays bounded by the client's caps (64 MiB pages, 16 MiB metadata files).
import { gzipSync } from 'node:zlib';
import { describe, expect, it, onTestFinished } from 'vitest';
import { buildWheel } from '../helpers/wheel-builder.js';
import { buildSdist } from '../helpers/sdist-builder.js';
import type { BuiltDistribution } from '../helpers/archives.js';
import {
  expectCleanFailure,
  expectDestination,
  expectSuccess,
  makeSandbox,
  runMeasured,
  safePipDownload,
  safePipFetch,
} from './harness.js';
import { JSON_TYPE, sendEndless, sendRaw, serveProject, startHostileServer, type HostileServer, type PageFile } from './hostile-server.js';

const MiB = 1024 * 1024;

async function server(): Promise<HostileServer> {
  const s = await startHostileServer();
  onTestFinished(() => s.close());
  return s;
}

/** A wheel served with its PEP 658 metadata file, so the wheel itself is only fetched to be saved. */
async function wheelWithMetadata(name: string, extra: Partial<PageFile> = {}): Promise<{ dist: BuiltDistribution; file: PageFile }> {
  const dist = await buildWheel({ name, version: '1.0' });
  return { dist, file: { filename: dist.filename, data: dist.data, metadata: dist.metadata!, ...extra } };
}

const fileOptions = (srv: HostileServer) => ['-i', `${srv.url}/simple/`, '--no-deps', '--retries', '1', '--timeout', '5'];

describe('hashes', () => {
  it('a wheel whose bytes do not match the index hash is refused and not kept', async () => {
    const srv = await server();
    const { file } = await wheelWithMetadata('tampered', { hash: 'wrong' });
    serveProject(srv, 'tampered', [file]);
    const s = makeSandbox();
    const result = await safePipFetch(s, [...fileOptions(srv), 'tampered']);
    expectCleanFailure(result, [file.filename, /hash mismatch/, `${srv.url}/simple/tampered/`]);
    expectDestination(s, {});
  }, 120_000);

  it('the same, when the wheel is first read whole for its metadata (no PEP 658, no ranges)', async () => {
    const srv = await server();
    const dist = await buildWheel({ name: 'tampered-whole', version: '1.0' });
    serveProject(srv, 'tampered-whole', [{ filename: dist.filename, data: dist.data, hash: 'wrong' }]);
    const s = makeSandbox();
    const result = await safePipFetch(s, [...fileOptions(srv), 'tampered-whole']);
    expectCleanFailure(result, [dist.filename, /hash mismatch/]);
    expectDestination(s, {});
  }, 120_000);

  it('an sdist fetched raw by pip download through safe-pip is checked the same way', async () => {
    const srv = await server();
    const sdist = await buildSdist({ name: 'rawsdist', version: '1.0', metadataVersion: '2.2' });
    serveProject(srv, 'rawsdist', [{ filename: sdist.filename, data: sdist.data, hash: 'wrong' }]);
    const s = makeSandbox();
    const result = await safePipDownload(s, [...fileOptions(srv), 'rawsdist']);
    expectCleanFailure(result, [sdist.filename, /hash mismatch/]);
    expectDestination(s, {});
  }, 120_000);

  it('a file the index gives no hash for is saved as served (nothing to check it against, as pip)', async () => {
    const srv = await server();
    const { dist, file } = await wheelWithMetadata('unhashed', { hash: 'none' });
    serveProject(srv, 'unhashed', [file]);
    const s = makeSandbox();
    const result = await safePipFetch(s, [...fileOptions(srv), 'unhashed']);
    expectSuccess(result);
    expectDestination(s, { [dist.filename]: dist.data });
  }, 120_000);

  it('a --hash in a requirements file that the file does not match is refused', async () => {
    const srv = await server();
    const { file } = await wheelWithMetadata('pinned', { hash: 'none' });
    serveProject(srv, 'pinned', [file]);
    const s = makeSandbox();
    const { writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    writeFileSync(join(s.cwd, 'req.txt'), `pinned==1.0 --hash=sha256:${'0'.repeat(64)}\n`);
    s.before.push('work/project/req.txt');
    s.before.sort();
    const result = await safePipFetch(s, [...fileOptions(srv), '-r', 'req.txt']);
    expectCleanFailure(result, [/pinned/]);
    expectDestination(s, {});
  }, 120_000);
});

describe('bodies that break off or run on', () => {
  it('a wheel body cut short (Content-Length announced, connection closed) leaves nothing', async () => {
    const srv = await server();
    const { dist, file } = await wheelWithMetadata('cutshort');
    serveProject(srv, 'cutshort', [file]);
    srv.route(`/simple/cutshort/${dist.filename}`, (_req, res) =>
      sendRaw(res, 200, { 'content-length': String(dist.data.length) }, dist.data.subarray(0, 100)),
    );
    const s = makeSandbox();
    const result = await safePipFetch(s, [...fileOptions(srv), 'cutshort']);
    expectCleanFailure(result, [dist.filename, `${srv.url}/simple/cutshort/${dist.filename}`]);
    expectDestination(s, {});
  }, 120_000);

  it('a wheel cut short with no hash to catch it is still not kept (the announced length is checked)', async () => {
    const srv = await server();
    const { dist, file } = await wheelWithMetadata('cutshort-unhashed', { hash: 'none' });
    serveProject(srv, 'cutshort-unhashed', [file]);
    srv.route(`/simple/cutshort-unhashed/${dist.filename}`, (_req, res) =>
      sendRaw(res, 200, { 'content-length': String(dist.data.length) }, dist.data.subarray(0, 100)),
    );
    const s = makeSandbox();
    const result = await safePipFetch(s, [...fileOptions(srv), 'cutshort-unhashed']);
    expectCleanFailure(result, [dist.filename]);
    expectDestination(s, {});
  }, 120_000);

  it('a body longer than its Content-Length: the announced bytes are the file, the rest is ignored', async () => {
    const srv = await server();
    const { dist, file } = await wheelWithMetadata('overlong');
    serveProject(srv, 'overlong', [file]);
    srv.route(`/simple/overlong/${dist.filename}`, (_req, res) =>
      sendRaw(res, 200, { 'content-length': String(dist.data.length) }, Buffer.concat([dist.data, Buffer.alloc(4096, 0x42)])),
    );
    const s = makeSandbox();
    const result = await safePipFetch(s, [...fileOptions(srv), 'overlong']);
    expectSuccess(result);
    expectDestination(s, { [dist.filename]: dist.data });
  }, 120_000);

  it('a wheel body longer than the size the index gave (PEP 700) is refused', async () => {
    const srv = await server();
    const { dist, file } = await wheelWithMetadata('oversize', { hash: 'none' });
    serveProject(srv, 'oversize', [file], { json: true });
    srv.route(`/simple/oversize/${dist.filename}`, (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.end(Buffer.concat([dist.data, Buffer.alloc(4096, 0x42)]));
    });
    const s = makeSandbox();
    const result = await safePipFetch(s, [...fileOptions(srv), 'oversize']);
    expectCleanFailure(result, [dist.filename, /size|bytes/]);
    expectDestination(s, {});
  }, 120_000);

  it('an endless wheel body is cut at the size the index gave, and nothing is kept', async () => {
    const srv = await server();
    const { dist, file } = await wheelWithMetadata('endless-wheel');
    serveProject(srv, 'endless-wheel', [file], { json: true });
    srv.route(`/simple/endless-wheel/${dist.filename}`, (_req, res) => sendEndless(res, { 'content-type': 'application/octet-stream' }, 2048 * MiB));
    const s = makeSandbox();
    const result = await runMeasured(s, ['fetch', '-d', s.dest, ...fileOptions(srv), 'endless-wheel']);
    expectCleanFailure(result, [dist.filename]);
    expectDestination(s, {});
    expect(result.peakRssBytes).toBeLessThan(400 * MiB);
  }, 120_000);

  it('an endless project page is cut at the page limit, in bounded memory', async () => {
    const srv = await server();
    srv.route('/simple/endless-page/', (_req, res) => sendEndless(res, { 'content-type': 'text/html' }, 2048 * MiB, 0x20));
    const s = makeSandbox();
    const result = await runMeasured(s, ['fetch', '-d', s.dest, ...fileOptions(srv), 'endless-page']);
    expectCleanFailure(result, [/endless-page/]);
    expect(result.stderr).toMatch(/limit|exceeds/);
    expectDestination(s, {});
    expect(result.peakRssBytes).toBeLessThan(400 * MiB);
  }, 120_000);

  it('an endless PEP 658 metadata file is cut at the metadata limit', async () => {
    const srv = await server();
    const { dist, file } = await wheelWithMetadata('endless-meta', { metadataHash: 'a'.repeat(64) });
    serveProject(srv, 'endless-meta', [file]);
    srv.route(`/simple/endless-meta/${dist.filename}.metadata`, (_req, res) => sendEndless(res, {}, 2048 * MiB, 0x41));
    const s = makeSandbox();
    const result = await runMeasured(s, ['fetch', '-d', s.dest, ...fileOptions(srv), 'endless-meta']);
    expectCleanFailure(result, [/endless.meta/]);
    expectDestination(s, {});
    expect(result.peakRssBytes).toBeLessThan(400 * MiB);
  }, 120_000);

  it('a page announcing a 4 GiB body is refused before reading it', async () => {
    const srv = await server();
    srv.route('/simple/huge-announced/', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html', 'content-length': String(4 * 1024 * MiB) });
      res.write('<html>');
    });
    const s = makeSandbox();
    const result = await runMeasured(s, ['fetch', '-d', s.dest, ...fileOptions(srv), 'huge-announced']);
    expectCleanFailure(result, [/huge-announced/, /limit/]);
    expectDestination(s, {});
    expect(result.peakRssBytes).toBeLessThan(400 * MiB);
  }, 120_000);
});

/** Concatenated gzip members of zeros: `members` × 32 MiB expanded, about 32 KiB each compressed. */
function gzipBomb(members: number): Buffer {
  const one = gzipSync(Buffer.alloc(32 * MiB), { level: 9 });
  return Buffer.concat(Array.from({ length: members }, () => one));
}

describe('compressed bodies that expand enormously', () => {
  const bomb = gzipBomb(64); // 2 GiB of zeros in about 2 MiB

  it('a gzip bomb as a project page stops at the page limit, in bounded memory', async () => {
    const srv = await server();
    srv.route('/simple/bomb-page/', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip', 'content-length': String(bomb.length) }).end(bomb);
    });
    const s = makeSandbox();
    const result = await runMeasured(s, ['fetch', '-d', s.dest, ...fileOptions(srv), 'bomb-page']);
    expectCleanFailure(result, [/bomb-page/, /limit/]);
    expectDestination(s, {});
    expect(result.peakRssBytes).toBeLessThan(400 * MiB);
  }, 120_000);

  it('a gzip bomb as a JSON page, and as a metadata file, stops the same way', async () => {
    const srv = await server();
    const { dist, file } = await wheelWithMetadata('bomb-meta');
    serveProject(srv, 'bomb-meta', [file], { json: true });
    srv.route(`/simple/bomb-meta/${dist.filename}.metadata`, (_req, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip', 'content-length': String(bomb.length) }).end(bomb);
    });
    srv.route('/simple/bomb-json/', (_req, res) => {
      res.writeHead(200, { 'content-type': JSON_TYPE, 'content-encoding': 'gzip', 'content-length': String(bomb.length) }).end(bomb);
    });
    for (const project of ['bomb-meta', 'bomb-json']) {
      const s = makeSandbox();
      const result = await runMeasured(s, ['fetch', '-d', s.dest, ...fileOptions(srv), project]);
      expectCleanFailure(result, [new RegExp(project.replace('-', '.'))]);
      expectDestination(s, {});
      expect(result.peakRssBytes).toBeLessThan(400 * MiB);
    }
  }, 120_000);

  it('a wheel sent gzip-encoded although identity was asked for fails its hash check', async () => {
    const srv = await server();
    const { dist, file } = await wheelWithMetadata('encoded-wheel');
    serveProject(srv, 'encoded-wheel', [file]);
    const gz = gzipSync(dist.data);
    srv.route(`/simple/encoded-wheel/${dist.filename}`, (_req, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip', 'content-length': String(gz.length) }).end(gz);
    });
    const s = makeSandbox();
    const result = await safePipFetch(s, [...fileOptions(srv), 'encoded-wheel']);
    expectCleanFailure(result, [dist.filename, /hash mismatch/]);
    expectDestination(s, {});
  }, 120_000);
});

describe('huge pages', () => {
  it('a project page with 50,000 links is read and the right file chosen', async () => {
    const srv = await server();
    const dist = await buildWheel({ name: 'crowded', version: '1.0' });
    const noise: PageFile[] = Array.from({ length: 50_000 }, (_, i) => ({
      filename: `crowded-0.${i}-cp27-cp27m-win32.whl`,
      data: Buffer.from(String(i)),
      hash: 'none',
    }));
    serveProject(srv, 'crowded', [...noise, { filename: dist.filename, data: dist.data }]);
    const s = makeSandbox();
    const result = await safePipFetch(s, [...fileOptions(srv), 'crowded']);
    expectSuccess(result);
    expectDestination(s, { [dist.filename]: dist.data });
  }, 120_000);
});
