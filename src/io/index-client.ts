// The index client: pip's LinkCollector + PackageFinder.find_all_candidates source handling
// (pip/_internal/index/collector.py, sources.py, package_finder.py) over src/io/http, with
// safe-pip's cache and safe file handling. Implements src/resolve/index-reader.ts.
// pip-behaviour.md §5: every index's `<index>/<project>/` page (unless `--no-index`) and every
// find-links location; pages fetched with pip's Accept header and content-type rule; a 404, a
// network failure, an insecure origin or a wrong content type makes that source contribute
// nothing (reported in SourceReport); a page pip would crash on (malformed JSON, undecodable
// HTML) is an error. Order as pip: file links from all sources sorted by URL, descending; then
// find-links pages; then index pages in index order; within each list duplicates dropped and
// `#egg=` links last (`_sort_links`).
// Metadata read before its file is verified (a PEP 658 `.metadata` file, or a wheel's METADATA read
// through range requests) is kept as a claim; when the whole file is written (downloadFile, or a
// file pip saved: verifySavedFile) its own metadata must agree (metadataDifference), else
// MetadataMismatch and the file is not saved. `explain` downloads nothing, so there the claims stay
// unchecked; every command that saves files checks them.
// Not done: a remote index/find-links URL is not itself offered as a file link when it is an
// index page (pip offers it, and its finder always rejects it as "not a file").
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { RandomAccessSource } from '../resolve/random-access.js';
import { fromBytes } from '../resolve/random-access.js';
import type {
  DownloadResult,
  ExpectedHashes,
  FileOrigin,
  IndexReader,
  ProjectFiles,
  SourceKind,
  SourceReport,
  SourcedFile,
} from '../resolve/index-reader.js';
import { normalizeName } from '../standards/names.js';
import { parseCoreMetadata } from '../standards/core-metadata.js';
import { metadataDifference, type ResolvingMetadata } from '../resolve/metadata-source.js';
import { readWheelMetadata } from '../resolve/wheel-metadata.js';
import { readSdistMetadata } from '../resolve/sdist-metadata.js';
import { SUPPORTED_EXTENSIONS, splitArchiveExtension } from '../standards/sdist-filename.js';
import {
  ACCEPT_HEADER,
  isAcceptedContentType,
  isJsonContentType,
  linkFromUrl,
  projectPageUrl,
  pythonUnquote,
  pythonUrljoin,
  pythonUrlsplit,
  SimpleApiError,
  urlWithoutFragment,
  type IndexFile,
  type PageInput,
  type ProjectPage,
} from '../standards/simple-api.js';
import { FetchError } from './fetch-error.js';
import { copyVerified, DiskWriteError, hashExistingFile, safeBasename, writeVerified } from './file-download.js';
import { hashMismatch, hashRequirements, MultiHasher } from './file-hashes.js';
import { listFlatDirectory } from './find-links.js';
import { HttpClient, preloadTransport, type TransportOptions } from './http/client.js';
import { HttpError } from './http/http-error.js';
import { HttpCache, keptByPipsCache, maxAgeOf, type CachedPage } from './http-cache.js';
import { classifyLocation, expandFindLink, insecureOriginWarning, isHtmlFile, isSecureOrigin, urlToPath, type ClassifiedLocation } from './index-sources.js';
import { HttpRangeSource, localFileSource, parseContentRange, readBody } from './random-access-sources.js';
import { redactUrl } from './redact-url.js';
import { Semaphore } from './http/semaphore.js';

export interface IndexClientOptions {
  /** `-i` then every `--extra-index-url`, in order; ignored with `noIndex`. */
  indexUrls: readonly string[];
  findLinks: readonly string[];
  noIndex?: boolean;
  /** The real pip's version: find-links directory filtering changed in 24.0. */
  pipVersion: readonly [number, number];
  /** For relative find-links paths. */
  cwd?: string;
  transport?: TransportOptions;
  /** The cache directory, or null for `--no-cache-dir`. */
  cacheDir: string | null;
  /** Serve cached pages without asking while their max-age lasts. Default false: always revalidate, as pip does (it sends `Cache-Control: max-age=0`). */
  honourMaxAge?: boolean;
  /** pip's warnings (insecure origin, ignored location, skipped content type), credentials redacted. */
  warn?: (message: string) => void;
  /** Bytes requested from the end of a remote file by openFile (default 64 KiB). */
  rangeTailBytes?: number;
}

interface PageResult {
  report: SourceReport;
  page: ProjectPage | null;
  /** What pip would say of this page (skipped, not fetched), said once the page is asked for. */
  warning?: string;
}

/** A project's files, or the error reading them ended in, with what pip would say on the way, not yet said. */
type CollectedProject = { warnings: string[] } & ({ found: ProjectFiles } | { failure: unknown });

const METADATA_LIMIT = 16 * 1024 * 1024;
/**
 * Reads ahead under way at once. Each holds a page or a wheel's central directory in memory, so
 * without a bound a wide closure would hold hundreds at a time; fewer than the transport's
 * connections, so the resolver's own reads always find one.
 */
