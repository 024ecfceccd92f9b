// Reads what src/policy/startup-code.ts needs from a wheel, without extracting or installing it:
// the zip's central directory (every member name) and the bytes of the few `.pth` and `.start`
// members that land in site-packages. Works on any RandomAccessSource (a local file, a cached
// copy, HTTP range requests through IndexClient.openFile), so over HTTP a wheel costs the tail
// read that already holds its central directory plus one read per start-up file.
// The zip format is yauzl's, read by src/resolve/zip-archive.ts as wheel-metadata.ts reads it (the
// central directory usually lies within the tail read); Python's zipfile, which pip
// installs with, also goes by the central directory. Duplicate member names are all read (zipfile
// extracts each, the last one wins), so each is classified.
// Limits: 1 MiB per start-up file, 250 000 members; beyond them the wheel is reported as not
// inspectable (an ArchiveError), never passed as clean.
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { RandomAccessSource } from '../resolve/random-access.js';
import { extractMember, listArchive } from '../resolve/zip-archive.js';
import { findStartupCode, startupFilesToRead, type StartupFinding } from '../policy/startup-code.js';
import { localFileSource } from './random-access-sources.js';

const MAX_START_FILE_BYTES = 1024 * 1024;
const MAX_ENTRIES = 250_000;

export interface WheelStartupFiles {
  names: string[];
  /** One entry per start-up member read; a duplicated name gets `name` then `name (copy 2)`, … */
  contents: Map<string, Uint8Array>;
}

/** The member names and the start-up files' bytes. Throws ArchiveError when the wheel cannot be read. */
export async function readWheelStartupFiles(source: RandomAccessSource): Promise<WheelStartupFiles> {
  const archive = source.describe();
  const { zip, entries } = await listArchive(source, MAX_ENTRIES);
  const names = entries.map((e) => e.name);
  const wanted = new Set(startupFilesToRead(names));
  const contents = new Map<string, Uint8Array>();
  const copies = new Map<string, number>();
  for (const entry of entries) {
    const member = entry.name;
    if (!wanted.has(member)) continue;
    const bytes = await extractMember(zip, entry, archive, MAX_START_FILE_BYTES, (size) => `${size} bytes, more than the limit of ${MAX_START_FILE_BYTES} for a start-up file`);
    const seen = (copies.get(member) ?? 0) + 1;
    copies.set(member, seen);
    contents.set(seen === 1 ? member : `${member} (copy ${seen})`, bytes);
  }
  return { names, contents };
}

/** Reads and classifies one wheel: the findings of src/policy/startup-code.ts. */
export async function inspectWheelStartupCode(source: RandomAccessSource): Promise<StartupFinding[]> {
  const files = await readWheelStartupFiles(source);
  const findings = findStartupCode(files);
  // Duplicated members are classified under their own key: fold them back onto the member name.
  for (const [key, bytes] of files.contents) {
    const copy = / \(copy \d+\)$/.exec(key);
    if (copy === null) continue;
    const member = key.slice(0, copy.index);
    for (const finding of findStartupCode({ names: [member], contents: new Map([[member, bytes]]) })) findings.push({ ...finding, file: `${member} (a second copy in the zip)` });
  }
  return findings;
}

/** A wheel file on disk (the `demo` command, `pip install ./x.whl`). */
export async function inspectWheelFile(path: string): Promise<StartupFinding[]> {
  const info = await stat(path);
  return inspectWheelStartupCode(localFileSource(path, info.size, basename(path)));
}
