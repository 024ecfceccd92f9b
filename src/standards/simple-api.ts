// The simple repository API, client side: project page URLs, content negotiation and page
// parsing, reproducing pip (pip/_internal/index/collector.py `parse_links`, models/link.py `Link`,
// models/search_scope.py) on top of the spec:
// https://packaging.python.org/en/latest/specifications/simple-repository-api/
// (PEP 503 HTML, PEP 691 JSON, PEP 592 yanking, PEP 629 api version, PEP 658/714 metadata files,
// PEP 700, PEP 740 provenance, PEP 792 project status; PEP 708 tracks/alternate-locations are read
// although the PEP was rejected and pip ignores them).
//
// Pure: bytes + Content-Type + final URL in, files out. Every file URL is built with Python's
// urllib rules (./simple-api/python-urllib.ts) so it is byte-for-byte the URL pip would request.
// pip 23.2.1 and main agree on everything modelled here except `upload-time`, which pip 23.2.1
// does not read (main parses it for `--uploaded-prior-to`); it is passed through as given.
// Not checked (pip does not either): the api-version major, `name`, `versions`, anchor text.
import { ACCEPT_HEADER, decodeHtmlBody, isAcceptedContentType, isJsonContentType } from './simple-api/content-type.js';
import { SimpleApiError } from './simple-api/error.js';
import { parseHtmlDocument, type Attributes } from './simple-api/html-page.js';
import { parseJsonDocument } from './simple-api/json-page.js';
import { eggFragment, ensureQuotedUrl, hashFromUrl, linkFilename, subdirectoryFragment, supportedHashes, urlWithoutFragment } from './simple-api/link.js';
import { normalizeName } from './names.js';
import { PythonUrlError, posixJoin, quote, urljoin } from './simple-api/python-urllib.js';

export { ACCEPT_HEADER, isAcceptedContentType, isJsonContentType, SimpleApiError };
export { ensureQuotedUrl, linkFilename, urlWithoutFragment, hashFromUrl };
export { urljoin as pythonUrljoin, urlsplit as pythonUrlsplit, quote as pythonQuote, unquote as pythonUnquote } from './simple-api/python-urllib.js';
export { SUPPORTED_HASHES, isSupportedHash } from './simple-api/link.js';

export interface IndexFile {
  /** `Link.filename`: the URL path's last segment, percent-decoded. Not the anchor text or JSON `filename`. */
  filename: string;
  /** Absolute (unless the page made it otherwise, as pip allows), re-quoted like pip; fragment kept. */
  url: string;
  /** JSON `hashes` merged with the URL's `#alg=hex` fragment (the fragment wins). */
  hashes: Record<string, string>;
  requiresPython: string | null;
  /** Yank reason; "" = yanked without a reason; null = not yanked. */
  yanked: string | null;
  /** PEP 658/714 metadata file, with its (pip-supported) hashes, or false when none is offered. */
  coreMetadata: false | { hashes: Record<string, string> };
  uploadTime: string | null;
  size: number | null;
  egg: string | null;
  subdirectory: string | null;
  /** PEP 740 provenance URL (pip ignores it). */
  provenance: string | null;
}

export interface ProjectPage {
  files: IndexFile[];
  /** PEP 629 `meta.api-version` / `pypi:repository-version`. */
  apiVersion: string | null;
  tracks?: string[];
  alternateLocations?: string[];
  projectStatus?: { status: string; reason: string | null };
}

export interface PageInput {
  body: Uint8Array;
  contentType: string;
  /** The final URL after redirects: relative links resolve against it. */
  url: string;
}


/** pip's `mkurl_pypi_url`: `posixpath.join(index, quote(canonical))` plus a trailing `/`. */
export function projectPageUrl(indexUrl: string, name: string): string {
  const loc = posixJoin(indexUrl, quote(normalizeName(name)));
  return loc.endsWith('/') ? loc : `${loc}/`;
}