const READ_AHEAD_CONCURRENCY = 8;
/** Largest whole file openFile reads when the index gives no size (in memory without a cache). */
const WHOLE_FILE_LIMIT = 1024 * 1024 * 1024;
/** Whole files up to this size are held in memory while the cache stores them (see openFile). */
const SMALL_WHOLE_FILE = 1024 * 1024;

// The page parsers are not loaded at start-up: most intercepted commands read no index page. The
// JSON one (the form safe-pip asks for first) loads with the first page asked for, the HTML one
// (htmlparser2 and the entity tables, most of the parsing code) only once an index answers in
// HTML; both load earlier through preloadIndexClient.
type PageParser = (input: PageInput) => ProjectPage;
let jsonPageParser: Promise<PageParser> | undefined;
let htmlPageParser: Promise<PageParser> | undefined;
function loadPageParser(json: boolean): Promise<PageParser> {
  if (json) return (jsonPageParser ??= import('../standards/simple-api/json-project-page.js').then((m) => m.parseJsonProjectPage));
  return (htmlPageParser ??= import('../standards/simple-api/html-project-page.js').then((m) => m.parseHtmlProjectPage));
}

/**
 * Loads what reading an index needs on first use (the page parser, the HTTP transport), for a
 * caller with idle time before its first request: the interpreter probe's Python, say.
 */
export async function preloadIndexClient(): Promise<void> {
  await Promise.all([loadPageParser(true), loadPageParser(false), preloadTransport()]);
}

/** The response's Content-Length, when it is a whole number of bytes. */
function contentLength(head: { headers: Record<string, string | undefined> }): number | null {
  const text = head.headers['content-length'];
  const length = text === undefined ? Number.NaN : Number(text);
  return Number.isSafeInteger(length) && length >= 0 ? length : null;
}

function isArchiveUrl(url: string): boolean {
  const path = pythonUnquote(pythonUrlsplit(url).path);
  return SUPPORTED_EXTENSIONS.includes(splitArchiveExtension(path)[1]);
}

/** pip's `_sort_links`: drop repeated URLs, `#egg=` links after the others. */
function sortLinks(files: readonly SourcedFile[]): SourcedFile[] {
  const seen = new Set<string>();
  const plain: SourcedFile[] = [];
  const eggs: SourcedFile[] = [];
  for (const f of files) {
    if (seen.has(f.file.url)) continue;
    seen.add(f.file.url);
    (f.file.egg ? eggs : plain).push(f);
  }
  return [...plain, ...eggs];
}

/** An HttpError's story for a FetchError that already names `url`: the URL only when it is another one (a redirect's). */
function httpDetail(e: HttpError, url: string): string {
  return e.url === redactUrl(url) ? e.detail : e.message;
}

/** Metadata the resolution used that the verified file contradicts (pip 26.2: MetadataInconsistent). */
export class MetadataMismatch extends FetchError {}

/** Metadata read before its file was verified, to be checked against it. */
interface MetadataClaim {
  /** `the index's metadata file` / `METADATA read through range requests`. */
  from: string;
  metadata: ResolvingMetadata;
}

function resolvingFields(text: string): ResolvingMetadata | null {
  try {
    const m = parseCoreMetadata(text);
    return { name: m.name, version: m.version, requiresPython: m.requiresPython, requiresDist: m.requiresDist, providesExtra: m.providesExtra };
  } catch {
    // Metadata that cannot be parsed fails the candidate where it is used.
    return null;
  }
}

export class IndexClient implements IndexReader {
  readonly http: HttpClient;
  readonly cache: HttpCache;
  private readonly cwd: string;
  private readonly trustedHosts: readonly string[];
  private readonly projects = new Map<string, Promise<CollectedProject>>();
  /** PEP 658 metadata files being read, by file URL and hashes: a prefetch and the resolver's read share one. */
  private readonly metadataTexts = new Map<string, Promise<string>>();
  /** Wheels' METADATA being read from the archive, by file URL and sha256, shared the same way. */
  private readonly wheelMetadataTexts = new Map<string, Promise<string>>();
  private readonly readAhead = new Semaphore(READ_AHEAD_CONCURRENCY);
  private readonly pages = new Map<string, Promise<PageResult>>();
  private readonly warned = new Set<string>();
  /** Files fetched whole during this run (no cache dir), by URL. */
  private readonly memoryFiles = new Map<string, Uint8Array>();
  /** Files fetched whole during this run into the cache, by URL: found again even when the index gave no sha256. */
  private readonly wholeFiles = new Map<string, string>();
  /** Files opened through range requests this run, by URL. */
  private readonly ranged = new Set<string>();
  /** Unverified metadata used this run, by file URL (without fragment). */
  private readonly claims = new Map<string, MetadataClaim[]>();

  constructor(private readonly options: IndexClientOptions) {
    this.cwd = options.cwd ?? process.cwd();
    this.trustedHosts = options.transport?.trustedHosts ?? [];
    this.http = new HttpClient({
      ...options.transport,
      credentialUrls: [...(options.transport?.credentialUrls ?? []), ...options.indexUrls, ...options.findLinks],
    });
    this.cache = HttpCache.open(options.cacheDir, { warn: (m) => options.warn?.(m) });
  }

