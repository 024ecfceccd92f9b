// download's own files: sdists and remote archives fetched raw from the index (hash-checked,
// written to a temporary name and renamed by the index client) and local archives copied unbuilt
// into the destination, before pip is handed the pinned wheels.
//
// The pinned wheels themselves are fetched here too, in parallel, into a private staging
// directory (index hashes checked; in a cold run of a closure without PEP 658 metadata they are
// already in safe-pip's cache from the metadata phase), and pip is handed those local files
// (pinned-download.ts). pip then needs no index request at all and still does the saving and the
// printing ("Saved …", "Successfully downloaded …") and checks the user's hashes itself. A wheel
// that cannot be staged is left to pip to fetch by its `name==version` pin, so any failure is
// reported in pip's words as before; so is a project the user also named by a wheel file or URL
// (two different links for one project would make pip refuse the pair).
// Metadata the resolution read unverified (a `.metadata` file, ranges) is checked against each
// wheel staged here (the index client refuses one that disagrees: that stops the run), and against
// each wheel pip fetched by its pin, once pip has saved it (verifyHandedOffWheels).
// In hash-checking mode the user's --hash values are checked against each staged wheel before
// pip runs (staged-hash-check.ts), so a mismatch is reported against the user's file and line.
import { copyFile, mkdir, rename } from 'node:fs/promises';
import { basename, dirname, join, resolve as resolvePath } from 'node:path';
import { normalizeName } from '../../standards/names.js';
import { linkFromUrl } from '../../standards/simple-api.js';
import type { SourcedFile } from '../../resolve/index-reader.js';
import { removeStalePartFiles } from '../../io/file-download.js';
import { MetadataMismatch } from '../../io/index-client.js';
import type { Analysis } from './analyze.js';
import { checkStagedWheelHashes } from './staged-hash-check.js';
import { stagedWheelsDir } from './install-staging.js';

export interface DownloadStepContext {
  cwd: string;
  quiet: boolean;
  stderr: NodeJS.WritableStream;
  /** The run's private directory (removed by the caller once pip has run): wheels are staged in `<tempDir>/staged-wheels`. */
  tempDir: string;
}

/** Wheels staged for pip: canonical project name -> local path (only those that staged). */
export type StagedWheels = ReadonlyMap<string, string>;

/** How many files are staged at once (the HTTP client bounds connections on its own). */
const STAGING_CONCURRENCY = 16;

export interface SavedDownloadFiles {
  staged: StagedWheels;
  /** The destination directory (absolute). */
  dest: string;
  /** What safe-pip itself saved into `dest` (raw fetches and copies), by path. */
  saved: string[];
}

/** Saves the raw fetches and copies into the destination; returns them and the wheels staged for pip. */
export async function saveDownloadFiles(analysis: Analysis, context: DownloadStepContext): Promise<SavedDownloadFiles> {
  const { plan, settings } = analysis;
  const dest = resolvePath(context.cwd, settings.downloadDir ?? '.');
  await mkdir(dest, { recursive: true });
  await removeStalePartFiles(dest);
  const saved: string[] = [];
  for (const fetch of plan.fetches) {
    const entry = await sourcedFileFor(analysis, fetch.url);
    const expected = analysis.userHashes.get(fetch.name);
    const result = await analysis.reader.downloadFile(entry, dest, expected);
    saved.push(result.path);
    if (!context.quiet) context.stderr.write(`safe-pip: saved ${result.path} (fetched raw, sha256 ${result.sha256.slice(0, 16)}…)\n`);
  }
  for (const copy of plan.copies) {
    const target = join(dest, basename(copy.path));
    if (resolvePath(copy.path) !== target) {
      const temp = join(dirname(target), `.${basename(target)}.safe-pip-${process.pid}.tmp`);
      await copyFile(copy.path, temp);
      await rename(temp, target);
    }
    saved.push(target);
    if (!context.quiet) context.stderr.write(`safe-pip: saved ${target} (copied unbuilt)\n`);
  }
  const { staged } = await stageWheels(analysis, stagedWheelsDir(context.tempDir));
  // The user's --hash values, checked here so a mismatch names the user's file, not the pins file.
  if (analysis.hashChecking) await checkStagedWheelHashes(analysis, staged);
  return { staged, dest, saved };
}

/**
 * Fetches every wheel pip is to be handed (by pin for download, found through --find-links for
 * install-staging.ts) into one private directory. Failures are not errors: that package keeps its
 * ordinary hand-off, and `complete` is false. A wheel the user named by file or URL is pip's to read.
 */
export async function stageWheels(analysis: Analysis, dir: string): Promise<{ staged: StagedWheels; complete: boolean }> {
  const namedByFile = new Set(analysis.gathered.targets.filter((t) => !t.constraint && t.kind === 'wheel' && t.name !== null).map((t) => normalizeName(t.name!)));
  const wanted = analysis.plan.packages.filter((pkg) => pkg.via === 'pip' && pkg.kind === 'wheel' && pkg.isWheel && !namedByFile.has(normalizeName(pkg.name)));
  const staged = new Map<string, string>();
  if (wanted.length === 0) return { staged, complete: true };
  await mkdir(dir, { recursive: true });
  // One flat directory, as --find-links reads it: two projects never share a wheel file name
  // (it starts with the project's name), and a clash would only leave the second one unstaged.
  const claimed = new Set<string>();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < wanted.length) {
      const pkg = wanted[next++]!;
      try {
        const entry = await indexFileFor(analysis, pkg.name, pkg.url);
        if (entry === null || claimed.has(entry.file.filename)) continue;
        claimed.add(entry.file.filename);
        const result = await analysis.reader.downloadFile(entry, dir, {}, { private: true });
        staged.set(pkg.name, result.path);
      } catch (error) {
        if (error instanceof MetadataMismatch) throw error;
        // pip fetches this one itself, and says why if it cannot.
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(STAGING_CONCURRENCY, wanted.length) }, worker));
  return { staged, complete: staged.size === wanted.length };
}

/**
 * After pip saved the closure into `dest`: each wheel pip fetched by its pin (not staged here) is
 * checked against the metadata the resolution used for it; a disagreement is a MetadataMismatch.
 */
export async function verifyHandedOffWheels(analysis: Analysis, staged: StagedWheels, cwd: string): Promise<void> {
  const dest = resolvePath(cwd, analysis.settings.downloadDir ?? '.');
  for (const pkg of analysis.plan.packages) {
    if (pkg.via !== 'pip' || !pkg.isWheel || staged.has(pkg.name)) continue;
    const entry = await indexFileFor(analysis, pkg.name, pkg.url);
    if (entry === null || !analysis.reader.hasUncheckedMetadata(entry)) continue;
    await analysis.reader.verifySavedFile(entry, join(dest, basename(pkg.filename)));
  }
}

/** The index file behind a URL in the plan, or null when the plan's URL is not one the index listed. */
async function indexFileFor(analysis: Analysis, name: string, url: string): Promise<SourcedFile | null> {
  return (await analysis.reader.projectFiles(name)).files.find((f) => f.file.url === url) ?? null;
}

/** The index file behind a URL in the plan (so its index hashes are checked), or a bare link. */
async function sourcedFileFor(analysis: Analysis, url: string): Promise<SourcedFile> {
  for (const pkg of analysis.plan.packages) {
    if (pkg.url !== url) continue;
    const found = await indexFileFor(analysis, pkg.name, url);
    if (found !== null) return found;
  }
  return { file: linkFromUrl(url), origin: { kind: 'find-links-file', location: url, page: null } };
}
