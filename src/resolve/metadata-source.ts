// Where a candidate's dependencies come from, without executing anything (DESIGN.md "Resolution"):
// 1. a PEP 658/714 metadata file when the index offers one (hash-checked by the reader);
// 2. for a wheel, its own `.dist-info/METADATA`, read from the zip (range requests when possible);
// 3. for an sdist, static metadata only: PKG-INFO (Metadata-Version >= 2.2, Requires-Dist not
//    dynamic) or pyproject `[project]` — otherwise the dependencies are "unknown".
// pip also checks that the metadata names the project it was found under; a mismatch is an error
// here too (pip: MetadataInconsistent).
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
  if (sdist.dependencies === 'unknown') {
    return { requiresDist: 'unknown', requiresPython: sdist.requiresPython, providesExtra: [], note: sdist.reason ?? 'no static metadata' };
  }
  const extras = sdist.extras === 'unknown' ? {} : sdist.extras;
  const requiresDist = [...sdist.dependencies];
  for (const [extra, lines] of Object.entries(extras)) {
    // pyproject optional-dependencies become Requires-Dist lines guarded by `extra == "…"`.
    if (sdist.source === 'pyproject.toml') for (const line of lines) requiresDist.push(withExtraMarker(line, extra));
  }
  return {
    requiresDist,
    requiresPython: sdist.requiresPython,
    providesExtra: Object.keys(extras),
    note: `static metadata from ${sdist.source}`,
  };
}

function withExtraMarker(line: string, extra: string): string {
  const marker = `extra == "${extra}"`;
  const semicolon = line.indexOf(';');
  if (semicolon === -1) return `${line} ; ${marker}`;
  return `${line.slice(0, semicolon)} ; (${line.slice(semicolon + 1).trim()}) and ${marker}`;
}

function fromCoreMetadata<T extends FileEntry>(name: string, candidate: Candidate<T>, text: string, origin: string): CandidateMetadata {
  const metadata = parseCoreMetadata(text);
  const filename = candidate.entry.file.filename;
  // pip's _check_metadata_consistency: canonical names equal, versions equal as PEP 440 versions
  // (1.0 == 1.0.0); a missing name or an unparsable version cannot be equal either.
  if (metadata.name === null || normalizeName(metadata.name) !== normalizeName(name)) {
    throw new MetadataInconsistent(
      `${filename}: its ${origin} names the project ${JSON.stringify(metadata.name ?? '')}, not ${JSON.stringify(name)}.`,
      { hint: 'The index serves a file that does not belong to this project; ask its maintainers.' },
    );
  }
  const declared = metadata.version === null ? null : tryParseVersion(metadata.version);
  if (declared === null || compareVersions(declared, candidate.version) !== 0) {
    throw new MetadataInconsistent(
      `${filename}: its ${origin} says version ${metadata.version ?? '(none)'}, the filename says ${candidate.version.toString()}.`,
    );
  }
  return { requiresDist: metadata.requiresDist, requiresPython: metadata.requiresPython, providesExtra: metadata.providesExtra, note: origin };
}