  async close(): Promise<void> {
    await this.cache.flush();
    await this.http.close();
  }

  private warn(message: string): void {
    if (this.warned.has(message)) return;
    this.warned.add(message);
    this.options.warn?.(message);
  }

  async projectFiles(name: string): Promise<ProjectFiles> {
    const collected = await this.collected(name);
    for (const warning of collected.warnings) this.warn(warning);
    if ('failure' in collected) throw collected.failure;
    return collected.found;
  }

  /**
   * Starts reading a project's pages before the resolver asks for them (uv's prefetch), and
   * resolves to its files. Nothing is said: the warnings wait for projectFiles, so a project
   * the resolution never reaches leaves no trace but the requests.
   */
  async prefetchProject(name: string): Promise<readonly SourcedFile[]> {
    const collected = await this.readAhead.run(() => this.collected(name));
    return 'found' in collected ? collected.found.files : [];
  }

  /** Starts reading a PEP 658 metadata file ahead of fetchMetadataFile, which then takes the same read. */
  prefetchMetadataFile(entry: SourcedFile): Promise<string> {
    return this.readAhead.run(() => this.metadataText(entry));
  }

  /**
   * Starts reading a wheel's METADATA ahead of wheelMetadata, which then takes the same read. Not
   * a wheel of unknown size when there is no cache to stream it into: from an index without
   * ranges each read ahead would then hold a whole wheel in memory.
   */
  prefetchWheelMetadata(entry: SourcedFile, project: { name: string; version: string }): Promise<string> | undefined {
    if (entry.file.size === null && !this.cache.writable) return undefined;
    return this.readAhead.run(() => this.wheelMetadata(entry, project));
  }

  private collected(name: string): Promise<CollectedProject> {
    const key = normalizeName(name);
    let p = this.projects.get(key);
    if (!p) {
      p = this.collect(name);
      this.projects.set(key, p);
    }
    return p;
  }

  private async collect(name: string): Promise<CollectedProject> {
    const findLinks = this.options.findLinks.map((l) => classifyLocation(expandFindLink(l), { expandDir: true, cwd: this.cwd }));
    const indexes = this.options.noIndex
      ? []
      : this.options.indexUrls.map((i) => classifyLocation(projectPageUrl(i, name), { expandDir: false, cwd: this.cwd }));

    const fileLinks: SourcedFile[] = [];
    const pageJobs: Array<{ url: string; origin: FileOrigin; kind: SourceKind }> = [];
    const reports: Array<SourceReport | Promise<PageResult>> = [];
    const pageSlots: Array<Promise<PageResult>> = [];
    // pip names the ignored locations while collecting its sources, before it fetches any page.
    const warnings: string[] = [];

    const addPage = (url: string, kind: SourceKind, location: string) => {
      const origin: FileOrigin = { kind, location: redactUrl(location), page: redactUrl(url) };
      pageJobs.push({ url, origin, kind });
      // The same page may be a find-links page and an index page: fetched once, reported as each.
      const result = this.fetchPage(url, kind).then((r) => ({ ...r, report: { ...r.report, kind } }));
      pageSlots.push(result);
      reports.push(result);
    };
    const addFile = (url: string, kind: SourceKind, location: string) => {
      fileLinks.push({ file: linkFromUrl(url), origin: { kind, location: redactUrl(location), page: null } });
    };
    const ignored = (loc: ClassifiedLocation, kind: SourceKind) => {
      const reason = loc.reason ?? 'ignored';
      warnings.push(reason.replace(loc.location, redactUrl(loc.location)));
      reports.push({ kind, location: redactUrl(loc.location), status: 'ignored', reason: reason.replace(loc.location, redactUrl(loc.location)), files: 0, cached: false });
    };

    for (const loc of findLinks) {
      if (loc.kind === 'ignored' || loc.url === null) ignored(loc, 'find-links-page');
      else if (loc.kind === 'flat-dir' && loc.path !== null) {
        const listing = listFlatDirectory(loc.path, name, this.options.pipVersion);
        for (const page of listing.pages) addPage(page, 'find-links-page', loc.location);
        for (const file of listing.files) addFile(file, 'find-links-dir', loc.location);
        reports.push({ kind: 'find-links-dir', location: redactUrl(loc.location), status: 'ok', reason: null, files: listing.files.length, cached: false });
      } else if (loc.kind === 'local-file') {
        if (isHtmlFile(loc.url)) addPage(loc.url, 'find-links-page', loc.location);
        else {
          addFile(loc.url, 'find-links-file', loc.location);
          reports.push({ kind: 'find-links-file', location: redactUrl(loc.location), status: 'ok', reason: null, files: 1, cached: false });
        }
      } else {
        addPage(loc.url, 'find-links-page', loc.location);
        addFile(loc.url, 'find-links-file', loc.location);
      }
    }
    for (const loc of indexes) {
      if (loc.kind === 'ignored' || loc.url === null) ignored(loc, 'index');
      else if (loc.kind === 'index-dir') addPage(loc.url, 'index-dir', loc.location);
      else if (loc.kind === 'local-file') {
        if (isHtmlFile(loc.url)) addPage(loc.url, 'index', loc.location);
        else addFile(loc.url, 'index', loc.location);
      } else addPage(loc.url, 'index', loc.location);
    }

    const settled = await Promise.allSettled(pageSlots);
    for (const r of settled) if (r.status === 'fulfilled' && r.value.warning !== undefined) warnings.push(r.value.warning);
    const failed = settled.find((r) => r.status === 'rejected');
    if (failed !== undefined) return { warnings, failure: failed.reason };
    const results = settled.map((r) => (r as PromiseFulfilledResult<PageResult>).value);
    // pip's file links: every source's, sorted by URL (descending; a stable sort, like Python's).
    const sortedFiles = [...fileLinks].sort((a, b) => (a.file.url < b.file.url ? 1 : a.file.url > b.file.url ? -1 : 0));
    const files: SourcedFile[] = sortLinks(sortedFiles);
    results.forEach((r, i) => {
      const job = pageJobs[i]!;
      if (r.page === null) return;
      files.push(...sortLinks(r.page.files.map((file) => ({ file, origin: job.origin }))));
    });
    const sources = await Promise.all(reports.map(async (r) => ('then' in r ? (await r).report : r)));
    // PEP 792: a quarantine on any index wins over another index's status.
    const statuses = results.flatMap((r) => (r.page?.projectStatus === undefined ? [] : [r.page.projectStatus]));
    const projectStatus = statuses.find((s) => s.status.trim().toLowerCase() === 'quarantined') ?? statuses[0] ?? null;
    return { found: { files, sources, projectStatus }, warnings };
  }

