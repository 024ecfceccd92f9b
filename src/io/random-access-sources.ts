// RandomAccessSource (src/resolve/random-access.ts) backed by a local file, or by HTTP range
// requests (RFC 9110 §14: `Range: bytes=a-b` answered by 206 with `Content-Range`). The first
// request asks for the file's tail (`bytes=-N`), which both tells whether ranges work and, for a
// wheel, already holds the zip central directory; pieces already read are served from memory.
// Bytes read through ranges are unverified (only the whole file has a hash); a read of the whole
// file at once (an sdist read for its static metadata) is checked against the index hashes.
import { closeSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { RandomAccessSource } from '../resolve/random-access.js';
import { FetchError } from './fetch-error.js';
import { hashMismatch, MultiHasher, type HashRequirement } from './file-hashes.js';
import { HttpError } from './http/http-error.js';
import type { HttpClient } from './http/client.js';
import { redactUrl } from './redact-url.js';

/**
 * Reads up to this size are made synchronously: a zip's tail, central directory and one member of
 * a file safe-pip has just written or found in its cache, in the page cache. Each asynchronous read
 * was an open, a read and a close sent to libuv's four threads, queued there behind the writes of
 * the wheels being downloaded, and a turn of the main thread for each (~9 ms of a cold jupyter
 * fetch's main thread, profiled). Larger reads (a whole sdist) stay asynchronous, so that a file
 * on a slow disk does not hold the thread.
 */
const SYNC_READ_LIMIT = 4 * 1024 * 1024;

export function localFileSource(path: string, size: number, name: string): RandomAccessSource {
  const shorter = (): Error => new Error(`${name} is shorter than ${size} bytes (changed while reading?)`);
  return {
    size,
    async read(start, endExclusive) {
      if (start < 0 || endExclusive > size || start > endExclusive) throw new RangeError(`read(${start}, ${endExclusive}) is outside ${name} (${size} bytes)`);
      const buf = new Uint8Array(endExclusive - start);
      if (buf.length <= SYNC_READ_LIMIT) {
        const fd = openSync(path, 'r');
        try {
          for (let done = 0; done < buf.length; ) {
            const bytesRead = readSync(fd, buf, done, buf.length - done, start + done);
            if (bytesRead === 0) throw shorter();
            done += bytesRead;
          }
          return buf;
        } finally {
          closeSync(fd);
        }
      }
      const handle = await open(path, 'r');
      try {
        let done = 0;
        while (done < buf.length) {
          const { bytesRead } = await handle.read(buf, done, buf.length - done, start + done);
          if (bytesRead === 0) throw shorter();
          done += bytesRead;
        }
        return buf;
      } finally {
        await handle.close();
      }
    },
    describe: () => name,
  };
}

/** `bytes a-b/total` -> [a, b, total]. */
export function parseContentRange(value: string | undefined): [number, number, number] | null {
  const m = /^bytes\s+(\d+)-(\d+)\/(\d+)$/i.exec((value ?? '').trim());
  if (!m) return null;
  const [a, b, total] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return a <= b && b < total ? [a, b, total] : null;
}

export async function readBody(body: AsyncIterable<Uint8Array>, limit: number, url: string): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const c of body) {
    total += c.length;
    if (total > limit) throw new HttpError(url, 'too-large', `response exceeds ${limit} bytes`);
    chunks.push(c);
  }
  const out = new Uint8Array(total);
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.length;
  }
  return out;
}

export class HttpRangeSource implements RandomAccessSource {
  /** Bytes fetched over the network through range requests, for reports and tests. */
  bytesFetched = 0;
  constructor(
    private readonly client: HttpClient,
    private readonly url: string,
    readonly size: number,
    private readonly tail: { start: number; data: Uint8Array },
    /** Checked when the whole file is read at once. */
    private readonly requirements: readonly HashRequirement[] = [],
    private readonly filename: string | null = null,
  ) {}

  describe(): string {
    return redactUrl(this.url);
  }

  async read(start: number, endExclusive: number): Promise<Uint8Array> {
    if (start < 0 || endExclusive > this.size || start > endExclusive) {
      throw new RangeError(`read(${start}, ${endExclusive}) is outside ${this.describe()} (${this.size} bytes)`);
    }
    if (start === endExclusive) return new Uint8Array(0);
    if (start >= this.tail.start) return this.tail.data.subarray(start - this.tail.start, endExclusive - this.tail.start);
    return this.client.fetchStream(this.url, { headers: { range: `bytes=${start}-${endExclusive - 1}` } }, async (head, body) => {
      const range = parseContentRange(head.headers['content-range']);
      if (head.status !== 206 || range === null || range[0] !== start || range[1] !== endExclusive - 1 || range[2] !== this.size) {
        throw new HttpError(this.url, 'status', `range request for bytes ${start}-${endExclusive - 1} answered with HTTP ${head.status} ${head.headers['content-range'] ?? ''}`.trim(), { status: head.status });
      }
      const data = await readBody(body, endExclusive - start, this.url);
      if (data.length !== endExclusive - start) throw new HttpError(this.url, 'network', `range response was ${data.length} bytes, expected ${endExclusive - start}`);
      this.bytesFetched += data.length;
      if (start === 0 && endExclusive === this.size) {
        const hasher = new MultiHasher(this.requirements);
        hasher.update(data);
        const mismatch = hashMismatch(this.requirements, hasher.digests());
        if (mismatch !== null) throw new FetchError(this.url, this.filename, mismatch);
      }
      return data;
    });
  }
}
