// https://packaging.python.org/en/latest/specifications/core-metadata/ (METADATA, PKG-INFO and
// PEP 658 `.metadata` files), read the way packaging 26 `metadata.parse_email` reads them: Python's
// `email.parser` with the compat32 policy (RFC 822 headers, continuation lines kept verbatim with
// their line breaks, header names case-insensitive, the body after the blank line as Description).
//
// Supported: every header line form `email.feedparser` recognises (including a leading `From `
// line and a missing blank separator), packaging's split into recognised fields (single-use ones
// that repeat go to `unparsed`), Keywords and Project-URL as packaging shapes them, bytes input
// decoded as strict UTF-8.
// Not supported: validation of field values (use the pep508/versions parsers on them), MIME
// multipart bodies and Content-Transfer-Encoding (never used in metadata files).
// Differs from packaging on purpose: bytes that are not UTF-8 are an error naming the line,
// instead of mojibake moved to `unparsed`.
import { SafePipError } from '../errors.js';
import { pyStrip } from './python-text.js';

export class CoreMetadataError extends SafePipError {
  /** 1-based line of the problem. */
  readonly line: number;
  /** Byte (for bytes input) or character offset of the problem. */
  readonly position: number;
  constructor(message: string, line: number, position: number) {
    super(message);
    this.name = 'CoreMetadataError';
    this.line = line;
    this.position = position;
  }
}

/** packaging's `RawMetadata` value shapes. */
export type RawMetadataValue = string | string[] | Record<string, string>;

export interface CoreMetadata {
  readonly metadataVersion: string | null;
  readonly name: string | null;
  readonly version: string | null;
  readonly requiresPython: string | null;
  readonly requiresDist: readonly string[];
  readonly providesExtra: readonly string[];
  /** Field names listed in `Dynamic`, lower-cased as packaging's validator does. */
  readonly dynamic: readonly string[];
  readonly summary: string | null;
  readonly description: string | null;
  /** Every header in file order, name as written, value as email's compat32 policy gives it. */
  readonly headers: readonly (readonly [string, string])[];
  /** packaging `parse_email` first result: recognised fields under their raw names (`requires_dist`). */
  readonly raw: Readonly<Record<string, RawMetadataValue>>;
  /** packaging `parse_email` second result: unknown fields and misused ones, by lower-case name. */
  readonly unparsed: Readonly<Record<string, string[]>>;
}

// Header names come from the file: they are looked up in Maps and Sets, and the results are built
// with Object.fromEntries, so `__proto__` or `constructor` is an ordinary field name.
const EMAIL_TO_RAW: ReadonlyMap<string, string> = new Map(Object.entries({
  author: 'author',
  'author-email': 'author_email',
  classifier: 'classifiers',
  description: 'description',
  'description-content-type': 'description_content_type',
  'download-url': 'download_url',
  dynamic: 'dynamic',
  'home-page': 'home_page',
  'import-name': 'import_names',
  'import-namespace': 'import_namespaces',
  keywords: 'keywords',
  license: 'license',
  'license-expression': 'license_expression',
  'license-file': 'license_files',
  maintainer: 'maintainer',
  'maintainer-email': 'maintainer_email',
  'metadata-version': 'metadata_version',
  name: 'name',
  obsoletes: 'obsoletes',
  'obsoletes-dist': 'obsoletes_dist',
  platform: 'platforms',
  'project-url': 'project_urls',
  provides: 'provides',
  'provides-dist': 'provides_dist',
  'provides-extra': 'provides_extra',
  requires: 'requires',
  'requires-dist': 'requires_dist',
  'requires-external': 'requires_external',
  'requires-python': 'requires_python',
  summary: 'summary',
  'supported-platform': 'supported_platforms',
  version: 'version',
}));

const STRING_FIELDS = new Set([
  'author',
  'author_email',
  'description',
  'description_content_type',
  'download_url',
  'home_page',
  'license',
  'license_expression',
  'maintainer',
  'maintainer_email',
  'metadata_version',
  'name',
  'requires_python',
  'summary',
  'version',
]);

const LIST_FIELDS = new Set([
  'classifiers',
  'dynamic',
  'license_files',
  'obsoletes',
  'obsoletes_dist',
  'platforms',
  'provides',
  'provides_dist',
  'provides_extra',
  'requires',
  'requires_dist',
  'requires_external',
  'supported_platforms',
  'import_names',
  'import_namespaces',
]);

// email.feedparser.headerRE: a header, a continuation, or a Unix "From " line.
const HEADER_LINE_RE = /^(?:From |[\x21-\x39\x3b-\x7e]*:|[\t ])/;

/** Strict UTF-8 (a BOM kept), or a CoreMetadataError naming the line of the first bad byte. */
function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    // Find the first bad byte so the message can name its line.
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < bytes.length; i += 1) {
      const slice = bytes.subarray(lineStart, i + 1);
      if (bytes[i] === 0x0a) {
        line += 1;
        lineStart = i + 1;
        continue;
      }
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(slice, { stream: true });
      } catch {
        throw new CoreMetadataError(`Metadata is not valid UTF-8 (line ${line}, byte ${i})`, line, i);
      }
    }
    throw new CoreMetadataError('Metadata is not valid UTF-8 (truncated character at the end)', line, bytes.length);
  }
}