  /** One page, fetched once per run. */
  private fetchPage(url: string, kind: SourceKind): Promise<PageResult> {
    let p = this.pages.get(url);
    if (!p) {
      // The parser loads while the request is out, not after its answer (parse() awaits it).
      loadPageParser(true).catch(() => undefined);
      p = this.loadPage(url, kind);
      this.pages.set(url, p);
    }
    return p;
  }

  private report(kind: SourceKind, url: string, status: SourceReport['status'], reason: string | null, files = 0, cached = false): SourceReport {
    return { kind, location: redactUrl(url), status, reason: reason === null ? null : reason, files, cached };
  }

  private async parse(url: string, body: Uint8Array, contentType: string, finalUrl: string): Promise<ProjectPage> {
    // As parseProjectPage: a JSON content type selects the JSON form, anything else is HTML.
    const parsePage = await loadPageParser(isJsonContentType(contentType));
    try {
      return parsePage({ body, contentType, url: finalUrl });
    } catch (e) {
      if (e instanceof SimpleApiError) throw new FetchError(url, null, `the index page cannot be read: ${e.detail}`, { cause: e });
      throw e;
    }
  }

  private async loadPage(rawUrl: string, kind: SourceKind): Promise<PageResult> {
    let url = rawUrl.split('#', 1)[0]!;
    const scheme = pythonUrlsplit(url).scheme;
    if (scheme === 'file') {
      const path = urlToPath(url);
      if (path !== null) {
        try {
          if (statSync(path).isDirectory()) url = pythonUrljoin(url.endsWith('/') ? url : `${url}/`, 'index.html');
        } catch {
          // missing: reported below
        }
      }
      if (isArchiveUrl(url)) {
        const reason = `Skipping page ${redactUrl(rawUrl)} because it looks like an archive, and cannot be checked by a HTTP HEAD request.`;
        return { report: this.report(kind, rawUrl, 'unsupported-content-type', reason), page: null, warning: reason };
      }
      return this.loadLocalPage(rawUrl, url, kind);
    }
    if (!isSecureOrigin(url, this.trustedHosts)) {
      const reason = insecureOriginWarning(url);
      return { report: this.report(kind, rawUrl, 'insecure', reason), page: null, warning: reason };
    }
    if (scheme !== 'http' && scheme !== 'https') {
      return { report: this.report(kind, rawUrl, 'failed', `cannot fetch a page over "${scheme}"`), page: null };
    }
    try {
      if (isArchiveUrl(url)) {
        const head = await this.http.fetchBuffered(url, { method: 'HEAD', maxBodyBytes: 0 });
        if (head.status === 404) return { report: this.report(kind, rawUrl, 'not-found', 'HTTP 404'), page: null };
        if (head.status >= 400) return this.failedPage(kind, rawUrl, `HTTP ${head.status}`);
        const ct = head.headers['content-type'] ?? 'Unknown';
        if (!isAcceptedContentType(ct)) return this.skipContentType(kind, rawUrl, 'HEAD', ct);
      }
      return await this.loadRemotePage(rawUrl, url, kind);
    } catch (e) {
      if (e instanceof HttpError) return this.failedPage(kind, rawUrl, e.detail);
      throw e;
    }
  }

  /**
   * A page that could not be read contributes nothing, as in pip, which says so only at debug
   * level (`_handle_get_simple_fail`: "Could not fetch URL …: … - skipping"); said here as a
   * warning, since otherwise the user only hears that no version was found.
   */
  private failedPage(kind: SourceKind, rawUrl: string, reason: string): PageResult {
    return { report: this.report(kind, rawUrl, 'failed', reason), page: null, warning: `Could not fetch URL ${redactUrl(rawUrl)}: ${reason} - skipping` };
  }

