// readWheelMetadata on wheels built here (yazl; deflated, stored, data descriptors, zip64) and on
// broken ones; the dist-info rule checked against pip's own utils/wheel.py:wheel_dist_info_dir.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import yazl from 'yazl';
import { storedZip, type StoredMember } from '../../src/demo/stored-zip.js';
import { ArchiveError, fromBytes, type RandomAccessSource } from '../../src/resolve/random-access.js';
import { findDistInfoDir, readWheelMetadata } from '../../src/resolve/wheel-metadata.js';
import { ZipArchive } from '../../src/resolve/zip-archive.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const METADATA = 'Metadata-Version: 2.1\nName: demo\nVersion: 1.0\nRequires-Dist: six (>=1.0)\nRequires-Dist: idna; extra == "x"\n\nA description with ünïcode.\n';
const MTIME = new Date('2020-02-02T00:00:00Z');

interface Member {
  name: string;
  data: string | Buffer;
  compress?: boolean;
  /** Add as a stream: yazl then writes a data descriptor after the data (general purpose bit 3). */
  viaStream?: boolean;
  zip64?: boolean;
}

async function buildZip(members: Member[], options: { zip64?: boolean } = {}): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const member of members) {
    const data = typeof member.data === 'string' ? Buffer.from(member.data, 'utf8') : member.data;
    const entryOptions = { mtime: MTIME, compress: member.compress ?? true, forceZip64Format: member.zip64 ?? false };
    if (member.viaStream) zip.addReadStream(Readable.from([data]), member.name, entryOptions);
    else zip.addBuffer(data, member.name, entryOptions);
  }
  const chunks: Buffer[] = [];
  const done = (async () => {
    for await (const chunk of zip.outputStream as AsyncIterable<Buffer>) chunks.push(chunk);
  })();
  zip.end({ forceZip64Format: options.zip64 ?? false, comment: '' });
  await done;
  return Buffer.concat(chunks);
}

function wheelMembers(metadata: string | Buffer = METADATA, extra: Partial<Member> = {}): Member[] {
  return [
    { name: 'demo/__init__.py', data: '__version__ = "1.0"\n' },
    { name: 'demo-1.0.dist-info/METADATA', data: metadata, ...extra },
    { name: 'demo-1.0.dist-info/WHEEL', data: 'Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n' },
    { name: 'demo-1.0.dist-info/RECORD', data: '' },
  ];
}

/** Counts what readWheelMetadata asks of the source. */
function counting(bytes: Uint8Array): RandomAccessSource & { reads: number; bytesRead: number } {
  const inner = fromBytes(bytes, 'demo-1.0-py3-none-any.whl');
  const source = {
    reads: 0,
    bytesRead: 0,
    size: inner.size,
    describe: () => inner.describe(),
    async read(start: number, end: number): Promise<Uint8Array> {
      source.reads += 1;
      source.bytesRead += end - start;
      return inner.read(start, end);
    },
  };
  return source;
}

async function expectArchiveError(promise: Promise<unknown>, pattern: RegExp): Promise<ArchiveError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ArchiveError);
  expect((error as ArchiveError).message).toMatch(pattern);
  expect((error as ArchiveError).message).toContain('demo-1.0-py3-none-any.whl');
  return error as ArchiveError;
}

const read = (bytes: Uint8Array, limits?: Parameters<typeof readWheelMetadata>[2]): Promise<string> =>
  readWheelMetadata(fromBytes(bytes, 'demo-1.0-py3-none-any.whl'), { name: 'demo', version: '1.0' }, limits);

