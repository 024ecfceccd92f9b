// PEP 691 JSON project pages (+ PEP 700 versions/size/upload-time, PEP 714 core-metadata, PEP 740
// provenance, PEP 792 project-status), read as pip's `Link.from_json` reads them
// (pip/_internal/models/link.py). https://packaging.python.org/en/latest/specifications/simple-repository-api/#json-serialization
//
// Where pip would crash on a malformed document (not JSON, not an object, `files` not a list, a
// file that is not an object, a non-string `url`, `hashes` not an object) we raise SimpleApiError.
// Python truthiness is reproduced for `yanked` (`""`, `false`, `0`, `[]` = not yanked; any other
// non-string truthy value = yanked without reason) and for `core-metadata` (`null` falls back to
// `dist-info-metadata`, `false` does not).
import { SimpleApiError, quoteValue } from './error.js';
import { supportedHashes } from './link.js';

export interface JsonFile {
  url: string;
  hashes: Record<string, string>;
  requiresPython: string | null;
  yanked: string | null;
  coreMetadata: false | { hashes: Record<string, string> };
  uploadTime: string | null;
  size: number | null;
  provenance: string | null;
}

export interface ParsedJsonPage {
  files: JsonFile[];
  apiVersion: string | null;
  projectStatus: { status: string; reason: string | null } | null;
  tracks: string[];
  alternateLocations: string[];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Python's bool(): what `if value:` decides. */
function truthy(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (isObject(v)) return Object.keys(v).length > 0;
  return true;
}

function decodeJsonText(body: Uint8Array, url: string): string {
  // json.loads(bytes) detects UTF-8/16/32 and accepts a UTF-8 BOM; only UTF-8 is supported here.
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(body);
  } catch {
    throw new SimpleApiError(url, 'the JSON page is not valid UTF-8');
  }
}

function stringHashes(value: unknown, url: string, what: string): Record<string, string> {
  if (!isObject(value)) throw new SimpleApiError(url, `${what} must be an object, got ${quoteValue(value)}`);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw new SimpleApiError(url, `${what} "${k}" must be a string, got ${quoteValue(v)}`);
    out[k] = v;
  }
  return out;
}

function optionalString(file: Record<string, unknown>, key: string, url: string): string | null {
  const v = file[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') throw new SimpleApiError(url, `"${key}" must be a string, got ${quoteValue(v)}`);
  return v;
}

function coreMetadataOf(file: Record<string, unknown>, url: string): JsonFile['coreMetadata'] {
  let info = file['core-metadata'];
  if (info === undefined || info === null) info = file['dist-info-metadata'];
  if (isObject(info)) return { hashes: supportedHashes(stringHashes(info, url, '"core-metadata" hashes')) };
  return truthy(info) ? { hashes: {} } : false;
}

function readFile(file: unknown, index: number, pageUrl: string): JsonFile | null {
  if (!isObject(file)) throw new SimpleApiError(pageUrl, `files[${index}] must be an object, got ${quoteValue(file)}`);
  const url = file.url;
  if (url === undefined || url === null) return null;
  if (typeof url !== 'string') throw new SimpleApiError(pageUrl, `files[${index}].url must be a string, got ${quoteValue(url)}`);
  const hashes = file.hashes === undefined || file.hashes === null ? {} : stringHashes(file.hashes, pageUrl, `files[${index}].hashes`);
  const y = file.yanked;
  const yanked = typeof y === 'string' ? (y === '' ? null : y) : truthy(y) ? '' : null;
  const rp = optionalString(file, 'requires-python', pageUrl);
  const size = typeof file.size === 'number' && Number.isSafeInteger(file.size) && file.size >= 0 ? file.size : null;
  const uploadTime = typeof file['upload-time'] === 'string' ? file['upload-time'] : null;
  const provenance = typeof file.provenance === 'string' ? file.provenance : null;
  return { url, hashes, requiresPython: rp ? rp : null, yanked, coreMetadata: coreMetadataOf(file, pageUrl), uploadTime, size, provenance };
}

export function parseJsonDocument(body: Uint8Array, url: string): ParsedJsonPage {
  let data: unknown;
  try {
    data = JSON.parse(decodeJsonText(body, url));
  } catch (e) {
    if (e instanceof SimpleApiError) throw e;
    throw new SimpleApiError(url, `not valid JSON (${(e as Error).message})`);
  }
  if (!isObject(data)) throw new SimpleApiError(url, `the JSON document must be an object, got ${quoteValue(data)}`);
  const rawFiles = data.files ?? [];
  if (!Array.isArray(rawFiles)) throw new SimpleApiError(url, `"files" must be a list, got ${quoteValue(rawFiles)}`);
  const files: JsonFile[] = [];
  rawFiles.forEach((f, i) => {
    const file = readFile(f, i, url);
    if (file !== null) files.push(file);
  });
  const meta = isObject(data.meta) ? data.meta : {};
  const apiVersion = typeof meta['api-version'] === 'string' ? meta['api-version'] : null;
  const ps = data['project-status'];
  const projectStatus =
    isObject(ps) && typeof ps.status === 'string' ? { status: ps.status, reason: typeof ps.reason === 'string' ? ps.reason : null } : null;
  const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  return { files, apiVersion, projectStatus, tracks: strings(meta.tracks), alternateLocations: strings(data['alternate-locations']) };
}