  private skipContentType(kind: SourceKind, rawUrl: string, method: string, ct: string): PageResult {
    const reason =
      `Skipping page ${redactUrl(rawUrl)} because the ${method} request got Content-Type: ${ct}. The only supported ` +
      'Content-Types are application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html, and text/html';
    return { report: this.report(kind, rawUrl, 'unsupported-content-type', reason), page: null, warning: reason };
  }

  private async loadLocalPage(rawUrl: string, url: string, kind: SourceKind): Promise<PageResult> {
    const path = urlToPath(url);
    let body: Buffer;
    try {
      if (path === null) throw new Error('not a local file URL');
      body = readFileSync(path);
    } catch (e) {
      return { report: this.report(kind, rawUrl, 'not-found', `cannot read ${redactUrl(url)}: ${(e as Error).message}`), page: null };
    }
    // pip's LocalFSAdapter: the content type is guessed from the file name, text/plain otherwise.
    const ct = isHtmlFile(url) ? 'text/html' : 'text/plain';
    if (!isAcceptedContentType(ct)) return this.skipContentType(kind, rawUrl, 'GET', ct);
    const page = await this.parse(url, new Uint8Array(body.buffer, body.byteOffset, body.byteLength), ct, url);
    return { report: this.report(kind, rawUrl, 'ok', null, page.files.length), page };
  }

  private async loadRemotePage(rawUrl: string, url: string, kind: SourceKind): Promise<PageResult> {
    const cached = await this.cache.getPage(url);
    if (cached && this.options.honourMaxAge) {
      const age = maxAgeOf(cached.cacheControl);
      if (age !== null && Date.now() - cached.storedAt < age * 1000) {
        const page = await this.parse(url, cached.body, cached.contentType, cached.url);
        return { report: this.report(kind, rawUrl, 'ok', null, page.files.length, true), page };
      }
    }
    const headers: Record<string, string> = { accept: ACCEPT_HEADER, 'cache-control': 'max-age=0' };
    if (cached?.etag) headers['if-none-match'] = cached.etag;
    if (cached?.lastModified) headers['if-modified-since'] = cached.lastModified;
    const res = await this.http.fetchBuffered(url, { headers, decompress: true });
    if (res.status === 304 && cached) {
      this.cache.putPage(url, { ...cached, storedAt: Date.now(), cacheControl: res.headers['cache-control'] ?? cached.cacheControl });
      const page = await this.parse(url, cached.body, cached.contentType, cached.url);
      return { report: this.report(kind, rawUrl, 'ok', null, page.files.length, true), page };
    }
    if (res.status === 404) return { report: this.report(kind, rawUrl, 'not-found', 'HTTP 404 Not Found'), page: null };
    if (res.status >= 400 || res.status === 304) return this.failedPage(kind, rawUrl, `HTTP ${res.status}`);
    const ct = res.headers['content-type'] ?? 'Unknown';
    if (!isAcceptedContentType(ct)) return this.skipContentType(kind, rawUrl, 'GET', ct);
    const page = await this.parse(url, res.body, ct, res.url);
    const entry: CachedPage = {
      url: res.url,
      contentType: ct,
      etag: res.headers.etag ?? null,
      lastModified: res.headers['last-modified'] ?? null,
      cacheControl: res.headers['cache-control'] ?? null,
      storedAt: Date.now(),
      body: res.body,
    };
    if (keptByPipsCache(res.headers)) this.cache.putPage(url, entry);
    return { report: this.report(kind, rawUrl, 'ok', null, page.files.length), page };
  }

  async fetchMetadataFile(entry: SourcedFile): Promise<string> {
    const text = await this.metadataText(entry);
    this.claim(entry.file, "the index's metadata file", text);
    return text;
  }

  /** The METADATA text read from a wheel opened with openFile: a claim when it came through ranges. */
  noteArchiveMetadata(entry: SourcedFile, text: string): void {
    if (this.ranged.has(urlWithoutFragment(entry.file.url))) this.claim(entry.file, 'METADATA read through range requests', text);
  }

  private claim(file: IndexFile, from: string, text: string): void {
    const metadata = resolvingFields(text);
    if (metadata === null) return;
    const url = urlWithoutFragment(file.url);
    const list = this.claims.get(url) ?? [];
    list.push({ from, metadata });
    this.claims.set(url, list);
  }

  /** Whether metadata of this file was used unverified and not yet checked against the file. */
  hasUncheckedMetadata(entry: SourcedFile): boolean {
    return this.claims.has(urlWithoutFragment(entry.file.url));
  }

  /**
   * Checks a file saved by someone else (pip, from a pin) against the metadata the resolution used
   * for it; when they disagree the file is removed and MetadataMismatch thrown. A file whose sha256 is not the index's is
   * not the file the claims are about, and is left to whoever saved it.
   */
  async verifySavedFile(entry: SourcedFile, path: string): Promise<void> {
    const url = urlWithoutFragment(entry.file.url);
    if (!this.claims.has(url)) return;
    const sha = entry.file.hashes.sha256?.toLowerCase();
    if (sha !== undefined) {
      const existing = await hashExistingFile(path, []);
      if (existing === null || existing.digests.sha256 !== sha) return;
    }
    try {
      await this.checkClaims(entry.file, url, path);
    } catch (e) {
      // Not kept: with it, the destination would hold a closure resolved from other metadata.
      await rm(path, { force: true });
      throw e;
    }
  }

