// Static dependencies of a source distribution, read from the archive in memory without building
// or running anything: https://packaging.python.org/en/latest/specifications/source-distribution-format/,
// core metadata 2.2+ `Dynamic` (PEP 643) and pyproject `[project]` (PEP 621):
// https://packaging.python.org/en/latest/specifications/pyproject-toml/
//
// Decision (DESIGN.md "Policy"): PKG-INFO with Metadata-Version >= 2.2 and Requires-Dist not in
// Dynamic → its Requires-Dist; else pyproject `[project]` whose `dependencies` is not in `dynamic`
// (extras from `optional-dependencies` under the same rule) → those; else "unknown" with a reason.
// `dependencies` is always in Requires-Dist form, like a wheel's METADATA: requirements of an extra
// carry `extra == "<name>"` in their marker, so the resolver evaluates them the same way for
// wheels and sdists. `extras` lists, per extra, its requirements (pyproject: as declared;
// PKG-INFO: the Requires-Dist entries whose marker compares `extra` with that name).
//
// The archive's PKG-INFO and pyproject.toml are the ones pip would see after unpacking: inside
// the single leading directory every member shares (pip `utils/unpacking.py:has_leading_dir`),
// else at the root. Members with absolute paths, `..` components or backslashes are never trusted,
// links are ignored. Formats: .tar.gz/.tgz (node:zlib), .tar, .zip (yauzl). .tar.bz2/.tar.xz and
// friends cannot be decompressed without new dependencies: "unknown" with that reason.
// Limits: total decompressed bytes (default 256 MiB, a compression-bomb guard), member count
// (100 000), PKG-INFO / pyproject.toml size (10 MiB each). Breaking one, or a corrupt archive,
// throws ArchiveError.
import { Readable, Transform, pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { parse as parseToml } from 'smol-toml';
import tar from 'tar-stream';
import yauzl from 'yauzl';
import { parseCoreMetadata } from '../standards/core-metadata.js';
import { normalizeExtra } from '../standards/names.js';
import type { Marker, MarkerNode } from '../standards/pep508/markers.js';
import { formatRequirement, parseRequirement } from '../standards/pep508/requirement.js';
import { ArchiveError } from './random-access.js';

export interface SdistMetadata {
  name: string | null;
  version: string | null;
  requiresPython: string | null;
  dependencies: string[] | 'unknown';
  extras: Record<string, string[]> | 'unknown';
  /** Where the answer came from; null when the archive has neither file (or cannot be read here). */
  source: 'PKG-INFO' | 'pyproject.toml' | null;
  /** Why dependencies (or extras) are unknown. */
  reason?: string;
}

export interface SdistLimits {
  maxTotalBytes: number;
  maxMembers: number;
  maxFileBytes: number;
}

export const DEFAULT_SDIST_LIMITS: SdistLimits = { maxTotalBytes: 256 * 1024 * 1024, maxMembers: 100_000, maxFileBytes: 10 * 1024 * 1024 };

const WANTED = new Set(['PKG-INFO', 'pyproject.toml']);

/** What the archive holds that matters here: every trusted path, and the wanted files' bytes by path. */
interface ArchiveListing {
  paths: string[];
  files: Map<string, Uint8Array>;
}

/** A member path we are willing to reason about, normalized; null when it must not be trusted. */
export function trustedMemberPath(name: string): string | null {
  if (name.includes('\\') || name.startsWith('/') || /^[A-Za-z]:/.test(name)) return null;
  const parts = name.split('/').filter((part) => part !== '' && part !== '.');
  if (parts.length === 0 || parts.includes('..')) return null;
  return parts.join('/');
}

/** pip `has_leading_dir`: the directory every path starts with, or null. */
function leadingDir(paths: readonly string[]): string | null {
  let common: string | null = null;
  for (const path of paths) {
    const slash = path.indexOf('/');
    const prefix = slash < 0 ? path : path.slice(0, slash);
    if (common === null) common = prefix;
    else if (prefix !== common) return null;
  }
  return common;
}

function wantedName(path: string): boolean {
  const slash = path.lastIndexOf('/');
  const base = slash < 0 ? path : path.slice(slash + 1);
  // Only the root or one directory down can be "the top level" once the leading dir is known.
  return WANTED.has(base) && path.split('/').length <= 2;
}

async function readTar(archive: string, input: Readable, limits: SdistLimits, compressed: boolean): Promise<ArchiveListing> {
  const listing: ArchiveListing = { paths: [], files: new Map() };
  let total = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      total += chunk.length;
      if (total > limits.maxTotalBytes) {
        callback(new ArchiveError(archive, `expands to more than ${limits.maxTotalBytes} bytes (compression bomb?)`));
      } else callback(null, chunk);
    },
  });
  const extract = tar.extract();
  let pipelineError: Error | null = null;
  const done = new Promise<void>((resolve) => {
    const streams = compressed ? [input, createGunzip(), counter, extract] : [input, counter, extract];
    (pipeline as (...args: unknown[]) => void)(...streams, (error: Error | null | undefined) => {
      if (error) pipelineError = error;
      resolve();
    });
  });
  try {
    for await (const entry of extract) {
      if (listing.paths.length >= limits.maxMembers) throw new ArchiveError(archive, `more than ${limits.maxMembers} members`);
      const path = trustedMemberPath(entry.header.name);
      const isFile = entry.header.type === 'file' || entry.header.type === 'contiguous-file';
      if (path !== null && entry.header.type !== 'symlink' && entry.header.type !== 'link') listing.paths.push(path);
      if (path !== null && isFile && wantedName(path)) {
        if ((entry.header.size ?? 0) > limits.maxFileBytes) {
          throw new ArchiveError(archive, `${entry.header.size} bytes, more than the limit of ${limits.maxFileBytes}`, { member: path });
        }
        const chunks: Buffer[] = [];
        for await (const chunk of entry as AsyncIterable<Buffer>) chunks.push(chunk);
        listing.files.set(path, Buffer.concat(chunks));
      } else {
        entry.resume();
      }
    }
  } catch (error) {
    input.destroy();
    await done;
    if (error instanceof ArchiveError) throw error;
    const cause = pipelineError ?? error;
    if (cause instanceof ArchiveError) throw cause;
    throw new ArchiveError(archive, `corrupt ${compressed ? 'tar.gz' : 'tar'} archive (${(cause as Error).message})`, { cause });
  }
  await done;
  if (pipelineError !== null) {
    const cause: Error = pipelineError;
    if (cause instanceof ArchiveError) throw cause;
    throw new ArchiveError(archive, `corrupt ${compressed ? 'tar.gz' : 'tar'} archive (${cause.message})`, { cause });
  }
  return listing;
}

