// Rewriting a user's file without ever leaving it half written: the new text goes to a temporary
// file beside the real one, gets the old file's mode (and owner, when we may set it), is flushed,
// and is renamed over it. A symlinked rc file (dotfile managers) is written through the link, so
// the link stays a link.
import { randomBytes } from 'node:crypto';
import { chmod, chown, lstat, open, readFile, readlink, realpath, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';

function isErrno(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}

/** The file a write to `path` should replace: `path` itself, or what its symlinks point at. */
export async function writeTarget(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch (error) {
    if (!isErrno(error, 'ENOENT')) throw error;
  }
  // Missing: maybe a dangling symlink, whose target is where the file belongs.
  let current = path;
  for (let hops = 0; hops < 40; hops += 1) {
    let info;
    try {
      info = await lstat(current);
    } catch (error) {
      if (isErrno(error, 'ENOENT')) return current;
      throw error;
    }
    if (!info.isSymbolicLink()) return current;
    current = resolve(dirname(current), await readlink(current));
  }
  return current;
}

/**
 * The file's bytes as a latin1 string (one char per byte, so any content survives a round trip
 * untouched), or undefined when it does not exist.
 */
export async function readBytesIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'latin1');
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return undefined;
    throw error;
  }
}

/**
 * Replaces `path` (through symlinks) with `content` atomically, keeping mode and owner. A string
 * is written as UTF-8; a file read with readBytesIfExists goes back as a Buffer (latin1).
 */
export async function writeFileAtomic(path: string, content: string | Buffer, newFileMode = 0o644): Promise<void> {
  const target = await writeTarget(path);
  let old: Awaited<ReturnType<typeof stat>> | undefined;
  try {
    old = await stat(target);
  } catch (error) {
    if (!isErrno(error, 'ENOENT')) throw error;
  }
  const temporary = `${dirname(target)}/.${basename(target)}.safe-pip-${randomBytes(6).toString('hex')}`;
  const handle = await open(temporary, 'wx', 0o600);
  try {
    try {
      await handle.writeFile(content);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await chmod(temporary, old === undefined ? newFileMode : Number(old.mode) & 0o7777);
    if (old !== undefined) {
      try {
        await chown(temporary, Number(old.uid), Number(old.gid));
      } catch (error) {
        // Only root may give a file away; an unprivileged user rewrites only their own files.
        if (!isErrno(error, 'EPERM')) throw error;
      }
    }
    await rename(temporary, target);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
}
