// OSV records of malicious PyPI packages, reduced to what an install needs to match against:
// https://ossf.github.io/osv-schema/ (schema 1.7) and the OpenSSF malicious-packages reports
// (https://github.com/ossf/malicious-packages, osv/malicious/pypi/<name>/MAL-*.json).
//
// Kept: records whose `id` starts with `MAL-` and that are not `withdrawn`; of each, the
// `affected[]` entries whose `package.ecosystem` is `PyPI`:
//   - `versions`: the exact versions listed (compared as PEP 440 versions when both parse, else
//     as written);
//   - `ranges` of type ECOSYSTEM (and SEMVER, read the same way): `introduced` / `fixed` /
//     `last_affected` / `limit` events, evaluated as the OSV spec says (`introduced: "0"` is
//     "every version", the common shape of a malware report);
//   - file hashes: `affected[].database_specific.indicators.package_integrity[]` (`filename`,
//     `hashes.sha256`), which the malicious-packages reports carry for the distributions they
//     analysed. Not used: `database_specific.malicious-packages-origins[].sha256` (the hash of
//     the source report, not of a file) and `indicators.evidence_files` (files inside a package).
// An entry that names no versions and no ranges matches every version (a report about the name).
// Pure: parse, build the compact index, match. Reading the zip and the cache is src/io/advisories.ts.
import { normalizeName } from './names.js';
import { compareVersions, tryParseVersion, type Version } from './versions.js';

export interface OsvEvent {
  introduced?: string;
  fixed?: string;
  last_affected?: string;
  limit?: string;
}

export interface MalwareEntry {
  id: string;
  summary: string;
  /** Exact versions listed. */
  versions: string[];
  /** Each range's events. */
  ranges: OsvEvent[][];
}

export interface MalwareFile {
  id: string;
  name: string;
  filename: string;
}

