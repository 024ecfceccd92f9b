// A zip's central directory and single members, read from a RandomAccessSource without extracting
// anything: https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT (§4.3.12 central
// directory header, §4.3.14-16 zip64 end records, §4.4.11 extra fields, §4.5.3 zip64 extra).
//
// The semantics are yauzl's (opened with lazyEntries, decodeStrings, validateEntrySizes, and
// strictFileNames off), check for check and message for message, and yauzl stays the oracle of
// the tests (test/resolve/zip-archive.test.ts); names that are not plain ASCII are decoded by
// yauzl's own exported functions. What is ours is the walk: yauzl reads each entry in two reads,
// allocates two buffers and an event per entry, so listing a large wheel (django: 3,700 entries)
// took ~8 ms per thousand entries in a cold process, most of reading its METADATA. Here the
// central directory is one read, walked in a single synchronous loop (about five times faster).
// Not read: data descriptors, local headers beyond the name and extra lengths, CRC-32 (yauzl
// checks none of them either), multi-disk archives (refused).
import { inflateRawSync } from 'node:zlib';
import yauzl from 'yauzl';
import { ArchiveError, type RandomAccessSource } from './random-access.js';

/** A central-directory entry, with its name decoded and checked as yauzl's decodeStrings does. */
export interface ZipEntry {
  readonly name: string;
  readonly compressionMethod: number;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
  readonly localHeaderOffset: number;
  /** Traditional (bit 0) encryption; strong encryption (bit 6) is refused while listing. */
  readonly encrypted: boolean;
}

/** Smallest read sent to the source: a local header plus a typical METADATA, or a small central directory. */
const READ_AHEAD = 64 * 1024;
/** Largest read of the central directory at once: its declared size is the archive's word only. */
const MAX_DIRECTORY_READ = 16 * 1024 * 1024;
const EOCD_SIZE = 22;
const ZIP64_LOCATOR_SIZE = 20;
const ZIP64_EOCD_SIZE = 56;
const MAX_COMMENT = 0xffff;
const CENTRAL_HEADER_SIZE = 46;
const LOCAL_HEADER_SIZE = 30;
const EOCD_SIGNATURE = 0x06054b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_EOCD_SIGNATURE = 0x06064b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const ZIP64_FIELD = 0x0001;
const UNICODE_PATH_FIELD = 0x7075;
const ZIP64_MARK = 0xffffffff;

export class ZipArchive {
  private constructor(
    private readonly source: RandomAccessSource,
    private readonly reads: HeldReads,
    readonly entryCount: number,
    private readonly directoryOffset: number,
    private readonly directorySize: number,
  ) {}

  /** Finds the end of central directory record (and its zip64 form) as yauzl does. */
  static async open(source: RandomAccessSource): Promise<ZipArchive> {
    const size = source.size;
    if (size > Number.MAX_SAFE_INTEGER) {
      throw new Error("zip file too large. only file sizes up to 2^52 are supported due to JavaScript's Number type being an IEEE 754 double.");
    }
    const reads = new HeldReads(source);
    const tailSize = Math.min(ZIP64_LOCATOR_SIZE + EOCD_SIZE + MAX_COMMENT, size);
    const tail = await reads.bytes(size - tailSize, size);
    for (let i = tailSize - EOCD_SIZE; i >= 0; i -= 1) {
      if (tail.readUInt32LE(i) !== EOCD_SIGNATURE) continue;
      const commentLength = tail.readUInt16LE(i + 20);
      const expected = tailSize - i - EOCD_SIZE;
      if (commentLength !== expected) {
        throw new Error(
          `Invalid comment length. Expected: ${expected}. Found: ${commentLength}. Are there extra bytes at the end of the file? Or is the end of central dir signature \`PK☺☻\` in the comment?`,
        );
      }
      let diskNumber = tail.readUInt16LE(i + 4);
      let entryCount = tail.readUInt16LE(i + 10);
      let directorySize = tail.readUInt32LE(i + 12);
      let directoryOffset = tail.readUInt32LE(i + 16);
      const locator = i - ZIP64_LOCATOR_SIZE;
      if (locator >= 0 && tail.readUInt32LE(locator) === ZIP64_LOCATOR_SIGNATURE) {
        const recordOffset = readUInt64LE(tail, locator + 8);
        const record = await reads.bytes(recordOffset, recordOffset + ZIP64_EOCD_SIZE);
        if (record.readUInt32LE(0) !== ZIP64_EOCD_SIGNATURE) throw new Error('invalid zip64 end of central directory record signature');
        diskNumber = record.readUInt32LE(16);
        entryCount = readUInt64LE(record, 32);
        directorySize = readUInt64LE(record, 40);
        directoryOffset = readUInt64LE(record, 48);
      }
      if (diskNumber !== 0) throw new Error(`multi-disk zip files are not supported: found disk number: ${diskNumber}`);
      return new ZipArchive(source, reads, entryCount, directoryOffset, directorySize);
    }
    throw new Error('End of central directory record signature not found. Either not a zip file, or file is truncated.');
  }

