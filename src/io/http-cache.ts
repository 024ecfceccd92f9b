// safe-pip's on-disk cache (DESIGN.md "Resolution"): under SAFE_PIP_CACHE_DIR, else
// $XDG_CACHE_HOME/safe-pip, else ~/.cache/safe-pip.
// - index pages: `pages/<sha256 of URL>.json` (final URL, Content-Type, ETag, Last-Modified,
//   Cache-Control, stored-at) + `.body`; revalidated with If-None-Match / If-Modified-Since
//   (RFC 9111); `no-store` pages are never written;
// - metadata and distribution files: content-addressed, `files/sha256/ab/cdef…`.
// Every write goes to a temporary name in the same directory and is renamed into place, so a
// reader never sees half a file. `--no-cache-dir` gives a disabled cache: no reads, no writes,
// no directory created.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync, readFileSync, copyFileSync, linkSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

export interface CachedPage {
  /** Final URL after redirects. */
  url: string;
  contentType: string;
  etag: string | null;
  lastModified: string | null;
  cacheControl: string | null;
  /** ms since epoch when last stored or revalidated. */
  storedAt: number;
  body: Uint8Array;
}

export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SAFE_PIP_CACHE_DIR) return env.SAFE_PIP_CACHE_DIR;
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, 'safe-pip');
  return join(env.HOME || homedir(), '.cache', 'safe-pip');
}

/** `max-age` in seconds, or null; `no-cache` counts as 0. */
export function maxAgeOf(cacheControl: string | null): number | null {
  if (cacheControl === null) return null;
  const directives = cacheControl.toLowerCase().split(',').map((d) => d.trim());
  if (directives.includes('no-cache')) return 0;
  for (const d of directives) {
    const m = /^max-age\s*=\s*"?(\d+)"?$/.exec(d);
    if (m) return Number(m[1]);
  }
  return null;
}

export function isNoStore(cacheControl: string | null | undefined): boolean {
  return (cacheControl ?? '').toLowerCase().split(',').some((d) => d.trim() === 'no-store');
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

export class HttpCache {
  private constructor(readonly dir: string | null) {}

  /** `dir` null: the disabled cache of `--no-cache-dir`. */
  static open(dir: string | null): HttpCache {
    return new HttpCache(dir);
  }

  get enabled(): boolean {
    return this.dir !== null;
  }

  private pagePaths(url: string): { meta: string; body: string } | null {
    if (this.dir === null) return null;
    const key = createHash('sha256').update(url).digest('hex');
    const base = join(this.dir, 'pages', key.slice(0, 2), key.slice(2));
    return { meta: `${base}.json`, body: `${base}.body` };
  }

  getPage(url: string): CachedPage | null {
    const paths = this.pagePaths(url);
    if (paths === null) return null;
    try {
      const meta = JSON.parse(readFileSync(paths.meta, 'utf8')) as Omit<CachedPage, 'body'> & { sha256: string };
      const body = readFileSync(paths.body);
      // A torn or tampered pair is ignored rather than trusted.
      if (createHash('sha256').update(body).digest('hex') !== meta.sha256) return null;
      return { ...meta, body: new Uint8Array(body.buffer, body.byteOffset, body.byteLength) };
    } catch {
      return null;
    }
  }

  putPage(requestUrl: string, page: CachedPage): void {
    const paths = this.pagePaths(requestUrl);
    if (paths === null || isNoStore(page.cacheControl)) return;
    const { body, ...meta } = page;
    const sha256 = createHash('sha256').update(body).digest('hex');
    try {
      atomicWrite(paths.body, body);
      atomicWrite(paths.meta, JSON.stringify({ ...meta, sha256 }));
    } catch {
      // A cache that cannot be written is only slower.
    }
  }

  /** Path of the content-addressed file for this sha256 (whether or not it exists), or null when disabled. */
  pathForSha256(sha256: string): string | null {
    if (this.dir === null || !SHA256_HEX.test(sha256)) return null;
    return join(this.dir, 'files', 'sha256', sha256.slice(0, 2), sha256.slice(2));
  }

  /** The cached file for this sha256, if present. Callers re-check the hash of what they read. */
  findBySha256(sha256: string): string | null {
    const path = this.pathForSha256(sha256);
    return path !== null && existsSync(path) ? path : null;
  }

  storeBytes(sha256: string, data: Uint8Array): void {
    const path = this.pathForSha256(sha256);
    if (path === null || existsSync(path)) return;
    try {
      atomicWrite(path, data);
    } catch {
      // ignored: see putPage
    }
  }

  /** Adds an already verified file (hard link when possible, else a copy). */
  storeFile(sha256: string, source: string): void {
    const path = this.pathForSha256(sha256);
    if (path === null || existsSync(path)) return;
    try {
      mkdirSync(dirname(path), { recursive: true });
      const tmp = `${path}.tmp-${randomBytes(6).toString('hex')}`;
      try {
        linkSync(source, tmp);
      } catch {
        copyFileSync(source, tmp);
      }
      renameSync(tmp, path);
    } catch {
      // ignored: see putPage
    }
  }
}

/** Write to a temporary sibling, then rename into place. */
export function atomicWrite(path: string, data: Uint8Array | string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${randomBytes(6).toString('hex')}`;
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
