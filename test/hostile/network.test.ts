// Hostile transport: a server that accepts and never answers, one that stalls mid-body, transient
// 5xx and 429 (with Retry-After) that recover, errors that do not, redirect loops, redirects to
// `file:` and other schemes, and to other hosts (followed, without the index credentials). The
// request log counts the retries; every misbehaviour is bounded by `--timeout` / `--retries`.
import { describe, expect, it, onTestFinished } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildWheel } from '../helpers/wheel-builder.js';
import type { BuiltDistribution } from '../helpers/archives.js';
import { expectCleanFailure, expectDestination, expectSuccess, makeSandbox, safePipDownload, safePipFetch } from './harness.js';
import { serveProject, startHostileServer, type HostileServer, type PageFile } from './hostile-server.js';

async function server(): Promise<HostileServer> {
  const s = await startHostileServer();
  onTestFinished(() => s.close());
  return s;
}

async function project(srv: HostileServer, name: string): Promise<{ dist: BuiltDistribution; file: PageFile; fileUrl: string }> {
  const dist = await buildWheel({ name, version: '1.0' });
  const file: PageFile = { filename: dist.filename, data: dist.data, metadata: dist.metadata! };
  serveProject(srv, name, [file]);
  return { dist, file, fileUrl: `/simple/${name}/${dist.filename}` };
}

const opts = (srv: HostileServer, retries: number, timeout = 5) => ['-i', `${srv.url}/simple/`, '--no-deps', '--retries', String(retries), '--timeout', String(timeout)];

describe('servers that stall', () => {
  it('a project page that is accepted and never answered times out (--timeout 2), retried, then reported', async () => {
    const srv = await server();
    srv.route('/simple/silent/', () => undefined);
    const s = makeSandbox();
    const result = await safePipFetch(s, [...opts(srv, 1, 2), 'silent']);
    expectCleanFailure(result, [`${srv.url}/simple/silent/`, /did not answer within 2 s \(--timeout\)/, /silent/]);
    expect(srv.requestsTo('/simple/silent/')).toHaveLength(2);
    expectDestination(s, {});
  }, 120_000);

  it('a wheel download that is never answered times out and leaves nothing', async () => {
    const srv = await server();
    const { dist, fileUrl } = await project(srv, 'silent-wheel');
    srv.route(fileUrl, () => undefined);
    const s = makeSandbox();
    const result = await safePipFetch(s, [...opts(srv, 0, 2), 'silent-wheel']);
    expectCleanFailure(result, [dist.filename, `${srv.url}${fileUrl}`, /did not answer within 2 s \(--timeout\)/]);
    expectDestination(s, {});
  }, 120_000);

  it('a wheel body that stops half-way and stalls times out and leaves no partial file', async () => {
    const srv = await server();
    const { dist, fileUrl } = await project(srv, 'stall-wheel');
    srv.route(fileUrl, (_req, res) => {
      res.writeHead(200, { 'content-length': String(dist.data.length) });
      res.write(dist.data.subarray(0, dist.data.length >> 1));
    });
    const s = makeSandbox();
    const result = await safePipFetch(s, [...opts(srv, 0, 2), 'stall-wheel']);
    expectCleanFailure(result, [dist.filename, /timed out|timeout/i]);
    expectDestination(s, {});
  }, 120_000);
});

