// src/io/random-access-sources.ts localFileSource: a zip's reads of a file on disk (a cache entry, a
// wheel just streamed there). Reads up to 4 MiB are made synchronously, larger ones with fs
// promises; both give the bytes asked for, refuse a range outside the file, and tell a file that
// has become shorter than the size it was opened with.
import { randomBytes } from 'node:crypto';
import { truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { localFileSource } from '../../src/io/random-access-sources.js';
import { makeTempDir } from '../helpers/temp-dir.js';

describe('localFileSource', () => {
  const bytes = randomBytes(6 * 1024 * 1024);
  const path = join(makeTempDir('local-source-'), 'demo-1.0-py3-none-any.whl');
  writeFileSync(path, bytes);

  it('reads what is asked, small reads and one larger than the synchronous limit alike', async () => {
    const source = localFileSource(path, bytes.length, 'demo.whl');
    for (const [start, end] of [
      [0, 0],
      [0, 22],
      [bytes.length - 65536, bytes.length],
      [1000, 1000 + 4 * 1024 * 1024],
      [1, bytes.length],
    ] as const) {
      const read = await source.read(start, end);
      expect(read.length).toBe(end - start);
      expect(Buffer.from(read).equals(bytes.subarray(start, end))).toBe(true);
    }
  });

  it('refuses a range outside the file, naming it', async () => {
    const source = localFileSource(path, bytes.length, 'demo.whl');
    await expect(source.read(-1, 10)).rejects.toThrow(/^read\(-1, 10\) is outside demo\.whl/);
    await expect(source.read(0, bytes.length + 1)).rejects.toThrow(RangeError);
    await expect(source.read(20, 10)).rejects.toThrow(RangeError);
  });

  it('tells a file that is shorter than it was, by either kind of read', async () => {
    const short = join(makeTempDir('local-source-'), 'short.whl');
    writeFileSync(short, bytes);
    const source = localFileSource(short, bytes.length, 'short.whl');
    truncateSync(short, 1024);
    await expect(source.read(bytes.length - 100, bytes.length)).rejects.toThrow(/short\.whl is shorter than 6291456 bytes/);
    await expect(source.read(0, bytes.length)).rejects.toThrow(/short\.whl is shorter than 6291456 bytes/);
    expect(Buffer.from(await source.read(0, 1024)).equals(bytes.subarray(0, 1024))).toBe(true);
  });
});