  /**
   * The claims about `file` against the whole, verified file at `path`: the first that disagrees
   * is a MetadataMismatch naming the file and the field. A source archive is compared with its
   * static metadata; when it has none its claims cannot be checked without running code, and stay
   * as they are (pip would build it to compare).
   */
  private async checkClaims(file: IndexFile, url: string, path: string): Promise<void> {
    const claims = this.claims.get(url);
    if (claims === undefined) return;
    const size = statSync(path).size;
    let actual: ResolvingMetadata | null;
    try {
      if (file.filename.toLowerCase().endsWith('.whl')) {
        const [name = '', version = ''] = file.filename.split('-');
        actual = resolvingFields(await readWheelMetadata(localFileSource(path, size, file.filename), { name, version }));
        if (actual === null) throw new Error('its METADATA cannot be parsed');
      } else {
        const sdist = await readSdistMetadata(new Uint8Array(await readFile(path)), file.filename);
        actual =
          sdist.dependencies === 'unknown'
            ? null
            : { name: sdist.name, version: sdist.version, requiresPython: sdist.requiresPython, requiresDist: sdist.dependencies };
      }
    } catch (e) {
      throw new MetadataMismatch(url, file.filename, `the metadata the resolution used cannot be checked against the file: ${(e as Error).message}`, { cause: e });
    }
    if (actual === null) return;
    for (const claim of claims) {
      const difference = metadataDifference(claim.metadata, actual);
      if (difference !== null) {
        throw new MetadataMismatch(url, file.filename, `${claim.from} disagrees with the file itself: ${difference}`, {
          hint: 'The index serves metadata that does not belong to this file, so the dependencies found from it may be wrong; the file is not kept. Tell the index maintainers.',
        });
      }
    }
    this.claims.delete(url);
  }

  /**
   * A wheel's METADATA, read from the archive opened with openFile (range requests when the index
   * allows them, else the whole file, kept for the download); a read ahead and the resolver's
   * read share one.
   */
  wheelMetadata(entry: SourcedFile, project: { name: string; version: string }): Promise<string> {
    const key = `${urlWithoutFragment(entry.file.url)}\u0000${entry.file.hashes.sha256 ?? ''}`;
    let text = this.wheelMetadataTexts.get(key);
    if (text === undefined) {
      text = this.openFile(entry).then((source) => readWheelMetadata(source, project));
      this.wheelMetadataTexts.set(key, text);
    }
    return text;
  }

  private metadataText(entry: SourcedFile): Promise<string> {
    // Keyed by the hashes too: the check is against the hashes of the page that listed the file.
    const hashes = entry.file.coreMetadata === false ? {} : entry.file.coreMetadata.hashes;
    const key = `${urlWithoutFragment(entry.file.url)}\u0000${JSON.stringify(hashes)}`;
    let text = this.metadataTexts.get(key);
    if (text === undefined) {
      text = this.readMetadataFile(entry);
      this.metadataTexts.set(key, text);
    }
    return text;
  }

  private async readMetadataFile(entry: SourcedFile): Promise<string> {
    const file = entry.file;
    const url = `${urlWithoutFragment(file.url)}.metadata`;
    const requirements = hashRequirements(file.coreMetadata === false ? {} : file.coreMetadata.hashes, {}, 'metadata');
    const decode = (bytes: Uint8Array) => new TextDecoder('utf-8').decode(bytes);
    const check = (bytes: Uint8Array): Uint8Array => {
      const hasher = new MultiHasher(requirements);
      hasher.update(bytes);
      const digests = hasher.digests();
      const mismatch = hashMismatch(requirements, digests);
      if (mismatch !== null) throw new FetchError(url, `${file.filename}.metadata`, mismatch);
      void this.cache.storeBytes(digests.sha256!, bytes);
      return bytes;
    };
    const sha = file.coreMetadata === false ? undefined : file.coreMetadata.hashes.sha256;
    const hit = sha === undefined ? null : await this.cache.findBySha256(sha.toLowerCase());
    if (hit !== null) {
      try {
        return decode(check(new Uint8Array(readFileSync(hit))));
      } catch {
        // A damaged cache entry: fetch again.
      }
    }
    if (pythonUrlsplit(url).scheme === 'file') {
      const path = urlToPath(url);
      try {
        if (path === null) throw new Error('not a local path');
        return decode(check(new Uint8Array(readFileSync(path))));
      } catch (e) {
        if (e instanceof FetchError) throw e;
        throw new FetchError(url, `${file.filename}.metadata`, `cannot read the metadata file: ${(e as Error).message}`);
      }
    }
    let res;
    try {
      res = await this.http.fetchBuffered(url, { maxBodyBytes: METADATA_LIMIT, decompress: true });
    } catch (e) {
      if (e instanceof HttpError) throw new FetchError(url, `${file.filename}.metadata`, httpDetail(e, url), { cause: e });
      throw e;
    }
    if (res.status !== 200) throw new FetchError(url, `${file.filename}.metadata`, `HTTP ${res.status} for the metadata file`);
    return decode(check(res.body));
  }

