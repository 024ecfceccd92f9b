// A wheel's core metadata read straight from the zip, without installing or running anything:
// https://packaging.python.org/en/latest/specifications/binary-distribution-format/ and pip
// `utils/wheel.py` (`wheel_dist_info_dir`, `read_wheel_metadata_file`).
//
// Only the end-of-central-directory record, the central directory and the one METADATA entry are
// read, through a small read-ahead cache, so over HTTP range requests a wheel costs about three
// reads whatever its size. The zip format (zip64, stored/deflated entries, data descriptors, CP437
// and UTF-8 names) is yauzl's.
// The .dist-info directory is found as pip finds it: among the top-level names exactly one ending
// in `.dist-info`, whose canonical form *starts with* the canonical project name (pip checks a
// prefix, not equality). METADATA is decoded as strict UTF-8 (a BOM is kept, like Python's decode()).
// Limits: METADATA ≤ 10 MiB (compressed and uncompressed), ≤ 250 000 central-directory entries.
// Not supported: bzip2/lzma-compressed METADATA (Python's zipfile reads them; wheels do not use
// them), encrypted entries, member names yauzl rejects (absolute, `..`): all are ArchiveError.
import { Readable } from 'node:stream';
import { inflateRawSync } from 'node:zlib';
import yauzl from 'yauzl';
import { normalizeName } from '../standards/names.js';
import { ArchiveError, type RandomAccessSource } from './random-access.js';

export interface WheelMetadataLimits {
  maxMetadataBytes: number;
  maxEntries: number;
}

export const DEFAULT_WHEEL_LIMITS: WheelMetadataLimits = { maxMetadataBytes: 10 * 1024 * 1024, maxEntries: 250_000 };

/** Smallest request sent to the source: covers a local header plus a typical METADATA in one read. */
const READ_AHEAD = 64 * 1024;

/** Central-directory entries listed on one stack (see listZipEntries). */
const ENTRIES_PER_TURN = 64;

/** Serves yauzl's many small reads from a few large ones. */
class CachingReader extends yauzl.RandomAccessReader {
  private readonly segments: { start: number; bytes: Uint8Array }[] = [];
  constructor(private readonly source: RandomAccessSource) {
    super();
  }

  /** The bytes from start to end when a read has already brought them, else undefined. */
  private held(start: number, end: number): Uint8Array | undefined {
    for (const segment of this.segments) {
      if (start >= segment.start && end <= segment.start + segment.bytes.length) {
        return segment.bytes.subarray(start - segment.start, end - segment.start);
      }
    }
    return undefined;
  }

  async bytes(start: number, end: number): Promise<Uint8Array> {
    const held = this.held(start, end);
    if (held !== undefined) return held;
    if (start < 0 || end > this.source.size || start > end) {
      throw new Error(`the archive points outside itself (bytes ${start}..${end} of ${this.source.size}); truncated?`);
    }
    const fetchEnd = Math.min(this.source.size, Math.max(end, start + READ_AHEAD));
    const bytes = await this.source.read(start, fetchEnd);
    if (bytes.length !== fetchEnd - start) {
      throw new Error(`short read: asked for ${fetchEnd - start} bytes at ${start}, got ${bytes.length}`);
    }
    this.segments.push({ start, bytes });
    return bytes.subarray(0, end - start);
  }

  override read(buffer: Buffer, offset: number, length: number, position: number, callback: (err: Error | null) => void): void {
    // yauzl's callback also takes the byte count (typed without it).
    const done = callback as (err: Error | null, bytesRead?: number) => void;
    // Bytes already here are handed over at once, not a promise later: yauzl reads each
    // central-directory entry in two reads (scipy's wheel has 1,500). yauzl then emits the entry
    // within this call (see listZipEntries).
    const held = this.held(position, position + length);
    if (held !== undefined) {
      buffer.set(held, offset);
      done(null, held.length);
      return;
    }
    this.bytes(position, position + length).then(
      (bytes) => {
        buffer.set(bytes, offset);
        done(null, bytes.length);
      },
      (error: unknown) => done(error instanceof Error ? error : new Error(String(error))),
    );
  }

  override _readStreamForRange(start: number, end: number): Readable {
    const reader = this;
    return Readable.from(
      (async function* () {
        yield Buffer.from(await reader.bytes(start, end));
      })(),
    );
  }
}

/** yauzl's view of a zip, its reads served by CachingReader, its entries' names left to listZipEntries (wheel-startup-files.ts opens zips so too). */
export function openZip(source: RandomAccessSource): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.fromRandomAccessReader(
      new CachingReader(source),
      source.size,
      { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true, strictFileNames: false },
      (error, zip) => (error ? reject(error) : resolve(zip)),
    );
  });
}

/**
 * Calls `onEntry` with each central-directory entry and its name, decoded and checked as yauzl's
 * `decodeStrings` would (entryName); resolves after the last one. Entries whose bytes are already
 * read arrive within readEntry() (CachingReader.read): every ENTRIES_PER_TURN-th is asked for on a
 * fresh stack, which stays a few hundred frames deep.
 */
