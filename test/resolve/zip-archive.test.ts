// ZipArchive walks the central directory itself; yauzl (opened as wheel-metadata.ts opened it
// before) is the oracle: the same entries with the same fields, the same members' bytes, and for
// a damaged archive the same refusal with the same message.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import yazl from 'yazl';
import { storedZip } from '../../src/demo/stored-zip.js';
import { fromBytes, type RandomAccessSource } from '../../src/resolve/random-access.js';
import { ZipArchive } from '../../src/resolve/zip-archive.js';

interface Listed {
  name: string;
  compressionMethod: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
  encrypted: boolean;
  stored: string;
}

const MTIME = new Date('2020-02-02T00:00:00Z');

async function buildZip(
  members: { name: string; data: Buffer; compress?: boolean; viaStream?: boolean; zip64?: boolean }[],
  end: { comment?: string; forceZip64Format?: boolean } = {},
): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const m of members) {
    const options = { mtime: MTIME, compress: m.compress ?? true, forceZip64Format: m.zip64 ?? false };
    if (m.viaStream) zip.addReadStream(Readable.from([m.data]), m.name, options);
    else zip.addBuffer(m.data, m.name, options);
  }
  const chunks: Buffer[] = [];
  const done = (async () => {
    for await (const chunk of zip.outputStream as AsyncIterable<Buffer>) chunks.push(chunk);
  })();
  zip.end({ comment: end.comment ?? '', forceZip64Format: end.forceZip64Format ?? false });
  await done;
  return Buffer.concat(chunks);
}

/** Every entry with its stored bytes (hex), or the message of the first refusal. */
async function ours(zip: Buffer): Promise<Listed[] | string> {
  try {
    const archive = await ZipArchive.open(fromBytes(zip));
    const listed: Listed[] = [];
    for (const e of await archive.entries()) {
      const stored = e.encrypted ? '' : (await archive.storedBytes(e)).toString('hex');
      listed.push({ name: e.name, compressionMethod: e.compressionMethod, compressedSize: e.compressedSize, uncompressedSize: e.uncompressedSize, localHeaderOffset: e.localHeaderOffset, encrypted: e.encrypted, stored });
    }
    return listed;
  } catch (error) {
    return (error as Error).message;
  }
}

function theirs(zip: Buffer): Promise<Listed[] | string> {
  return new Promise((resolve) => {
    yauzl.fromBuffer(zip, { lazyEntries: true, decodeStrings: true, strictFileNames: false, validateEntrySizes: true }, (error, opened) => {
      if (error) return resolve(error.message);
      const listed: Listed[] = [];
      opened.on('entry', (entry: yauzl.Entry) => {
        const record = (stored: string): void => {
          listed.push({
            name: entry.fileName,
            compressionMethod: entry.compressionMethod,
            compressedSize: entry.compressedSize,
            uncompressedSize: entry.uncompressedSize,
            localHeaderOffset: entry.relativeOffsetOfLocalHeader,
            encrypted: entry.isEncrypted(),
            stored,
          });
          opened.readEntry();
        };
        if (entry.isEncrypted()) return record('');
        opened.openReadStream(entry, entry.compressionMethod === 8 ? { decompress: false } : {}, (streamError, stream) => {
          if (streamError) return resolve(streamError.message);
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('error', (e: Error) => resolve(e.message));
          stream.on('end', () => record(Buffer.concat(chunks).toString('hex')));
        });
      });
      opened.once('end', () => resolve(listed));
      opened.once('error', (e: Error) => resolve(e.message));
      opened.readEntry();
    });
  });
}

/** Where the end of central directory record starts. */
const eocdAt = (zip: Buffer): number => zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
/** Where the central directory starts. */
const centralAt = (zip: Buffer): number => zip.readUInt32LE(eocdAt(zip) + 16);

/** A source that counts its reads. */
function counting(zip: Buffer): { source: RandomAccessSource; reads: () => number } {
  const inner = fromBytes(zip);
  let reads = 0;
  return {
    source: { size: inner.size, describe: inner.describe, read: (start, end) => ((reads += 1), inner.read(start, end)) },
    reads: () => reads,
  };
}