describe('readWheelMetadata on well-formed wheels', () => {
  const shapes: [string, Partial<Member>, { zip64?: boolean }][] = [
    ['deflated', {}, {}],
    ['stored', { compress: false }, {}],
    ['written with a data descriptor', { viaStream: true }, {}],
    ['zip64 entry and zip64 end record', { zip64: true }, { zip64: true }],
  ];
  it.each(shapes)('reads METADATA when it is %s', async (_label, member, zip) => {
    const bytes = await buildZip(wheelMembers(METADATA, member), zip);
    if (zip.zip64) expect(bytes.includes(Buffer.from([0x50, 0x4b, 0x06, 0x06]))).toBe(true);
    if (member.viaStream) {
      // The central directory header of METADATA carries general purpose bit 3 (data descriptor).
      const header = bytes.lastIndexOf(Buffer.from('demo-1.0.dist-info/METADATA')) - 46;
      expect(bytes.readUInt32LE(header)).toBe(0x02014b50);
      expect(bytes.readUInt16LE(header + 8) & 0x08).toBe(0x08);
    }
    expect(await read(bytes)).toBe(METADATA);
  });

  it('keeps a UTF-8 BOM, as Python bytes.decode() does', async () => {
    const withBom = `\ufeff${METADATA}`;
    expect(await read(await buildZip(wheelMembers(withBom)))).toBe(withBom);
  });

  it.each(['last', 'first'])('reads a 5 MB wheel in a few small reads (dist-info %s)', async (where) => {
    const blob: Member = { name: 'demo/blob.bin', data: randomBytes(5 * 1024 * 1024), compress: false };
    const members = where === 'last' ? [blob, ...wheelMembers()] : [...wheelMembers(), blob];
    for (let i = 0; i < 300; i++) members.push({ name: `demo/module_${i}.py`, data: `x = ${i}\n` });
    const bytes = await buildZip(members);
    expect(bytes.length).toBeGreaterThan(5_000_000);
    const source = counting(bytes);
    expect(await readWheelMetadata(source, { name: 'demo', version: '1.0' })).toBe(METADATA);
    // End of central directory + central directory (one tail read), then the METADATA entry.
    expect(source.reads).toBeLessThanOrEqual(where === 'last' ? 1 : 2);
    expect(source.bytesRead).toBeLessThan(bytes.length * 0.03);
  });
});

describe('readWheelMetadata on bad wheels', () => {
  it('rejects two .dist-info directories', async () => {
    const bytes = await buildZip([...wheelMembers(), { name: 'other-2.0.dist-info/METADATA', data: METADATA }]);
    await expectArchiveError(read(bytes), /multiple \.dist-info directories found: demo-1\.0\.dist-info, other-2\.0\.dist-info/);
  });

  it('rejects a .dist-info of another project, and a wheel without one', async () => {
    const other = await buildZip([{ name: 'other-1.0.dist-info/METADATA', data: METADATA }]);
    await expectArchiveError(read(other), /'other-1\.0\.dist-info' does not start with 'demo'/);
    const none = await buildZip([{ name: 'demo/__init__.py', data: '' }]);
    await expectArchiveError(read(none), /\.dist-info directory not found/);
  });

  it('rejects a dist-info without METADATA, naming the member', async () => {
    const bytes = await buildZip([{ name: 'demo-1.0.dist-info/WHEEL', data: 'Wheel-Version: 1.0\n' }]);
    const error = await expectArchiveError(read(bytes), /no METADATA/);
    expect(error.member).toBe('demo-1.0.dist-info/METADATA');
  });

  it('refuses a METADATA larger than the limit before reading it', async () => {
    const huge = METADATA + 'x'.repeat(11 * 1024 * 1024);
    const bytes = await buildZip(wheelMembers(huge));
    expect(bytes.length).toBeLessThan(1024 * 1024); // compresses well: the declared size is what trips
    const source = counting(bytes);
    const error = await readWheelMetadata(source, { name: 'demo', version: '1.0' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArchiveError);
    expect((error as Error).message).toMatch(/more than the limit of 10485760/);
  });

  it('catches a METADATA whose real size exceeds its declared size', async () => {
    const bytes = await buildZip(wheelMembers('A'.repeat(4000)));
    // Rewrite the central directory's uncompressed size of METADATA (offset 24 in its header) to 10.
    const cdName = Buffer.from('demo-1.0.dist-info/METADATA');
    let at = bytes.lastIndexOf(cdName);
    at -= 46;
    expect(bytes.readUInt32LE(at)).toBe(0x02014b50);
    bytes.writeUInt32LE(10, at + 24);
    await expectArchiveError(read(bytes), /cannot extract it/);
  });

  it('catches a METADATA whose real size falls short of its declared size', async () => {
    const bytes = await buildZip(wheelMembers('A'.repeat(4000)));
    const at = bytes.lastIndexOf(Buffer.from('demo-1.0.dist-info/METADATA')) - 46;
    expect(bytes.readUInt32LE(at)).toBe(0x02014b50);
    const real = bytes.readUInt32LE(at + 24);
    bytes.writeUInt32LE(real + 1, at + 24);
    await expectArchiveError(read(bytes), new RegExp(`cannot extract it \\(${real} bytes, where the zip declares ${real + 1}\\)`));
  });

  it('stops inflating a METADATA at its declared size: a bomb declared small costs no more', async () => {
    // 64 MiB of one letter deflates to about 64 KiB; the central directory says 100 bytes.
    const bytes = await buildZip(wheelMembers(METADATA + 'A'.repeat(64 * 1024 * 1024)));
    expect(bytes.length).toBeLessThan(1024 * 1024);
    const at = bytes.lastIndexOf(Buffer.from('demo-1.0.dist-info/METADATA')) - 46;
    bytes.writeUInt32LE(100, at + 24);
    await expectArchiveError(read(bytes), /cannot extract it \(decompresses to more than 100 bytes\)/);
  });

  it('rejects truncated archives and non-zips', async () => {
    const bytes = await buildZip(wheelMembers());
    await expectArchiveError(read(bytes.subarray(0, bytes.length - 30)), /not a readable zip file/);
    await expectArchiveError(read(bytes.subarray(0, Math.floor(bytes.length / 2))), /not a readable zip file/);
    await expectArchiveError(read(Buffer.from('not a zip at all')), /not a readable zip file/);
    // Central directory intact but the local data cut away (offsets now point past the end).
    const cut = Buffer.concat([bytes.subarray(0, 40), bytes.subarray(bytes.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])))]);
    await expectArchiveError(read(cut), /.+/);
  });

  it('enforces the central directory entry cap', async () => {
    const members = wheelMembers();
    for (let i = 0; i < 50; i++) members.push({ name: `demo/m${i}.py`, data: '' });
    await expectArchiveError(read(await buildZip(members), { maxEntries: 20, maxMetadataBytes: 1 << 20 }), /54 entries, more than the limit of 20/);
  });

  it('rejects METADATA that is not UTF-8', async () => {
    const bytes = await buildZip(wheelMembers(Buffer.from([0x4e, 0x61, 0x6d, 0x65, 0x3a, 0x20, 0xff, 0xfe, 0x0a])));
    await expectArchiveError(read(bytes), /not valid UTF-8/);
  });
});

