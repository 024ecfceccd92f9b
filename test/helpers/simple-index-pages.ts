// Simple repository API pages for the loopback index: PEP 503 HTML and PEP 691 JSON project and
// root pages, with PEP 592 yanking, PEP 658/714 metadata announcements (`core-metadata`, the
// deprecated `dist-info-metadata`, or both) and PEP 700 `versions`/`size`.
// https://packaging.python.org/en/latest/specifications/simple-repository-api/
// Pure rendering: index-server.ts does the HTTP. Hashes can be given, left out or deliberately
// wrong per file so that clients' hash checks can be tested.
import { createHash } from 'node:crypto';

export type HashMode = 'sha256' | 'none' | 'wrong';

export interface CoreMetadataOptions {
  /** Text of the `.metadata` file. Default: the file's `metadata` (set by the builders). */
  content?: string | Buffer;
  /** Which attribute announces it. `none` serves the file but does not announce it. Default `core-metadata`. */
  attribute?: 'core-metadata' | 'dist-info-metadata' | 'both' | 'none';
  /** Hash given in the announcement. Default `sha256`. */
  hash?: HashMode;
}

export interface ServedFile {
  filename: string;
  /** The bytes, or a function producing them on first use. */
  data: Buffer | (() => Buffer | Promise<Buffer>);
  /** Core metadata text (the wheel/sdist builders fill it); used by `coreMetadata: true`. */
  metadata?: string;
  /** `true` (no reason) or the reason string. */
  yanked?: boolean | string;
  requiresPython?: string;
  /** Hash fragment (HTML) / `hashes` (JSON). Default `sha256`. */
  hash?: HashMode;
  /** PEP 658 metadata file. Default off. */
  coreMetadata?: boolean | CoreMetadataOptions;
  /** Link target instead of the relative filename (absolute URL, `../x`, another server). */
  href?: string;
  /** JSON `upload-time`. */
  uploadTime?: string;
}

/** Project name (any spelling; normalized on use) -> files. */
export type ProjectFiles = Record<string, ServedFile[]>;

/** PEP 503 normalization. */
export function normalizeProjectName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

export const JSON_TYPE = 'application/vnd.pypi.simple.v1+json';
export const HTML_TYPE = 'application/vnd.pypi.simple.v1+html';

