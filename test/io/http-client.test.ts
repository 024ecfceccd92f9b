// The HTTP transport against small loopback servers of its own: credentials (URL, netrc, index
// netloc) sent and never shown, dropped on a redirect to another host; HTTP(S)_PROXY / NO_PROXY and
// --proxy through a loopback CONNECT proxy; timeouts; body limits and decompression caps.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpClient } from '../../src/io/http/client.js';
import { HttpError } from '../../src/io/http/http-error.js';
import { IndexClient } from '../../src/io/index-client.js';
import { parseNetrc } from '../../src/io/netrc.js';
import { Semaphore } from '../../src/io/http/semaphore.js';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

interface Seen {
  url: string;
  authorization: string | undefined;
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanup.push(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }));
  return (server.address() as AddressInfo).port;
}

async function recordingServer(handler: (req: IncomingMessage) => { status?: number; headers?: Record<string, string>; body?: string | Buffer }) {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    seen.push({ url: req.url ?? '', authorization: req.headers.authorization });
    const r = handler(req);
    res.writeHead(r.status ?? 200, r.headers ?? { 'content-type': 'text/html' });
    res.end(r.body ?? '');
  });
  const port = await listen(server);
  return { seen, port, base: `http://127.0.0.1:${port}` };
}

function http(options: ConstructorParameters<typeof HttpClient>[0] = {}): HttpClient {
  const c = new HttpClient({ retries: 0, ...options });
  cleanup.push(() => c.close());
  return c;
}

const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;

