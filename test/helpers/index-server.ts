// A loopback package index speaking the simple repository API, for tests:
// https://packaging.python.org/en/latest/specifications/simple-repository-api/
// (PEP 503 HTML, PEP 691 JSON by Accept header, PEP 592 yanking, PEP 658/714 metadata files,
// PEP 700 `versions`/`size`), as summarised in shared/reference/pip-behaviour.md §5.
//
// Layout (prefix `/` for `projects`, `/<name>/` for each of `indexes`):
//   <prefix>simple/                     root page (project list)
//   <prefix>simple/<project>/           project page; non-normalized names and a missing `/`
//                                       are redirected (301) to the normalized URL
//   <prefix>simple/<project>/<file>     the file (links on the page are relative to the page)
//   <prefix>simple/<project>/<file>.metadata   PEP 658 metadata file, when the file offers it
// Unknown projects and paths answer 404. Files and metadata honour single `Range: bytes=` requests
// with 206 (option `ranges`, default on; multi-range requests get the whole file), HEAD, and
// `If-None-Match` against the ETag (pages and files). Every request is logged.
//
// Faults (`server.fault(path, {...})`) change what one path answers: a status code, a delay, a
// hang, a dropped connection, a truncated body, a body longer than its Content-Length, another
// Content-Type, another body, extra headers; `times` limits a fault to the first N hits so a test
// can check retry-then-recover. Option `tls` serves the same over https (Node's https server), and
// can require a client certificate signed by a given CA. Not here: authentication, `?format=`
// beyond the three content types, PEP 740 provenance, PEP 792 project status. Page bodies:
// simple-index-pages.ts.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  JSON_TYPE,
  negotiateContentType,
  normalizeProjectName,
  renderProjectPage,
  renderRootPage,
  sha256,
  type CoreMetadataOptions,
  type HashMode,
  type ProjectFiles,
  type ResolvedFile,
  type ServedFile,
} from './simple-index-pages.js';
import { makeTempDir } from './temp-dir.js';

export { negotiateContentType, normalizeProjectName };
export type { CoreMetadataOptions, HashMode, ProjectFiles, ServedFile };

export interface IndexServerOptions {
  /** The index at `/simple/`. */
  projects?: ProjectFiles;
  /** More indexes, each at `/<name>/simple/`. */
  indexes?: Record<string, ProjectFiles>;
  /** `negotiate` (default) picks by Accept like PyPI; `html` / `json` always answer that form. */
  format?: 'negotiate' | 'html' | 'json';
  /** Honour Range requests on files (default true). */
  ranges?: boolean;
  /** Send ETag and honour If-None-Match (default true). */
  etag?: boolean;
  /** Cache-Control of pages. Default `max-age=600, public`. */
  pageCacheControl?: string;
  /** Cache-Control of files and metadata files. Default `max-age=31536000, immutable, public`. */
  fileCacheControl?: string;
  /** Absolute `http://127.0.0.1:PORT/...` links instead of relative ones. */
  absoluteLinks?: boolean;
  /** Serve https (then `url` is `https://127.0.0.1:PORT`) with this key and certificate (PEM text). */
  tls?: IndexServerTls;
}

export interface IndexServerTls {
  key: string;
  cert: string;
  /** Require a client certificate signed by this CA (PEM text); the handshake fails without one. */
  requireClientCertCa?: string;
}

export interface Fault {
  /** Answer with this status (and `body`, or a short text) instead of the real response. */
  status?: number;
  /** Wait this long before answering. */
  delayMs?: number;
  /** Never answer (until the server closes). */
  hang?: boolean;
  /** Close the connection without any response. */
  dropConnection?: boolean;
  /** Announce the full Content-Length, send only this many body bytes, then close. */
  truncateAt?: number;
  /** Send this many bytes (or these bytes) after the announced body. */
  extraBytes?: number | Buffer;
  /** Content-Type to send instead. */
  contentType?: string;
  /** Body to send instead (Content-Length follows it). */
  body?: string | Buffer;
  /** Headers to add or replace. */
  headers?: Record<string, string>;
  /** Apply to the first N matching requests only. Default: every request. */
  times?: number;
}

