// safe-pip's on-disk cache (DESIGN.md "Resolution"): under SAFE_PIP_CACHE_DIR, else
// $XDG_CACHE_HOME/safe-pip, else ~/.cache/safe-pip.
// - index pages: `pages-v3/abcd….page` (named by the sha256 of the URL): a line of JSON (final
//   URL, Content-Type, ETag, Last-Modified, Cache-Control, stored-at, the body's sha256), then the
//   body; revalidated with If-None-Match / If-Modified-Since (RFC 9111); kept only when pip's own
//   cache would keep the response (keptByPipsCache: an ETag, or a max-age or Expires; never
//   `no-store`);
// - metadata and distribution files: content-addressed, `files-v3/abcdef…` (their sha256); an entry's sha256
//   is checked on its first read in a process, and again whenever the file changed since (same
//   inode, size and mtime, else read and hashed; not read at all when this process wrote it); a
//   bad entry is removed and the caller fetches again. An entry is always a copy of its own (a
//   reflink where the file system offers one), never a hard link to a file handed to the user,
//   who may truncate or edit it (install's staged wheels, private to the run and only read by
//   pip, are hard links to it: linkVerified);
// - `tmp/`: every write goes to a temporary name there (`<kind>-<pid>-<random>`) and is renamed
//   into place, so a reader never sees half a file; on the first use in a process the entries of
//   processes that no longer run are removed (stale-temporaries.ts).
// The cache is best-effort, as pip's is: when it cannot be written (full disk, read-only, not a
// directory) the run goes on without it after one warning line, and writes stop being tried.
// Writes are asynchronous and never awaited by the request that caused them (hundreds of small
// synchronous writes cost about a second at 500 packages), and past the first few dozen they are
// made on a thread of their own (cache-writer.ts), not the one that resolves; a lookup of a file
// whose write is still under way waits for it, and `flush()` (called by the index client's close)
// waits for them all. `--no-cache-dir` gives a disabled cache: no reads, no writes, no directory
// created.
import { createHash } from 'node:crypto';
import { constants, createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { copyFile, link, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { startCacheWriter, WriterStopped, type CacheWriter } from './cache-writer.js';
import { ownerTag, removeStaleEntries } from './stale-temporaries.js';

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

function directivesOf(cacheControl: string): string[] {
  return cacheControl.toLowerCase().split(',').map((d) => d.trim());
}

/** The `max-age` directive's seconds, or null. */
function maxAgeIn(directives: readonly string[]): number | null {
  for (const d of directives) {
    const m = /^max-age\s*=\s*"?(\d+)"?$/.exec(d);
    if (m) return Number(m[1]);
  }
  return null;
}

/** `max-age` in seconds, or null; `no-cache` counts as 0. */
export function maxAgeOf(cacheControl: string | null): number | null {
  if (cacheControl === null) return null;
  const directives = directivesOf(cacheControl);
  return directives.includes('no-cache') ? 0 : maxAgeIn(directives);
}

export function isNoStore(cacheControl: string | null | undefined): boolean {
  return directivesOf(cacheControl ?? '').includes('no-store');
}

/**
 * Whether pip's own HTTP cache keeps this 200 response (headers by lower-case name): the rule of
 * cachecontrol's CacheController.cache_response, which pip 23.2 to 26.x vendor. Never with
 * `no-store` or a Vary of `*`; always with an ETag; otherwise only with a Date and a positive
 * max-age or an Expires header. safe-pip keeps an index page on the same terms
 * (test/io/page-cache-pip.test.ts asks pip). A page served with Last-Modified alone (`python3 -m
 * http.server`, a static mirror) would be asked for again by the next run anyway, could be
 * answered 304 only from a date to the second, and cost every cold run one file per page: on the
 * bench's mirror of such pages, cold fetches of ten real sets 0.95–1.00x the time without them
 * (three interleaved A/B runs), jupyter's 97 pages 0.91–0.95x.
 */
export function keptByPipsCache(headers: Readonly<Record<string, string | undefined>>): boolean {
  const directives = directivesOf(headers['cache-control'] ?? '');
  if (directives.includes('no-store') || (headers.vary ?? '').includes('*')) return false;
  if (headers.etag !== undefined) return true;
  if (headers.date === undefined) return false;
  return (maxAgeIn(directives) ?? 0) > 0 || (headers.expires ?? '') !== '';
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

// The entries' folders (see the header). Each folder and file a run creates is a new inode, which
// cost more than hashing every byte of a 97-wheel fetch (ext4: a fifth of the process's CPU time,
// on a file system where many files were just deleted; making a folder ~0.55 ms of system time on
// the bench's machine), hence one file per page and no folders below these two: the 16 of the
// previous layout were up to 32 folders of every cold run (flask's seven wheels made 17; five
// small real sets 3% faster without them). Directories of many thousands of names are fast on
// every file system a cache lives on (hashed or B-tree indexes). Named anew for each layout, so
// that an older safe-pip's entries (`pages/ab/…`, `pages-v2/a/…`, `files-v2/sha256/a/…`) are
// never misread; those are left for `rm`.
const PAGES_DIR = 'pages-v3';
const FILES_DIR = 'files-v3';

/**
 * Writes under way in this process, by destination path: shared by every HttpCache, so a second
 * client on the same directory (the analysis opens more than one) reads what the first wrote.
 */
const pending = new Map<string, Promise<void>>();
/** What storeBytes lets wait for the disk in memory (see there). */
const MAX_PENDING_BYTES = 8 * 1024 * 1024;

// The writer thread costs about 15 ms to start (a fetch of 10 packages, which writes some 40
// entries, went from 201 to 216 ms), and saves about 0.3 ms of the main thread per entry: it is
// started once this process has written this many the main thread's way.
const WRITES_BEFORE_THREAD = 48;
let writesMade = 0;

/** Cache directories found unwritable in this process, with the reason (warned about once). */
const unwritable = new Map<string, string>();
/** Entries whose sha256 was checked in this process: path -> what the file looked like then. */
const verified = new Map<string, string>();
/** The sweep of `tmp/` of each directory, started once per process. */
const sweeps = new Map<string, Promise<unknown>>();

/** `<kind>-<pid>-<12 hex>` in `tmp/`: a staging folder or a file being written; `in-XXXXXX` from before. */
const TEMP_ENTRY = /^[a-z]+-(\d+)-[0-9a-f]{12}(?:\.[a-z]+)?$/;
const OLD_STAGING = /^in-[A-Za-z0-9]{6}$/;

function identity(s: { ino: number; size: number; mtimeMs: number }): string {
  return `${s.ino}:${s.size}:${s.mtimeMs}`;
}

/**
 * The identity of the file at `path`, or null when it cannot be seen. Synchronous, as every stat of
 * this module: a stat promise costs the main thread about ten times as much.
 */
function identityOf(path: string): string | null {
  try {
    const stats = statSync(path, { throwIfNoEntry: false });
    return stats === undefined ? null : identity(stats);
  } catch {
    return null;
  }
}

async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export interface HttpCacheOptions {
  /** Told once per directory and process when the cache cannot be written. */
  warn?: (message: string) => void;
  /** What writes the entries: by default the writer thread (cache-writer.ts); null: fs promises here. */
  writer?: CacheWriter | null;
}

/**
 * Directories this process has made or found (the entries' two and `tmp/` of each cache), so
 * that each costs one mkdir, not one per write.
 */
const knownDirs = new Set<string>();

async function ensureDir(dir: string): Promise<void> {
  if (knownDirs.has(dir)) return;
  await mkdir(dir, { recursive: true });
  knownDirs.add(dir);
}

/** Runs `operation` on `path` once its directory exists; again, once, if the directory has gone since (a cache cleared under a running safe-pip). */
async function withDir<T>(path: string, operation: () => Promise<T>): Promise<T> {
  const dir = dirname(path);
  await ensureDir(dir);
  try {
    return await operation();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || !knownDirs.has(dir)) throw e;
    knownDirs.delete(dir);
    await ensureDir(dir);
    return operation();
  }
}

export class HttpCache {
  /** This cache's own writes under way, for flush(). */
  private readonly mine = new Set<Promise<void>>();
  /** Bytes handed to storeBytes whose write has not ended. */
  private pendingBytes = 0;

  private constructor(
    readonly dir: string | null,
    private readonly options: HttpCacheOptions,
  ) {
    if (dir !== null && !sweeps.has(dir)) {
      const sweep = removeStaleEntries(join(dir, 'tmp'), (name) => {
        const m = TEMP_ENTRY.exec(name);
        if (m !== null) return Number(m[1]);
        return OLD_STAGING.test(name) || /\.tmp-[0-9a-f]{12}$/.test(name) ? null : undefined;
      });
      sweeps.set(dir, sweep);
    }
  }

  /** `dir` null: the disabled cache of `--no-cache-dir`. */
  static open(dir: string | null, options: HttpCacheOptions = {}): HttpCache {
    return new HttpCache(dir, options);
  }

  get enabled(): boolean {
    return this.dir !== null;
  }

  /** Whether writes are still tried (enabled and not found unwritable). */
  get writable(): boolean {
    return this.dir !== null && !unwritable.has(this.dir);
  }

  /**
   * Records that the cache cannot be written: one warning line per directory, and no further
   * writes. An error that is not about the file system (a bug) is recorded the same way: the cache
   * never fails a run.
   */
  markUnwritable(error: unknown): void {
    if (this.dir === null || unwritable.has(this.dir)) return;
    const reason = error instanceof Error ? error.message : String(error);
    unwritable.set(this.dir, reason);
    this.options.warn?.(`warning: the cache at ${this.dir} cannot be written (${reason}); going on without it`);
  }

  /** A fresh name in `tmp/` for something being written (created with its parent folder). */
  private async tempPath(kind: string): Promise<string> {
    const dir = join(this.dir!, 'tmp');
    await ensureDir(dir);
    return join(dir, `${kind}-${ownerTag()}`);
  }

  /**
   * Writes `data` through a temporary file in `tmp/`, renamed into place: on the cache writer's
   * thread (cache-writer.ts) once this process has written WRITES_BEFORE_THREAD entries. Returns
   * what the entry looked like once written (null when that cannot be seen).
   */
  private async writeBytesInPlace(path: string, data: Uint8Array | string): Promise<string | null> {
    const writer = this.options.writer !== undefined ? this.options.writer : ++writesMade > WRITES_BEFORE_THREAD ? startCacheWriter() : null;
    if (writer !== null) {
      try {
        return identity(await writer.write(join(this.dir!, 'tmp', `w-${ownerTag()}`), path, data));
      } catch (e) {
        if (!(e instanceof WriterStopped)) throw e;
      }
    }
    await this.writeInPlace(path, (tmp) => writeFile(tmp, data));
    return identityOf(path);
  }

  /** Writes through a temporary file in `tmp/`, renamed into place. */
  private async writeInPlace(path: string, write: (tmp: string) => Promise<void>): Promise<void> {
    const tmp = await this.tempPath('w');
    try {
      await withDir(tmp, () => write(tmp));
      await withDir(path, () => rename(tmp, path));
    } catch (e) {
      await rm(tmp, { force: true });
      throw e;
    }
  }

  /** Runs `write` for `path` in the background; a failed write only warns once and stops further writes. */
  private track(path: string, write: () => Promise<void>, bytes = 0): void {
    const previous = pending.get(path) ?? Promise.resolve();
    this.pendingBytes += bytes;
    const done: Promise<void> = previous
      .then(() => (this.writable ? write() : undefined))
      .catch((e: unknown) => this.markUnwritable(e))
      .finally(() => {
        if (pending.get(path) === done) pending.delete(path);
        this.mine.delete(done);
        this.pendingBytes -= bytes;
      });
    pending.set(path, done);
    this.mine.add(done);
  }

  /** Waits for every write this cache started (and the sweep of stale temporaries). */
  async flush(): Promise<void> {
    if (this.dir !== null) await sweeps.get(this.dir);
    while (this.mine.size > 0) await Promise.all([...this.mine]);
  }

  /** The page entry's file: its metadata as one line of JSON, a newline, then the body's bytes. */
  private pagePath(url: string): string | null {
    if (this.dir === null) return null;
    const key = createHash('sha256').update(url).digest('hex');
    return join(this.dir, PAGES_DIR, `${key}.page`);
  }

  async getPage(url: string): Promise<CachedPage | null> {
    const path = this.pagePath(url);
    if (path === null) return null;
    await pending.get(path);
    try {
      // Looked for first: on a cold cache every page is a miss, and a failed read costs an error
      // object (jupyter's 97 pages: 7 ms of the main thread).
      if (statSync(path, { throwIfNoEntry: false }) === undefined) return null;
      const entry = readFileSync(path);
      const newline = entry.indexOf(0x0a);
      if (newline < 0) return null;
      const meta = JSON.parse(entry.subarray(0, newline).toString('utf8')) as Omit<CachedPage, 'body'> & { sha256: string };
      const body = entry.subarray(newline + 1);
      // A damaged or tampered entry is ignored rather than trusted.
      if (createHash('sha256').update(body).digest('hex') !== meta.sha256) return null;
      return { ...meta, body: new Uint8Array(body.buffer, body.byteOffset, body.byteLength) };
    } catch {
      return null;
    }
  }

  putPage(requestUrl: string, page: CachedPage): void {
    const path = this.pagePath(requestUrl);
    if (path === null || isNoStore(page.cacheControl)) return;
    const { body, ...meta } = page;
    const sha256 = createHash('sha256').update(body).digest('hex');
    // JSON.stringify writes no raw newline: the first one ends the metadata.
    const header = Buffer.from(`${JSON.stringify({ ...meta, sha256 })}\n`, 'utf8');
    const entry = new Uint8Array(header.length + body.byteLength);
    entry.set(header, 0);
    entry.set(body, header.length);
    this.track(path, async () => {
      await this.writeBytesInPlace(path, entry);
    });
  }

  /** Path of the content-addressed file for this sha256 (whether or not it exists), or null when disabled. */
  pathForSha256(sha256: string): string | null {
    if (this.dir === null || !SHA256_HEX.test(sha256)) return null;
    return join(this.dir, FILES_DIR, sha256);
  }

  /**
   * The cached file for this sha256, if present (after any write of it under way) and its bytes
   * still have that sha256; an entry that does not is removed (best-effort) and null returned, so
   * the caller fetches the file again. A file is hashed once per process while it stays unchanged
   * (same inode, size and mtime), and not at all when this process wrote it (storeBytes, adoptFile:
   * bytes whose sha256 it had just computed). Callers that read it later re-check what they read
   * where it matters (downloads hash every byte they write).
   */
  async findBySha256(sha256: string): Promise<string | null> {
    const path = this.pathForSha256(sha256);
    if (path === null) return null;
    await pending.get(path);
    // Synchronous: a lookup that finds nothing (every one of a cold run) costs a few microseconds,
    // where a stat promise costs the main thread about ten times that.
    let before;
    try {
      before = statSync(path, { throwIfNoEntry: false });
    } catch {
      return null;
    }
    if (before === undefined || !before.isFile()) return null;
    if (verified.get(path) === identity(before)) return path;
    let actual: string;
    try {
      actual = await sha256OfFile(path);
    } catch {
      return null;
    }
    if (actual !== sha256) {
      verified.delete(path);
      await rm(path, { force: true }).catch(() => undefined);
      return null;
    }
    verified.set(path, identity(before));
    return path;
  }

  /**
   * Makes `dest` a hard link to the cached file for this sha256 (see placeVerified). Only for a
   * private directory safe-pip removes after the run, whose files nothing edits (install's staged
   * wheels, which pip only reads); never for a file handed to the user. False also where no link
   * can be made (another file system, a cache that does not allow links): the caller copies.
   */
  linkVerified(sha256: string, dest: string): Promise<boolean> {
    return this.placeVerified(sha256, dest, (path) => link(path, dest));
  }

  /**
   * Copies the cached file for this sha256 to `dest`, a file of its own: a reflink where the file
   * system offers one, else the kernel's copy (see placeVerified).
   */
  copyVerified(sha256: string, dest: string): Promise<boolean> {
    return this.placeVerified(sha256, dest, (path) => copyFile(path, dest, constants.COPYFILE_FICLONE));
  }

  /**
   * Puts the cached file for this sha256 at `dest` (`place`), once findBySha256 vouches for its
   * bytes, and keeps it only if the entry is still that verified file afterwards (inode, size and
   * mtime): true when done. False, with nothing left at `dest`, otherwise; the caller then reads
   * and hashes the bytes itself.
   */
  private async placeVerified(sha256: string, dest: string, place: (path: string) => Promise<void>): Promise<boolean> {
    const path = await this.findBySha256(sha256);
    if (path === null) return false;
    try {
      await place(path);
      if (verified.get(path) === identityOf(path)) return true;
    } catch {
      // Not placed: the caller reads the entry the slow way.
    }
    await rm(dest, { force: true });
    return false;
  }

  /**
   * Adds verified bytes under their sha256, in the background. Resolves at once, unless the bytes
   * handed over and not yet on disk pass MAX_PENDING_BYTES: then once the disk has caught up, so
   * that an index faster than the disk cannot fill memory with files waiting to be written.
   */
  async storeBytes(sha256: string, data: Uint8Array): Promise<void> {
    const path = this.pathForSha256(sha256);
    if (path === null || !this.writable || pending.has(path) || existsSync(path)) return;
    this.track(
      path,
      async () => {
        // Verified bytes under their sha256: a lookup later in this run need not read them again.
        const written = await this.writeBytesInPlace(path, data);
        if (written !== null) verified.set(path, written);
      },
      data.byteLength,
    );
    while (this.pendingBytes > MAX_PENDING_BYTES && this.mine.size > 0) await Promise.race(this.mine);
  }

  /**
   * Adds a copy of an already verified file (in the background). Always a copy of its own, a
   * reflink where the file system can make one: `source` is the user's file, and a hard link would
   * let an edit of theirs change the cache.
   */
  storeFile(sha256: string, source: string): void {
    const path = this.pathForSha256(sha256);
    if (path === null || !this.writable || pending.has(path) || existsSync(path)) return;
    this.track(path, () => this.writeInPlace(path, (tmp) => copyFile(source, tmp, constants.COPYFILE_FICLONE)));
  }

  /**
   * Where to write a file being verified before adoptFile takes it (same file system, so that is a
   * rename): a fresh name of the `tmp/` folder, not a folder of its own (on a cold cache, making and
   * removing one per file was the largest file-system cost of a large wheel after its bytes).
   * Null when disabled or when `tmp/` cannot be made (then the cache is marked unwritable).
   */
  async stagingFile(): Promise<{ dir: string; name: string } | null> {
    if (!this.writable) return null;
    try {
      const path = await this.tempPath('in');
      return { dir: dirname(path), name: basename(path) };
    } catch (e) {
      this.markUnwritable(e);
      return null;
    }
  }

  /**
   * Moves an already verified file (written at a stagingFile name) into place under its sha256 and
   * returns the cached path; when a still valid entry is there already, that one is kept and
   * `source` removed. Null, with `source` left where it is, when it cannot be moved.
   */
  async adoptFile(sha256: string, source: string): Promise<string | null> {
    const path = this.pathForSha256(sha256);
    if (path === null) return null;
    await pending.get(path);
    try {
      if ((await this.findBySha256(sha256)) !== null) {
        await rm(source, { force: true });
        return path;
      }
      await withDir(path, () => rename(source, path));
      verified.set(path, identity(statSync(path)));
      return path;
    } catch (e) {
      this.markUnwritable(e);
      return null;
    }
  }
}
