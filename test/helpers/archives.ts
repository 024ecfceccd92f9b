// In-memory zip and tar.gz writers for test fixtures (yazl, tar-stream + node:zlib).
//
// Output is deterministic: fixed timestamps, entries in the order given, gzip header mtime 0,
// so the same input gives the same bytes and hence the same sha256 in every run.
// Supported: regular files with a mode, explicit directories, symlinks (tar only) for hostile
// fixtures. Not supported: anything else a tar can hold.
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';
import yazl from 'yazl';

/** A built archive as tests pass it around: the filename it should be served or saved under. */
export interface BuiltDistribution {
  filename: string;
  data: Buffer;
  /** Lowercase hex sha256 of `data`. */
  sha256: string;
  /** Core metadata text (wheel METADATA / sdist PKG-INFO), for PEP 658 `.metadata` files. */
  metadata?: string;
}

export type ArchiveContent = string | Buffer;

/** One archive member. A plain string/Buffer value in an entries map means a 0644 file. */
export interface ArchiveEntry {
  data?: ArchiveContent;
  /** Unix permission bits, default 0o644 (0o755 for directories). */
  mode?: number;
  type?: 'file' | 'directory' | 'symlink';
  /** Target of a symlink (tar only). */
  linkname?: string;
}

export type ArchiveEntries = Record<string, ArchiveContent | ArchiveEntry>;

const FIXED_MTIME = new Date('2020-02-02T00:00:00Z');

export function sha256Hex(data: ArchiveContent): string {
  return createHash('sha256').update(data).digest('hex');
}

function toEntry(value: ArchiveContent | ArchiveEntry): ArchiveEntry {
  return typeof value === 'string' || Buffer.isBuffer(value) ? { data: value } : value;
}

function toBuffer(data: ArchiveContent | undefined): Buffer {
  if (data === undefined) return Buffer.alloc(0);
  return typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
}

async function collect(stream: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

export async function zipBuffer(entries: ArchiveEntries): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [path, value] of Object.entries(entries)) {
    const entry = toEntry(value);
    if (entry.type === 'directory') {
      zip.addEmptyDirectory(path, { mtime: FIXED_MTIME, mode: entry.mode ?? 0o755 });
    } else if (entry.type === 'symlink') {
      throw new Error(`zipBuffer: symlink entries are not supported (${path})`);
    } else {
      zip.addBuffer(toBuffer(entry.data), path, { mtime: FIXED_MTIME, mode: entry.mode ?? 0o644 });
    }
  }
  const done = collect(zip.outputStream as AsyncIterable<unknown>);
  zip.end();
  return done;
}

export async function tarBuffer(entries: ArchiveEntries): Promise<Buffer> {
  const pack = tar.pack();
  const done = collect(pack);
  for (const [name, value] of Object.entries(entries)) {
    const entry = toEntry(value);
    const type = entry.type ?? 'file';
    if (type === 'file') {
      const data = toBuffer(entry.data);
      await new Promise<void>((resolve, reject) => {
        pack.entry({ name, type, mode: entry.mode ?? 0o644, mtime: FIXED_MTIME, size: data.length }, data, (err) =>
          err ? reject(err) : resolve(),
        );
      });
    } else {
      await new Promise<void>((resolve, reject) => {
        pack.entry(
          { name, type, mode: entry.mode ?? (type === 'directory' ? 0o755 : 0o777), mtime: FIXED_MTIME, linkname: entry.linkname },
          (err) => (err ? reject(err) : resolve()),
        );
      });
    }
  }
  pack.finalize();
  return done;
}

export async function tarGzBuffer(entries: ArchiveEntries): Promise<Buffer> {
  return gzipSync(await tarBuffer(entries));
}