export interface FaultHandle {
  /** How many requests this fault has been applied to. */
  readonly hits: number;
  remove(): void;
}

export type RequestKind = 'root' | 'page' | 'file' | 'metadata' | 'redirect' | 'not-found' | 'fault';

export interface RequestRecord {
  method: string;
  /** Path and query as requested. */
  url: string;
  pathname: string;
  /** Index name, `''` for the `/simple/` one, null when no index matched. */
  index: string | null;
  kind: RequestKind;
  status: number;
  /** Content-Type answered, if any. */
  contentType: string | undefined;
  /** Body bytes sent (after range/fault handling). */
  bytes: number;
  headers: {
    accept: string | undefined;
    range: string | undefined;
    ifNoneMatch: string | undefined;
    cacheControl: string | undefined;
    userAgent: string | undefined;
  };
}

export interface IndexServer {
  /** `http://127.0.0.1:PORT` (`https://…` with the `tls` option) */
  readonly url: string;
  readonly port: number;
  /** The log of every request, oldest first (a live array). */
  readonly requests: RequestRecord[];
  /** `http://127.0.0.1:PORT/simple/` or `.../<index>/simple/`. */
  indexUrl(index?: string): string;
  /** Normalized project page URL. */
  projectUrl(project: string, index?: string): string;
  /** URL of a served file (searched in every project of the index). */
  fileUrl(filename: string, index?: string): string;
  /** Requests whose pathname equals `match` (string) or matches it (RegExp). */
  requestsTo(match: string | RegExp): RequestRecord[];
  clearRequests(): void;
  /** Replaces (or with `undefined` removes) a project's files. */
  setProject(project: string, files: ServedFile[] | undefined, index?: string): void;
  addFile(project: string, file: ServedFile, index?: string): void;
  /** Installs a fault on the requests whose pathname equals `match` or matches it. */
  fault(match: string | RegExp, fault: Fault): FaultHandle;
  clearFaults(): void;
  close(): Promise<void>;
}

interface Reply {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  kind: RequestKind;
}