/** The compact index kept in the cache (src/io/advisories.ts writes it as JSON). */
export interface MalwareIndex {
  format: 1;
  /** When the data was read (ISO 8601). */
  updatedAt: string;
  /** Where it came from: the URL (credentials removed) or the file path. */
  source: string;
  /** MAL records kept. */
  records: number;
  /** Canonical project name -> entries. */
  projects: Record<string, MalwareEntry[]>;
  /** Lower-case sha256 hex -> the files it names. */
  files: Record<string, MalwareFile[]>;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

export interface ParsedMalwareRecord {
  id: string;
  summary: string;
  packages: { name: string; entry: MalwareEntry; files: { filename: string; sha256: string }[] }[];
}

/** One OSV record, or null when it is not a live MAL record about a PyPI package. */
export function parseMalwareRecord(record: unknown): ParsedMalwareRecord | null {
  if (!isObject(record) || typeof record.id !== 'string' || !record.id.startsWith('MAL-')) return null;
  if (typeof record.withdrawn === 'string' && record.withdrawn !== '') return null;
  const id = record.id;
  const summary = typeof record.summary === 'string' ? record.summary : '';
  const packages: ParsedMalwareRecord['packages'] = [];
  for (const affected of Array.isArray(record.affected) ? record.affected : []) {
    if (!isObject(affected) || !isObject(affected.package)) continue;
    const pkg = affected.package;
    if (typeof pkg.ecosystem !== 'string' || pkg.ecosystem.split(':')[0] !== 'PyPI' || typeof pkg.name !== 'string' || pkg.name.trim() === '') continue;
    const ranges: OsvEvent[][] = [];
    for (const range of Array.isArray(affected.ranges) ? affected.ranges : []) {
      if (!isObject(range) || (range.type !== 'ECOSYSTEM' && range.type !== 'SEMVER')) continue;
      const events: OsvEvent[] = [];
      for (const event of Array.isArray(range.events) ? range.events : []) {
        if (!isObject(event)) continue;
        for (const key of ['introduced', 'fixed', 'last_affected', 'limit'] as const) {
          const value = event[key];
          if (typeof value === 'string') events.push({ [key]: value });
        }
      }
      if (events.length > 0) ranges.push(events);
    }
    const files: { filename: string; sha256: string }[] = [];
    const indicators = isObject(affected.database_specific) && isObject(affected.database_specific.indicators) ? affected.database_specific.indicators : null;
    for (const item of indicators !== null && Array.isArray(indicators.package_integrity) ? indicators.package_integrity : []) {
      if (!isObject(item) || !isObject(item.hashes)) continue;
      const sha = item.hashes.sha256;
      if (typeof sha === 'string' && /^[0-9a-fA-F]{64}$/.test(sha)) files.push({ filename: typeof item.filename === 'string' ? item.filename : '', sha256: sha.toLowerCase() });
    }
    packages.push({ name: normalizeName(pkg.name.trim()), entry: { id, summary, versions: strings(affected.versions), ranges }, files });
  }
  return packages.length === 0 ? null : { id, summary, packages };
}

/** Adds a parsed record to an index being built (records with the same id replace nothing: each is kept). */
export function addToIndex(index: MalwareIndex, record: ParsedMalwareRecord): void {
  index.records += 1;
  for (const pkg of record.packages) {
    (index.projects[pkg.name] ??= []).push(pkg.entry);
    for (const file of pkg.files) (index.files[file.sha256] ??= []).push({ id: record.id, name: pkg.name, filename: file.filename });
  }
}

export function emptyIndex(source: string, updatedAt: string): MalwareIndex {
  return { format: 1, updatedAt, source, records: 0, projects: {}, files: {} };
}

function sameVersion(listed: string, version: string, parsed: Version | null): boolean {
  if (listed === version) return true;
  const other = tryParseVersion(listed);
  return other !== null && parsed !== null && compareVersions(other, parsed) === 0;
}

/** OSV's range evaluation for one version: walk the events in order of their versions. */
export function inRange(events: readonly OsvEvent[], version: Version): boolean {
  const keyed = events.map((event) => {
    const [kind, value] = Object.entries(event)[0] as [keyof OsvEvent, string];
    return { kind, value, at: value === '0' && kind === 'introduced' ? null : tryParseVersion(value) };
  });
  // An event whose version does not parse cannot be placed: a range that depends on one is read
  // as affected from its introduction on (never as clean).
  let affected = false;
  const ordered = keyed
    .filter((e) => e.at !== null || (e.kind === 'introduced' && e.value === '0'))
    .sort((a, b) => (a.at === null ? -1 : b.at === null ? 1 : compareVersions(a.at, b.at)));
  for (const event of ordered) {
    const cmp = event.at === null ? -1 : compareVersions(event.at, version);
    if (event.kind === 'introduced' && cmp <= 0) affected = true;
    else if (event.kind === 'fixed' && cmp <= 0) affected = false;
    else if (event.kind === 'last_affected' && cmp < 0) affected = false;
    else if (event.kind === 'limit' && cmp <= 0) affected = false;
  }
  return affected;
}

export interface MalwareMatch {
  id: string;
  summary: string;
  /** `version`: the project and version are listed; `file`: the file's sha256 is. */
  by: 'version' | 'file';
  detail: string;
}

/** Whether `name version` (or a file with one of `sha256s`) is a known malicious release. */
export function matchMalware(index: MalwareIndex, query: { name: string; version: string | null; sha256s?: readonly string[] }): MalwareMatch[] {
  const name = normalizeName(query.name);
  const out: MalwareMatch[] = [];
  const parsed = query.version === null ? null : tryParseVersion(query.version);
  for (const entry of index.projects[name] ?? []) {
    const everything = entry.versions.length === 0 && entry.ranges.length === 0;
    const listed = query.version !== null && entry.versions.some((v) => sameVersion(v, query.version!, parsed));
    const ranged = parsed !== null && entry.ranges.some((events) => inRange(events, parsed));
    if (everything || listed || ranged) {
      const detail = everything ? `every version of ${name}` : listed ? `${name} ${query.version} is listed` : `${name} ${query.version} is in an affected range`;
      if (!out.some((m) => m.id === entry.id)) out.push({ id: entry.id, summary: entry.summary, by: 'version', detail });
    }
  }
  for (const sha of query.sha256s ?? []) {
    for (const file of index.files[sha.toLowerCase()] ?? []) {
      if (!out.some((m) => m.id === file.id && m.by === 'file')) out.push({ id: file.id, summary: '', by: 'file', detail: `sha256 ${sha.toLowerCase()} is ${file.filename || 'a file'} of ${file.name}` });
    }
  }
  return out;
}

/** Reads an index written by src/io/advisories.ts; null when it is not one. */
export function parseMalwareIndex(text: string): MalwareIndex | null {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isObject(data) || data.format !== 1 || typeof data.updatedAt !== 'string' || typeof data.records !== 'number' || !isObject(data.projects) || !isObject(data.files)) return null;
  return data as unknown as MalwareIndex;
}
