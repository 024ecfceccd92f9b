// Writing a distribution into a destination directory (DESIGN.md: hash-checked, temporary name
// then rename, plain basename only, nothing half-written). The bytes come from a stream (network,
// cache or local file); this module owns the naming, hashing, temp file and rename.
import { createReadStream, rmSync, statSync } from 'node:fs';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { SafePipError } from '../errors.js';
import { FetchError } from './fetch-error.js';
import { hashMismatch, MultiHasher, type HashRequirement } from './file-hashes.js';
import { ownerTag, removeStaleEntries } from './stale-temporaries.js';

/**
 * The destination could not be written (no space, read-only, not a directory…), as opposed to a
 * body that broke off or bytes that fail their hash: the caller may go on without this copy when
 * the destination is only a cache.
 */
export class DiskWriteError extends FetchError {}

/** `.<name>.safe-pip-<pid>-<12 hex>.part`: the temporary name of a file being written (stale-temporaries.ts). */
const PART_FILE = /^\..+\.safe-pip-(\d+)-[0-9a-f]{12}\.part$/;
const sweptDirs = new Map<string, Promise<string[]>>();

/**
 * Removes, once per process and directory, the partial files an earlier safe-pip left in `dir`
 * when it was killed outright (SIGKILL, power loss): only names of safe-pip's own scheme whose
 * owner PID no longer runs. Returns the names removed.
 */
export function removeStalePartFiles(dir: string): Promise<string[]> {
  const key = resolve(dir);
  let p = sweptDirs.get(key);
  if (p === undefined) {
    p = removeStaleEntries(key, (name) => {
      const m = PART_FILE.exec(name);
      return m === null ? undefined : Number(m[1]);
    });
    sweptDirs.set(key, p);
  }
  return p;
}

/**
 * The name a file from an index may be stored under: its last path segment (either slash). Names
 * that are empty or only dots are refused, and so are names with NUL or control characters (pip
 * 23.2 crashes on them; storing them under a cleaned-up name would save a file under a name the
 * index never gave).
 */
export function safeBasename(filename: string, url: string): string {
  const last = filename.split(/[/\\]/).pop() ?? '';
  if (last === '' || /^\.+$/.test(last)) {
    throw new FetchError(url, JSON.stringify(filename), 'refusing to store a file under this name: it has no usable basename');
  }
  if (/[\u0000-\u001f\u007f]/.test(last)) {
    throw new FetchError(url, JSON.stringify(filename), 'refusing to store a file under this name: it contains control characters');
  }
  return last;
}

// Interruption (issue 6 §3): while a temporary file is being written, SIGINT/SIGTERM/SIGHUP remove
// it and then end the process by the same signal (the shell then reports 128 + n: 130, 143, 129),
// so an interrupted fetch leaves no partial file. The handlers exist only while a download is in
// flight: at any other time the signal keeps its usual meaning (Node's default, or run-pip.ts
// forwarding it to pip).
const INTERRUPT_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const partFiles = new Set<string>();
const onInterrupt = (signal: NodeJS.Signals): void => {
  for (const path of partFiles) rmSync(path, { force: true, recursive: true });
  partFiles.clear();
  for (const s of INTERRUPT_SIGNALS) process.off(s, onInterrupt);
  process.kill(process.pid, signal);
};

/**
 * Removes `path` (a file or a private directory) if SIGINT/SIGTERM/SIGHUP arrive before
 * `forgetOnInterrupt(path)`; the same handlers as for partial downloads. Never while a child
 * (pip) that receives the signal itself is running: run-pip.ts forwards it and waits instead.
 */
export function removeOnInterrupt(path: string): void {
  trackPartFile(path);
}

export function forgetOnInterrupt(path: string): void {
  untrackPartFile(path);
}

function trackPartFile(path: string): void {
  if (partFiles.size === 0) for (const s of INTERRUPT_SIGNALS) process.on(s, onInterrupt);
  partFiles.add(path);
}

function untrackPartFile(path: string): void {
  if (!partFiles.delete(path) || partFiles.size > 0) return;
  for (const s of INTERRUPT_SIGNALS) process.off(s, onInterrupt);
}

/** Hashes of a file on disk, or null when it does not exist. */
export async function hashExistingFile(path: string, requirements: readonly HashRequirement[]): Promise<{ digests: Record<string, string>; size: number } | null> {
  // Synchronous: a stat promise costs the main thread about ten times as much, and a missing file
  // (every one of a fresh destination) an error object on top.
  try {
    if (statSync(path, { throwIfNoEntry: false })?.isFile() !== true) return null;
  } catch {
    return null;
  }
  const hasher = new MultiHasher(requirements);
  for await (const chunk of createReadStream(path)) hasher.update(chunk as Buffer);
  return { digests: hasher.digests(), size: hasher.size };
}

export interface WrittenFile {
  path: string;
  digests: Record<string, string>;
  size: number;
}

/**
 * Like writeVerified, for bytes already verified elsewhere (a cache entry): `copy` puts them at the
 * temporary name, as a copy or a link (and says false when it cannot, leaving nothing), then
 * `check` runs and the file is renamed into place. Null when `copy` could not.
 */