describe("the .dist-info rule against pip's wheel_dist_info_dir", () => {
  it('accepts and rejects the same wheels with the same message', async () => {
    const cases: { project: string; names: string[] }[] = [
      { project: 'demo', names: ['demo-1.0.dist-info/METADATA'] },
      { project: 'Demo_Pkg', names: ['demo.pkg-1.0.dist-info/METADATA'] },
      { project: 'foo', names: ['foobar-1.0.dist-info/METADATA'] },
      { project: 'demo', names: ['other-1.0.dist-info/METADATA'] },
      { project: 'demo', names: ['demo-1.0.dist-info/METADATA', 'demo-2.0.dist-info/METADATA'] },
      { project: 'demo', names: ['demo/__init__.py'] },
      { project: 'demo', names: ['x.dist-info', 'demo/x.py'] },
      { project: 'demo', names: ['sub/demo-1.0.dist-info/METADATA', 'demo-1.0.dist-info/RECORD'] },
    ];
    const dir = makeTempDir();
    const paths: string[] = [];
    for (const [i, c] of cases.entries()) {
      const path = join(dir, `case${i}.whl`);
      writeFileSync(path, await buildZip(c.names.map((name) => ({ name, data: METADATA }))));
      paths.push(path);
    }
    const script = [
      'import json, sys, zipfile',
      'from pip._internal.utils.wheel import wheel_dist_info_dir',
      'from pip._internal.exceptions import UnsupportedWheel',
      'out = []',
      'for path, project in json.load(sys.stdin):',
      '    try:',
      '        out.append({"dir": wheel_dist_info_dir(zipfile.ZipFile(path), project)})',
      '    except UnsupportedWheel as e:',
      '        out.append({"error": str(e)})',
      'print(json.dumps(out))',
    ].join('\n');
    const { stdout } = await execa('python3', ['-I', '-c', script], {
      input: JSON.stringify(paths.map((path, i) => [path, cases[i]!.project])),
      env: { ...process.env },
      extendEnv: false,
    });
    const pip = JSON.parse(stdout) as ({ dir: string } | { error: string })[];
    cases.forEach((c, i) => {
      const topLevel = c.names.map((name) => name.split('/')[0]!);
      const ours = findDistInfoDir(topLevel, c.project);
      const theirs = pip[i]!;
      if ('dir' in theirs) expect(ours).toEqual({ dir: theirs.dir });
      // pip lists a set (arbitrary order); compare as sets of words.
      else expect('error' in ours && [...ours.error.split(/[ ,]+/)].sort()).toEqual([...theirs.error.split(/[ ,]+/)].sort());
    });
    expect(pip.filter((r) => 'error' in r).length).toBe(4);
  });
});