describe('ZipArchive, with yauzl as the oracle', () => {
  it('lists what yauzl lists, and reads the same stored bytes: deflated, stored, data descriptors, zip64, a comment', async () => {
    const members = [
      { name: 'pkg/__init__.py', data: Buffer.from('print("hi")\n'.repeat(40)) },
      { name: 'pkg/stored.bin', data: Buffer.from('plain bytes'), compress: false },
      { name: 'pkg/streamed.txt', data: Buffer.from('streamed, with a data descriptor\n'.repeat(10)), viaStream: true },
      { name: 'pkg/zip64.txt', data: Buffer.from('a zip64 extra field'), zip64: true },
      { name: 'pkg/empty', data: Buffer.alloc(0) },
      { name: 'pkg-1.0.dist-info/METADATA', data: Buffer.from('Metadata-Version: 2.1\nName: pkg\nVersion: 1.0\n') },
    ];
    const zips = [
      await buildZip(members),
      await buildZip(members, { comment: 'a comment at the end' }),
      await buildZip(members, { forceZip64Format: true }),
      await buildZip([]),
    ];
    for (const zip of zips) {
      const expected = await theirs(zip);
      expect(Array.isArray(expected)).toBe(true);
      expect(await ours(zip)).toEqual(expected);
    }
    expect(((await ours(zips[2]!)) as Listed[]).map((e) => e.name)).toEqual(members.map((m) => m.name));
  });

  it('reads a central directory larger than one read-ahead in one read, after the tail', async () => {
    const zip = storedZip(Array.from({ length: 5000 }, (_, i) => ({ name: Buffer.from(`pkg/module_${String(i).padStart(5, '0')}.py`) })));
    expect(eocdAt(zip) - centralAt(zip)).toBeGreaterThan(4 * 64 * 1024);
    const { source, reads } = counting(zip);
    const archive = await ZipArchive.open(source);
    const listed = await archive.entries();
    expect(reads()).toBe(2);
    expect(listed.map((e) => e.name)).toEqual(((await theirs(zip)) as Listed[]).map((e) => e.name));
  });

  it('refuses a damaged archive as yauzl does, with its message', async () => {
    const good = storedZip([{ name: Buffer.from('a.txt'), data: Buffer.from('alpha') }, { name: Buffer.from('b.txt'), data: Buffer.from('beta') }]);
    const central = centralAt(good);
    const eocd = eocdAt(good);
    const damaged = (edit: (zip: Buffer) => void): Buffer => {
      const copy = Buffer.from(good);
      edit(copy);
      return copy;
    };
    const cases: Record<string, Buffer> = {
      'not a zip': Buffer.from('just some text, no end record'),
      empty: Buffer.alloc(0),
      'a byte after the end record': Buffer.concat([good, Buffer.from([0])]),
      'another disk': damaged((z) => z.writeUInt16LE(1, eocd + 4)),
      'a bad central signature': damaged((z) => z.writeUInt32LE(0x12345678, central)),
      'strong encryption': damaged((z) => z.writeUInt16LE(0x41, central + 8)),
      'stored sizes that differ': damaged((z) => z.writeUInt32LE(4, central + 20)),
      'a bad local signature': damaged((z) => z.writeUInt32LE(0x12345678, 0)),
      'data past the end': damaged((z) => {
        z.writeUInt32LE(1000, central + 20);
        z.writeUInt32LE(1000, central + 24);
      }),
      'an extra field longer than its room': storedZip([{ name: Buffer.from('a.txt'), extra: Buffer.from([0x55, 0x54, 0x09, 0x00, 1, 2]) }]),
      'a zip64 field without the sizes': (() => {
        const zip = storedZip([{ name: Buffer.from('a.txt'), extra: Buffer.from([0x01, 0x00, 0x00, 0x00]) }]);
        const at = centralAt(zip);
        zip.writeUInt32LE(0xffffffff, at + 20);
        zip.writeUInt32LE(0xffffffff, at + 24);
        return zip;
      })(),
      'a zip64 locator pointing at no record': (() => {
        const locator = Buffer.alloc(20);
        locator.writeUInt32LE(0x07064b50, 0);
        locator.writeUInt32LE(0, 8);
        return Buffer.concat([good.subarray(0, eocd), locator, good.subarray(eocd)]);
      })(),
    };
    for (const [what, zip] of Object.entries(cases)) {
      const expected = await theirs(zip);
      expect(typeof expected, what).toBe('string');
      expect(await ours(zip), what).toBe(expected);
    }
    // Reads past the end: both refuse (yauzl's message is its reader's "unexpected EOF").
    const pastTheEnd = [damaged((z) => z.writeUInt16LE(3, eocd + 10)), damaged((z) => z.writeUInt32LE(0x10000, central + 42))];
    for (const zip of pastTheEnd) {
      expect(await theirs(zip)).toBe('unexpected EOF');
      expect(await ours(zip)).toMatch(/^the archive points outside itself/);
    }
  });
});