async function readZip(archive: string, bytes: Uint8Array, limits: SdistLimits): Promise<ArchiveListing> {
  const listing: ArchiveListing = { paths: [], files: new Map() };
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.fromBufferPromise(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length), {
      lazyEntries: true,
      autoClose: false,
      validateEntrySizes: true,
    });
  } catch (error) {
    throw new ArchiveError(archive, `not a readable zip file (${(error as Error).message})`, { cause: error });
  }
  try {
    if (zip.entryCount > limits.maxMembers) throw new ArchiveError(archive, `more than ${limits.maxMembers} members`);
    let total = 0;
    try {
      for await (const entry of zip.eachEntry()) {
        const path = trustedMemberPath(entry.fileName);
        if (path === null) continue;
        listing.paths.push(path);
        if (entry.fileName.endsWith('/') || !wantedName(path)) continue;
        if (entry.uncompressedSize > limits.maxFileBytes) {
          throw new ArchiveError(archive, `${entry.uncompressedSize} bytes, more than the limit of ${limits.maxFileBytes}`, { member: path });
        }
        total += entry.uncompressedSize;
        if (total > limits.maxTotalBytes) throw new ArchiveError(archive, `expands to more than ${limits.maxTotalBytes} bytes`);
        const stream = await zip.openReadStreamPromise(entry);
        const chunks: Buffer[] = [];
        for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
        listing.files.set(path, Buffer.concat(chunks));
      }
    } catch (error) {
      if (error instanceof ArchiveError) throw error;
      throw new ArchiveError(archive, `corrupt zip archive (${(error as Error).message})`, { cause: error });
    }
  } finally {
    zip.close();
  }
  return listing;
}

function compareMetadataVersion(text: string, major: number, minor: number): number {
  const [a = 0, b = 0] = text.trim().split('.').map((part) => Number.parseInt(part, 10) || 0);
  return a !== major ? a - major : b - minor;
}

function markerMentionsExtra(marker: Marker | MarkerNode, extra: string): boolean {
  if (typeof marker === 'string') return false;
  if (Array.isArray(marker)) return (marker as readonly MarkerNode[]).some((node) => markerMentionsExtra(node, extra));
  const comparison = marker as Exclude<MarkerNode, string | Marker>;
  const sides = [comparison.left, comparison.right];
  return (
    comparison.op === '==' &&
    sides.some((side) => side.kind === 'variable' && side.name === 'extra') &&
    sides.some((side) => side.kind === 'value' && normalizeExtra(side.value) === extra)
  );
}

