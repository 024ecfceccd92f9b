// Where a candidate's dependencies come from, without executing anything (DESIGN.md "Resolution"):
// 1. a PEP 658/714 metadata file when the index offers one (hash-checked by the reader);
// 2. for a wheel, its own `.dist-info/METADATA`, read from the zip (range requests when possible);
// 3. for an sdist, static metadata only: PKG-INFO (Metadata-Version >= 2.2, Requires-Dist not
//    dynamic) or pyproject `[project]` — otherwise the dependencies are "unknown".
// Like pip (_check_metadata_consistency) the metadata must name the project and version the file
// was found under; otherwise MetadataInconsistent, and the resolver discards the file and tries the
// next file of the same version, as pip does ("Discarding …").
import { parseCoreMetadata } from '../standards/core-metadata.js';
import { normalizeName } from '../standards/names.js';
import { compareVersions, tryParseVersion } from '../standards/versions.js';
import { SafePipError } from '../errors.js';
import type { IndexFile } from '../standards/simple-api.js';
import type { RandomAccessSource } from './random-access.js';
import { readWheelMetadata } from './wheel-metadata.js';
import { readSdistMetadata } from './sdist-metadata.js';
import type { Candidate, FileEntry } from './finder.js';
import type { CandidateMetadata } from './resolver.js';

export interface ArtifactAccess<T extends FileEntry> {
  /** The PEP 658 metadata file's text (hash-checked). */
  metadataFile(entry: T): Promise<string>;
  /** Random access to the distribution file (range requests, a cached copy, or a local file). */
  open(entry: T): Promise<RandomAccessSource>;
}

/** The metadata names another project or version than the file it came from (pip: MetadataInconsistent). */
export class MetadataInconsistent extends SafePipError {}

export async function candidateMetadata<T extends FileEntry>(
  name: string,
  candidate: Candidate<T>,
  access: ArtifactAccess<T>,
  options: { usePep658: boolean } = { usePep658: true },
): Promise<CandidateMetadata> {
  const file: IndexFile = candidate.entry.file;
  if (options.usePep658 && file.coreMetadata !== false) {
    return fromCoreMetadata(name, candidate, await access.metadataFile(candidate.entry), 'PEP 658 metadata file');
  }
  const source = await access.open(candidate.entry);
  if (candidate.isWheel) {
    const text = await readWheelMetadata(source, { name, version: candidate.version.toString() });
    return fromCoreMetadata(name, candidate, text, 'wheel METADATA');
  }
  const bytes = await source.read(0, source.size);
  const sdist = await readSdistMetadata(bytes, file.filename);
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
    note: `static metadata from ${sdist.source}`,
  };
}

function fromCoreMetadata<T extends FileEntry>(name: string, candidate: Candidate<T>, text: string, origin: string): CandidateMetadata {
  const metadata = parseCoreMetadata(text);
  checkConsistency(name, candidate, metadata.name, metadata.version, origin);
  return { requiresDist: metadata.requiresDist, requiresPython: metadata.requiresPython, providesExtra: metadata.providesExtra, note: origin };
}

/**
 * pip's _check_metadata_consistency: canonical names equal, versions equal as PEP 440 versions
 * (1.0 == 1.0.0); a missing name or an unparsable version cannot be equal either.
 */
function checkConsistency<T extends FileEntry>(name: string, candidate: Candidate<T>, declaredName: string | null, declaredVersion: string | null, origin: string): void {
  const filename = candidate.entry.file.filename;
  if (declaredName === null || normalizeName(declaredName) !== normalizeName(name)) {
    throw new MetadataInconsistent(
      `${filename}: its ${origin} names the project ${JSON.stringify(declaredName ?? '')}, not ${JSON.stringify(name)}.`,
      { hint: 'The index serves a file that does not belong to this project; ask its maintainers.' },
    );
  }
  const declared = declaredVersion === null ? null : tryParseVersion(declaredVersion);
  if (declared === null || compareVersions(declared, candidate.version) !== 0) {
    throw new MetadataInconsistent(`${filename}: its ${origin} says version ${declaredVersion ?? '(none)'}, the filename says ${candidate.version.toString()}.`);
  }
}
