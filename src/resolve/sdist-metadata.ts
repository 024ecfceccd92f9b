// Static dependencies of a source distribution, read from the archive in memory without building
// or running anything: https://packaging.python.org/en/latest/specifications/source-distribution-format/,
// core metadata 2.2+ `Dynamic` (PEP 643) and pyproject `[project]` (PEP 621):
// https://packaging.python.org/en/latest/specifications/pyproject-toml/
//
// Decision (DESIGN.md "Policy"): PKG-INFO with Metadata-Version >= 2.2 and Requires-Dist not in
// Dynamic → its Requires-Dist; else pyproject `[project]` whose `dependencies` is not in `dynamic`
// (extras from `optional-dependencies` under the same rule) → those; else the project's
// `<name>.egg-info/requires.txt` (top level or `src/`), which setuptools wrote when it made this
// sdist: what setup.py declared then, kept as data in the file, read without running anything
// (pip's own test data `require_simple`, `TopoRequires4` only declare dependencies this way);
// else "unknown" with a reason.
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
// (100 000), size of each file read (PKG-INFO, pyproject.toml, requires.txt: 10 MiB). Breaking one
// says nothing bad about the file, so it is not an error: the dependencies are "unknown" with the
// limit as the reason (the file is still downloaded, like any sdist whose dependencies are
// dynamic). A corrupt archive throws ArchiveError.
// Requirements are read with the real pip's version rules (SdistReadOptions.rules): pip <= 24.0 reads
// the metadata it builds with packaging 21.3, which accepts legacy specifiers (`foo>=>1`).
import { Readable, Transform, pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { parse as parseToml } from 'smol-toml';
import yauzl from 'yauzl';
import { parseCoreMetadata } from '../standards/core-metadata.js';
import { parseEggInfoRequires } from '../standards/egg-info-requires.js';
import { normalizeExtra, normalizeName } from '../standards/names.js';
import type { Marker, MarkerNode } from '../standards/pep508/markers.js';
import type { VersionRules } from '../standards/legacy-version.js';
import { formatRequirement, parseRequirement } from '../standards/pep508/requirement.js';
import { ArchiveError } from './random-access.js';

export interface SdistMetadata {
  name: string | null;
  version: string | null;
  requiresPython: string | null;
  dependencies: string[] | 'unknown';
  extras: Record<string, string[]> | 'unknown';
  /**
   * Where the answer came from, relative to the sdist's top directory; null when the archive has
   * none of these files (or cannot be read here).
   */
  source: 'PKG-INFO' | 'pyproject.toml' | EggInfoRequiresPath | null;
  /** Why dependencies (or extras) are unknown. */
  reason?: string;
}

export interface SdistLimits {
  maxTotalBytes: number;
  maxMembers: number;
  maxFileBytes: number;
}

export const DEFAULT_SDIST_LIMITS: SdistLimits = { maxTotalBytes: 256 * 1024 * 1024, maxMembers: 100_000, maxFileBytes: 10 * 1024 * 1024 };

/** `<name>.egg-info/requires.txt` or `src/<name>.egg-info/requires.txt`. */
export type EggInfoRequiresPath = `${string}.egg-info/requires.txt`;

const WANTED = new Set(['PKG-INFO', 'pyproject.toml']);

/** A limit on what is read was reached: nothing is wrong with the archive, it is just too big to read here. */
class ArchiveLimitError extends ArchiveError {}

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
  const parts = path.split('/');
  const base = parts[parts.length - 1]!;
  // Only the root or one directory down can be "the top level" once the leading dir is known.
  if (WANTED.has(base)) return parts.length <= 2;
  // <top>/[src/]<name>.egg-info/requires.txt
  return base === 'requires.txt' && parts.length <= 4 && parts[parts.length - 2]!.endsWith('.egg-info');
}

