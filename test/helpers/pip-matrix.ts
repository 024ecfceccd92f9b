// The pip releases safe-pip must behave like (23.2 to 26.x), one venv each, for differential
// tests: run the same command through safe-pip and through the real pip X, compare.
//
// scripts/prepare-pip-matrix.mjs builds the venvs (`npm test` runs it first, as "pretest") and
// writes .cache/pip-matrix/manifest.json; this module only reads that manifest. A release that
// could not be had is never a silent pass: describeEachPip turns it into a skipped test whose
// title carries the reason.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';
import { compareVersions, parseVersion } from '../../src/standards/versions.js';

/** The fixed part of the matrix; the newest 26.x release is added from the manifest. */
const FIXED_RELEASES = ['23.2.1', '24.0', '24.3.1', '25.0.1', '25.1.1', '25.2', '25.3', '26.0.1'] as const;
/** The name the manifest (and PIP_MATRIX) gives the newest 26.x when it is not known. */
const NEWEST_UNKNOWN = '26.x';

export const PIP_MATRIX_MANIFEST = fileURLToPath(new URL('../../.cache/pip-matrix/manifest.json', import.meta.url));
const PREPARE = 'run `node scripts/prepare-pip-matrix.mjs` first';

export interface PipRelease {
  version: string;
  /** Absolute path of the venv's bin/python. */
  python: string;
  /** Absolute path of the venv's bin/pip. */
  pip: string;
}

export type PipAvailability = PipRelease | { version: string; skipReason: string };

export interface PipMatrixManifestEntry extends PipRelease {
  status: 'ready' | 'missing';
  reason?: string;
  /** Set on the entry that stands for "the newest release of this major version". */
  newestOf?: string;
}

interface LoadedManifest {
  entries: PipMatrixManifestEntry[] | null;
  /** Why there are no entries. */
  problem: string;
}

function loadManifest(): LoadedManifest {
  let text: string;
  try {
    text = readFileSync(PIP_MATRIX_MANIFEST, 'utf8');
  } catch {
    return { entries: null, problem: `no pip matrix manifest at ${PIP_MATRIX_MANIFEST}: ${PREPARE}` };
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (!Array.isArray(parsed)) throw new Error('not a list');
    return { entries: parsed as PipMatrixManifestEntry[], problem: '' };
  } catch (error) {
    return { entries: null, problem: `unreadable pip matrix manifest ${PIP_MATRIX_MANIFEST} (${(error as Error).message}): ${PREPARE}` };
  }
}

const manifest = loadManifest();

/** The manifest's entries (null when it is missing or unreadable), for tests of the matrix itself. */
export function pipMatrixManifest(): readonly PipMatrixManifestEntry[] | null {
  return manifest.entries;
}

function newestRelease(): string {
  return manifest.entries?.find((entry) => entry.newestOf === '26')?.version ?? NEWEST_UNKNOWN;
}

/** Every release of the matrix, oldest first; the last is the newest 26.x (`26.x` when unknown). */
export const PIP_MATRIX: readonly string[] = Object.freeze([...new Set<string>([...FIXED_RELEASES, newestRelease()])]);

/** The venv of pip `version`, or why there is none. */
export function pipRelease(version: string): PipAvailability {
  if (manifest.entries === null) return { version, skipReason: manifest.problem };
  const entry = manifest.entries.find((candidate) => candidate.version === version);
  if (entry === undefined) return { version, skipReason: `pip ${version} is not in ${PIP_MATRIX_MANIFEST}: ${PREPARE}` };
  if (entry.status !== 'ready') return { version, skipReason: entry.reason ?? `pip ${version} is ${entry.status}` };
  if (!existsSync(entry.python)) return { version, skipReason: `the venv of pip ${version} is gone (${entry.python}): ${PREPARE}` };
  return { version: entry.version, python: entry.python, pip: entry.pip };
}

/** The releases of `versions` (default: the whole matrix) that have a venv. */
export function availablePips(versions: readonly string[] = PIP_MATRIX): PipRelease[] {
  return versions.map(pipRelease).filter((release): release is PipRelease => !('skipReason' in release));
}

/**
 * Inside a describe: one describe(`pip ${v}`) per available release running body(pip); for a
 * missing one an it.skip whose title carries the reason, so the report says why.
 */
export function describeEachPip(versions: readonly string[] | 'all', body: (pip: PipRelease) => void): void {
  for (const version of versions === 'all' ? PIP_MATRIX : versions) {
    const release = pipRelease(version);
    if ('skipReason' in release) it.skip(`pip ${version}: unavailable: ${release.skipReason}`, () => {});
    else describe(`pip ${version}`, () => body(release));
  }
}

/** PEP 440 order of pip versions: `pipAtLeast('23.10', '23.2.1')` is true. */
export function pipAtLeast(pip: PipRelease | string, version: string): boolean {
  const actual = typeof pip === 'string' ? pip : pip.version;
  return compareVersions(parseVersion(actual), parseVersion(version)) >= 0;
}