describe('transient failures are retried', () => {
  it('503 on the page, 500 on the metadata, 502 on the wheel, then success: each retried as often as it failed', async () => {
    const srv = await server();
    const { dist, file, fileUrl } = await project(srv, 'flaky');
    const failFirst = (path: string, status: number, times: number): void => {
      srv.route(path, (_req, res, ctx) => {
        if (ctx.hit <= times) return void res.writeHead(status, { 'content-type': 'text/plain' }).end('try again\n');
        if (path.endsWith('/')) return void res.writeHead(200, { 'content-type': 'text/html' }).end(`<a href="${dist.filename}#sha256=${dist.sha256}" data-core-metadata="true">x</a>`);
        const body = path.endsWith('.metadata') ? Buffer.from(file.metadata!) : dist.data;
        res.writeHead(200, { 'content-length': String(body.length) }).end(body);
      });
    };
    failFirst('/simple/flaky/', 503, 2);
    failFirst(`${fileUrl}.metadata`, 500, 1);
    failFirst(fileUrl, 502, 2);
    const s = makeSandbox();
    const result = await safePipFetch(s, [...opts(srv, 3), 'flaky']);
    expectSuccess(result);
    expectDestination(s, { [dist.filename]: dist.data });
    expect(srv.requestsTo('/simple/flaky/')).toHaveLength(3);
    expect(srv.requestsTo(`${fileUrl}.metadata`)).toHaveLength(2);
    expect(srv.requestsTo(fileUrl)).toHaveLength(3);
  }, 120_000);

  it('429 with Retry-After: 1 is waited out and retried', async () => {
    const srv = await server();
    const { dist, fileUrl } = await project(srv, 'throttled');
    srv.route(fileUrl, (_req, res, ctx) => {
      if (ctx.hit === 1) return void res.writeHead(429, { 'retry-after': '1', 'content-type': 'text/plain' }).end('slow down\n');
      res.writeHead(200, { 'content-length': String(dist.data.length) }).end(dist.data);
    });
    const s = makeSandbox();
    const result = await safePipFetch(s, [...opts(srv, 2), 'throttled']);
    expectSuccess(result);
    expectDestination(s, { [dist.filename]: dist.data });
    expect(srv.requestsTo(fileUrl)).toHaveLength(2);
  }, 120_000);

  it('a 503 that never recovers is tried --retries + 1 times, then reported with its status', async () => {
    const srv = await server();
    const { dist, fileUrl } = await project(srv, 'down');
    srv.route(fileUrl, (_req, res) => void res.writeHead(503, { 'content-type': 'text/plain' }).end('down\n'));
    const s = makeSandbox();
    const result = await safePipFetch(s, [...opts(srv, 2), 'down']);
    expectCleanFailure(result, [dist.filename, `${srv.url}${fileUrl}`, /503/]);
    expect(srv.requestsTo(fileUrl)).toHaveLength(3);
    expectDestination(s, {});
  }, 120_000);

  it('a dropped connection on the page, then success, through pip download', async () => {
    const srv = await server();
    const { dist, fileUrl } = await project(srv, 'dropped');
    srv.route('/simple/dropped/', (req, res, ctx) => {
      if (ctx.hit === 1) return void req.socket.destroy();
      res.writeHead(200, { 'content-type': 'text/html' }).end(`<a href="${dist.filename}#sha256=${dist.sha256}">x</a>`);
    });
    const s = makeSandbox();
    const result = await safePipDownload(s, [...opts(srv, 2), 'dropped']);
    expectSuccess(result);
    expectDestination(s, { [dist.filename]: dist.data });
    expect(srv.requestsTo(fileUrl).length).toBeGreaterThanOrEqual(1);
  }, 120_000);
});

