// Hash checks for everything safe-pip stores: the index's hashes (every algorithm the index gave
// that pip knows must match — stricter than pip, which is satisfied by any one) and the user's
// `--hash` values (for each algorithm the user named, the digest must be one of theirs).
import { createHash, type Hash } from 'node:crypto';
import { isSupportedHash } from '../standards/simple-api.js';

export interface HashRequirement {
  algorithm: string;
  allowed: readonly string[];
  /** `index` or `--hash`, for the message. */
  origin: 'index' | 'user' | 'metadata';
}

export function hashRequirements(indexHashes: Readonly<Record<string, string>>, user: Readonly<Record<string, readonly string[]>> = {}, origin: 'index' | 'metadata' = 'index'): HashRequirement[] {
  const out: HashRequirement[] = [];
  for (const [alg, value] of Object.entries(indexHashes)) if (isSupportedHash(alg)) out.push({ algorithm: alg, allowed: [value.toLowerCase()], origin });
  for (const [alg, values] of Object.entries(user)) if (isSupportedHash(alg)) out.push({ algorithm: alg, allowed: values.map((v) => v.toLowerCase()), origin: 'user' });
  return out;
}

/** Computes sha256 plus every algorithm the requirements name, over a stream of chunks. */
export class MultiHasher {
  private readonly hashes = new Map<string, Hash>();
  size = 0;
  constructor(requirements: readonly HashRequirement[]) {
    this.hashes.set('sha256', createHash('sha256'));
    for (const r of requirements) if (!this.hashes.has(r.algorithm)) this.hashes.set(r.algorithm, createHash(r.algorithm));
  }
  update(chunk: Uint8Array): void {
    this.size += chunk.length;
    for (const h of this.hashes.values()) h.update(chunk);
  }
  digests(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [alg, h] of this.hashes) out[alg] = h.digest('hex');
    return out;
  }
}

/** The first requirement the digests fail, described, or null when all hold. */
export function hashMismatch(requirements: readonly HashRequirement[], digests: Readonly<Record<string, string>>): string | null {
  for (const r of requirements) {
    const got = digests[r.algorithm];
    if (got === undefined || !r.allowed.includes(got)) {
      const who = r.origin === 'user' ? 'your --hash' : r.origin === 'metadata' ? 'the index (metadata file)' : 'the index';
      return `hash mismatch: ${who} expects ${r.algorithm}=${r.allowed.join(' or ')}, got ${r.algorithm}=${got ?? '?'}`;
    }
  }
  return null;
}