/** A served file with its bytes (lazy data resolved) and metadata file. */
export interface ResolvedFile {
  file: ServedFile;
  data: Buffer;
  sha256: string;
  metadata: Buffer | undefined;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

function wrongHash(data: Buffer): string {
  return sha256(Buffer.concat([Buffer.from('wrong:'), data]));
}

export function versionOf(filename: string): string | undefined {
  if (filename.endsWith('.whl')) return filename.split('-')[1];
  const stem = filename.replace(/\.(tar\.gz|tar\.bz2|tar\.xz|tgz|tar|zip)$/, '');
  const dash = stem.lastIndexOf('-');
  return dash > 0 && stem !== filename ? stem.slice(dash + 1) : undefined;
}

/** Media type chosen from an Accept header: `json`, an HTML content type, or null (406). */
export function negotiateContentType(accept: string | undefined): { format: 'json' | 'html'; contentType: string } | null {
  if (accept === undefined || accept.trim() === '') return { format: 'html', contentType: 'text/html' };
  let best: { format: 'json' | 'html'; contentType: string; q: number } | null = null;
  for (const part of accept.split(',')) {
    const [rawType = '', ...params] = part.split(';').map((s) => s.trim());
    const type = rawType.toLowerCase();
    const qParam = params.find((p) => p.toLowerCase().startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    if (!(q > 0)) continue;
    let choice: { format: 'json' | 'html'; contentType: string } | null = null;
    if (type === JSON_TYPE || type === 'application/vnd.pypi.simple.latest+json') choice = { format: 'json', contentType: JSON_TYPE };
    else if (type === HTML_TYPE || type === 'application/vnd.pypi.simple.latest+html') choice = { format: 'html', contentType: HTML_TYPE };
    else if (type === 'text/html' || type === 'text/*' || type === '*/*') choice = { format: 'html', contentType: 'text/html' };
    if (choice !== null && (best === null || q > best.q)) best = { ...choice, q };
  }
  return best === null ? null : { format: best.format, contentType: best.contentType };
}


export function hashFor(mode: HashMode | undefined, data: Buffer, digest: string): Record<string, string> {
  if (mode === 'none') return {};
  return { sha256: mode === 'wrong' ? wrongHash(data) : digest };
}

export function metadataAnnouncement(r: ResolvedFile): { attrs: string[]; value: string; json: boolean | Record<string, string> } | null {
  if (r.metadata === undefined) return null;
  const opts: CoreMetadataOptions = typeof r.file.coreMetadata === 'object' ? r.file.coreMetadata : {};
  const attribute = opts.attribute ?? 'core-metadata';
  if (attribute === 'none') return null;
  const hashes = hashFor(opts.hash, r.metadata, sha256(r.metadata));
  const attrs = attribute === 'both' ? ['core-metadata', 'dist-info-metadata'] : [attribute];
  const value = hashes.sha256 === undefined ? 'true' : `sha256=${hashes.sha256}`;
  return { attrs, value, json: hashes.sha256 === undefined ? true : hashes };
}

export function renderProjectPage(project: string, all: readonly ResolvedFile[], format: 'json' | 'html', linkFor: (file: ServedFile) => string): Buffer {
  if (format === 'json') {
    const versions = [...new Set(all.map((r) => r.file).map((f) => versionOf(f.filename)).filter((v): v is string => v !== undefined))];
    const doc = {
      meta: { 'api-version': '1.1' },
      name: project,
      versions,
      files: all.map((r) => {
        const entry: Record<string, unknown> = {
          filename: r.file.filename,
          url: linkFor(r.file),
          hashes: hashFor(r.file.hash, r.data, r.sha256),
          size: r.data.length,
        };
        if (r.file.requiresPython !== undefined) entry['requires-python'] = r.file.requiresPython;
        if (r.file.yanked !== undefined && r.file.yanked !== false) {
          entry.yanked = r.file.yanked === true || r.file.yanked === '' ? true : r.file.yanked;
        }
        const meta = metadataAnnouncement(r);
        for (const attr of meta?.attrs ?? []) entry[attr] = meta?.json;
        if (r.file.uploadTime !== undefined) entry['upload-time'] = r.file.uploadTime;
        return entry;
      }),
    };
    return Buffer.from(JSON.stringify(doc));
  }
  const anchors = all.map((r) => {
    const hashes = hashFor(r.file.hash, r.data, r.sha256);
    let href = linkFor(r.file);
    if (hashes.sha256 !== undefined) href += `#sha256=${hashes.sha256}`;
    let attrs = `href="${escapeHtml(href)}"`;
    if (r.file.requiresPython !== undefined) attrs += ` data-requires-python="${escapeHtml(r.file.requiresPython)}"`;
    if (r.file.yanked !== undefined && r.file.yanked !== false) {
      attrs += ` data-yanked="${escapeHtml(r.file.yanked === true ? '' : r.file.yanked)}"`;
    }
    const meta = metadataAnnouncement(r);
    for (const attr of meta?.attrs ?? []) attrs += ` data-${attr}="${escapeHtml(meta?.value ?? '')}"`;
    return `    <a ${attrs}>${escapeHtml(r.file.filename)}</a><br />`;
  });
  return Buffer.from(
    [
      '<!DOCTYPE html>',
      '<html>',
      '  <head>',
      '    <meta name="pypi:repository-version" content="1.1">',
      `    <title>Links for ${escapeHtml(project)}</title>`,
      '  </head>',
      '  <body>',
      `    <h1>Links for ${escapeHtml(project)}</h1>`,
      ...anchors,
      '  </body>',
      '</html>',
      '',
    ].join('\n'),
  );
}

export function renderRootPage(projects: string[], format: 'json' | 'html'): Buffer {
  if (format === 'json') {
    return Buffer.from(JSON.stringify({ meta: { 'api-version': '1.1' }, projects: projects.map((name) => ({ name })) }));
  }
  const anchors = projects.map((p) => `    <a href="${escapeHtml(p)}/">${escapeHtml(p)}</a><br />`);
  return Buffer.from(['<!DOCTYPE html>', '<html>', '  <body>', ...anchors, '  </body>', '</html>', ''].join('\n'));
}