/**
 * The headers and body as email's feedparser (compat32) splits them. Only the header section is cut
 * into lines (\r\n, \r or \n, each kept with its line): the body, often most of the text (the
 * long description), is the rest of it as it stands.
 */
function splitMessage(text: string): { headers: [string, string][]; body: string } {
  const lineEnd = /\r\n|\r|\n/g;
  const headerLines: string[] = [];
  let bodyStart = text.length;
  for (let start = 0; start < text.length; ) {
    lineEnd.lastIndex = start;
    const m = lineEnd.exec(text);
    const end = m === null ? text.length : m.index + m[0].length;
    const line = text.slice(start, end);
    if (!HEADER_LINE_RE.test(line)) {
      // The blank separator line is dropped; any other line starts the body.
      bodyStart = line.startsWith('\n') || line.startsWith('\r') ? end : start;
      break;
    }
    headerLines.push(line);
    start = end;
  }
  let pushedBack = '';
  const headers: [string, string][] = [];
  let current: string[] = [];
  const flush = (): void => {
    if (current.length === 0) return;
    const first = current[0] as string;
    const colon = first.indexOf(':');
    const value = first.slice(colon + 1).replace(/^[ \t]+/, '') + current.slice(1).join('');
    headers.push([first.slice(0, colon), value.replace(/[\r\n]+$/, '')]);
    current = [];
  };
  for (let i = 0; i < headerLines.length; i += 1) {
    const line = headerLines[i] as string;
    if (line[0] === ' ' || line[0] === '\t') {
      // A continuation before any header is a defect email ignores.
      if (current.length > 0) current.push(line);
      continue;
    }
    flush();
    if (line.startsWith('From ')) {
      if (i === headerLines.length - 1 && i !== 0) {
        // Looks like the first body line: email pushes it back.
        pushedBack = line;
        break;
      }
      continue; // a Unix envelope line (first) or a misplaced one: ignored
    }
    if (line.indexOf(':') === 0) continue; // "Missing header name": ignored
    current = [line];
  }
  flush();
  return { headers, body: pushedBack + text.slice(bodyStart) };
}

/** The Project-URL values by label, or null where packaging gives up on the whole field (a repeated label). */
function parseProjectUrls(values: string[]): Record<string, string> | null {
  const urls = new Map<string, string>();
  for (const pair of values) {
    const comma = pair.indexOf(',');
    const label = pyStrip(comma === -1 ? pair : pair.slice(0, comma));
    const url = comma === -1 ? '' : pyStrip(pair.slice(comma + 1));
    if (urls.has(label)) return null;
    urls.set(label, url);
  }
  return Object.fromEntries(urls);
}

/** Parse METADATA / PKG-INFO text (or its bytes, strict UTF-8). Throws CoreMetadataError on bad bytes. */
export function parseCoreMetadata(input: string | Uint8Array): CoreMetadata {
  const text = typeof input === 'string' ? input : decodeUtf8(input);
  const { headers, body } = splitMessage(text);
  const raw = new Map<string, RawMetadataValue>();
  const unparsed = new Map<string, string[]>();
  const byName = new Map<string, string[]>();
  for (const [name, value] of headers) {
    const key = name.toLowerCase();
    const values = byName.get(key);
    if (values === undefined) byName.set(key, [value]);
    else values.push(value);
  }
  for (const [name, values] of byName) {
    const rawName = EMAIL_TO_RAW.get(name);
    if (rawName === undefined) unparsed.set(name, values);
    else if (STRING_FIELDS.has(rawName) && values.length === 1) raw.set(rawName, values[0] as string);
    else if (rawName === 'import_names' && values.length === 1 && values[0] === '') raw.set(rawName, []);
    else if (LIST_FIELDS.has(rawName)) raw.set(rawName, values);
    else if (rawName === 'keywords' && values.length === 1) raw.set(rawName, (values[0] as string).split(',').map(pyStrip));
    else if (rawName === 'project_urls') {
      const urls = parseProjectUrls(values);
      if (urls === null) unparsed.set(name, values);
      else raw.set(rawName, urls);
    } else unparsed.set(name, values);
  }
  if (body !== '') {
    const headerDescription = raw.get('description');
    const unparsedDescription = unparsed.get('description');
    if (typeof headerDescription === 'string') {
      raw.delete('description');
      unparsed.set('description', [...(unparsedDescription ?? []), headerDescription, body]);
    } else if (unparsedDescription !== undefined) {
      unparsedDescription.push(body);
    } else {
      raw.set('description', body);
    }
  }
  const str = (key: string): string | null => {
    const value = raw.get(key);
    return typeof value === 'string' ? value : null;
  };
  const list = (key: string): string[] => {
    const value = raw.get(key);
    return Array.isArray(value) ? value : [];
  };
  return {
    metadataVersion: str('metadata_version'),
    name: str('name'),
    version: str('version'),
    requiresPython: str('requires_python'),
    requiresDist: list('requires_dist'),
    providesExtra: list('provides_extra'),
    dynamic: list('dynamic').map((field) => field.toLowerCase()),
    summary: str('summary'),
    description: str('description'),
    headers,
    raw: Object.fromEntries(raw),
    unparsed: Object.fromEntries(unparsed),
  };
}

/** Every value of a header, case-insensitively (email's `get_all`). */
export function headerValues(metadata: CoreMetadata, name: string): string[] {
  const key = name.toLowerCase();
  return metadata.headers.filter(([n]) => n.toLowerCase() === key).map(([, v]) => v);
}
