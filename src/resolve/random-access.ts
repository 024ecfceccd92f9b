// Byte access to an archive that may live on disk, in memory or behind HTTP range requests, and
// the one error for archives that are not what they claim to be. Readers (wheel-metadata.ts,
// sdist-metadata.ts) depend only on this interface, never on node:fs or the network; src/io/
// provides the file- and HTTP-backed sources.
import { SafePipError } from '../errors.js';

export interface RandomAccessSource {
  /** Total size in bytes. */
  readonly size: number;
  /** Bytes [start, endExclusive); must return exactly that many bytes or reject. */
  read(start: number, endExclusive: number): Promise<Uint8Array>;
  /** What to call this source in messages: a filename or a URL without credentials. */
  describe(): string;
}

export function fromBytes(bytes: Uint8Array, name = 'in-memory archive'): RandomAccessSource {
  return {
    size: bytes.length,
    read(start: number, endExclusive: number): Promise<Uint8Array> {
      if (!Number.isInteger(start) || !Number.isInteger(endExclusive) || start < 0 || endExclusive > bytes.length || start > endExclusive) {
        return Promise.reject(new RangeError(`read(${start}, ${endExclusive}) is outside ${name} (${bytes.length} bytes)`));
      }
      return Promise.resolve(bytes.subarray(start, endExclusive));
    },
    describe: () => name,
  };
}

/** A wheel or sdist that cannot be read safely: which archive, which member (if any), what is wrong. */
export class ArchiveError extends SafePipError {
  readonly archive: string;
  readonly member: string | undefined;
  readonly reason: string;
  constructor(archive: string, reason: string, options: { member?: string; cause?: unknown } = {}) {
    const where = options.member === undefined ? `"${archive}"` : `"${options.member}" in "${archive}"`;
    super(`Cannot read ${where}: ${reason}`, options.cause === undefined ? {} : { cause: options.cause });
    this.name = 'ArchiveError';
    this.archive = archive;
    this.member = options.member;
    this.reason = reason;
  }
}