// ZipArchive decodes the names itself (entryName), which must give what yauzl's own
// decodeStrings gives, names and refusals alike: yauzl itself is the oracle.
describe('entry names, as yauzl decodes and checks them', () => {
  const unicodePath = (raw: Buffer, name: string, crc = crc32(raw) >>> 0): Buffer => {
    const utf8 = Buffer.from(name, 'utf8');
    const field = Buffer.alloc(4 + 5 + utf8.length);
    field.writeUInt16LE(0x7075, 0);
    field.writeUInt16LE(5 + utf8.length, 2);
    field.writeUInt8(1, 4);
    field.writeUInt32LE(crc, 5);
    utf8.copy(field, 9);
    return field;
  };
  const ours = async (zip: Buffer): Promise<string[] | string> => {
    try {
      const opened = await ZipArchive.open(fromBytes(zip));
      return (await opened.entries()).map((entry) => entry.name);
    } catch (error) {
      return (error as Error).message;
    }
  };
  const yauzls = (zip: Buffer): Promise<string[] | string> =>
    new Promise((resolve) => {
      yauzl.fromBuffer(zip, { lazyEntries: true, decodeStrings: true, strictFileNames: false, validateEntrySizes: true }, (error, opened) => {
        if (error) return resolve(error.message);
        const names: string[] = [];
        opened.on('entry', (entry: yauzl.Entry) => {
          names.push(entry.fileName);
          opened.readEntry();
        });
        opened.once('end', () => resolve(names));
        opened.once('error', (e: Error) => resolve(e.message));
        opened.readEntry();
      });
    });

  it('gives the same names, and refuses the same ones with the same message', async () => {
    const plain = Buffer.from('ascii.txt');
    // Empty members with raw names, flags and extra fields (storedZip): yazl would refuse most of them.
    const cases: StoredMember[] = [
      { name: Buffer.from('demo/__init__.py') },
      { name: Buffer.from('') },
      { name: Buffer.from('a..b/c..d') },
      { name: Buffer.from('1:b') },
      { name: Buffer.from('dir\\file.py') },
      { name: Buffer.from('/abs/x') },
      { name: Buffer.from('C:x') },
      { name: Buffer.from('a:b') },
      { name: Buffer.from('a/../b') },
      { name: Buffer.from('..') },
      { name: Buffer.from('../x') },
      { name: Buffer.from('\\abs') },
      { name: Buffer.from('café/naïve.py', 'utf8'), flags: 0x800 },
      { name: Buffer.from([0x82, 0x01, 0x7f, 0x41, 0xe1]) },
      { name: Buffer.from([0x61, 0x00, 0x62, 0x09]) },
      { name: plain, extra: unicodePath(plain, 'ünï/cödé.txt') },
      { name: plain, extra: unicodePath(plain, 'ignored.txt', (crc32(plain) ^ 1) >>> 0) },
      { name: plain, extra: unicodePath(plain, '/from/the/field') },
    ];
    for (const member of cases) {
      const zip = storedZip([member]);
      const expected = await yauzls(zip);
      expect(await ours(zip), JSON.stringify(member.name.toString('latin1'))).toEqual(expected);
    }
    // The comparison can fail: yauzl refuses some of them and rewrites others.
    expect(await yauzls(storedZip([{ name: Buffer.from('/abs/x') }]))).toMatch(/absolute path/);
    expect(await yauzls(storedZip([{ name: Buffer.from('dir\\file.py') }]))).toEqual(['dir/file.py']);
  });

  it('lists 30,000 entries as yauzl does', async () => {
    const members = Array.from({ length: 30_000 }, (_, i) => ({ name: Buffer.from(i.toString(36)) }));
    const zip = storedZip(members);
    const listed = await ours(zip);
    expect(listed).toHaveLength(30_000);
    expect(listed).toEqual(await yauzls(zip));
  });
});