describe('redirects', () => {
  it('a redirect loop on the page is cut after a bounded number of hops and reported', async () => {
    const srv = await server();
    srv.route('/simple/loop/', (_req, res) => void res.writeHead(302, { location: '/simple/loop-again/' }).end());
    srv.route('/simple/loop-again/', (_req, res) => void res.writeHead(302, { location: '/simple/loop/' }).end());
    const s = makeSandbox();
    const result = await safePipFetch(s, [...opts(srv, 5), 'loop']);
    expectCleanFailure(result, [`${srv.url}/simple/loop/`, /redirect/, /loop/]);
    expect(srv.requests.length).toBeLessThanOrEqual(12);
    expectDestination(s, {});
  }, 120_000);

  it('a redirect loop on the wheel is cut the same way', async () => {
    const srv = await server();
    const { dist, fileUrl } = await project(srv, 'loop-wheel');
    srv.route(fileUrl, (_req, res) => void res.writeHead(301, { location: fileUrl }).end());
    const s = makeSandbox();
    const result = await safePipFetch(s, [...opts(srv, 5), 'loop-wheel']);
    expectCleanFailure(result, [dist.filename, /redirect/]);
    expect(srv.requestsTo(fileUrl).length).toBeLessThanOrEqual(11);
    expectDestination(s, {});
  }, 120_000);

  for (const target of ['file', 'ftp', 'data', 'javascript'] as const) {
    it(`a wheel redirected to a ${target}: URL is refused; no local file is read`, async () => {
      const srv = await server();
      const s = makeSandbox();
      const { dist, fileUrl } = await project(srv, `to-${target}`);
      // A local file with the very bytes the index expects: following the redirect would "work".
      const local = join(s.root, dist.filename);
      writeFileSync(local, dist.data);
      s.before.push(dist.filename);
      s.before.sort();
      const location = {
        file: `file://${local}`,
        ftp: `ftp://127.0.0.1/${dist.filename}`,
        data: `data:application/octet-stream;base64,${dist.data.toString('base64')}`,
        javascript: 'javascript:alert(1)',
      }[target];
      srv.route(fileUrl, (_req, res) => void res.writeHead(302, { location }).end());
      const result = await safePipFetch(s, [...opts(srv, 1), `to-${target}`]);
      expectCleanFailure(result, [dist.filename, /redirect/, `${target}:`]);
      expectDestination(s, {});
    }, 120_000);
  }

  it('a page redirected to a file: URL is refused', async () => {
    const srv = await server();
    const s = makeSandbox();
    const dist = await buildWheel({ name: 'page-to-file', version: '1.0' });
    writeFileSync(join(s.root, 'index.html'), `<a href="${join(s.root, dist.filename)}">x</a>`);
    writeFileSync(join(s.root, dist.filename), dist.data);
    s.before.push('index.html', dist.filename);
    s.before.sort();
    srv.route('/simple/page-to-file/', (_req, res) => void res.writeHead(302, { location: `file://${s.root}/index.html` }).end());
    const result = await safePipFetch(s, [...opts(srv, 1), 'page-to-file']);
    expectCleanFailure(result, [/page-to-file/, /redirect/]);
    expectDestination(s, {});
  }, 120_000);

  it('a wheel redirected to another host is followed, checked, and the index credentials stay behind', async () => {
    const srv = await server();
    const other = await server();
    const { dist, fileUrl } = await project(srv, 'elsewhere');
    srv.route(fileUrl, (_req, res) => void res.writeHead(302, { location: `${other.url}/mirror/${dist.filename}` }).end());
    other.route(`/mirror/${dist.filename}`, (_req, res) => void res.writeHead(200, { 'content-length': String(dist.data.length) }).end(dist.data));
    const s = makeSandbox();
    const withCredentials = srv.url.replace('http://', 'http://alice:s3cret@');
    const result = await safePipFetch(s, ['-i', `${withCredentials}/simple/`, '--no-deps', '--retries', '1', '--timeout', '5', 'elsewhere']);
    expectSuccess(result);
    expectDestination(s, { [dist.filename]: dist.data });
    expect(srv.requestsTo(fileUrl)[0]?.headers.authorization).toBeDefined();
    expect(other.requests.length).toBeGreaterThan(0);
    for (const r of other.requests) expect(r.headers.authorization).toBeUndefined();
    expect(result.stderr).not.toContain('s3cret');
  }, 120_000);

  it('a wheel redirected to another host that serves other bytes fails the hash check', async () => {
    const srv = await server();
    const other = await server();
    const { dist, fileUrl } = await project(srv, 'swapped');
    const evil = await buildWheel({ name: 'swapped', version: '1.0', files: { 'swapped/__init__.py': 'import os\n' } });
    srv.route(fileUrl, (_req, res) => void res.writeHead(307, { location: `${other.url}/evil.whl` }).end());
    other.route('/evil.whl', (_req, res) => void res.writeHead(200, { 'content-length': String(evil.data.length) }).end(evil.data));
    const s = makeSandbox();
    const result = await safePipFetch(s, [...opts(srv, 1), 'swapped']);
    expectCleanFailure(result, [dist.filename, /hash mismatch/]);
    expectDestination(s, {});
  }, 120_000);
});
