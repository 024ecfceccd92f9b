// Parsing one project page of the simple repository API (see ../simple-api.ts for the sources
// followed). A module of its own so that the HTML parser loads only when a page is read.
import { decodeHtmlBody, isJsonContentType } from './content-type.js';
import { SimpleApiError } from './error.js';
import { parseHtmlDocument, type Attributes } from './html-page.js';
import { parseJsonDocument } from './json-page.js';
import { eggFragment, ensureQuotedUrl, hashFromUrl, linkFilename, subdirectoryFragment, supportedHashes } from './link.js';
import { PythonUrlError, urljoin } from './python-urllib.js';
import type { IndexFile, PageInput, ProjectPage } from '../simple-api.js';

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
 * Parse one project page. The caller has already checked `isAcceptedContentType`; a JSON content
 * type selects the JSON form, anything else is read as HTML (as pip does).
 */
export function parseProjectPage(input: PageInput): ProjectPage {
  return isJsonContentType(input.contentType) ? parseJsonPage(input) : parseHtmlPage(input);
}