export async function copyVerified(options: { destDir: string; name: string; url: string; copy: (tmp: string) => Promise<boolean>; check?: (path: string) => Promise<void> }): Promise<{ path: string; size: number } | null> {
  await removeStalePartFiles(options.destDir);
  const dest = join(resolve(options.destDir), options.name);
  const tmp = join(resolve(options.destDir), `.${options.name}.safe-pip-${ownerTag()}.part`);
  trackPartFile(tmp);
  let ok = false;
  try {
    if (!(await options.copy(tmp))) return null;
    await options.check?.(tmp);
    const size = statSync(tmp).size;
    await rename(tmp, dest).catch((e: unknown) => {
      throw new DiskWriteError(options.url, options.name, `cannot write into ${options.destDir}: ${(e as Error).message}`, { cause: e });
    });
    ok = true;
    return { path: dest, size };
  } finally {
    if (!ok) await rm(tmp, { force: true });
    untrackPartFile(tmp);
  }
}

/** Bytes gathered before a write (writev) while streaming a body to disk. */
const WRITE_BATCH_BYTES = 1024 * 1024;

/** Writes all of `chunks` at the file position: one writev, then plain writes for what it left. */
export async function writeAll(handle: Pick<FileHandle, 'writev' | 'write'>, chunks: Uint8Array[]): Promise<void> {
  const total = chunks.reduce((sum, c) => sum + c.length, 0);
  let written = (await handle.writev(chunks)).bytesWritten;
  if (written === total) return;
  const rest = Buffer.concat(chunks).subarray(written);
  for (let offset = 0; offset < rest.length; offset += written) {
    written = (await handle.write(rest, offset)).bytesWritten;
    if (written <= 0) throw new Error(`the write stopped at ${total - rest.length + offset} of ${total} bytes`);
  }
}

/**
 * Streams `chunks` into `<destDir>/.<name>.safe-pip-<pid>-<random>.part`, checks the hashes and an
 * expected size, runs `check` on the complete temporary file (e.g. that its metadata agrees with
 * what the resolution used), and renames the result to `<destDir>/<name>`. On any failure the
 * temporary file is removed. `maxSize` (the size the index gave) stops a body that runs on as soon
 * as it is exceeded. A failure to write the destination itself is a DiskWriteError.
 */
export async function writeVerified(options: {
  destDir: string;
  name: string;
  url: string;
  chunks: AsyncIterable<Uint8Array>;
  requirements: readonly HashRequirement[];
  expectedSize?: number | null;
  maxSize?: number | null;
  check?: (path: string) => Promise<void>;
}): Promise<WrittenFile> {
  await removeStalePartFiles(options.destDir);
  const dest = join(resolve(options.destDir), options.name);
  const tmp = join(resolve(options.destDir), `.${options.name}.safe-pip-${ownerTag()}.part`);
  const hasher = new MultiHasher(options.requirements);
  const diskError = (e: unknown): DiskWriteError =>
    new DiskWriteError(options.url, options.name, `cannot write into ${options.destDir}: ${(e as Error).message}`, { cause: e });
  trackPartFile(tmp);
  let handle: FileHandle;
  try {
    handle = await open(tmp, 'wx', 0o644);
  } catch (e) {
    untrackPartFile(tmp);
    throw diskError(e);
  }
  let ok = false;
  try {
    try {
      // Chunks are written a batch at a time: a network body comes in pieces of 64 KiB or less,
      // and one write each was the main thread's largest cost in fetching a large wheel. One
      // batch is written while the next is gathered: waiting for each write before reading on
      // held the body back (and the sender with it) for a turn of libuv's threads each MiB.
      let batch: Uint8Array[] = [];
      let batchBytes = 0;
      let writing: Promise<void> | undefined;
      let writeFailure: { error: unknown } | undefined;
      const written = async (): Promise<void> => {
        await writing;
        if (writeFailure !== undefined) throw diskError(writeFailure.error);
      };
      const flush = async (): Promise<void> => {
        const chunks = batch;
        batch = [];
        batchBytes = 0;
        await written();
        // Settled here, failure included, so that no write is ever left rejected with nobody waiting.
        writing = writeAll(handle, chunks).catch((error: unknown) => {
          writeFailure = { error };
        });
      };
      try {
        for await (const chunk of options.chunks) {
          hasher.update(chunk);
          if (options.maxSize != null && hasher.size > options.maxSize) {
            throw new FetchError(options.url, options.name, `the body is longer than the ${options.maxSize} bytes the index gave as its size`);
          }
          batch.push(chunk);
          batchBytes += chunk.length;
          if (batchBytes >= WRITE_BATCH_BYTES) await flush();
        }
        if (batchBytes > 0) await flush();
      } finally {
        await writing;
      }
      await written();
    } finally {
      await handle.close();
    }
    if (options.expectedSize != null && hasher.size !== options.expectedSize) {
      throw new FetchError(options.url, options.name, `download incomplete: got ${hasher.size} of ${options.expectedSize} bytes`);
    }
    const digests = hasher.digests();
    const mismatch = hashMismatch(options.requirements, digests);
    if (mismatch !== null) throw new FetchError(options.url, options.name, mismatch);
    await options.check?.(tmp);
    await rename(tmp, dest).catch((e: unknown) => {
      throw diskError(e);
    });
    ok = true;
    return { path: dest, digests, size: hasher.size };
  } catch (e) {
    if (e instanceof SafePipError) throw e;
    const code = (e as { code?: unknown }).code;
    const what = typeof code === 'string' && code.includes('TIMEOUT') ? 'timed out while downloading' : 'download failed';
    throw new FetchError(options.url, options.name, `${what}: ${(e as Error).message}`, { cause: e });
  } finally {
    if (!ok) await rm(tmp, { force: true });
    untrackPartFile(tmp);
  }
}