async function readTar(archive: string, input: Readable, limits: SdistLimits, compressed: boolean): Promise<ArchiveListing> {
  const listing: ArchiveListing = { paths: [], files: new Map() };
  let total = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      total += chunk.length;
      if (total > limits.maxTotalBytes) {
        callback(new ArchiveLimitError(archive, `expands to more than ${limits.maxTotalBytes} bytes (compression bomb?)`));
      } else callback(null, chunk);
    },
  });
  // tar-stream (and streamx under it) load only when an sdist is read (issue 12 §1).
  const { default: tar } = await import('tar-stream');
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
      if (listing.paths.length >= limits.maxMembers) throw new ArchiveLimitError(archive, `more than ${limits.maxMembers} members`);
      const path = trustedMemberPath(entry.header.name);
      const isFile = entry.header.type === 'file' || entry.header.type === 'contiguous-file';
      if (path !== null && entry.header.type !== 'symlink' && entry.header.type !== 'link') listing.paths.push(path);
      if (path !== null && isFile && wantedName(path)) {
        if ((entry.header.size ?? 0) > limits.maxFileBytes) {
          throw new ArchiveLimitError(archive, `${entry.header.size} bytes, more than the limit of ${limits.maxFileBytes}`, { member: path });
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
    if (zip.entryCount > limits.maxMembers) throw new ArchiveLimitError(archive, `more than ${limits.maxMembers} members`);
    let total = 0;
    try {
      for await (const entry of zip.eachEntry()) {
        const path = trustedMemberPath(entry.fileName);
        if (path === null) continue;
        listing.paths.push(path);
        if (entry.fileName.endsWith('/') || !wantedName(path)) continue;
        if (entry.uncompressedSize > limits.maxFileBytes) {
          throw new ArchiveLimitError(archive, `${entry.uncompressedSize} bytes, more than the limit of ${limits.maxFileBytes}`, { member: path });
        }
        total += entry.uncompressedSize;
        if (total > limits.maxTotalBytes) throw new ArchiveLimitError(archive, `expands to more than ${limits.maxTotalBytes} bytes`);
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

function validateRequirements(values: readonly string[], where: string, rules: VersionRules): { ok: true } | { ok: false; reason: string } {
  for (const value of values) {
    try {
      parseRequirement(value, { rules });
    } catch (error) {
      return { ok: false, reason: `${where} has an invalid requirement "${value}": ${(error as Error).message}` };
    }
  }
  return { ok: true };
}

function fromPkgInfo(text: Uint8Array | string, rules: VersionRules): SdistMetadata & { usable: boolean } {
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
  const valid = validateRequirements(metadata.requiresDist, 'PKG-INFO', rules);
  if (!valid.ok) return { ...base, requiresPython, dependencies: 'unknown', extras: 'unknown', usable: false, reason: valid.reason };
  const dependencies = [...metadata.requiresDist];
  if (metadata.dynamic.includes('provides-extra')) {
    return { ...base, requiresPython, dependencies, extras: 'unknown', usable: true, reason: 'PKG-INFO lists Provides-Extra as Dynamic' };
  }
  const extras: Record<string, string[]> = {};
  for (const extra of metadata.providesExtra) {
    const name = normalizeExtra(extra);
    extras[name] = dependencies.filter((dependency) => {
      const marker = parseRequirement(dependency, { rules }).marker;
      return marker !== null && markerMentionsExtra(marker, name);
    });
  }
  return { ...base, requiresPython, dependencies, extras, usable: true };
}

function withExtraMarker(requirement: string, extra: string, rules: VersionRules): string {
  const parsed = parseRequirement(requirement, { rules });
  const extraComparison: MarkerNode = { kind: 'compare', left: { kind: 'variable', name: 'extra' }, op: '==', right: { kind: 'value', value: extra } };
  const marker: Marker = parsed.marker === null ? [extraComparison] : [parsed.marker, 'and', extraComparison];
  return formatRequirement({ ...parsed, marker });
}

function stringList(value: unknown): string[] | null {
  return Array.isArray(value) && value.every((item) => typeof item === 'string') ? (value as string[]) : null;
}

/** A pyproject.toml's static `[project]` metadata (a local project directory, or inside an sdist). */
export function readPyprojectMetadata(text: Uint8Array, rules: VersionRules = 'strict'): SdistMetadata {
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
  const baseValid = validateRequirements(base, 'pyproject.toml', rules);
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
    const valid = validateRequirements(requirements, 'pyproject.toml', rules);
    if (!valid.ok) return unknown(valid.reason, known);
    const normalized = normalizeExtra(extra);
    extras[normalized] = [...(extras[normalized] ?? []), ...requirements];
    dependencies.push(...requirements.map((requirement) => withExtraMarker(requirement, normalized, rules)));
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
 * The project's `<name>.egg-info/requires.txt` (at the top level or under `src/`, where setuptools
 * puts it) as Requires-Dist lines, or why it cannot be used; null when there is none.
 */
function fromEggInfoRequires(files: ReadonlyMap<string, Uint8Array>, prefix: string, name: string | null, rules: VersionRules): { path: EggInfoRequiresPath; dependencies: string[]; extras: Record<string, string[]> } | { path: string | null; reason: string } | null {
  if (name === null) return null;
  const found: [EggInfoRequiresPath, Uint8Array][] = [];
  for (const [path, bytes] of files) {
    if (!path.startsWith(prefix)) continue;
    const m = /^((?:src\/)?([^/]+)\.egg-info)\/requires\.txt$/.exec(path.slice(prefix.length));
    if (m !== null && normalizeName(m[2]!) === normalizeName(name)) found.push([`${m[1]!}/requires.txt` as EggInfoRequiresPath, bytes]);
  }
  if (found.length === 0) return null;
  if (found.length > 1) return { path: null, reason: `there is more than one egg-info requires.txt (${found.map(([p]) => p).join(', ')})` };
  const [path, bytes] = found[0]!;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return { path, reason: `${path} is not UTF-8` };
  }
  const parsed = parseEggInfoRequires(text);
  const valid = validateRequirements(parsed.requiresDist, path, rules);
  if (!valid.ok) return { path, reason: valid.reason };
  const extras: Record<string, string[]> = {};
  for (const extra of parsed.extras) {
    const normalized = normalizeExtra(extra);
    extras[normalized] = parsed.requiresDist.filter((dependency) => {
      const marker = parseRequirement(dependency, { rules }).marker;
      return marker !== null && markerMentionsExtra(marker, normalized);
    });
  }
  return { path, dependencies: parsed.requiresDist, extras };
}

function limitReached(filename: string, error: ArchiveLimitError): SdistMetadata {
  return {
    name: null, version: null, requiresPython: null, dependencies: 'unknown', extras: 'unknown', source: null,
    reason: `${error.message}: a limit on what safe-pip reads of an sdist, so its metadata was not read`,
  };
}

export interface SdistReadOptions {
  /**
   * Fall back to the egg-info requires.txt (default false). It is data setuptools wrote, not the
   * sdist's core metadata: use it to follow dependencies, not to check a PEP 658 file's claims.
   */
  eggInfoRequires?: boolean;
  /** The real pip's version rules for requirements (legacy-version.ts versionRulesForPip); default `strict`. */
  rules?: VersionRules;
}

/**
 * The static metadata of the sdist `bytes` named `filename`. Throws ArchiveError when the archive
 * is corrupt; returns `dependencies: 'unknown'` (with `reason`) when the dependencies cannot be
 * known without running the build, or when the archive is too big to read (a limit).
 */
export async function readSdistMetadata(
  bytes: Uint8Array,
  filename: string,
  limits: SdistLimits = DEFAULT_SDIST_LIMITS,
  options: SdistReadOptions = {},
): Promise<SdistMetadata> {
  const rules = options.rules ?? 'strict';
  const kind = archiveKind(filename);
  if (kind === 'unsupported') {
    return {
      name: null, version: null, requiresPython: null, dependencies: 'unknown', extras: 'unknown', source: null,
      reason: `safe-pip cannot open "${filename}": only .tar.gz, .tgz, .tar and .zip sdists can be read without extra decompressors`,
    };
  }
  let listing: ArchiveListing;
  try {
    listing = kind === 'zip'
      ? await readZip(filename, bytes, limits)
      : await readTar(filename, Readable.from([Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length)]), limits, kind === 'tar.gz');
  } catch (error) {
    if (error instanceof ArchiveLimitError) return limitReached(filename, error);
    throw error;
  }
  const leading = leadingDir(listing.paths);
  const prefix = leading === null ? '' : `${leading}/`;
  const at = (base: string): Uint8Array | undefined => listing.files.get(`${prefix}${base}`);
  const pkgInfo = at('PKG-INFO');
  const pyproject = at('pyproject.toml');

  let fromMetadata: (SdistMetadata & { usable: boolean }) | null = null;
  if (pkgInfo !== undefined) {
    try {
      fromMetadata = fromPkgInfo(pkgInfo, rules);
    } catch (error) {
      throw new ArchiveError(filename, `PKG-INFO cannot be read (${(error as Error).message})`, { member: 'PKG-INFO', cause: error });
    }
    if (fromMetadata.usable) {
      const { usable: _usable, ...result } = fromMetadata;
      return result;
    }
  }
  const fromPyproject = pyproject === undefined ? null : readPyprojectMetadata(pyproject, rules);
  if (fromPyproject !== null && fromPyproject.dependencies !== 'unknown') {
    // PKG-INFO is what the build produced; prefer its name and version when both exist.
    return fromMetadata === null ? fromPyproject : { ...fromPyproject, name: fromMetadata.name ?? fromPyproject.name, version: fromMetadata.version ?? fromPyproject.version };
  }
  const known = {
    name: fromMetadata?.name ?? fromPyproject?.name ?? null,
    version: fromMetadata?.version ?? fromPyproject?.version ?? null,
    requiresPython: fromMetadata?.requiresPython ?? fromPyproject?.requiresPython ?? null,
  };
  const eggInfo = options.eggInfoRequires === true ? fromEggInfoRequires(listing.files, prefix, known.name, rules) : null;
  if (eggInfo !== null && 'dependencies' in eggInfo) {
    return { ...known, dependencies: eggInfo.dependencies, extras: eggInfo.extras, source: eggInfo.path };
  }
  const reasons = [
    fromMetadata?.reason,
    fromPyproject === null ? (fromMetadata === null ? undefined : 'and there is no pyproject.toml') : fromPyproject.reason,
    eggInfo?.reason,
  ].filter((r): r is string => r !== undefined);
  if (fromPyproject !== null) {
    return { ...fromPyproject, name: known.name, version: known.version, reason: reasons.join('; ') };
  }
  if (fromMetadata !== null) {
    const { usable: _usable, ...result } = fromMetadata;
    return { ...result, reason: reasons.join('; ') };
  }
  return {
    name: null, version: null, requiresPython: null, dependencies: 'unknown', extras: 'unknown', source: null,
    reason: `"${filename}" has neither PKG-INFO nor pyproject.toml${leading === null ? '' : ` in ${leading}/`}`,
  };
}
