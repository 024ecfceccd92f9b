// A loopback HTTP server that misbehaves on purpose, for the hostile-index suite (issue 6 §2):
// what test/helpers/index-server.ts cannot produce — endless bodies, gzip bombs, redirect loops
// and redirects to `file:` or other hosts, 429 with Retry-After, raw bytes in pages, bodies longer
// than announced, slow bodies for interruption tests.
//
// Every route is a handler; each misbehaviour is bounded (an "endless" body stops at a byte cap or
// when the client goes away, a slow body has a fixed length, a hang ends when the server closes),
// and the server closes itself after `lifetimeMs` even if a test forgets to. Loopback only.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface LoggedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
}

export interface RouteContext {
  /** The request URL (path and query) parsed against this server. */
  url: URL;
  /** 1 for the first request this route answers, 2 for the second, ... */
  hit: number;
  /** `http://127.0.0.1:PORT` */
  base: string;
}

export type Handler = (req: IncomingMessage, res: ServerResponse, ctx: RouteContext) => void | Promise<void>;

export interface HostileServer {
  readonly url: string;
  readonly requests: LoggedRequest[];
  /** Answers `path` (exact pathname, or a RegExp on it); a later route for the same path replaces it. */
  route(path: string | RegExp, handler: Handler): void;
  /** Requests whose pathname equals / matches. */
  requestsTo(path: string | RegExp): LoggedRequest[];
  close(): Promise<void>;
}

export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

export async function startHostileServer(options: { lifetimeMs?: number } = {}): Promise<HostileServer> {
  const routes: Array<{ path: string | RegExp; handler: Handler; hits: number }> = [];
  const requests: LoggedRequest[] = [];
  const sockets = new Set<Socket>();
  const matches = (p: string | RegExp, pathname: string): boolean => (typeof p === 'string' ? p === pathname : p.test(pathname));
  let base = '';
  let closed = false;

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', base);
    requests.push({ method: req.method ?? 'GET', path: url.pathname, headers: req.headers });
    const route = [...routes].reverse().find((r) => matches(r.path, url.pathname));
    if (route === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found\n');
      return;
    }
    route.hits += 1;
    Promise.resolve()
      .then(() => route.handler(req, res, { url, hit: route.hits, base }))
      .catch((error: unknown) => {
      if (!res.headersSent && !res.destroyed) res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
      else res.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    clearTimeout(lifetime);
    const done = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    await done;
  };
  const lifetime = setTimeout(() => void close(), options.lifetimeMs ?? 180_000);
  lifetime.unref();

  return {
    url: base,
    requests,
    route: (path, handler) => {
      routes.push({ path, handler, hits: 0 });
    },
    requestsTo: (path) => requests.filter((r) => matches(path, r.path)),
    close,
  };
}

// --- bounded misbehaviours -----------------------------------------------------------------

/** A chunked body that goes on until the client stops reading or `capBytes` have been sent. */
export function sendEndless(res: ServerResponse, headers: Record<string, string>, capBytes: number, fill = 0x41): void {
  const chunk = Buffer.alloc(64 * 1024, fill);
  res.writeHead(200, headers);
  let sent = 0;
  const pump = (): void => {
    while (!res.destroyed && sent < capBytes) {
      sent += chunk.length;
      if (!res.write(chunk)) {
        res.once('drain', pump);
        return;
      }
    }
    if (!res.destroyed) res.end();
  };
  pump();
}

/** `data` with its true Content-Length, `chunkBytes` every `intervalMs` (a finite, slow stream). */
export function sendSlowly(res: ServerResponse, data: Buffer, headers: Record<string, string>, chunkBytes: number, intervalMs: number): void {
  res.writeHead(200, { ...headers, 'content-length': String(data.length) });
  let offset = 0;
  const timer = setInterval(() => {
    if (res.destroyed || offset >= data.length) {
      clearInterval(timer);
      if (!res.destroyed) res.end();
      return;
    }
    res.write(data.subarray(offset, offset + chunkBytes));
    offset += chunkBytes;
  }, intervalMs);
  res.on('close', () => clearInterval(timer));
}

/** A raw HTTP/1.1 response written to the socket: any Content-Length, any body, then close. */
export function sendRaw(res: ServerResponse, status: number, headers: Record<string, string>, body: Buffer): void {
  const lines = [`HTTP/1.1 ${status} X`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), 'connection: close', '', ''];
  res.socket?.end(Buffer.concat([Buffer.from(lines.join('\r\n'), 'latin1'), body]));
}

// --- simple API pages ------------------------------------------------------------------------

