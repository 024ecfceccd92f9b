// The simple repository API, client side: project page URLs, content negotiation and page
// parsing, reproducing pip (pip/_internal/index/collector.py `parse_links`, models/link.py `Link`,
// models/search_scope.py) on top of the spec:
// https://packaging.python.org/en/latest/specifications/simple-repository-api/
// (PEP 503 HTML, PEP 691 JSON, PEP 592 yanking, PEP 629 api version, PEP 658/714 metadata files,
// PEP 700, PEP 740 provenance, PEP 792 project status; PEP 708 tracks/alternate-locations are read
// although the PEP was rejected and pip ignores them).
//
// Page parsing itself is in ./simple-api/json-project-page.ts and html-project-page.ts, each
// loaded only when a page in its form is read (the HTML parser and its entity tables are a fifth
// of the code an intercepted command would otherwise load, issue 12 §1; PyPI answers in JSON).
//
// Pure: bytes + Content-Type + final URL in, files out. Every file URL is built with Python's
// urllib rules (./simple-api/python-urllib.ts) so it is byte-for-byte the URL pip would request.
// pip 23.2.1 and main agree on everything modelled here except `upload-time`, which pip 23.2.1
// does not read (main parses it for `--uploaded-prior-to`); it is passed through as given.
// Not checked (pip does not either): the api-version major, `name`, `versions`, anchor text.
import { ACCEPT_HEADER, isAcceptedContentType, isJsonContentType } from './simple-api/content-type.js';
import { SimpleApiError } from './simple-api/error.js';
import { eggFragment, ensureQuotedUrl, hashFromUrl, linkFilename, subdirectoryFragment, urlWithoutFragment } from './simple-api/link.js';
import { normalizeName } from './names.js';
import { posixJoin, quote } from './simple-api/python-urllib.js';

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