function makeFile(rawUrl: string, pageUrl: string, extra: Omit<IndexFile, 'filename' | 'url' | 'egg' | 'subdirectory'>): IndexFile {
  let url: string;
  try {
    url = ensureQuotedUrl(rawUrl);
  } catch (e) {
    if (e instanceof PythonUrlError) throw new SimpleApiError(pageUrl, `invalid link "${rawUrl}": ${e.message}`);
    throw e;
  }
  return {
    filename: linkFilename(url),
    url,
    ...extra,
    hashes: { ...extra.hashes, ...hashFromUrl(url) },
    egg: eggFragment(url),
    subdirectory: subdirectoryFragment(url),
  };
}

function join(base: string, href: string, pageUrl: string): string {
  try {
    return urljoin(base, href);
  } catch (e) {
    if (e instanceof PythonUrlError) throw new SimpleApiError(pageUrl, `invalid link "${href}": ${e.message}`);
    throw e;
  }
}

/** `Link.from_element`'s reading of `data-core-metadata` / `data-dist-info-metadata`. */
function htmlCoreMetadata(a: Attributes): IndexFile['coreMetadata'] {
  let info = a.get('data-core-metadata');
  if (info === undefined || info === null) info = a.get('data-dist-info-metadata');
  if (info === undefined || info === null) return false;
  if (info === 'true') return { hashes: {} };
  const eq = info.indexOf('=');
  if (eq < 0) return { hashes: {} };
  return { hashes: supportedHashes({ [info.slice(0, eq)]: info.slice(eq + 1) }) };
}

function parseHtmlPage(input: PageInput): ProjectPage {
  const doc = parseHtmlDocument(decodeHtmlBody(input.body, input.contentType, input.url));
  const base = doc.baseHref || input.url;
  const files: IndexFile[] = [];
  for (const a of doc.anchors) {
    const href = a.get('href');
    if (!href) continue;
    const rp = a.get('data-requires-python');
    const yanked = a.get('data-yanked');
    files.push(
      makeFile(join(base, href, input.url), input.url, {
        hashes: {},
        requiresPython: rp ? rp : null,
        yanked: yanked ?? null,
        coreMetadata: htmlCoreMetadata(a),
        uploadTime: null,
        size: null,
        provenance: a.get('data-provenance') || null,
      }),
    );
  }
  const page: ProjectPage = { files, apiVersion: doc.meta.get('pypi:repository-version')?.[0] ?? null };
  const tracks = doc.meta.get('pypi:tracks');
  if (tracks) page.tracks = tracks;
  const alternates = doc.meta.get('pypi:alternate-locations');
  if (alternates) page.alternateLocations = alternates;
  const status = doc.meta.get('pypi:project-status')?.[0];
  if (status !== undefined) page.projectStatus = { status, reason: doc.meta.get('pypi:project-status-reason')?.[0] ?? null };
  return page;
}

function parseJsonPage(input: PageInput): ProjectPage {
  const doc = parseJsonDocument(input.body, input.url);
  const files = doc.files.map((f) => {
    const { url, ...rest } = f;
    return makeFile(join(input.url, url, input.url), input.url, rest);
  });
  const page: ProjectPage = { files, apiVersion: doc.apiVersion };
  if (doc.tracks.length > 0) page.tracks = doc.tracks;
  if (doc.alternateLocations.length > 0) page.alternateLocations = doc.alternateLocations;
  if (doc.projectStatus) page.projectStatus = doc.projectStatus;
  return page;
}

/**
 * A link that did not come from a page (`pip`'s `Link(url)`: a find-links file or URL): the URL is
 * kept exactly as given, only the fragment is read.
 */
export function linkFromUrl(url: string): IndexFile {
  return {
    filename: linkFilename(url),
    url,
    hashes: hashFromUrl(url),
    requiresPython: null,
    yanked: null,
    coreMetadata: false,
    uploadTime: null,
    size: null,
    egg: eggFragment(url),
    subdirectory: subdirectoryFragment(url),
    provenance: null,
  };
}

/**
 * Parse one project page. The caller has already checked `isAcceptedContentType`; a JSON content
 * type selects the JSON form, anything else is read as HTML (as pip does).
 */
export function parseProjectPage(input: PageInput): ProjectPage {
  return isJsonContentType(input.contentType) ? parseJsonPage(input) : parseHtmlPage(input);
}