function validateRequirements(values: readonly string[], where: string): { ok: true } | { ok: false; reason: string } {
  for (const value of values) {
    try {
      parseRequirement(value);
    } catch (error) {
      return { ok: false, reason: `${where} has an invalid requirement "${value}": ${(error as Error).message}` };
    }
  }
  return { ok: true };
}

function fromPkgInfo(text: Uint8Array | string): SdistMetadata & { usable: boolean } {
  const metadata = parseCoreMetadata(text);
  const base = { name: metadata.name, version: metadata.version, source: 'PKG-INFO' as const };
  const requiresPython = metadata.dynamic.includes('requires-python') ? null : metadata.requiresPython;
  const version = metadata.metadataVersion ?? '';
  if (compareMetadataVersion(version, 2, 2) < 0) {
    return { ...base, requiresPython, dependencies: 'unknown', extras: 'unknown', usable: false, reason: `PKG-INFO has Metadata-Version ${version || '(none)'}, older than 2.2, so its Requires-Dist may be incomplete` };
  }
  if (metadata.dynamic.includes('requires-dist')) {
    return { ...base, requiresPython, dependencies: 'unknown', extras: 'unknown', usable: false, reason: 'PKG-INFO lists Requires-Dist as Dynamic: the build computes the dependencies' };
  }
  const valid = validateRequirements(metadata.requiresDist, 'PKG-INFO');
  if (!valid.ok) return { ...base, requiresPython, dependencies: 'unknown', extras: 'unknown', usable: false, reason: valid.reason };
  const dependencies = [...metadata.requiresDist];
  if (metadata.dynamic.includes('provides-extra')) {
    return { ...base, requiresPython, dependencies, extras: 'unknown', usable: true, reason: 'PKG-INFO lists Provides-Extra as Dynamic' };
  }
  const extras: Record<string, string[]> = {};
  for (const extra of metadata.providesExtra) {
    const name = normalizeExtra(extra);
    extras[name] = dependencies.filter((dependency) => {
      const marker = parseRequirement(dependency).marker;
      return marker !== null && markerMentionsExtra(marker, name);
    });
  }
  return { ...base, requiresPython, dependencies, extras, usable: true };
}

function withExtraMarker(requirement: string, extra: string): string {
  const parsed = parseRequirement(requirement);
  const extraComparison: MarkerNode = { kind: 'compare', left: { kind: 'variable', name: 'extra' }, op: '==', right: { kind: 'value', value: extra } };
  const marker: Marker = parsed.marker === null ? [extraComparison] : [parsed.marker, 'and', extraComparison];
  return formatRequirement({ ...parsed, marker });
}

function stringList(value: unknown): string[] | null {
  return Array.isArray(value) && value.every((item) => typeof item === 'string') ? (value as string[]) : null;
}

/** A pyproject.toml's static `[project]` metadata (a local project directory, or inside an sdist). */
export function readPyprojectMetadata(text: Uint8Array): SdistMetadata {
  const unknown = (reason: string, extra: Partial<SdistMetadata> = {}): SdistMetadata => ({
    name: null, version: null, requiresPython: null, dependencies: 'unknown', extras: 'unknown', source: 'pyproject.toml', reason, ...extra,
  });
  let document: Record<string, unknown>;
  try {
    document = parseToml(new TextDecoder('utf-8', { fatal: true }).decode(text)) as Record<string, unknown>;
  } catch (error) {
    return unknown(`pyproject.toml cannot be parsed: ${(error as Error).message.split('\n')[0]}`);
  }
  const project = document['project'];
  if (typeof project !== 'object' || project === null || Array.isArray(project)) {
    return unknown('pyproject.toml has no [project] table: the build backend decides the dependencies');
  }
  const table = project as Record<string, unknown>;
  const dynamic = stringList(table['dynamic']) ?? [];
  const name = typeof table['name'] === 'string' ? table['name'] : null;
  const version = !dynamic.includes('version') && typeof table['version'] === 'string' ? table['version'] : null;
  const requiresPython = !dynamic.includes('requires-python') && typeof table['requires-python'] === 'string' ? table['requires-python'] : null;
  const known = { name, version, requiresPython };
  if (dynamic.includes('dependencies')) return unknown('pyproject.toml lists "dependencies" in [project].dynamic', known);
  const base = table['dependencies'] === undefined ? [] : stringList(table['dependencies']);
  if (base === null) return unknown('pyproject.toml [project].dependencies is not a list of strings', known);
  const baseValid = validateRequirements(base, 'pyproject.toml');
  if (!baseValid.ok) return unknown(baseValid.reason, known);
  if (dynamic.includes('optional-dependencies')) {
    return { ...known, dependencies: [...base], extras: 'unknown', source: 'pyproject.toml', reason: 'pyproject.toml lists "optional-dependencies" in [project].dynamic' };
  }
  const optional = table['optional-dependencies'] ?? {};
  if (typeof optional !== 'object' || optional === null || Array.isArray(optional)) {
    return unknown('pyproject.toml [project].optional-dependencies is not a table', known);
  }
  const extras: Record<string, string[]> = {};
  const dependencies = [...base];
  for (const [extra, value] of Object.entries(optional as Record<string, unknown>)) {
    const requirements = stringList(value);
    if (requirements === null) return unknown(`pyproject.toml optional-dependencies.${extra} is not a list of strings`, known);
    const valid = validateRequirements(requirements, 'pyproject.toml');
    if (!valid.ok) return unknown(valid.reason, known);
    const normalized = normalizeExtra(extra);
    extras[normalized] = [...(extras[normalized] ?? []), ...requirements];
    dependencies.push(...requirements.map((requirement) => withExtraMarker(requirement, normalized)));
  }
  return { ...known, dependencies, extras, source: 'pyproject.toml' };
}

