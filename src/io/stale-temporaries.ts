// Temporary files and folders that name the process that made them, so that what a run killed
// with SIGKILL (or a power cut) leaves behind is found and removed by a later run: the owner's PID
// and a random part in the name; an entry whose PID no longer runs is stale. An entry whose name
// carries no PID (made before this scheme) is stale once it is older than a day. A PID that was
// reused by another process keeps its entries alive a little longer: that only delays the cleanup.
import { randomBytes } from 'node:crypto';
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

const DAY_MS = 24 * 60 * 60 * 1000;

// Random parts are cut from a pool: one randomBytes call per 256 names, not one per name.
let pool = Buffer.alloc(0);
let used = 0;

/** `<pid>-<12 hex>`: the owner part of every temporary name safe-pip makes. */
export function ownerTag(): string {
  if (used + 6 > pool.length) {
    pool = randomBytes(6 * 256);
    used = 0;
  }
  used += 6;
  return `${process.pid}-${pool.toString('hex', used - 6, used)}`;
}

/** Whether a process with this PID exists (EPERM: it exists, but is someone else's). */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the entries of `dir` that `owner` recognises (it returns the PID in the name, or null for
 * a recognised name without one) and that are stale. Entries it does not recognise are never
 * touched. Best-effort: a directory that cannot be read, or an entry that cannot be removed, is
 * left as it is. Returns the names removed.
 */
export async function removeStaleEntries(dir: string, owner: (name: string) => number | null | undefined): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const pid = owner(name);
    if (pid === undefined) continue;
    const path = join(dir, name);
    try {
      if (pid !== null) {
        if (isProcessAlive(pid)) continue;
      } else if (Date.now() - (await stat(path)).mtimeMs < DAY_MS) continue;
      await rm(path, { recursive: true, force: true });
      removed.push(name);
    } catch {
      // gone already, or not ours to remove
    }
  }
  return removed;
}