  async openFile(entry: SourcedFile, options: { whole?: boolean } = {}): Promise<RandomAccessSource> {
    const file = entry.file;
    const url = urlWithoutFragment(file.url);
    if (pythonUrlsplit(url).scheme === 'file') {
      const path = urlToPath(url);
      if (path === null) throw new FetchError(url, file.filename, 'not a local file URL');
      try {
        return localFileSource(path, statSync(path).size, file.filename);
      } catch (e) {
        throw new FetchError(url, file.filename, `cannot read the file: ${(e as Error).message}`);
      }
    }
    const sha = file.hashes.sha256?.toLowerCase();
    const hit = sha === undefined ? null : await this.cache.findBySha256(sha);
    if (hit !== null) return localFileSource(hit, statSync(hit).size, file.filename);
    const whole = this.wholeFiles.get(url);
    if (whole !== undefined) return localFileSource(whole, statSync(whole).size, file.filename);
    const inMemory = this.memoryFiles.get(url);
    if (inMemory) return fromBytes(inMemory, file.filename);
    const tailBytes = this.options.rangeTailBytes ?? 64 * 1024;
    const requirements = hashRequirements(file.hashes);
    const limit = file.size !== null && file.size >= 0 ? file.size : WHOLE_FILE_LIMIT;
    try {
      // Whole only into the cache: in memory, a large wheel would cost its size in RAM.
      const headers: Record<string, string> = options.whole === true && this.cache.writable ? {} : { range: `bytes=-${tailBytes}` };
      const source = await this.http.fetchStream(url, { headers }, async (head, body): Promise<RandomAccessSource | 'cache-failed'> => {
        const range = parseContentRange(head.headers['content-range']);
        if (head.status === 206 && range !== null) {
          const data = await readBody(body, range[1] - range[0] + 1, url);
          if (data.length !== range[1] - range[0] + 1) throw new FetchError(url, file.filename, 'range response shorter than announced');
          if (range[0] === 0 && range[1] === range[2] - 1) return this.keepWhole(url, file, data, requirements);
          this.ranged.add(url);
          return new HttpRangeSource(this.http, url, range[2], { start: range[0], data }, requirements, file.filename);
        }
        if (head.status === 200) {
          // A small file with a known hash is read into memory and written to the cache in the
          // background (found there by that hash), off the resolution's path; a larger one goes
          // to disk as it arrives.
          const announced = file.size !== null && file.size >= 0 ? file.size : contentLength(head);
          if (announced !== null && announced <= SMALL_WHOLE_FILE && file.hashes.sha256 !== undefined && this.cache.writable) {
            return this.keepWhole(url, file, await readBody(body, Math.min(limit, SMALL_WHOLE_FILE), url), requirements);
          }
          const onDisk = await this.keepWholeOnDisk(url, file, body, requirements, limit);
          if (onDisk !== 'no-cache') return onDisk;
          return this.keepWhole(url, file, await readBody(body, Math.min(limit, WHOLE_FILE_LIMIT), url), requirements);
        }
        throw new FetchError(url, file.filename, `HTTP ${head.status}`);
      });
      if (source !== 'cache-failed') return source;
      // The cache failed part way through the body: fetch it again, into memory.
      return await this.http.fetchStream(url, {}, async (head, body) => {
        if (head.status !== 200) throw new FetchError(url, file.filename, `HTTP ${head.status}`);
        return this.keepWhole(url, file, await readBody(body, Math.min(limit, WHOLE_FILE_LIMIT), url), requirements);
      });
    } catch (e) {
      if (e instanceof FetchError) throw e;
      if (e instanceof HttpError) throw new FetchError(url, file.filename, httpDetail(e, url), { cause: e });
      throw e;
    }
  }

  /**
   * A whole file fetched by openFile (an index without range requests), streamed into the cache
   * while it is hashed, so neither the metadata read nor a later download holds it in memory and
   * the download does not fetch it again. `no-cache`, with the body untouched, when the cache is
   * disabled or its `tmp/` folder cannot be made; `cache-failed`, with the body partly
   * read, when writing the cache failed (the cache is then marked unwritable).
   */
  private async keepWholeOnDisk(
    url: string,
    file: IndexFile,
    body: AsyncIterable<Uint8Array>,
    requirements: ReturnType<typeof hashRequirements>,
    maxSize: number,
  ): Promise<RandomAccessSource | 'no-cache' | 'cache-failed'> {
    const staging = await this.cache.stagingFile();
    if (staging === null) return 'no-cache';
    let written;
    try {
      written = await writeVerified({ destDir: staging.dir, name: staging.name, url, chunks: body, requirements, maxSize });
    } catch (e) {
      if (!(e instanceof DiskWriteError)) throw e;
      this.cache.markUnwritable(e.cause);
      return 'cache-failed';
    }
    const cached = await this.cache.adoptFile(written.digests.sha256!, written.path);
    if (cached === null) {
      // Verified but not movable into place: the body is spent, so keep what was written.
      try {
        const data = new Uint8Array(readFileSync(written.path));
        this.memoryFiles.set(url, data);
        return fromBytes(data, file.filename);
      } finally {
        await rm(written.path, { force: true });
      }
    }
    this.wholeFiles.set(url, cached);
    return localFileSource(cached, written.size, file.filename);
  }

