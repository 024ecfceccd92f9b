// Dependency confusion: one project name offered by more than one index (`--index-url` plus
// `--extra-index-url`) with different files. pip merges every index's files and takes the best
// version from any of them, silently; an attacker who registers an internal project's name on a
// public index with a higher version wins. safe-pip says so in one warning line (pip says nothing).
// Pure: the project's files with where each came from in, the line (or null) out.
import type { SourcedFile } from '../resolve/index-reader.js';
import { tryParseVersion, compareVersions } from '../standards/versions.js';
import { parseWheelFilename } from '../standards/wheel-filename.js';
import { parseSdistFilename } from '../standards/sdist-filename.js';

/** The warning for `name`, or null when at most one index offers it or they offer the same files. */
export function indexConfusionWarning(name: string, files: readonly SourcedFile[]): string | null {
  const byIndex = new Map<string, { filenames: Set<string>; versions: Set<string> }>();
  for (const { file, origin } of files) {
    if (origin.kind !== 'index' && origin.kind !== 'index-dir') continue;
    const entry = byIndex.get(origin.location) ?? { filenames: new Set(), versions: new Set() };
    entry.filenames.add(file.filename);
    const version = versionOfDistribution(file.filename);
    if (version !== null) entry.versions.add(version);
    byIndex.set(origin.location, entry);
  }
  if (byIndex.size < 2) return null;
  const sets = [...byIndex.values()].map((e) => [...e.filenames].sort().join('\n'));
  if (sets.every((s) => s === sets[0])) return null;
  const described = [...byIndex].map(([location, e]) => `${location} (${describeVersions(e.versions)})`);
  return `${name} is offered by ${byIndex.size} indexes with different files: ${described.join('; ')}. pip takes the best version from any of them, so a public index can override a private one (dependency confusion): pin the version, use one index, or check the project's origin.`;
}

function describeVersions(versions: ReadonlySet<string>): string {
  if (versions.size === 0) return 'no versions';
  const sorted = [...versions].sort((a, b) => {
    const va = tryParseVersion(a);
    const vb = tryParseVersion(b);
    return va && vb ? compareVersions(va, vb) : a < b ? -1 : a > b ? 1 : 0;
  });
  const shown = sorted.length > 4 ? [...sorted.slice(0, 2), '…', ...sorted.slice(-2)] : sorted;
  return `${sorted.length === 1 ? 'version' : 'versions'} ${shown.join(', ')}`;
}

/** The version a distribution's filename gives, or null when it gives none that parses. */
export function versionOfDistribution(filename: string): string | null {
  try {
    return filename.endsWith('.whl') ? parseWheelFilename(filename).version : parseSdistFilename(filename).version.toString();
  } catch {
    return null;
  }
}
