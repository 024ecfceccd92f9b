// One project page in its HTML form (PEP 503). A module of its own: the HTML tokenizer and the
// entity tables load only for an index that answers in HTML (index-client.ts).
import { decodeHtmlBody } from './content-type.js';
import { parseHtmlDocument, type Attributes } from './html-page.js';
import { supportedHashes } from './link.js';
import { joinLink, makeFile } from './page-files.js';
import type { IndexFile, PageInput, ProjectPage } from '../simple-api.js';

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

/** A PEP 503 HTML page (see html-page.ts for how it is tokenized). */
export function parseHtmlProjectPage(input: PageInput): ProjectPage {
  const doc = parseHtmlDocument(decodeHtmlBody(input.body, input.contentType, input.url));
  const base = doc.baseHref || input.url;
  const files: IndexFile[] = [];
  for (const a of doc.anchors) {
    const href = a.get('href');
    if (!href) continue;
    const rp = a.get('data-requires-python');
    const yanked = a.get('data-yanked');
    files.push(
      makeFile(joinLink(base, href, input.url), input.url, {
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
