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
import { ZipArchive, type ZipEntry } from './zip-archive.js';

export interface WheelMetadataLimits {
  maxMetadataBytes: number;
  maxEntries: number;
}

export const DEFAULT_WHEEL_LIMITS: WheelMetadataLimits = { maxMetadataBytes: 10 * 1024 * 1024, maxEntries: 250_000 };

/** Every entry name, keeping the entries that could be `<dir>.dist-info/METADATA`. */
async function listEntries(zip: ZipArchive): Promise<{ topLevel: Set<string>; metadataEntries: Map<string, ZipEntry> }> {
  const topLevel = new Set<string>();
  const metadataEntries = new Map<string, ZipEntry>();
  for (const entry of await zip.entries()) {
    const name = entry.name;
    const slash = name.indexOf('/');
    topLevel.add(slash < 0 ? name : name.slice(0, slash));
    // zipfile.getinfo keeps the last of duplicate names.
    if (/^[^/]*\.dist-info\/METADATA$/.test(name)) metadataEntries.set(name, entry);
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
  let zip: ZipArchive;
  try {
    zip = await ZipArchive.open(source);
  } catch (error) {
    throw new ArchiveError(archive, `not a readable zip file (${(error as Error).message})`, { cause: error });
  }
  if (zip.entryCount > limits.maxEntries) {
    throw new ArchiveError(archive, `the zip lists ${zip.entryCount} entries, more than the limit of ${limits.maxEntries}`);
  }
  let listing: Awaited<ReturnType<typeof listEntries>>;
  try {
    listing = await listEntries(zip);
  } catch (error) {
    throw new ArchiveError(archive, `bad central directory (${(error as Error).message})`, { cause: error });
  }
  const found = findDistInfoDir(listing.topLevel, expected.name);
  if ('error' in found) throw new ArchiveError(archive, `${found.error} (expected ${expected.name} ${expected.version})`);
  const path = `${found.dir}/METADATA`;
  const entry = listing.metadataEntries.get(path);
  if (entry === undefined) throw new ArchiveError(archive, 'the wheel has no METADATA file', { member: path });
  if (entry.encrypted) throw new ArchiveError(archive, 'the entry is encrypted', { member: path });
  if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
    throw new ArchiveError(archive, `unsupported compression method ${entry.compressionMethod}`, { member: path });
  }
  const limit = limits.maxMetadataBytes;
  if (entry.uncompressedSize > limit || entry.compressedSize > limit) {
    throw new ArchiveError(archive, `METADATA is ${Math.max(entry.uncompressedSize, entry.compressedSize)} bytes, more than the limit of ${limit}`, { member: path });
  }
  let bytes: Buffer;
  try {
    bytes = await zip.extract(entry, limit);
  } catch (error) {
    throw new ArchiveError(archive, `cannot extract it (${(error as Error).message})`, { member: path, cause: error });
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch (error) {
    throw new ArchiveError(archive, 'METADATA is not valid UTF-8', { member: path, cause: error });
  }
}
