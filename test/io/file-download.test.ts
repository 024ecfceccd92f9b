// src/io/file-download.ts writeVerified: a body streamed to disk in batches (one writev per MiB
// or so, not one write per network chunk) arrives whole and in order, whatever the chunk sizes;
// a write the kernel takes only in part is finished, and one that stops is an error.
import { createHash, randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { writeAll, writeVerified } from '../../src/io/file-download.js';
import { hashRequirements } from '../../src/io/file-hashes.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { ensureBuilt, ROOT } from '../launcher/harness.js';

const DIST = join(ROOT, 'dist');

/** `bytes` cut into pieces of the given sizes, over and over. */
function* pieces(bytes: Buffer, sizes: readonly number[]): Generator<Uint8Array> {
  let offset = 0;
  for (let i = 0; offset < bytes.length; i++) {
    const size = sizes[i % sizes.length]!;
    yield new Uint8Array(bytes.subarray(offset, offset + size));
    offset += size;
  }
}

async function* asAsync(chunks: Iterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  for (const chunk of chunks) yield chunk;
}

describe('writeVerified in batches', () => {
  it('writes a body of uneven chunks, across several batches, byte for byte', async () => {
    // 3.3 MiB: several batches, the last one partial; chunk sizes as a socket gives them.
    const body = randomBytes(3 * 1024 * 1024 + 300_000);
    const sha256 = createHash('sha256').update(body).digest('hex');
    const dir = makeTempDir();
    const written = await writeVerified({
      destDir: dir,
      name: 'x-1.0-py3-none-any.whl',
      url: 'http://127.0.0.1/x-1.0-py3-none-any.whl',
      chunks: asAsync(pieces(body, [65_536, 1, 16_384, 65_535, 7_000])),
      requirements: hashRequirements({ sha256 }),
      expectedSize: body.length,
    });
    expect(written.size).toBe(body.length);
    expect(written.digests.sha256).toBe(sha256);
    expect(readFileSync(join(dir, 'x-1.0-py3-none-any.whl')).equals(body)).toBe(true);
    expect(readdirSync(dir)).toEqual(['x-1.0-py3-none-any.whl']);
  });

  it('a body that fails its hash leaves nothing, whatever was written in batches before', async () => {
    const body = randomBytes(2 * 1024 * 1024 + 5);
    const dir = makeTempDir();
    await expect(
      writeVerified({ destDir: dir, name: 'y.whl', url: 'http://127.0.0.1/y.whl', chunks: asAsync(pieces(body, [65_536])), requirements: hashRequirements({ sha256: '0'.repeat(64) }) }),
    ).rejects.toThrow(/hash/i);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('writeVerified when the disk refuses a write', () => {
  // A write the kernel refuses (here EFBIG: a child Node under `prlimit --fsize`, which Node answers
  // by ignoring SIGXFSZ) while the body is still arriving: one batch is written while the next is
  // gathered, so the failure comes back a batch later. It must still end the download as a
  // DiskWriteError naming the folder, leave no partial file, and leave no write failing unseen
  // (an unhandled rejection would end the process with another code and no such line).
  const prlimit = ['/usr/bin/prlimit', '/bin/prlimit'].find((path) => existsSync(path));
  it.skipIf(prlimit === undefined)('is a DiskWriteError, and nothing is left (skipped without prlimit)', async () => {
    ensureBuilt();
    const dir = makeTempDir();
    const script = [
      `import { writeVerified, DiskWriteError } from ${JSON.stringify(pathToFileURL(join(DIST, 'io', 'file-download.js')).href)};`,
      'async function* body() { for (let i = 0; i < 64; i++) { yield new Uint8Array(65536).fill(i); await new Promise((r) => setImmediate(r)); } }',
      'try {',
      `  await writeVerified({ destDir: ${JSON.stringify(dir)}, name: 'big-1.0-py3-none-any.whl', url: 'http://127.0.0.1/big-1.0-py3-none-any.whl', chunks: body(), requirements: [] });`,
      "  console.log('written');",
      '} catch (e) {',
      "  console.log(e instanceof DiskWriteError ? 'DiskWriteError' : e.constructor.name, e.message);",
      '}',
    ].join('\n');
    // 1.5 MiB: the first batch (1 MiB) is written, the second is refused part way.
    const result = spawnSync(prlimit!, [`--fsize=${1.5 * 1024 * 1024}`, process.execPath, '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^DiskWriteError .*cannot write into .*: .*(EFBIG|too large)/i);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('writeAll', () => {
  /** A file handle that keeps what it is given and takes at most `limit` bytes per call. */
  const fakeHandle = (limit: number) => {
    const out: number[] = [];
    const take = (bytes: Uint8Array): number => {
      const n = Math.min(limit, bytes.length);
      out.push(...bytes.subarray(0, n));
      return n;
    };
    return {
      out,
      calls: { writev: 0, write: 0 },
      async writev(chunks: Uint8Array[]) {
        this.calls.writev++;
        return { bytesWritten: take(Buffer.concat(chunks)), buffers: chunks };
      },
      async write(buffer: Uint8Array, offset = 0) {
        this.calls.write++;
        return { bytesWritten: take(buffer.subarray(offset)), buffer };
      },
    };
  };
  const chunks = [Uint8Array.from([1, 2, 3]), Uint8Array.from([4, 5]), Uint8Array.from([6, 7, 8, 9])];

  it('one writev when the kernel takes it all', async () => {
    const handle = fakeHandle(100);
    await writeAll(handle as never, chunks);
    expect(handle.out).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(handle.calls).toEqual({ writev: 1, write: 0 });
  });

  it('finishes a short writev with writes, in order', async () => {
    const handle = fakeHandle(4);
    await writeAll(handle as never, chunks);
    expect(handle.out).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(handle.calls).toEqual({ writev: 1, write: 2 });
  });

  it('a write that takes nothing is an error, not a loop', async () => {
    const handle = fakeHandle(0);
    await expect(writeAll(handle as never, chunks)).rejects.toThrow('the write stopped at 0 of 9 bytes');
  });
});