export function listZipEntries(zip: yauzl.ZipFile, onEntry: (entry: yauzl.Entry, name: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    let listed = 0;
    let failed = false;
    zip.on('entry', (entry: yauzl.Entry) => {
      if (failed) return;
      try {
        onEntry(entry, entryName(entry));
      } catch (error) {
        failed = true;
        reject(error as Error);
        return;
      }
      if (++listed % ENTRIES_PER_TURN === 0) queueMicrotask(() => zip.readEntry());
      else zip.readEntry();
    });
    zip.once('end', () => resolve());
    zip.once('error', reject);
    zip.readEntry();
  });
}

/**
 * An entry's name as yauzl decodes and checks it with `decodeStrings` (which openZip turns off):
 * UTF-8 or CP437 by the entry's flag, or the Info-ZIP Unicode Path field; a backslash read as a
 * slash; refused when absolute or with a `..` part. A name of printable ASCII without a backslash
 * (nearly every wheel's) is the same string byte for byte and is checked in one pass: yauzl's own
 * decoding builds a string a character at a time and splits it to check it, a third of the time
 * of listing a large wheel.
 */
export function entryName(entry: yauzl.Entry): string {
  const raw = entry.fileName as unknown as Buffer;
  let name: string;
  if (isPlainAscii(raw) && !entry.extraFields.some((field) => field.id === UNICODE_PATH_FIELD)) {
    name = raw.toString('latin1');
    // validateFileName's own checks, asked only where one could fail.
    if (name.charCodeAt(0) !== SLASH && name.charCodeAt(1) !== COLON && !name.includes('..')) return name;
  } else {
    name = yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, raw, entry.extraFields, false);
  }
  const problem = yauzl.validateFileName(name);
  if (problem !== null) throw new Error(problem);
  return name;
}

const UNICODE_PATH_FIELD = 0x7075;
const SLASH = 0x2f;
const COLON = 0x3a;
const BACKSLASH = 0x5c;

function isPlainAscii(bytes: Uint8Array): boolean {
  for (const byte of bytes) if (byte < 0x20 || byte > 0x7e || byte === BACKSLASH) return false;
  return true;
}

/** Every entry name, keeping the entries that could be `<dir>.dist-info/METADATA`. */
async function listEntries(zip: yauzl.ZipFile): Promise<{ topLevel: Set<string>; metadataEntries: Map<string, yauzl.Entry> }> {
  const topLevel = new Set<string>();
  const metadataEntries = new Map<string, yauzl.Entry>();
  await listZipEntries(zip, (entry, name) => {
    const slash = name.indexOf('/');
    topLevel.add(slash < 0 ? name : name.slice(0, slash));
    // zipfile.getinfo keeps the last of duplicate names.
    if (/^[^/]*\.dist-info\/METADATA$/.test(name)) metadataEntries.set(name, entry);
  });
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
 * One zip member (stored or deflated), decompressed, refused past `limit` bytes (a decompression
 * bomb stops there) and unless it comes out at the size the central directory declares. The
 * stored bytes are read and inflated in one synchronous call: a zlib stream per member cost about
 * 0.4 ms each (its own buffers and round trips), most of reading a small METADATA.
 */
export async function readZipEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, limit: number): Promise<Buffer> {
  if (entry.compressedSize > limit) throw new Error(`stored in more than ${limit} bytes`);
  const stream = await new Promise<Readable>((resolve, reject) => {
    // yauzl takes `decompress` for a deflated member only (and refuses other methods itself); a
    // stored one is read as it is anyway.
    zip.openReadStream(entry, entry.compressionMethod === 8 ? { decompress: false } : {}, (error, readable) => (error ? reject(error) : resolve(readable)));
  });
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
  const stored = Buffer.concat(chunks);
  let bytes = stored;
  if (entry.compressionMethod === 8) {
    // One byte past what may come out, so that more is told apart from exactly that much.
    const most = Math.min(limit, entry.uncompressedSize) + 1;
    try {
      bytes = inflateRawSync(stored, { maxOutputLength: most });
    } catch (error) {
      if (error instanceof RangeError) throw new Error(`decompresses to more than ${most - 1} bytes`);
      throw error;
    }
  }
  if (bytes.length > limit) throw new Error(`decompresses to more than ${limit} bytes`);
  if (bytes.length !== entry.uncompressedSize) throw new Error(`${bytes.length} bytes, where the zip declares ${entry.uncompressedSize}`);
  return bytes;
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
  let zip: yauzl.ZipFile;
  try {
    zip = await openZip(source);
  } catch (error) {
    throw new ArchiveError(archive, `not a readable zip file (${(error as Error).message})`, { cause: error });
  }
  try {
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
    if (entry.isEncrypted()) throw new ArchiveError(archive, 'the entry is encrypted', { member: path });
    if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
      throw new ArchiveError(archive, `unsupported compression method ${entry.compressionMethod}`, { member: path });
    }
    const limit = limits.maxMetadataBytes;
    if (entry.uncompressedSize > limit || entry.compressedSize > limit) {
      throw new ArchiveError(archive, `METADATA is ${Math.max(entry.uncompressedSize, entry.compressedSize)} bytes, more than the limit of ${limit}`, { member: path });
    }
    let bytes: Buffer;
    try {
      bytes = await readZipEntry(zip, entry, limit);
    } catch (error) {
      throw new ArchiveError(archive, `cannot extract it (${(error as Error).message})`, { member: path, cause: error });
    }
    try {
      return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
    } catch (error) {
      throw new ArchiveError(archive, 'METADATA is not valid UTF-8', { member: path, cause: error });
    }
  } finally {
    zip.close();
  }
}