describe('credentials', () => {
  it('sends URL credentials, index credentials for the same netloc, and netrc by host', async () => {
    const srv = await recordingServer(() => ({ body: 'ok' }));
    const c = http({ credentialUrls: [`http://idx:idxpw@127.0.0.1:${srv.port}/simple/`], netrc: parseNetrc('machine 127.0.0.1 login nl password npw\n') });
    await c.fetchBuffered(`http://me:mypw@127.0.0.1:${srv.port}/a`);
    await c.fetchBuffered(`${srv.base}/files/x.whl`);
    const viaNetrc = http({ netrc: parseNetrc('machine 127.0.0.1 login nl password npw\n') });
    await viaNetrc.fetchBuffered(`${srv.base}/b`);
    expect(srv.seen.map((s) => s.authorization)).toEqual([basic('me', 'mypw'), basic('idx', 'idxpw'), basic('nl', 'npw')]);
    expect(srv.seen[0]!.url).toBe('/a');
  });

  it('drops URL credentials on a redirect to another host, and never prints them', async () => {
    const other = await recordingServer(() => ({ status: 500, body: 'no' }));
    const first = await recordingServer(() => ({ status: 302, headers: { location: `${other.base}/elsewhere` } }));
    const c = http();
    const res = await c.fetchBuffered(`http://alice:s3cret@127.0.0.1:${first.port}/start`);
    expect(res.status).toBe(500);
    expect(first.seen[0]!.authorization).toBe(basic('alice', 's3cret'));
    expect(other.seen[0]!.authorization).toBeUndefined();

    const warnings: string[] = [];
    const ic = new IndexClient({ indexUrls: [`http://alice:s3cret@127.0.0.1:${first.port}/simple/`], findLinks: [], pipVersion: [23, 2], cacheDir: null, transport: { retries: 0 }, warn: (m) => warnings.push(m) });
    cleanup.push(() => ic.close());
    const files = await ic.projectFiles('x');
    const shown = JSON.stringify(files) + warnings.join('');
    expect(shown).toContain('alice:****@');
    expect(shown).not.toContain('s3cret');
  });

  it('puts no credentials in error messages', async () => {
    const c = http({ retries: 0 });
    const err = await c.fetchBuffered('http://bob:hunter2@127.0.0.1:1/x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect((err as Error).message).toContain('bob:****@127.0.0.1:1');
    expect((err as Error).message).not.toContain('hunter2');
  });
});

describe('proxies', () => {
  async function connectProxy() {
    const connects: string[] = [];
    const server = createServer((_req, res) => {
      res.writeHead(501);
      res.end();
    });
    const sockets = new Set<Socket>();
    server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
      connects.push(req.url ?? '');
      const [host, port] = (req.url ?? '').split(':');
      const upstream = connect(Number(port), host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      sockets.add(upstream).add(client);
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
    const port = await listen(server);
    cleanup.push(() => { for (const s of sockets) s.destroy(); });
    return { connects, url: `http://127.0.0.1:${port}` };
  }

  it('goes through --proxy and through HTTP_PROXY unless NO_PROXY matches', async () => {
    const srv = await recordingServer(() => ({ body: 'hello' }));
    const proxy = await connectProxy();
    expect(Buffer.from((await http({ proxy: proxy.url }).fetchBuffered(`${srv.base}/p`)).body).toString()).toBe('hello');
    expect(proxy.connects).toEqual([`127.0.0.1:${srv.port}`]);
    await http({ proxyEnv: { httpProxy: proxy.url } }).fetchBuffered(`${srv.base}/env`);
    expect(proxy.connects).toHaveLength(2);
    await http({ proxyEnv: { httpProxy: proxy.url, noProxy: '127.0.0.1' } }).fetchBuffered(`${srv.base}/direct`);
    expect(proxy.connects).toHaveLength(2);
    expect(srv.seen.map((s) => s.url)).toEqual(['/p', '/env', '/direct']);
  });
});

describe('limits and timeouts', () => {
  it('times out a server that never answers, after the configured retries', async () => {
    let hits = 0;
    const server = createServer(() => {
      hits++; // never answers
    });
    const port = await listen(server);
    const err = await http({ timeoutSeconds: 0.2, retries: 1, sleep: async () => undefined }).fetchBuffered(`http://127.0.0.1:${port}/`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect((err as HttpError).kind).toBe('timeout');
    expect(hits).toBe(2);
  });

  it('caps bodies and decompressed bodies', async () => {
    const srv = await recordingServer((req) =>
      req.url === '/gz'
        ? { headers: { 'content-type': 'text/html', 'content-encoding': 'gzip' }, body: gzipSync(Buffer.alloc(1_000_000, 0x61)) }
        : { body: Buffer.alloc(5000, 0x61) },
    );
    const c = http();
    await expect(c.fetchBuffered(`${srv.base}/big`, { maxBodyBytes: 1000 })).rejects.toMatchObject({ kind: 'too-large' });
    await expect(c.fetchBuffered(`${srv.base}/gz`, { maxBodyBytes: 10_000, decompress: true })).rejects.toMatchObject({ kind: 'too-large' });
    expect((await c.fetchBuffered(`${srv.base}/gz`, { decompress: true })).body.length).toBe(1_000_000);
  });

  it('runs at most maxConcurrency requests at once', async () => {
    let peak = 0;
    const held: Array<() => void> = [];
    const server = createServer((_req, res) => {
      held.push(() => res.end('x'));
      peak = Math.max(peak, held.length);
    });
    const port = await listen(server);
    const c = http({ maxConcurrency: 3 });
    let done = 0;
    const all = Promise.all(Array.from({ length: 9 }, (_, i) => c.fetchBuffered(`http://127.0.0.1:${port}/${i}`).then(() => done++)));
    // Answer one request at a time, after giving every other request many turns to arrive.
    while (done < 9) {
      for (let turn = 0; turn < 200; turn++) await new Promise((r) => setImmediate(r));
      held.shift()?.();
    }
    await all;
    expect(peak).toBe(3);
  });

  it('the semaphore never lets more than its limit run', async () => {
    const sem = new Semaphore(2);
    let active = 0;
    let peak = 0;
    const gates: Array<() => void> = [];
    const tasks = Array.from({ length: 6 }, () =>
      sem.run(async () => {
        active++;
        peak = Math.max(peak, active);
        await new Promise<void>((resolve) => gates.push(resolve));
        active--;
      }),
    );
    while (gates.length > 0 || active > 0) {
      await new Promise((r) => setImmediate(r));
      gates.shift()?.();
    }
    await Promise.all(tasks);
    expect(peak).toBe(2);
  });
});