  /** A whole file fetched by openFile: verified, kept in the cache (or memory) so a download reuses it. */
  private async keepWhole(url: string, file: IndexFile, data: Uint8Array, requirements: ReturnType<typeof hashRequirements>): Promise<RandomAccessSource> {
    const hasher = new MultiHasher(requirements);
    hasher.update(data);
    const digests = hasher.digests();
    const mismatch = hashMismatch(requirements, digests);
    if (mismatch !== null) throw new FetchError(url, file.filename, mismatch);
    if (this.cache.writable) await this.cache.storeBytes(digests.sha256!, data);
    else this.memoryFiles.set(url, data);
    return fromBytes(data, file.filename);
  }

  async downloadFile(entry: SourcedFile, destDir: string, expectedHashes: ExpectedHashes = {}, options: { private?: boolean } = {}): Promise<DownloadResult> {
    const file = entry.file;
    const url = urlWithoutFragment(file.url);
    const name = safeBasename(file.filename, file.url);
    const requirements = hashRequirements(file.hashes, expectedHashes);
    const dest = join(destDir, name);
    const existing = await hashExistingFile(dest, requirements);
    if (existing !== null && hashMismatch(requirements, existing.digests) === null && requirements.length > 0) {
      await this.checkClaims(file, url, dest);
      return { path: dest, sha256: existing.digests.sha256!, size: existing.size, via: 'existing' };
    }
    // PEP 700 `size`: a cap on what is read (a body that never ends stops there); with no hash to
    // check, the only check of the bytes, so it must then match exactly.
    const indexSize = file.size !== null && Number.isSafeInteger(file.size) && file.size >= 0 ? file.size : null;
    const write = async (chunks: AsyncIterable<Uint8Array>, via: DownloadResult['via'], expectedSize: number | null = null): Promise<DownloadResult> => {
      const exact = expectedSize ?? (requirements.length === 0 && via === 'network' ? indexSize : null);
      const check = (tmp: string): Promise<void> => this.checkClaims(file, url, tmp);
      const written = await writeVerified({ destDir, name, url, chunks, requirements, expectedSize: exact, maxSize: via === 'network' ? indexSize : null, check });
      if (via === 'network') this.cache.storeFile(written.digests.sha256!, written.path);
      return { path: written.path, sha256: written.digests.sha256!, size: written.size, via };
    };
    if (pythonUrlsplit(url).scheme === 'file') {
      const path = urlToPath(url);
      if (path === null) throw new FetchError(url, name, 'not a local file URL');
      return write(createReadStream(path) as AsyncIterable<Uint8Array>, 'local');
    }
    const shaWanted = [file.hashes.sha256, ...(expectedHashes.sha256 ?? [])].filter((x): x is string => x !== undefined);
    for (const wanted of shaWanted) {
      const sha = wanted.toLowerCase();
      // Bytes this process has verified (findBySha256) need no second read and hash, when the
      // sha256 is every hash asked for: the kernel copies them, or, into a private directory,
      // the file is a hard link to them.
      if (hashMismatch(requirements, { sha256: sha }) === null) {
        const check = (tmp: string): Promise<void> => this.checkClaims(file, url, tmp);
        const place = (tmp: string): Promise<boolean> => (options.private === true ? this.cache.linkVerified(sha, tmp) : this.cache.copyVerified(sha, tmp));
        const placed = await copyVerified({ destDir, name, url, check, copy: place });
        if (placed !== null) return { path: placed.path, sha256: sha, size: placed.size, via: 'cache' };
      }
      const hit = await this.cache.findBySha256(sha);
      if (hit !== null) {
          try {
          return await write(createReadStream(hit) as AsyncIterable<Uint8Array>, 'cache');
        } catch (e) {
          if (!(e instanceof FetchError) || e instanceof MetadataMismatch || e instanceof DiskWriteError) throw e;
          // A damaged cache entry: fall through to the network.
        }
      }
    }
    const whole = this.wholeFiles.get(url);
    if (whole !== undefined) {
      try {
        return await write(createReadStream(whole) as AsyncIterable<Uint8Array>, 'cache', requirements.length === 0 ? indexSize : null);
      } catch (e) {
        if (!(e instanceof FetchError) || e instanceof MetadataMismatch || e instanceof DiskWriteError) throw e;
      }
    }
    const inMemory = this.memoryFiles.get(url);
    if (inMemory) return write((async function* () { yield inMemory; })(), 'cache');
    try {
      return await this.http.fetchStream(url, {}, async (head, body) => {
        if (head.status !== 200) throw new FetchError(url, name, `HTTP ${head.status} while downloading`);
        return write(body, 'network', contentLength(head));
      });
    } catch (e) {
      if (e instanceof FetchError) throw e;
      if (e instanceof HttpError) throw new FetchError(url, name, httpDetail(e, url), { cause: e });
      throw e;
    }
  }
}