export interface PageFile {
  filename: string;
  data: Buffer;
  /** The href (default: the filename, relative to the page); `#sha256=` is added unless `hash` is `none`. */
  href?: string;
  /** `sha256` (default), `none`, `wrong`, or an explicit hex digest. */
  hash?: 'sha256' | 'none' | 'wrong' | string;
  /** PEP 658: the metadata text, announced with its sha256 (or `metadataHash`). */
  metadata?: string;
  metadataHash?: string;
}

function digestFor(file: PageFile): string | null {
  const mode = file.hash ?? 'sha256';
  if (mode === 'none') return null;
  if (mode === 'sha256') return sha256(file.data);
  if (mode === 'wrong') return sha256(Buffer.concat([Buffer.from('wrong'), file.data]));
  return mode;
}

const escapeAttr = (s: string): string => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export function htmlPage(files: readonly PageFile[]): string {
  const anchors = files.map((f) => {
    const digest = digestFor(f);
    const href = `${f.href ?? encodeURIComponent(f.filename)}${digest === null ? '' : `#sha256=${digest}`}`;
    const meta = f.metadata === undefined ? '' : ` data-core-metadata="sha256=${f.metadataHash ?? sha256(f.metadata)}"`;
    return `<a href="${escapeAttr(href)}"${meta}>${escapeAttr(f.filename)}</a><br/>`;
  });
  return `<!DOCTYPE html>\n<html><body>\n${anchors.join('\n')}\n</body></html>\n`;
}

export function jsonPage(name: string, files: readonly PageFile[], withSize = true): string {
  return JSON.stringify({
    meta: { 'api-version': '1.1' },
    name,
    files: files.map((f) => {
      const digest = digestFor(f);
      return {
        filename: f.filename,
        url: f.href ?? encodeURIComponent(f.filename),
        hashes: digest === null ? {} : { sha256: digest },
        ...(withSize ? { size: f.data.length } : {}),
        ...(f.metadata === undefined ? {} : { 'core-metadata': { sha256: f.metadataHash ?? sha256(f.metadata) } }),
      };
    }),
  });
}

export const JSON_TYPE = 'application/vnd.pypi.simple.v1+json';

/** Routes `/simple/<name>/` (HTML, or JSON with `json`), each file and each `.metadata` file. */
export function serveProject(server: HostileServer, name: string, files: readonly PageFile[], options: { json?: boolean } = {}): void {
  server.route(`/simple/${name}/`, (_req, res) => {
    const body = options.json ? jsonPage(name, files) : htmlPage(files);
    res.writeHead(200, { 'content-type': options.json ? JSON_TYPE : 'text/html; charset=utf-8' }).end(body);
  });
  for (const f of files) {
    if (f.href !== undefined) continue;
    server.route(`/simple/${name}/${f.filename}`, (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(f.data.length) }).end(f.data);
    });
    if (f.metadata !== undefined) {
      const text = f.metadata;
      server.route(`/simple/${name}/${f.filename}.metadata`, (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(text);
      });
    }
  }
}

// --- range requests ----------------------------------------------------------------------------

/**
 * Routes `path` to answer `Range: bytes=a-b` / `bytes=-n` with 206 from `ranged`, and a plain GET
 * with 200 from `whole`: an index whose range answers come from another file than its downloads.
 */
export function serveRanges(server: HostileServer, path: string, whole: Buffer, ranged: Buffer): void {
  server.route(path, (req, res) => {
    const m = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? '');
    if (m === null) {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(whole.length) }).end(whole);
      return;
    }
    const size = ranged.length;
    const [start, end] = m[1] === '' ? [Math.max(0, size - Number(m[2])), size - 1] : [Number(m[1]), m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1)];
    res
      .writeHead(206, { 'content-type': 'application/octet-stream', 'content-range': `bytes ${start}-${end}/${size}`, 'content-length': String(end - start + 1) })
      .end(ranged.subarray(start, end + 1));
  });
}

/**
 * Two zips made the same size: the shorter gets a zip comment (the end-of-central-directory record
 * with no comment is its last 22 bytes; its last field is the comment's length).
 */
export function sameSizeZips(a: Buffer, b: Buffer): [Buffer, Buffer] {
  const pad = (zip: Buffer, by: number): Buffer => {
    const eocd = zip.length - 22;
    if (zip.readUInt32LE(eocd) !== 0x06054b50 || zip.readUInt16LE(eocd + 20) !== 0) throw new Error('zip has a comment already');
    if (by > 0xffff) throw new Error('zips differ too much in size');
    const out = Buffer.concat([zip, Buffer.alloc(by, 0x20)]);
    out.writeUInt16LE(by, eocd + 20);
    return out;
  };
  if (a.length < b.length) return [pad(a, b.length - a.length), b];
  return [a, pad(b, a.length - b.length)];
}