  /**
   * Every central-directory entry, in order. The directory is asked for in one read (of the size
   * the end record declares, or more when the entries run past it, as yauzl follows them).
   */
  async entries(): Promise<ZipEntry[]> {
    const entries: ZipEntry[] = [];
    let position = this.directoryOffset;
    let buffer: Buffer = EMPTY;
    let base = 0;
    const directoryEnd = this.directoryOffset + this.directorySize;
    // Has buffer hold [position, position + length): the loop awaits only when a read is needed
    // (an await per entry was a third of the walk).
    const refill = async (length: number): Promise<void> => {
      buffer = await this.reads.bytes(position, position + length, Math.min(MAX_DIRECTORY_READ, Math.max(READ_AHEAD, directoryEnd - position)), true);
      base = position;
    };
    for (let read = 0; read < this.entryCount; read += 1) {
      if (position < base || position + CENTRAL_HEADER_SIZE > base + buffer.length) await refill(CENTRAL_HEADER_SIZE);
      let at = position - base;
      const signature = u32(buffer, at);
      if (signature !== CENTRAL_SIGNATURE) throw new Error(`invalid central directory file header signature: 0x${signature.toString(16)}`);
      const flags = u16(buffer, at + 8);
      const compressionMethod = u16(buffer, at + 10);
      let compressedSize = u32(buffer, at + 20);
      let uncompressedSize = u32(buffer, at + 24);
      const nameLength = u16(buffer, at + 28);
      const extraLength = u16(buffer, at + 30);
      const commentLength = u16(buffer, at + 32);
      let localHeaderOffset = u32(buffer, at + 42);
      if (flags & 0x40) throw new Error('strong encryption is not supported');
      position += CENTRAL_HEADER_SIZE;
      const variable = nameLength + extraLength + commentLength;
      if (position + variable > base + buffer.length) await refill(variable);
      at = position - base;
      const nameEnd = at + nameLength;
      const extraEnd = nameEnd + extraLength;
      let unicodePath = false;
      for (let i = nameEnd; i < extraEnd - 3; ) {
        const id = u16(buffer, i);
        const dataStart = i + 4;
        const dataEnd = dataStart + u16(buffer, i + 2);
        if (dataEnd > extraEnd) throw new Error('extra field length exceeds extra field buffer size');
        if (id === UNICODE_PATH_FIELD) unicodePath = true;
        i = dataEnd;
      }
      const name = entryName(buffer, at, nameEnd, extraEnd, flags, unicodePath);
      position += nameLength + extraLength + commentLength;
      // yauzl takes the first zip64 field only.
      for (let i = nameEnd; i < extraEnd - 3; ) {
        const dataStart = i + 4;
        const dataEnd = dataStart + u16(buffer, i + 2);
        if (u16(buffer, i) === ZIP64_FIELD) {
          let index = dataStart;
          const next = (what: string): number => {
            if (index + 8 > dataEnd) throw new Error(`zip64 extended information extra field does not include ${what}`);
            index += 8;
            return readUInt64LE(buffer, index - 8);
          };
          if (uncompressedSize === ZIP64_MARK) uncompressedSize = next('uncompressed size');
          if (compressedSize === ZIP64_MARK) compressedSize = next('compressed size');
          if (localHeaderOffset === ZIP64_MARK) localHeaderOffset = next('relative header offset');
          break;
        }
        i = dataEnd;
      }
      const encrypted = (flags & 0x1) !== 0;
      if (compressionMethod === 0) {
        // Traditional encryption puts a 12-byte header before the data.
        const expected = uncompressedSize + (encrypted ? 12 : 0);
        if (compressedSize !== expected) {
          throw new Error(`compressed/uncompressed size mismatch for stored file: ${compressedSize} != ${uncompressedSize}`);
        }
      }
      entries.push({ name, compressionMethod, compressedSize, uncompressedSize, localHeaderOffset, encrypted });
    }
    return entries;
  }

