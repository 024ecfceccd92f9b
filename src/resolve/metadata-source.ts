// Where a candidate's dependencies come from, without executing anything (DESIGN.md "Resolution"):
// 1. a PEP 658/714 metadata file when the index offers one (hash-checked by the reader);
// 2. for a wheel, its own `.dist-info/METADATA`, read from the zip (range requests when possible);
// 3. for an sdist, static metadata only: PKG-INFO (Metadata-Version >= 2.2, Requires-Dist not
//    dynamic), pyproject `[project]`, or the egg-info requires.txt setuptools wrote into the sdist
//    — otherwise the dependencies are "unknown".
// Like pip (_check_metadata_consistency) the metadata must name the project and version the file
// was found under; otherwise MetadataInconsistent, and the resolver discards the file and tries the
// next file of the same version, as pip does ("Discarding …").
// Metadata read before the whole file is hash-checked (a PEP 658 file, or a wheel's METADATA read
// through range requests) is only a claim: the reader is told of the wheel's (readFromArchive), and
// src/io/index-client.ts compares each claim with the hash-checked file when it has one
// (metadataDifference below; pip 26.2 does the same for `.metadata` files: pypa/pip#13991).
import { parseCoreMetadata } from '../standards/core-metadata.js';
import { normalizeExtra, normalizeName } from '../standards/names.js';
import { compareVersions, tryParseVersion } from '../standards/versions.js';
import { type VersionRules, compareAnyVersions, isLegacyVersion, parseAnyVersion } from '../standards/legacy-version.js';
import { SafePipError } from '../errors.js';
import type { IndexFile } from '../standards/simple-api.js';
import type { RandomAccessSource } from './random-access.js';
import { readWheelMetadata } from './wheel-metadata.js';
import { DEFAULT_SDIST_LIMITS, readSdistMetadata } from './sdist-metadata.js';
import type { Candidate, FileEntry } from './finder.js';
import type { CandidateMetadata } from './resolver.js';

export interface ArtifactAccess<T extends FileEntry> {
  /** The PEP 658 metadata file's text (hash-checked). */
  metadataFile(entry: T): Promise<string>;
  /** Random access to the distribution file (range requests, a cached copy, or a local file). */
  open(entry: T): Promise<RandomAccessSource>;
  /** A wheel's METADATA text (instead of reading it from `open`'s archive here), when the reader keeps it. */
  wheelMetadata?(entry: T, project: { name: string; version: string }): Promise<string>;
  /** Told the METADATA text read from a wheel opened with `open`, so it can be checked later against the verified whole file. */
  readFromArchive?(entry: T, text: string): void;
}

/** The metadata names another project or version than the file it came from (pip: MetadataInconsistent). */
export class MetadataInconsistent extends SafePipError {}

export async function candidateMetadata<T extends FileEntry>(
  name: string,
  candidate: Candidate<T>,
  access: ArtifactAccess<T>,
  options: { usePep658: boolean; versionRules?: VersionRules } = { usePep658: true },
): Promise<CandidateMetadata> {
  const file: IndexFile = candidate.entry.file;
  if (readsMetadataFile(file, options)) {
    return fromCoreMetadata(name, candidate, await access.metadataFile(candidate.entry), 'PEP 658 metadata file');
  }
  if (candidate.isWheel) {
    const project = { name, version: candidate.version.toString() };
    const text = access.wheelMetadata !== undefined ? await access.wheelMetadata(candidate.entry, project) : await readWheelMetadata(await access.open(candidate.entry), project);
    access.readFromArchive?.(candidate.entry, text);
    return fromCoreMetadata(name, candidate, text, 'wheel METADATA');
  }
  const source = await access.open(candidate.entry);
  const bytes = await source.read(0, source.size);
  const sdist = await readSdistMetadata(bytes, file.filename, DEFAULT_SDIST_LIMITS, { eggInfoRequires: true, rules: options.versionRules ?? 'strict' });
  // pip would only learn these after building the metadata; a static mismatch is the same discard.
  if (sdist.name !== null) checkConsistency(name, candidate, sdist.name, sdist.version, `static metadata (${sdist.source ?? 'sdist'})`);
  if (sdist.dependencies === 'unknown') {
    return { requiresDist: 'unknown', requiresPython: sdist.requiresPython, providesExtra: [], note: sdist.reason ?? 'no static metadata' };
  }
  // readSdistMetadata already gives Requires-Dist form: extra requirements carry `extra == "…"`.
  return {
    requiresDist: sdist.dependencies,
    requiresPython: sdist.requiresPython,
    providesExtra: sdist.extras === 'unknown' ? [] : Object.keys(sdist.extras),
    note: sdist.source?.endsWith('.egg-info/requires.txt')
      ? `dependencies from ${file.filename}: ${sdist.source} (written by setuptools when the sdist was made; setup.py not executed)`
      : `static metadata from ${sdist.source}`,
  };
}

