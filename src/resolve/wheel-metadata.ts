// A wheel's core metadata read straight from the zip, without installing or running anything:
// https://packaging.python.org/en/latest/specifications/binary-distribution-format/ and pip
// `utils/wheel.py` (`wheel_dist_info_dir`, `read_wheel_metadata_file`).
//
// Only the end-of-central-directory record, the central directory and the one METADATA entry are
// read (zip-archive.ts: the central directory in one read), so over HTTP range requests a wheel
// costs about three reads whatever its size. The zip format (zip64, stored/deflated entries, CP437
// and UTF-8 names) is yauzl's, as zip-archive.ts reads it.
// The .dist-info directory is found as pip finds it: among the top-level names exactly one ending
// in `.dist-info`, whose canonical form *starts with* the canonical project name (pip checks a
// prefix, not equality). METADATA is decoded as strict UTF-8 (a BOM is kept, like Python's decode()).
// Limits: METADATA ≤ 10 MiB (compressed and uncompressed), ≤ 250 000 central-directory entries.
// Not supported: bzip2/lzma-compressed METADATA (Python's zipfile reads them; wheels do not use
// them), encrypted entries, member names yauzl rejects (absolute, `..`): all are ArchiveError.
import { normalizeName } from '../standards/names.js';
import { ArchiveError, type RandomAccessSource } from './random-access.js';
import { extractMember, listArchive, type ZipEntry } from './zip-archive.js';

export interface WheelMetadataLimits {
  maxMetadataBytes: number;
  maxEntries: number;
}

export const DEFAULT_WHEEL_LIMITS: WheelMetadataLimits = { maxMetadataBytes: 10 * 1024 * 1024, maxEntries: 250_000 };

const METADATA_PATH = /^[^/]*\.dist-info\/METADATA$/;

/** The top-level names, and the entries that could be `<dir>.dist-info/METADATA`. */
function metadataCandidates(entries: readonly ZipEntry[]): { topLevel: Set<string>; metadataEntries: Map<string, ZipEntry> } {
  const topLevel = new Set<string>();
  const metadataEntries = new Map<string, ZipEntry>();
  // Entries come grouped by folder: a name under the previous one's top-level folder adds nothing
  // to topLevel (a large wheel lists thousands; hashing each folder name again was most of this loop).
  let folder: string | null = null;
  for (const entry of entries) {
    const name = entry.name;
    // zipfile.getinfo keeps the last of duplicate names.
    if (name.endsWith('/METADATA') && METADATA_PATH.test(name)) metadataEntries.set(name, entry);
    if (folder !== null && name.startsWith(folder)) continue;
    const slash = name.indexOf('/');
    topLevel.add(slash < 0 ? name : name.slice(0, slash));
    folder = slash < 0 ? null : name.slice(0, slash + 1);
  }
  return { topLevel, metadataEntries };
}

/** pip `wheel_dist_info_dir`: the single top-level `*.dist-info` that belongs to the project. */
export function findDistInfoDir(topLevelNames: Iterable<string>, project: string): { dir: string } | { error: string } {
  const infoDirs = [...new Set(topLevelNames)].filter((name) => name.endsWith('.dist-info')).sort();
  if (infoDirs.length === 0) return { error: '.dist-info directory not found' };
  if (infoDirs.length > 1) return { error: `multiple .dist-info directories found: ${infoDirs.join(', ')}` };
  const dir = infoDirs[0]!;
  const canonicalProject = normalizeName(project);
  if (!normalizeName(dir).startsWith(canonicalProject)) {
    return { error: `.dist-info directory '${dir}' does not start with '${canonicalProject}'` };
  }
  return { dir };
}

/**
 * The text of the wheel's `<dist-info>/METADATA`. Throws ArchiveError when the archive is not a
 * readable zip, the dist-info directory is missing, ambiguous or belongs to another project, or
 * METADATA is missing, too large or not UTF-8.
 */
export async function readWheelMetadata(
  source: RandomAccessSource,
  expected: { name: string; version: string },
  limits: WheelMetadataLimits = DEFAULT_WHEEL_LIMITS,
): Promise<string> {
  const archive = source.describe();
  const { zip, entries } = await listArchive(source, limits.maxEntries);
  const listing = metadataCandidates(entries);
  const found = findDistInfoDir(listing.topLevel, expected.name);
  if ('error' in found) throw new ArchiveError(archive, `${found.error} (expected ${expected.name} ${expected.version})`);
  const path = `${found.dir}/METADATA`;
  const entry = listing.metadataEntries.get(path);
  if (entry === undefined) throw new ArchiveError(archive, 'the wheel has no METADATA file', { member: path });
  const limit = limits.maxMetadataBytes;
  const bytes = await extractMember(zip, entry, archive, limit, (size) => `METADATA is ${size} bytes, more than the limit of ${limit}`);
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch (error) {
    throw new ArchiveError(archive, 'METADATA is not valid UTF-8', { member: path, cause: error });
  }
}