function archiveKind(filename: string): 'tar.gz' | 'tar' | 'zip' | 'unsupported' {
  const lower = filename.toLowerCase();
  if (lower.endsWith('.tar.gz') || lower.endsWith('.tgz')) return 'tar.gz';
  if (lower.endsWith('.tar')) return 'tar';
  if (lower.endsWith('.zip')) return 'zip';
  return 'unsupported';
}

/**
 * The static metadata of the sdist `bytes` named `filename`. Throws ArchiveError when the archive
 * is corrupt or breaks a limit; returns `dependencies: 'unknown'` (with `reason`) when the
 * dependencies cannot be known without running the build.
 */
export async function readSdistMetadata(bytes: Uint8Array, filename: string, limits: SdistLimits = DEFAULT_SDIST_LIMITS): Promise<SdistMetadata> {
  const kind = archiveKind(filename);
  if (kind === 'unsupported') {
    return {
      name: null, version: null, requiresPython: null, dependencies: 'unknown', extras: 'unknown', source: null,
      reason: `safe-pip cannot open "${filename}": only .tar.gz, .tgz, .tar and .zip sdists can be read without extra decompressors`,
    };
  }
  const listing = kind === 'zip'
    ? await readZip(filename, bytes, limits)
    : await readTar(filename, Readable.from([Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length)]), limits, kind === 'tar.gz');
  const leading = leadingDir(listing.paths);
  const at = (base: string): Uint8Array | undefined => listing.files.get(leading === null ? base : `${leading}/${base}`);
  const pkgInfo = at('PKG-INFO');
  const pyproject = at('pyproject.toml');

  let fromMetadata: (SdistMetadata & { usable: boolean }) | null = null;
  if (pkgInfo !== undefined) {
    try {
      fromMetadata = fromPkgInfo(pkgInfo);
    } catch (error) {
      throw new ArchiveError(filename, `PKG-INFO cannot be read (${(error as Error).message})`, { member: 'PKG-INFO', cause: error });
    }
    if (fromMetadata.usable) {
      const { usable: _usable, ...result } = fromMetadata;
      return result;
    }
  }
  if (pyproject !== undefined) {
    const result = readPyprojectMetadata(pyproject);
    // PKG-INFO is what the build produced; prefer its name and version when both exist.
    const named = fromMetadata === null ? result : { ...result, name: fromMetadata.name ?? result.name, version: fromMetadata.version ?? result.version };
    if (result.dependencies !== 'unknown' || fromMetadata === null) return named;
    return { ...named, reason: `${fromMetadata.reason}; ${result.reason}` };
  }
  if (fromMetadata !== null) {
    const { usable: _usable, ...result } = fromMetadata;
    return { ...result, reason: `${result.reason}; and there is no pyproject.toml` };
  }
  return {
    name: null, version: null, requiresPython: null, dependencies: 'unknown', extras: 'unknown', source: null,
    reason: `"${filename}" has neither PKG-INFO nor pyproject.toml${leading === null ? '' : ` in ${leading}/`}`,
  };
}