  /**
   * A member (stored or deflated), decompressed, refused past `limit` bytes (a decompression bomb
   * stops there) and unless it comes out at the size the central directory declares. Inflated in
   * one synchronous call: a zlib stream per member cost about 0.4 ms each (its own buffers and
   * round trips), most of reading a small METADATA.
   */
  async extract(entry: ZipEntry, limit: number): Promise<Buffer> {
    if (entry.compressedSize > limit) throw new Error(`stored in more than ${limit} bytes`);
    const stored = await this.storedBytes(entry);
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
    } else if (entry.compressionMethod !== 0) {
      throw new Error(`unsupported compression method ${entry.compressionMethod}`);
    }
    if (bytes.length > limit) throw new Error(`decompresses to more than ${limit} bytes`);
    if (bytes.length !== entry.uncompressedSize) throw new Error(`${bytes.length} bytes, where the zip declares ${entry.uncompressedSize}`);
    return bytes;
  }

  /** A member's stored bytes (compressed as they are), found through its local header as yauzl finds them. */
  async storedBytes(entry: ZipEntry): Promise<Buffer> {
    const header = await this.reads.bytes(entry.localHeaderOffset, entry.localHeaderOffset + LOCAL_HEADER_SIZE);
    const signature = header.readUInt32LE(0);
    if (signature !== LOCAL_SIGNATURE) throw new Error(`invalid local file header signature: 0x${signature.toString(16)}`);
    const dataStart = entry.localHeaderOffset + LOCAL_HEADER_SIZE + header.readUInt16LE(26) + header.readUInt16LE(28);
    if (dataStart + entry.compressedSize > this.source.size) {
      throw new Error(`file data overflows file bounds: ${dataStart} + ${entry.compressedSize} > ${this.source.size}`);
    }
    return this.reads.bytes(dataStart, dataStart + entry.compressedSize);
  }
}

/**
 * The archive at `source` and its entries, or an ArchiveError naming it: not a readable zip, more
 * than `maxEntries` entries, a bad central directory. What wheel-metadata.ts and
 * wheel-startup-files.ts both read first.
 */
export async function listArchive(source: RandomAccessSource, maxEntries: number): Promise<{ zip: ZipArchive; entries: ZipEntry[] }> {
  const archive = source.describe();
  let zip: ZipArchive;
  try {
    zip = await ZipArchive.open(source);
  } catch (error) {
    throw new ArchiveError(archive, `not a readable zip file (${(error as Error).message})`, { cause: error });
  }
  if (zip.entryCount > maxEntries) throw new ArchiveError(archive, `the zip lists ${zip.entryCount} entries, more than the limit of ${maxEntries}`);
  try {
    return { zip, entries: await zip.entries() };
  } catch (error) {
    throw new ArchiveError(archive, `bad central directory (${(error as Error).message})`, { cause: error });
  }
}

/**
 * One member's bytes (ZipArchive.extract), or an ArchiveError naming the archive and the member:
 * encrypted, compressed otherwise than stored or deflated, over `limit` (`tooLarge` says so in
 * the caller's words, given the larger of the declared sizes), or not extractable.
 */
