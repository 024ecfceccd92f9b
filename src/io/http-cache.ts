// safe-pip's on-disk cache (DESIGN.md "Resolution"): under SAFE_PIP_CACHE_DIR, else
// $XDG_CACHE_HOME/safe-pip, else ~/.cache/safe-pip.
// - index pages: `pages/<sha256 of URL>.json` (final URL, Content-Type, ETag, Last-Modified,
//   Cache-Control, stored-at) + `.body`; revalidated with If-None-Match / If-Modified-Since
//   (RFC 9111); `no-store` pages are never written;
// - metadata and distribution files: content-addressed, `files/sha256/ab/cdef…`.
// Every write goes to a temporary name in the same directory and is renamed into place, so a
// reader never sees half a file. Writes are asynchronous and never awaited by the request that
// caused them (hundreds of small synchronous writes cost about a second at 500 packages); a
// lookup of a file whose write is still under way waits for it, and `flush()` (called by the
// index client's close) waits for them all. `--no-cache-dir` gives a disabled cache: no reads,
// no writes, no directory created.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { copyFile, link, mkdir, mkdtemp, rename, rm, stat, writeFile } from 'node:fs/promises';
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

/**
 * Writes under way in this process, by destination path: shared by every HttpCache, so a second
 * client on the same directory (the analysis opens more than one) reads what the first wrote.
 */
const pending = new Map<string, Promise<void>>();

export class HttpCache {
  /** This cache's own writes under way, for flush(). */
  private readonly mine = new Set<Promise<void>>();

  private constructor(readonly dir: string | null) {}

  /** `dir` null: the disabled cache of `--no-cache-dir`. */
  static open(dir: string | null): HttpCache {
    return new HttpCache(dir);
  }

  get enabled(): boolean {
    return this.dir !== null;
  }

  /** Runs `write` for `path` in the background; a failed write is only a slower next run. */
  private track(path: string, write: () => Promise<void>): void {
    const previous = pending.get(path) ?? Promise.resolve();
    const done: Promise<void> = previous
      .then(write)
      .catch(() => undefined)
      .finally(() => {
        if (pending.get(path) === done) pending.delete(path);
        this.mine.delete(done);
      });
    pending.set(path, done);
    this.mine.add(done);
  }

  /** Waits for every write this cache started. */
  async flush(): Promise<void> {
    while (this.mine.size > 0) await Promise.all([...this.mine]);
  }

  private pagePaths(url: string): { meta: string; body: string } | null {
    if (this.dir === null) return null;
    const key = createHash('sha256').update(url).digest('hex');
    const base = join(this.dir, 'pages', key.slice(0, 2), key.slice(2));
    return { meta: `${base}.json`, body: `${base}.body` };
  }

  async getPage(url: string): Promise<CachedPage | null> {
    const paths = this.pagePaths(url);
    if (paths === null) return null;
    await pending.get(paths.meta);
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
    // Body first, then the metadata naming its hash: a reader of a half-updated pair sees a
    // hash mismatch and ignores the entry.
    this.track(paths.meta, async () => {
      await atomicWriteAsync(paths.body, body);
      await atomicWriteAsync(paths.meta, JSON.stringify({ ...meta, sha256 }));
    });
  }

  /** Path of the content-addressed file for this sha256 (whether or not it exists), or null when disabled. */
  pathForSha256(sha256: string): string | null {
    if (this.dir === null || !SHA256_HEX.test(sha256)) return null;
    return join(this.dir, 'files', 'sha256', sha256.slice(0, 2), sha256.slice(2));
  }

  /** The cached file for this sha256, if present (after any write of it under way). Callers re-check the hash of what they read. */
  async findBySha256(sha256: string): Promise<string | null> {
    const path = this.pathForSha256(sha256);
    if (path === null) return null;
    await pending.get(path);
    return existsSync(path) ? path : null;
  }

  storeBytes(sha256: string, data: Uint8Array): void {
    const path = this.pathForSha256(sha256);
    if (path === null || pending.has(path) || existsSync(path)) return;
    this.track(path, () => atomicWriteAsync(path, data));
  }

  /** Adds an already verified file (hard link when possible, else a copy). */
  storeFile(sha256: string, source: string): void {
    const path = this.pathForSha256(sha256);
    if (path === null || pending.has(path) || existsSync(path)) return;
    this.track(path, async () => {
      await mkdir(dirname(path), { recursive: true });
      const tmp = `${path}.tmp-${randomBytes(6).toString('hex')}`;
      try {
        await link(source, tmp).catch(() => copyFile(source, tmp));
        await rename(tmp, path);
      } catch (e) {
        await rm(tmp, { force: true });
        throw e;
      }
    });
  }

  /**
   * A private directory inside the cache for a file being verified (same file system, so
   * `adoptFile` is a rename); null when disabled or when it cannot be made.
   */
  async makeStagingDir(): Promise<string | null> {
    if (this.dir === null) return null;
    try {
      await mkdir(join(this.dir, 'tmp'), { recursive: true });
      return await mkdtemp(join(this.dir, 'tmp', 'in-'));
    } catch {
      return null;
    }
  }

  /**
   * Moves an already verified file (written in a directory from makeStagingDir) into place under
   * its sha256 and returns the cached path (an existing entry is kept), or null when it cannot.
   */
  async adoptFile(sha256: string, source: string): Promise<string | null> {
    const path = this.pathForSha256(sha256);
    if (path === null) return null;
    await pending.get(path);
    try {
      if ((await stat(path).catch(() => null))?.isFile()) return path;
      await mkdir(dirname(path), { recursive: true });
      await rename(source, path);
      return path;
    } catch {
      return null;
    }
  }
}

/** Write to a temporary sibling, then rename into place, without blocking the event loop. */
export async function atomicWriteAsync(path: string, data: Uint8Array | string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${randomBytes(6).toString('hex')}`;
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}