/** Whether a candidate's metadata comes from its PEP 658 metadata file (pip skips them in hash-checking mode). */
export function readsMetadataFile(file: IndexFile, options: { usePep658: boolean }): boolean {
  return options.usePep658 && file.coreMetadata !== false;
}

function fromCoreMetadata<T extends FileEntry>(name: string, candidate: Candidate<T>, text: string, origin: string): CandidateMetadata {
  const metadata = parseCoreMetadata(text);
  checkConsistency(name, candidate, metadata.name, metadata.version, origin);
  return { requiresDist: metadata.requiresDist, requiresPython: metadata.requiresPython, providesExtra: metadata.providesExtra, note: origin };
}

/**
 * pip's _check_metadata_consistency: canonical names equal, versions equal as PEP 440 versions
 * (1.0 == 1.0.0); a missing name or an unparsable version cannot be equal either. A LegacyVersion
 * candidate (pip <= 24.0) is compared as packaging 21.3 does: `parse(Version)`, equal by legacy key.
 */
function checkConsistency<T extends FileEntry>(name: string, candidate: Candidate<T>, declaredName: string | null, declaredVersion: string | null, origin: string): void {
  const filename = candidate.entry.file.filename;
  if (declaredName === null || normalizeName(declaredName) !== normalizeName(name)) {
    throw new MetadataInconsistent(
      `${filename}: its ${origin} names the project ${JSON.stringify(declaredName ?? '')}, not ${JSON.stringify(name)}.`,
      { hint: 'The index serves a file that does not belong to this project; ask its maintainers.' },
    );
  }
  // Only a legacy candidate can equal a non-PEP 440 Version; a PEP 440 one never does, under either rules.
  const rules = isLegacyVersion(candidate.version) ? 'legacy' : 'strict';
  const declared = declaredVersion === null ? null : parseAnyVersion(declaredVersion, rules);
  if (declared === null || compareAnyVersions(declared, candidate.version) !== 0) {
    throw new MetadataInconsistent(`${filename}: its ${origin} says version ${declaredVersion ?? '(none)'}, the filename says ${candidate.version.toString()}.`);
  }
}

/** The fields of core metadata that decide a resolution. */
export interface ResolvingMetadata {
  name: string | null;
  version: string | null;
  requiresPython: string | null;
  requiresDist: readonly string[];
  /** Absent when the source cannot tell (static sdist metadata). */
  providesExtra?: readonly string[];
}

/** A Requires-Dist line in a form where spacing, quote style and name spelling do not count. */
function canonicalRequirement(line: string): string {
  const compact = line.replace(/\s+/g, '').replace(/'/g, '"');
  const m = /^([A-Za-z0-9._-]+)(.*)$/.exec(compact);
  return m === null ? compact : `${normalizeName(m[1]!)}${m[2]!}`;
}

const sortedList = (values: readonly string[]): string => JSON.stringify([...values].sort());

/**
 * How `claimed` (metadata read before the file was verified) differs from `verified` (read from
 * the hash-checked whole file), as a sentence naming the field, or null when they agree in Name,
 * Version, Requires-Python, Requires-Dist and (when both know it) Provides-Extra.
 */
export function metadataDifference(claimed: ResolvingMetadata, verified: ResolvingMetadata): string | null {
  const show = (v: string | null): string => JSON.stringify(v ?? '');
  if (normalizeName(claimed.name ?? '') !== normalizeName(verified.name ?? '')) return `Name is ${show(claimed.name)} there, ${show(verified.name)} in the file`;
  const [a, b] = [tryParseVersion(claimed.version ?? ''), tryParseVersion(verified.version ?? '')];
  if (a === null || b === null ? claimed.version !== verified.version : compareVersions(a, b) !== 0) {
    return `Version is ${show(claimed.version)} there, ${show(verified.version)} in the file`;
  }
  const python = (v: string | null): string => (v ?? '').replace(/\s+/g, '');
  if (python(claimed.requiresPython) !== python(verified.requiresPython)) {
    return `Requires-Python is ${show(claimed.requiresPython)} there, ${show(verified.requiresPython)} in the file`;
  }
  const [claimedDeps, verifiedDeps] = [claimed.requiresDist.map(canonicalRequirement), verified.requiresDist.map(canonicalRequirement)];
  if (sortedList(claimedDeps) !== sortedList(verifiedDeps)) {
    const missing = verifiedDeps.filter((d) => !claimedDeps.includes(d));
    const extra = claimedDeps.filter((d) => !verifiedDeps.includes(d));
    const parts = [missing.length > 0 ? `the file also requires ${missing.join(', ')}` : '', extra.length > 0 ? `the file does not require ${extra.join(', ')}` : ''].filter((p) => p !== '');
    return `Requires-Dist differs (${parts.join('; ') || 'repeated entries'})`;
  }
  if (claimed.providesExtra !== undefined && verified.providesExtra !== undefined) {
    const extras = (list: readonly string[]): string => sortedList(list.map(normalizeExtra));
    if (extras(claimed.providesExtra) !== extras(verified.providesExtra)) return 'Provides-Extra differs';
  }
  return null;
}