export async function extractMember(zip: ZipArchive, entry: ZipEntry, archive: string, limit: number, tooLarge: (size: number) => string): Promise<Buffer> {
  const member = entry.name;
  if (entry.encrypted) throw new ArchiveError(archive, 'the entry is encrypted', { member });
  if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) throw new ArchiveError(archive, `unsupported compression method ${entry.compressionMethod}`, { member });
  if (entry.uncompressedSize > limit || entry.compressedSize > limit) throw new ArchiveError(archive, tooLarge(Math.max(entry.uncompressedSize, entry.compressedSize)), { member });
  try {
    return await zip.extract(entry, limit);
  } catch (error) {
    throw new ArchiveError(archive, `cannot extract it (${(error as Error).message})`, { member, cause: error });
  }
}

/** Reads of an archive's source, kept: later asks for bytes within one are answered from it. */
class HeldReads {
  private readonly segments: { start: number; bytes: Buffer }[] = [];
  constructor(private readonly source: RandomAccessSource) {}

  /**
   * Bytes [start, end): from a read already made when one covers them, else from one read of at
   * least `ahead` bytes. With `more`, every byte from start that the read holds.
   */
  async bytes(start: number, end: number, ahead = READ_AHEAD, more = false): Promise<Buffer> {
    for (const segment of this.segments) {
      if (start >= segment.start && end <= segment.start + segment.bytes.length) {
        return segment.bytes.subarray(start - segment.start, more ? undefined : end - segment.start);
      }
    }
    if (start < 0 || end > this.source.size || start > end) {
      throw new Error(`the archive points outside itself (bytes ${start}..${end} of ${this.source.size}); truncated?`);
    }
    if (start === end) return EMPTY;
    const fetchEnd = Math.min(this.source.size, Math.max(end, start + ahead));
    const read = await this.source.read(start, fetchEnd);
    if (read.length !== fetchEnd - start) throw new Error(`short read: asked for ${fetchEnd - start} bytes at ${start}, got ${read.length}`);
    const bytes = Buffer.from(read.buffer, read.byteOffset, read.length);
    this.segments.push({ start, bytes });
    return more ? bytes : bytes.subarray(0, end - start);
  }
}

const EMPTY = Buffer.alloc(0);
const SLASH = 0x2f;
const COLON = 0x3a;
/** Printable ASCII but the backslash: a name yauzl would decode to the same string, byte for byte. */
const PLAIN_NAME = /^[\x20-\x5b\x5d-\x7e]*$/;

/**
 * An entry's name as yauzl's decodeStrings gives it: UTF-8 or CP437 by the entry's flag, or the
 * Info-ZIP Unicode Path field; a backslash read as a slash; refused when absolute or with a `..`
 * part. A name of printable ASCII without a backslash (nearly every wheel's) is the same string
 * byte for byte and is checked in one pass; anything else goes through yauzl's own functions.
 */
function entryName(buffer: Buffer, start: number, end: number, extraEnd: number, flags: number, unicodePath: boolean): string {
  let name: string;
  // Latin-1 gives each byte the character of the same code, so the string tells what the bytes are.
  if (!unicodePath && PLAIN_NAME.test((name = buffer.toString('latin1', start, end)))) {
    // validateFileName's own checks, asked only where one could fail.
    if (name.charCodeAt(0) !== SLASH && name.charCodeAt(1) !== COLON && !name.includes('..')) return name;
  } else {
    const extraFields = yauzl.parseExtraFields(buffer.subarray(end, extraEnd));
    name = yauzl.getFileNameLowLevel(flags, buffer.subarray(start, end), extraFields, false);
  }
  const problem = yauzl.validateFileName(name);
  if (problem !== null) throw new Error(problem);
  return name;
}

// Buffer's readUInt16LE/readUInt32LE without their argument and bounds checks (the walk has made
// sure the bytes are there): a dozen calls per entry were a third of walking a large wheel's
// directory in a short-lived process, whose code is rarely optimised.
function u16(buffer: Buffer, at: number): number {
  return buffer[at]! | (buffer[at + 1]! << 8);
}

function u32(buffer: Buffer, at: number): number {
  return (buffer[at]! | (buffer[at + 1]! << 8) | (buffer[at + 2]! << 16)) + buffer[at + 3]! * 0x1000000;
}

/** yauzl's readUInt64LE: exact below 2^53. */
function readUInt64LE(buffer: Buffer, offset: number): number {
  return buffer.readUInt32LE(offset) + 0x100000000 * buffer.readUInt32LE(offset + 4);
}
