// The HTTP transport (undici 7) with pip's network settings (pip/_internal/network/session.py,
// network/auth.py, cli/req_command.py `_build_session`):
// - `--proxy` (ProxyAgent, used for every request, as requests does with session proxies) or
//   HTTP(S)_PROXY / NO_PROXY from the environment (EnvHttpProxyAgent);
// - `--cert` (a CA bundle that replaces the system roots, as requests' `verify=<path>`),
//   `--client-cert` (one PEM holding certificate and key), `--trusted-host host[:port]` (TLS not
//   verified for that host, any port when none is given; the client certificate is still sent);
//   a TLS failure is not retried and its message says which side failed and the way out
//   (`--cert` / `--trusted-host` for the server's certificate, `--client-cert` when the server
//   refused us), tested against pip in test/io/tls.test.ts;
// - `--timeout` (seconds, applied to connecting, to the response head and to every body read);
// - `--retries` (pip: urllib3 Retry(total=retries, backoff_factor=0.25)): connection errors and
//   500/502/503/520/527 as pip, plus every other 5xx and 429; `Retry-After` honoured up to a bound;
// - credentials: userinfo of the URL, else those of an index/find-links URL on the same netloc
//   (pip's MultiDomainBasicAuth), else ~/.netrc by host, sent pre-emptively as Basic auth;
// - redirects followed by hand (at most `maxRedirects`, only to http/https; moving to another
//   host drops the credentials and looks them up again for the new host, as requests does);
// - at most `maxConcurrency` requests in flight; bodies capped, decompression capped.
// undici (the part of it used here, undici-parts.ts) is imported on the first request, not with this module, so a command
// that sends none (`--no-index`, pass-through) does not load it (issue 12 §2).
// Not supported: keyring, interactive password prompts, `--cert` directories, 401 retry with
// prompted credentials.
import { Buffer } from 'node:buffer';
import { brotliDecompressSync, gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';
import type { buildConnector, Dispatcher } from 'undici';
import { pythonUnquote, pythonUrlsplit } from '../../standards/simple-api.js';
import { SafePipError } from '../../errors.js';
import type { Netrc } from '../netrc.js';
import { EagerBody } from './eager-body.js';
import { deferredTrustContext } from './extra-ca-certs.js';
import { HttpError } from './http-error.js';
import { Semaphore } from './semaphore.js';

export interface TransportOptions {
  /** `--timeout`, seconds (pip default 15). */
  timeoutSeconds?: number;
  /** `--retries` (pip default 5). */
  retries?: number;
  /** `--proxy`. */
  proxy?: string | null;
  /** HTTP_PROXY / HTTPS_PROXY / NO_PROXY (either case), normally from process.env. */
  proxyEnv?: { httpProxy?: string | undefined; httpsProxy?: string | undefined; noProxy?: string | undefined };
  /** Contents of the `--cert` / PIP_CERT / REQUESTS_CA_BUNDLE bundle (PEM). */
  caBundle?: string | null;
  /** Contents of `--client-cert` (PEM with certificate and key). */
  clientCert?: string | null;
  /** `--trusted-host` values, `host` or `host:port`. */
  trustedHosts?: readonly string[];
  netrc?: Netrc | null;
  /** URLs whose userinfo applies to every request to the same netloc (index and find-links URLs). */
  credentialUrls?: readonly string[];
  maxConcurrency?: number;
  maxRedirects?: number;
  userAgent?: string;
  /** Upper bound for a `Retry-After` wait, seconds. */
  maxRetryAfterSeconds?: number;
  /** Injected by tests to observe waits instead of sleeping. */
  sleep?: (ms: number) => Promise<void>;
}

export interface HttpRequest {
  method?: 'GET' | 'HEAD';
  headers?: Record<string, string>;
  /** Body limit in bytes (after decompression for pages). */
  maxBodyBytes?: number;
  /** Pages: ask for gzip/deflate and decode it. Files: identity (the bytes the hash covers). */
  decompress?: boolean;
}

export interface ResponseHead {
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** The URL that answered, after redirects (with the original credentials removed). */
  url: string;
}

export interface BufferedResponse extends ResponseHead {
  body: Uint8Array;
}

type Undici = typeof import('./undici-parts.js');
let undiciModule: Promise<Undici> | null = null;

/** The part of undici safe-pip uses (undici-parts.ts), imported once, on the first request of the process. */
function loadUndici(): Promise<Undici> {
  undiciModule ??= import('./undici-parts.js');
  return undiciModule;
}

/** Loads the transport ahead of the first request (see IndexClient's preloadIndexClient). */
export async function preloadTransport(): Promise<void> {
  await loadUndici();
}

export const DEFAULT_PAGE_LIMIT = 64 * 1024 * 1024;
const RETRY_STATUSES = (s: number) => s === 429 || (s >= 500 && s <= 599);
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

interface Credentials {
  user: string;
  password: string;
}

function splitUserinfo(url: string): { bare: string; creds: Credentials | null; netloc: string; host: string; port: string } {
  const u = new URL(url);
  const creds = u.username || u.password ? { user: pythonUnquote(u.username), password: pythonUnquote(u.password) } : null;
  // Each setter re-serializes the URL: only when there is something to remove (every request
  // of a run goes through here).
  if (creds !== null) {
    u.username = '';
    u.password = '';
  }
  return { bare: u.href, creds, netloc: u.host, host: u.hostname.replace(/^\[|\]$/g, ''), port: u.port };
}

function headerRecord(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

/** Retry-After in seconds (delta or HTTP date), or null. */
export function retryAfterSeconds(value: string | undefined, now = Date.now()): number | null {
  if (value === undefined) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, (date - now) / 1000);
}

function isTimeout(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return false;
  const code = (e as { code?: string }).code ?? '';
  return code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'ETIMEDOUT';
}

function isTlsError(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return false;
  const code = (e as { code?: string }).code ?? '';
  return /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_OSSL/.test(code);
}

function errorCode(e: unknown): string {
  const err = e as { code?: string; cause?: { code?: string } };
  return err.cause?.code ?? err.code ?? '';
}

/**
 * What a TLS failure means and the way out, in pip's terms. OpenSSL names the server's side by
 * the verification result (UNABLE_TO_VERIFY_LEAF_SIGNATURE, SELF_SIGNED_CERT_IN_CHAIN, …, or
 * ERR_TLS_CERT_ALTNAME_INVALID) and the server's refusal of us by the alert it sent
 * (ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED without a certificate, …_UNKNOWN_CA or
 * …_BAD_CERTIFICATE for one it does not accept, …_HANDSHAKE_FAILURE under TLS 1.2).
 */
function describeTlsError(e: unknown, url: string): string {
  const code = errorCode(e);
  const what = `TLS error: ${describeNetworkError(e)}`;
  let netloc = url;
  try {
    netloc = new URL(url).host;
  } catch {
    // keep the whole URL
  }
  if (/ALERT_(CERTIFICATE_REQUIRED|HANDSHAKE_FAILURE|UNKNOWN_CA|BAD_CERTIFICATE|CERTIFICATE_UNKNOWN|ACCESS_DENIED)/.test(code)) {
    return `${what}; the server refused the connection, it may require a client certificate: give one with --client-cert FILE (a PEM file holding the private key and the certificate, as pip expects)`;
  }
  if (/^ERR_OSSL|PEM|KEY/.test(code) && !/ALERT/.test(code)) {
    return `${what}; check the --cert / --client-cert files: PEM certificates, and for --client-cert an unencrypted private key with its certificate`;
  }
  return `${what}; the server's certificate could not be verified: if you trust this index, give the CA bundle that signed it with --cert FILE (or PIP_CERT, or cert = in pip.conf), or skip verification for it with --trusted-host ${netloc}`;
}

function describeNetworkError(e: unknown): string {
  const err = e as { code?: string; message?: string; reason?: string; cause?: { code?: string; message?: string; reason?: string } };
  const code = err.cause?.code ?? err.code;
  // OpenSSL's own message is a multi-line dump ("80DC…:error:0A000410:SSL routines:…"); its
  // `reason` says the same in a few words.
  const message = err.cause?.reason ?? err.reason ?? err.cause?.message ?? err.message ?? String(e);
  return code && !message.includes(code) ? `${message} (${code})` : message;
}

export class HttpClient {
  private readonly semaphore: Semaphore;
  private readonly dispatchers = new Map<boolean, Dispatcher>();
  private readonly credentialsByNetloc = new Map<string, Credentials>();
  private readonly trusted: Array<{ host: string; port: string | null }>;
  /** TLS alerts the servers sent, by local `address:port` of the connection (newest last, bounded). */
  private readonly tlsAlerts = new Map<string, Error>();
  private readonly tlsOptionsMade = new Map<boolean, Promise<buildConnector.BuildOptions>>();
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly maxRedirects: number;
  private readonly sleep: (ms: number) => Promise<void>;
  /** Set by close(): no request starts after it, and a wait between retries ends at once. */
  private closed = false;
  private readonly wakeOnClose = new Set<() => void>();
  /** Requests sent (each retry and redirect counts), for summaries and tests. */
  requestCount = 0;

  constructor(private readonly options: TransportOptions = {}) {
    this.semaphore = new Semaphore(options.maxConcurrency ?? 10);
    this.timeoutMs = Math.max(1, (options.timeoutSeconds ?? 15) * 1000);
    this.retries = Math.max(0, options.retries ?? 5);
    this.maxRedirects = options.maxRedirects ?? 10;
    this.sleep = options.sleep ?? ((ms) => this.closableSleep(ms));
    this.trusted = (options.trustedHosts ?? []).map((t) => {
      const m = /^\[?([^\]]*?)\]?(?::(\d+))?$/.exec(t.trim());
      return { host: (m?.[1] ?? t).toLowerCase(), port: m?.[2] ?? null };
    });
    for (const url of options.credentialUrls ?? []) {
      try {
        const { creds, netloc } = splitUserinfo(url);
        if (creds && !this.credentialsByNetloc.has(netloc)) this.credentialsByNetloc.set(netloc, creds);
      } catch {
        // Not a URL (a local path): no credentials to learn.
      }
    }
  }

  /** pip's trusted-host rule: `host` matches every port, `host:port` only that one. */
  isTrustedHost(url: string): boolean {
    let host: string;
    let port: string;
    try {
      const u = new URL(url);
      host = u.hostname.replace(/^\[|\]$/g, '').toLowerCase();
      port = u.port;
    } catch {
      return false;
    }
    return this.trusted.some((t) => t.host === host && (t.port === null || t.port === port));
  }

  private async dispatcher(insecure: boolean): Promise<Dispatcher> {
    const existing = this.dispatchers.get(insecure);
    if (existing) return existing;
    const { Agent, EnvHttpProxyAgent, ProxyAgent, buildConnector } = await loadUndici();
    // Another request may have made it while undici was loading.
    const raced = this.dispatchers.get(insecure);
    if (raced) return raced;
    const base = { connectTimeout: this.timeoutMs, headersTimeout: this.timeoutMs, bodyTimeout: this.timeoutMs };
    let d: Dispatcher;
    const env = this.options.proxyEnv ?? {};
    if (this.options.proxy || env.httpProxy || env.httpsProxy) {
      // A proxy's agent takes its TLS options as it is made.
      const tls = await this.tlsOptions(insecure);
      const proxyContext = this.options.caBundle ? null : await deferredTrustContext(null);
      const proxied = { ...base, connect: tls, requestTls: tls, ...(proxyContext === null ? {} : { proxyTls: { secureContext: proxyContext } }) };
      if (this.options.proxy) {
        const uri = /^[a-z][a-z0-9+.-]*:\/\//i.test(this.options.proxy) ? this.options.proxy : `http://${this.options.proxy}`;
        d = new ProxyAgent({ ...proxied, uri });
      } else {
        d = new EnvHttpProxyAgent({
          ...proxied,
          ...(env.httpProxy ? { httpProxy: env.httpProxy } : {}),
          ...(env.httpsProxy ? { httpsProxy: env.httpsProxy } : {}),
          noProxy: env.noProxy ?? '',
        });
      }
    } else {
      d = new Agent({ ...base, connect: this.alertRecordingConnector(buildConnector, insecure) });
    }
    this.dispatchers.set(insecure, d);
    return d;
  }

  /**
   * The TLS options of every connection: one secure context for the client's trust (a CA bundle,
   * a client certificate, or Node's defaults plus NODE_EXTRA_CA_CERTS when safe-pip read that
   * itself), made once, on the first connection that needs it. Given as `ca`/`cert`, Node would
   * parse the bundle again for each connection (about 20 ms for a system bundle).
   */
  private tlsOptions(insecure: boolean): Promise<buildConnector.BuildOptions> {
    let made = this.tlsOptionsMade.get(insecure);
    if (made === undefined) {
      made = (async () => {
        const deferred = this.options.caBundle ? null : await deferredTrustContext(this.options.clientCert);
        if (deferred !== null) return { secureContext: deferred, rejectUnauthorized: !insecure };
        if (!this.options.caBundle && !this.options.clientCert) return { rejectUnauthorized: !insecure };
        const { createSecureContext } = await import('node:tls');
        const secureContext = createSecureContext({
          ...(this.options.caBundle ? { ca: this.options.caBundle } : {}),
          ...(this.options.clientCert ? { cert: this.options.clientCert, key: this.options.clientCert } : {}),
        });
        return { secureContext, rejectUnauthorized: !insecure };
      })();
      this.tlsOptionsMade.set(insecure, made);
    }
    return made;
  }

  /**
   * undici's own connector, with the TLS options made on the first https connection (none for an
   * http index), plus a listener that keeps the TLS alert a server sends after the handshake: under
   * TLS 1.3 a server that wants a client certificate says so only then, and undici reports the
   * connection as "other side closed", which would hide the reason.
   */
  private alertRecordingConnector(build: Undici['buildConnector'], insecure: boolean): buildConnector.connector {
    const plain = build({ timeout: this.timeoutMs });
    let secure: Promise<buildConnector.connector> | null = null;
    const record: buildConnector.Callback = (...args) => {
      // On failure undici passes no socket at all (undefined, not the typed null).
      const socket = args[0] === null ? args[1] : null;
      if (socket) {
        const key = `${socket.localAddress}:${socket.localPort}`;
        socket.on('error', (error: Error & { code?: string }) => {
          if (!/ALERT/.test(error.code ?? '')) return;
          this.tlsAlerts.set(key, error);
          if (this.tlsAlerts.size > 32) this.tlsAlerts.delete(this.tlsAlerts.keys().next().value!);
        });
      }
    };
    return (options, callback) => {
      const done: buildConnector.Callback = (...args) => {
        record(...args);
        callback(...args);
      };
      if (options.protocol !== 'https:') {
        plain(options, done);
        return;
      }
      secure ??= this.tlsOptions(insecure).then((tls) => build({ ...tls, timeout: this.timeoutMs }));
      secure.then(
        (connect) => connect(options, done),
        (error: unknown) => callback(error as Error, null),
      );
    };
  }

  /** The TLS alert behind an undici socket error, if the server sent one on that connection. */
  private tlsAlertBehind(e: unknown): Error | null {
    const info = (e as { socket?: { localAddress?: string; localPort?: number }; cause?: { socket?: { localAddress?: string; localPort?: number } } }) ?? {};
    const socket = info.socket ?? info.cause?.socket;
    if (socket?.localPort === undefined) return null;
    const key = `${socket.localAddress}:${socket.localPort}`;
    const alert = this.tlsAlerts.get(key) ?? null;
    this.tlsAlerts.delete(key);
    return alert;
  }

  private credentialsFor(explicit: Credentials | null, netloc: string, host: string): Credentials | null {
    if (explicit) return explicit;
    const known = this.credentialsByNetloc.get(netloc);
    if (known) return known;
    const entry = this.options.netrc?.lookup(host);
    return entry ? { user: entry.login, password: entry.password } : null;
  }

  /** One request with redirects followed; returns the head and the live body. */
  private async sendFollowingRedirects(
    originalUrl: string,
    req: HttpRequest,
  ): Promise<{ head: ResponseHead; body: EagerBody }> {
    let url = originalUrl;
    const start = splitUserinfo(url);
    for (let hop = 0; ; hop++) {
      const parts = hop === 0 ? start : splitUserinfo(url);
      // Credentials written into the original URL never travel to another host.
      const explicit = parts.netloc === start.netloc ? (parts.creds ?? start.creds) : parts.creds;
      const creds = this.credentialsFor(explicit, parts.netloc, parts.host);
      const headers: Record<string, string> = {
        'user-agent': this.options.userAgent ?? 'safe-pip',
        'accept-encoding': req.decompress ? 'gzip, deflate' : 'identity',
        ...(req.headers ?? {}),
      };
      if (creds) headers.authorization = `Basic ${Buffer.from(`${creds.user}:${creds.password}`, 'latin1').toString('base64')}`;
      const insecure = parts.bare.startsWith('https:') && this.isTrustedHost(parts.bare);
      this.requestCount++;
      const dispatcher = await this.dispatcher(insecure);
      const { request } = await loadUndici();
      const res = await request(parts.bare, { method: req.method ?? 'GET', headers, dispatcher });
      const head: ResponseHead = { status: res.statusCode, headers: headerRecord(res.headers), url: parts.bare };
      if (!REDIRECT_STATUSES.has(res.statusCode) || head.headers.location === undefined) return { head, body: new EagerBody(res.body) };
      await res.body.dump();
      if (hop + 1 > this.maxRedirects) throw new HttpError(originalUrl, 'redirect', `more than ${this.maxRedirects} redirects (last to ${head.headers.location})`);
      let next: URL;
      try {
        next = new URL(head.headers.location, parts.bare);
      } catch {
        throw new HttpError(url, 'redirect', `redirect to an invalid URL "${head.headers.location}"`);
      }
      if (next.protocol !== 'http:' && next.protocol !== 'https:') {
        throw new HttpError(url, 'refused-scheme', `refused redirect to "${next.protocol}" URL (only http: and https: redirects are followed)`);
      }
      url = next.toString();
    }
  }

  /** A timeout in the user's terms: the --timeout it ran into (issue 13 item 6). */
  private noAnswerWithin(): string {
    return `the index did not answer within ${this.timeoutMs / 1000} s (--timeout)`;
  }

  /** A wait that close() cuts short, so a retry nobody waits for any more cannot hold the process. */
  private closableSleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.wakeOnClose.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.wakeOnClose.add(wake);
    });
  }

  /** Sends with retries; the returned body has not been read. */
  private async sendWithRetries(url: string, req: HttpRequest): Promise<{ head: ResponseHead; body: EagerBody }> {
    for (let attempt = 0; ; attempt++) {
      if (this.closed) throw new HttpError(url, 'network', 'not sent: the run is over (the connections are closed)');
      let result: { head: ResponseHead; body: EagerBody };
      try {
        result = await this.sendFollowingRedirects(url, req);
      } catch (e) {
        if (e instanceof HttpError) throw e;
        const alert = this.tlsAlertBehind(e);
        if (alert !== null || isTlsError(e) || isTlsError((e as { cause?: unknown }).cause)) {
          throw new HttpError(url, 'tls', describeTlsError(alert ?? e, url), { cause: alert ?? e });
        }
        if (attempt >= this.retries) {
          throw new HttpError(url, isTimeout(e) ? 'timeout' : 'network', isTimeout(e) ? this.noAnswerWithin() : `connection failed: ${describeNetworkError(e)}`, { cause: e });
        }
        await this.sleep(this.backoffMs(attempt));
        continue;
      }
      if (!RETRY_STATUSES(result.head.status) || attempt >= this.retries) return result;
      result.body.discard();
      const after = retryAfterSeconds(result.head.headers['retry-after']);
      const cap = this.options.maxRetryAfterSeconds ?? 60;
      await this.sleep(after === null ? this.backoffMs(attempt) : Math.min(after, cap) * 1000);
    }
  }

  private backoffMs(attempt: number): number {
    // urllib3: backoff_factor * 2 ** (retry number - 1), no sleep before the first retry, max 120 s.
    return attempt === 0 ? 0 : Math.min(120_000, 250 * 2 ** attempt);
  }

  /** GET (or HEAD) the whole body into memory: pages and metadata files. */
  async fetchBuffered(url: string, req: HttpRequest = {}): Promise<BufferedResponse> {
    return this.semaphore.run(async () => {
      const { head, body } = await this.sendWithRetries(url, req);
      const limit = req.maxBodyBytes ?? DEFAULT_PAGE_LIMIT;
      const declared = Number(head.headers['content-length']);
      if (Number.isFinite(declared) && declared > limit) {
        body.discard();
        throw new HttpError(url, 'too-large', `response of ${declared} bytes exceeds the limit of ${limit} bytes`);
      }
      const chunks: Buffer[] = [];
      let total = 0;
      try {
        for await (const chunk of body) {
          total += chunk.length;
          if (total > limit) {
            body.discard();
            throw new HttpError(url, 'too-large', `response exceeds the limit of ${limit} bytes`);
          }
          chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        }
      } catch (e) {
        if (e instanceof HttpError) throw e;
        throw new HttpError(url, isTimeout(e) ? 'timeout' : 'network', isTimeout(e) ? this.noAnswerWithin() : `reading the response failed: ${describeNetworkError(e)}`, { cause: e });
      }
      let bytes: Buffer = Buffer.concat(chunks);
      if (req.decompress) bytes = this.decode(url, bytes, head.headers['content-encoding'], limit);
      return { ...head, body: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
    });
  }

  private decode(url: string, bytes: Buffer, encoding: string | undefined, limit: number): Buffer {
    const enc = (encoding ?? '').trim().toLowerCase();
    if (enc === '' || enc === 'identity') return bytes;
    try {
      if (enc === 'gzip' || enc === 'x-gzip') return gunzipSync(bytes, { maxOutputLength: limit });
      if (enc === 'deflate') {
        try {
          return inflateSync(bytes, { maxOutputLength: limit });
        } catch {
          return inflateRawSync(bytes, { maxOutputLength: limit });
        }
      }
      if (enc === 'br') return brotliDecompressSync(bytes, { maxOutputLength: limit });
    } catch (e) {
      if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError) {
        throw new HttpError(url, 'too-large', `decompressed response exceeds the limit of ${limit} bytes`);
      }
      throw new HttpError(url, 'decode', `cannot decode ${enc} response: ${(e as Error).message}`);
    }
    throw new HttpError(url, 'decode', `unsupported Content-Encoding "${enc}"`);
  }

  /**
   * GET with the body handed to `consume` as a stream (downloads, range reads). Retries cover
   * getting the response head; a body that breaks off is the consumer's error.
   */
  async fetchStream<T>(url: string, req: HttpRequest, consume: (head: ResponseHead, body: AsyncIterable<Uint8Array>) => Promise<T>): Promise<T> {
    return this.semaphore.run(async () => {
      const { head, body } = await this.sendWithRetries(url, req);
      try {
        return await consume(head, body);
      } catch (e) {
        if (e instanceof SafePipError) throw e;
        throw new HttpError(url, isTimeout(e) ? 'timeout' : 'network', isTimeout(e) ? this.noAnswerWithin() : `reading the response failed: ${describeNetworkError(e)}`, { cause: e });
      } finally {
        body.discard();
      }
    });
  }

  /**
   * Ends every connection. A request still under way is abandoned, not waited for: by then nobody
   * waits for its answer (a prefetch the resolution did not need), and an index that never
   * answers it must not hold the run until the timeout.
   */
  async close(): Promise<void> {
    this.closed = true;
    for (const wake of [...this.wakeOnClose]) wake();
    await Promise.all([...this.dispatchers.values()].map((d) => d.destroy().catch(() => undefined)));
    this.dispatchers.clear();
  }
}

/** The proxy settings requests reads from the environment (lower case wins, as in urllib). */
export function proxyEnvFrom(env: NodeJS.ProcessEnv): TransportOptions['proxyEnv'] {
  return {
    httpProxy: env.http_proxy ?? env.HTTP_PROXY,
    httpsProxy: env.https_proxy ?? env.HTTPS_PROXY,
    noProxy: env.no_proxy ?? env.NO_PROXY,
  };
}

/** The netloc (`host[:port]`) of a URL as Python's urlsplit reports it, for messages. */
export function netlocOf(url: string): string {
  return pythonUrlsplit(url).netloc.replace(/^.*@/, '');
}