function parseRange(header: string, size: number): { start: number; end: number } | 'unsatisfiable' | null {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (m === null) return null; // multi-range or malformed: answer the whole file
  const [, a = '', b = ''] = m;
  if (a === '' && b === '') return null;
  if (a === '') {
    const n = Number(b);
    if (n === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(a);
  const end = b === '' ? size - 1 : Math.min(Number(b), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}

interface FaultEntry {
  match: string | RegExp;
  fault: Fault;
  hits: number;
  removed: boolean;
}

export async function startIndexServer(options: IndexServerOptions = {}): Promise<IndexServer> {
  const indexes = new Map<string, Map<string, ServedFile[]>>();
  const addIndex = (name: string, projects: ProjectFiles): void => {
    const map = new Map<string, ServedFile[]>();
    for (const [project, files] of Object.entries(projects)) {
      const key = normalizeProjectName(project);
      map.set(key, [...(map.get(key) ?? []), ...files]);
    }
    indexes.set(name, map);
  };
  if (options.projects !== undefined || options.indexes === undefined) addIndex('', options.projects ?? {});
  for (const [name, projects] of Object.entries(options.indexes ?? {})) {
    if (name === '' || name.includes('/')) throw new Error(`index name "${name}" must be one non-empty path segment`);
    addIndex(name, projects);
  }

  const ranges = options.ranges ?? true;
  const etags = options.etag ?? true;
  const pageCacheControl = options.pageCacheControl ?? 'max-age=600, public';
  const fileCacheControl = options.fileCacheControl ?? 'max-age=31536000, immutable, public';
  const resolved = new WeakMap<ServedFile, Promise<ResolvedFile>>();
  const requests: RequestRecord[] = [];
  const faults: FaultEntry[] = [];
  const pendingTimers = new Set<NodeJS.Timeout>();
  let closed = false;
  let baseUrl = '';

  const prefixOf = (index: string): string => (index === '' ? '/' : `/${index}/`);
  const indexOf = (index: string | undefined): Map<string, ServedFile[]> => {
    const found = indexes.get(index ?? '');
    if (found === undefined) throw new Error(`no index "${index ?? ''}" on this server`);
    return found;
  };

  function resolveFile(file: ServedFile): Promise<ResolvedFile> {
    let r = resolved.get(file);
    if (r === undefined) {
      r = (async () => {
        const data = typeof file.data === 'function' ? await file.data() : file.data;
        let metadata: Buffer | undefined;
        if (file.coreMetadata !== undefined && file.coreMetadata !== false) {
          const content = (typeof file.coreMetadata === 'object' ? file.coreMetadata.content : undefined) ?? file.metadata;
          if (content === undefined) throw new Error(`coreMetadata for ${file.filename} but no metadata text`);
          metadata = Buffer.from(content);
        }
        return { file, data, sha256: sha256(data), metadata };
      })();
      resolved.set(file, r);
    }
    return r;
  }

  function linkFor(file: ServedFile, pageUrl: string): string {
    if (file.href !== undefined) return file.href;
    const relative = encodeURIComponent(file.filename);
    return options.absoluteLinks ? new URL(relative, baseUrl + pageUrl).href : relative;
  }

  function text(status: number, message: string, kind: RequestKind): Reply {
    return { status, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: Buffer.from(`${message}\n`), kind };
  }

  function pageReply(req: IncomingMessage, body: Buffer, contentType: string, kind: RequestKind): Reply {
    const headers: Record<string, string> = { 'content-type': contentType, 'cache-control': pageCacheControl, vary: 'Accept' };
    if (etags) {
      const tag = `"${sha256(Buffer.concat([Buffer.from(contentType), body])).slice(0, 32)}"`;
      headers.etag = tag;
      if (req.headers['if-none-match'] === tag) return { status: 304, headers, body: Buffer.alloc(0), kind };
    }
    return { status: 200, headers, body, kind };
  }

  function fileReply(req: IncomingMessage, data: Buffer, contentType: string, kind: RequestKind): Reply {
    const headers: Record<string, string> = { 'content-type': contentType, 'cache-control': fileCacheControl };
    if (etags) {
      const tag = `"${sha256(data)}"`;
      headers.etag = tag;
      if (req.headers['if-none-match'] === tag) return { status: 304, headers, body: Buffer.alloc(0), kind };
    }
    if (ranges) {
      headers['accept-ranges'] = 'bytes';
      const rangeHeader = req.headers.range;
      if (rangeHeader !== undefined) {
        const range = parseRange(rangeHeader, data.length);
        if (range === 'unsatisfiable') {
          return { status: 416, headers: { ...headers, 'content-range': `bytes */${data.length}` }, body: Buffer.alloc(0), kind };
        }
        if (range !== null) {
          headers['content-range'] = `bytes ${range.start}-${range.end}/${data.length}`;
          return { status: 206, headers, body: data.subarray(range.start, range.end + 1), kind };
        }
      }
    }
    return { status: 200, headers, body: data, kind };
  }

  function fileContentType(filename: string): string {
    if (filename.endsWith('.whl') || filename.endsWith('.zip')) return 'application/zip';
    if (filename.endsWith('.tar.gz') || filename.endsWith('.tgz')) return 'application/x-gzip';
    return 'application/octet-stream';
  }

  async function route(req: IncomingMessage, url: URL): Promise<{ reply: Reply; index: string | null }> {
    const segments = url.pathname.split('/').slice(1);
    let index = '';
    if (segments[0] !== 'simple') {
      index = decodeURIComponent(segments[0] ?? '');
      segments.shift();
    }
    const projects = indexes.get(index);
    if (projects === undefined || segments[0] !== 'simple') return { reply: text(404, 'Not Found', 'not-found'), index: null };
    const prefix = `${prefixOf(index)}simple/`;
    const redirect = (location: string): Reply => ({ status: 301, headers: { location }, body: Buffer.alloc(0), kind: 'redirect' });
    if (segments.length === 1) return { reply: redirect(prefix), index };

    const chooseFormat = (): { format: 'json' | 'html'; contentType: string } | null => {
      const forced = url.searchParams.get('format') ?? undefined;
      if (forced !== undefined) return negotiateContentType(forced);
      if (options.format === 'json') return { format: 'json', contentType: JSON_TYPE };
      if (options.format === 'html') return { format: 'html', contentType: 'text/html' };
      return negotiateContentType(req.headers.accept);
    };

    if (segments.length === 2 && segments[1] === '') {
      const chosen = chooseFormat();
      if (chosen === null) return { reply: text(406, 'Not Acceptable', 'root'), index };
      return { reply: pageReply(req, renderRootPage([...projects.keys()].sort(), chosen.format), chosen.contentType, 'root'), index };
    }

    const rawProject = decodeURIComponent(segments[1] ?? '');
    const project = normalizeProjectName(rawProject);
    if (segments.length === 2 || (segments.length === 3 && segments[2] === '')) {
      if (rawProject !== project || segments.length === 2) return { reply: redirect(`${prefix}${encodeURIComponent(project)}/${url.search}`), index };
      const files = projects.get(project);
      if (files === undefined) return { reply: text(404, `No project ${project}`, 'not-found'), index };
      const chosen = chooseFormat();
      if (chosen === null) return { reply: text(406, 'Not Acceptable', 'page'), index };
      const resolvedFiles = await Promise.all(files.map(resolveFile));
      const body = renderProjectPage(project, resolvedFiles, chosen.format, (file) => linkFor(file, url.pathname));
      return { reply: pageReply(req, body, chosen.contentType, 'page'), index };
    }

    if (segments.length === 3) {
      const name = decodeURIComponent(segments[2] ?? '');
      const files = projects.get(project) ?? [];
      for (const file of files) {
        if (file.filename === name) {
          const r = await resolveFile(file);
          return { reply: fileReply(req, r.data, fileContentType(name), 'file'), index };
        }
        if (`${file.filename}.metadata` === name && file.coreMetadata !== undefined && file.coreMetadata !== false) {
          const r = await resolveFile(file);
          if (r.metadata !== undefined) return { reply: fileReply(req, r.metadata, 'application/octet-stream', 'metadata'), index };
        }
      }
    }
    return { reply: text(404, 'Not Found', 'not-found'), index };
  }

  function takeFault(pathname: string): Fault | undefined {
    for (const entry of faults) {
      if (entry.removed) continue;
      const hit = typeof entry.match === 'string' ? entry.match === pathname : entry.match.test(pathname);
      if (!hit) continue;
      if (entry.fault.times !== undefined && entry.hits >= entry.fault.times) continue;
      entry.hits += 1;
      return entry.fault;
    }
    return undefined;
  }

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        pendingTimers.delete(timer);
        resolve();
      }, ms);
      pendingTimers.add(timer);
    });
  }

  /** Writes a response by hand, for the faults Node's ServerResponse refuses to produce. */
  function sendRaw(res: ServerResponse, reply: Reply, announced: number, body: Buffer): void {
    const head = [`HTTP/1.1 ${reply.status} ${STATUS_CODES[reply.status] ?? ''}`];
    for (const [k, v] of Object.entries(reply.headers)) head.push(`${k}: ${v}`);
    head.push(`content-length: ${announced}`, 'connection: close', '', '');
    const socket = res.socket;
    if (socket === null) return;
    socket.end(Buffer.concat([Buffer.from(head.join('\r\n')), body]));
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const fault = takeFault(url.pathname);
    const record: RequestRecord = {
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      pathname: url.pathname,
      index: null,
      kind: 'not-found',
      status: 0,
      contentType: undefined,
      bytes: 0,
      headers: {
        accept: req.headers.accept,
        range: req.headers.range,
        ifNoneMatch: req.headers['if-none-match'],
        cacheControl: req.headers['cache-control'],
        userAgent: req.headers['user-agent'],
      },
    };
    requests.push(record);

    if (fault?.delayMs !== undefined) await sleep(fault.delayMs);
    if (fault?.hang) return; // closeAllConnections() ends it
    if (closed || res.destroyed) return;
    if (fault?.dropConnection) {
      record.kind = 'fault';
      req.socket.destroy();
      return;
    }

    let reply: Reply;
    if (fault?.status !== undefined) {
      reply = text(fault.status, STATUS_CODES[fault.status] ?? 'fault', 'fault');
    } else {
      const routed = await route(req, url);
      reply = routed.reply;
      record.index = routed.index;
    }
    if (fault?.contentType !== undefined) reply.headers['content-type'] = fault.contentType;
    if (fault?.body !== undefined) reply.body = Buffer.from(fault.body);
    Object.assign(reply.headers, fault?.headers ?? {});

    const body = req.method === 'HEAD' ? Buffer.alloc(0) : reply.body;
    record.kind = reply.kind;
    record.status = reply.status;
    record.contentType = reply.headers['content-type'];

    if (fault?.truncateAt !== undefined && req.method !== 'HEAD') {
      const sent = body.subarray(0, fault.truncateAt);
      record.bytes = sent.length;
      sendRaw(res, reply, body.length, sent);
      return;
    }
    if (fault?.extraBytes !== undefined && req.method !== 'HEAD') {
      const extra = typeof fault.extraBytes === 'number' ? Buffer.alloc(fault.extraBytes, 0x41) : fault.extraBytes;
      record.bytes = body.length + extra.length;
      sendRaw(res, reply, body.length, Buffer.concat([body, extra]));
      return;
    }
    res.writeHead(reply.status, { ...reply.headers, 'content-length': String(reply.body.length) });
    record.bytes = body.length;
    res.end(body);
  }

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(err instanceof Error ? err.stack : err));
      }
    });
  };
  const tls = options.tls;
  const server: Server | HttpsServer =
    tls === undefined
      ? createServer(onRequest)
      : createHttpsServer(
          {
            key: tls.key,
            cert: tls.cert,
            ...(tls.requireClientCertCa === undefined ? {} : { ca: tls.requireClientCertCa, requestCert: true, rejectUnauthorized: true }),
          },
          onRequest,
        );
  // A client that gives up on our certificate resets the connection; that is the test's business.
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  baseUrl = `${tls === undefined ? 'http' : 'https'}://127.0.0.1:${port}`;

  const findProjectOf = (filename: string, index: string | undefined): string => {
    for (const [project, files] of indexOf(index)) if (files.some((f) => f.filename === filename)) return project;
    throw new Error(`no file ${filename} in index "${index ?? ''}"`);
  };

  return {
    url: baseUrl,
    port,
    requests,
    indexUrl: (index) => {
      indexOf(index);
      return `${baseUrl}${prefixOf(index ?? '')}simple/`;
    },
    projectUrl: (project, index) => `${baseUrl}${prefixOf(index ?? '')}simple/${encodeURIComponent(normalizeProjectName(project))}/`,
    fileUrl: (filename, index) =>
      `${baseUrl}${prefixOf(index ?? '')}simple/${findProjectOf(filename, index)}/${encodeURIComponent(filename)}`,
    requestsTo: (match) => requests.filter((r) => (typeof match === 'string' ? r.pathname === match : match.test(r.pathname))),
    clearRequests: () => {
      requests.length = 0;
    },
    setProject: (project, files, index) => {
      const map = indexOf(index);
      if (files === undefined) map.delete(normalizeProjectName(project));
      else map.set(normalizeProjectName(project), [...files]);
    },
    addFile: (project, file, index) => {
      const map = indexOf(index);
      const key = normalizeProjectName(project);
      map.set(key, [...(map.get(key) ?? []), file]);
    },
    fault: (match, fault) => {
      const entry: FaultEntry = { match, fault, hits: 0, removed: false };
      faults.push(entry);
      return {
        get hits() {
          return entry.hits;
        },
        remove: () => {
          entry.removed = true;
        },
      };
    },
    clearFaults: () => {
      faults.length = 0;
    },
    close: async () => {
      if (closed) return;
      closed = true;
      for (const timer of pendingTimers) clearTimeout(timer);
      pendingTimers.clear();
      const done = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await done;
    },
  };
}

/** Writes distributions (`{filename, data}`) into a directory for `--find-links`; returns it. */
export function findLinksDir(files: ReadonlyArray<{ filename: string; data: Buffer }>, dir = makeTempDir('find-links-')): string {
  mkdirSync(dir, { recursive: true });
  for (const f of files) writeFileSync(join(dir, f.filename), f.data);
  return dir;
}
