// https://packaging.python.org/en/latest/specifications/pylock-toml/ (PEP 751), the subset pip
// 26.1+ reads for `-r pylock.toml` / `-r pylock.<name>.toml`: packaging 26's `pylock.py`
// (`Pylock.from_dict` validation and `Pylock.select`), pip's utils/pylock.py (file names, the URL
// of each source relative to the lock file) and `install_req_from_pylock_package`
// (req/constructors.py). Measured against pip 26.2.1 and packaging 26.2.
//
// Supported: every key `from_dict` checks (types, required keys, normalized names, one kind of
// source per package, wheel/sdist filenames consistent with name and version, hashes present,
// lock-version 1.x), packaging's error text with its `in 'packages[0].wheels[1].hashes'` context;
// selection: `requires-python`, `environments`, package markers in the lock-file context (`extras`
// empty, `dependency_groups` = `default-groups`, `extra` undefined), duplicate packages, the wheel
// whose best tag ranks first in the target's tag list (else the sdist, else pip's error); the
// source URLs pip builds (relative paths against the lock file's directory or URL, the checks on
// remote locks, `#subdirectory=`, `vcs+url@commit`).
// Not modelled: datetime vs date/time TOML types (smol-toml has one date type), float vs integer
// `size` (JavaScript has one number type), `tool`/`index`/`dependencies` contents (pip ignores them).
import { parse as parseToml, TomlError } from 'smol-toml';
import { SafePipError } from '../errors.js';
import { pythonStrRepr } from '../pip/python-repr.js';
import type { MarkerEnvironment } from './interpreter-facts.js';
import { evaluateMarker, parseMarker, type Marker, type MarkerNode, RequirementParseError } from './pep508/markers.js';
import { isNormalizedName } from './names.js';
import { pyAbspath, pyDirname, pyJoin, pyNormpath } from './requirements-file/python-path.js';
import { pyPathToUrl } from './requirements-file/pip-urls.js';
import { parseSdistFilename } from './sdist-filename.js';
import { InvalidSpecifier, SpecifierSet } from './specifiers.js';
import { tagRanking } from './tags.js';
import { compareVersions, parseVersion, InvalidVersion, type Version } from './versions.js';
import { parseWheelFilename } from './wheel-filename.js';
import { urljoin, urlsplit } from './python-urllib.js';

export type PylockErrorKind = 'read' | 'invalid' | 'select' | 'location';

/** Every failure pip reports for a pylock file; `pipMessage` is pip's text after "ERROR: ". */
export class PylockError extends SafePipError {
  readonly kind: PylockErrorKind;
  /** The lock file as given to `-r`. */
  readonly input: string;
  /** packaging's context (`packages[0].wheels[1].hashes`), or null. */
  readonly context: string | null;
  readonly pipMessage: string;
  constructor(kind: PylockErrorKind, input: string, pipMessage: string, options: { context?: string | null; cause?: unknown } = {}) {
    super(pipMessage, { cause: options.cause });
    this.name = 'PylockError';
    this.kind = kind;
    this.input = input;
    this.context = options.context ?? null;
    this.pipMessage = pipMessage;
  }
}

export type Hashes = Readonly<Record<string, string>>;

export interface PylockVcs {
  type: string;
  url: string | null;
  path: string | null;
  requestedRevision: string | null;
  commitId: string;
  subdirectory: string | null;
}
export interface PylockDirectory {
  path: string;
  editable: boolean | null;
  subdirectory: string | null;
}
export interface PylockArchive {
  url: string | null;
  path: string | null;
  size: number | null;
  hashes: Hashes;
  subdirectory: string | null;
}
/** An `sdist` or one of the `wheels`. */
export interface PylockDistribution {
  name: string | null;
  url: string | null;
  path: string | null;
  size: number | null;
  hashes: Hashes;
  /** packaging's `filename`: `name`, else the last part of `path`, else of the URL's path. */
  filename: string;
}
export interface PylockPackage {
  name: string;
  version: Version | null;
  marker: Marker | null;
  requiresPython: SpecifierSet | null;
  vcs: PylockVcs | null;
  directory: PylockDirectory | null;
  archive: PylockArchive | null;
  index: string | null;
  sdist: PylockDistribution | null;
  wheels: PylockDistribution[] | null;
}
export interface Pylock {
  lockVersion: Version;
  environments: Marker[] | null;
  requiresPython: SpecifierSet | null;
  extras: string[] | null;
  dependencyGroups: string[] | null;
  defaultGroups: string[] | null;
  createdBy: string;
  packages: PylockPackage[];
}

const PYLOCK_NAME_RE = /^pylock\.([^.]+)\.toml$/;
const URL_RE = /^(http|https|file):\/\//i;

/** pip's `is_valid_pylock_filename`: a path, or a URL whose last path segment, named like a lock. */
export function isPylockFilename(location: string): boolean {
  let name: string;
  if (URL_RE.test(location)) {
    let path: string;
    try {
      path = urlsplit(location).path;
    } catch {
      return false;
    }
    name = pathName(path.slice(path.lastIndexOf('/') + 1));
  } else {
    name = pathName(location);
  }
  return name === 'pylock.toml' || PYLOCK_NAME_RE.test(name);
}

/** pathlib.PurePosixPath(p).name. */
function pathName(path: string): string {
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  return parts.length === 0 ? '' : parts[parts.length - 1]!;
}

/** True for a lock file given by URL (pip's `_is_url`: http, https or file followed by "//"). */
export function isPylockUrl(location: string): boolean {
  return URL_RE.test(location);
}

// ------------------------------------------------------------------------------------------
// Validation (packaging `Pylock.from_dict`)

class Invalid extends Error {
  constructor(
    readonly detail: string,
    readonly context: string | null = null,
  ) {
    super(detail);
  }
  override toString(): string {
    return this.context ? `${this.detail} in ${pythonStrRepr(this.context)}` : this.detail;
  }
}

/** packaging's `PylockValidationError(e, context=key)`: contexts nest with ".". */
function within<T>(context: string, body: () => T): T {
  try {
    return body();
  } catch (error) {
    if (error instanceof Invalid) throw new Invalid(error.detail, error.context ? `${context}.${error.context}` : context);
    throw new Invalid(foreignMessage(error), context);
  }
}

function foreignMessage(error: unknown): string {
  if (error instanceof InvalidVersion) return `Invalid version: ${pythonStrRepr(error.input)}`;
  if (error instanceof InvalidSpecifier) return `Invalid specifier: ${pythonStrRepr(error.input)}`;
  if (error instanceof RequirementParseError) return [error.detail, ...error.message.split('\n').slice(1)].join('\n');
  if (error instanceof Error) return error.message;
  return String(error);
}

type Table = Record<string, unknown>;

function isTable(value: unknown): value is Table {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Date) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

type Expected = 'str' | 'int' | 'bool' | 'datetime' | 'Mapping' | 'Sequence';

function pyTypeName(value: unknown): string {
  if (typeof value === 'string') return 'str';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number' || typeof value === 'bigint') return Number.isInteger(Number(value)) ? 'int' : 'float';
  if (Array.isArray(value)) return 'list';
  if (value instanceof Date) return 'datetime';
  return 'dict';
}

function matches(value: unknown, expected: Expected): boolean {
  switch (expected) {
    case 'str':
      return typeof value === 'string';
    case 'int': // bool is an int in Python
      return typeof value === 'bigint' || typeof value === 'boolean' || (typeof value === 'number' && Number.isInteger(value));
    case 'bool':
      return typeof value === 'boolean';
    case 'datetime':
      return value instanceof Date;
    case 'Mapping':
      return isTable(value);
    case 'Sequence':
      return Array.isArray(value) || typeof value === 'string';
  }
}

function get(d: Table, expected: Expected, key: string): unknown {
  if (!Object.hasOwn(d, key)) return null;
  const value = d[key];
  if (!matches(value, expected)) throw new Invalid(`Unexpected type ${pyTypeName(value)} (expected ${expected})`, key);
  return value;
}

function getRequired(d: Table, expected: Expected, key: string): unknown {
  const value = get(d, expected, key);
  if (value === null) throw new Invalid('Missing required value', key);
  return value;
}

function getString(d: Table, key: string): string | null {
  return get(d, 'str', key) as string | null;
}

function getAs<T>(d: Table, expected: Expected, key: string, convert: (value: never) => T): T | null {
  const value = get(d, expected, key);
  if (value === null) return null;
  return within(key, () => convert(value as never));
}

function getSequence(d: Table, itemType: Expected, key: string): unknown[] | null {
  const value = get(d, 'Sequence', key);
  if (value === null) return null;
  if (typeof value === 'string') throw new Invalid('Unexpected type str (expected Sequence)', key);
  (value as unknown[]).forEach((item, i) => {
    if (!matches(item, itemType)) throw new Invalid(`Unexpected type ${pyTypeName(item)} (expected ${itemType})`, `${key}[${i}]`);
  });
  return value as unknown[];
}

function getSequenceAs<T>(d: Table, itemType: Expected, key: string, convert: (value: never) => T): T[] | null {
  const items = getSequence(d, itemType, key);
  if (items === null) return null;
  const out: T[] = [];
  for (const item of items) out.push(within(`${key}[${out.length}]`, () => convert(item as never)));
  return out;
}

function getObject<T>(d: Table, key: string, convert: (t: Table) => T): T | null {
  const value = get(d, 'Mapping', key);
  return value === null ? null : within(key, () => convert(value as Table));
}

function getObjects<T>(d: Table, key: string, convert: (t: Table) => T): T[] | null {
  const items = getSequence(d, 'Mapping', key);
  if (items === null) return null;
  const out: T[] = [];
  for (const item of items) out.push(within(`${key}[${out.length}]`, () => convert(item as Table)));
  return out;
}

function validateName(name: string): string {
  if (!isNormalizedName(name)) throw new Invalid(`Name ${pythonStrRepr(name)} is not normalized`);
  return name;
}

function validateHashes(hashes: Table): Hashes {
  if (Object.keys(hashes).length === 0) throw new Invalid('At least one hash must be provided');
  if (!Object.values(hashes).every((v) => typeof v === 'string')) throw new Invalid('Hash values must be strings');
  return hashes as Hashes;
}

function validatePathUrl(path: string | null, url: string | null): void {
  if (!path && !url) throw new Invalid('path or url must be provided');
}

function requiredHashes(d: Table): Hashes {
  const value = getAs(d, 'Mapping', 'hashes', (t: Table) => validateHashes(t));
  if (value === null) throw new Invalid('Missing required value', 'hashes');
  return value;
}

function vcsFrom(d: Table): PylockVcs {
  const vcs: PylockVcs = {
    type: getRequired(d, 'str', 'type') as string,
    url: getString(d, 'url'),
    path: getString(d, 'path'),
    requestedRevision: getString(d, 'requested-revision'),
    commitId: getRequired(d, 'str', 'commit-id') as string,
    subdirectory: getString(d, 'subdirectory'),
  };
  validatePathUrl(vcs.path, vcs.url);
  return vcs;
}

function directoryFrom(d: Table): PylockDirectory {
  return {
    path: getRequired(d, 'str', 'path') as string,
    editable: get(d, 'bool', 'editable') as boolean | null,
    subdirectory: getString(d, 'subdirectory'),
  };
}

function archiveFrom(d: Table): PylockArchive {
  const url = getString(d, 'url');
  const path = getString(d, 'path');
  const size = get(d, 'int', 'size') as number | null;
  get(d, 'datetime', 'upload-time');
  const archive: PylockArchive = { url, path, size: size === null ? null : Number(size), hashes: requiredHashes(d), subdirectory: getString(d, 'subdirectory') };
  validatePathUrl(archive.path, archive.url);
  return archive;
}

function lastSegment(text: string): string {
  if (text.includes('/')) return text.slice(text.lastIndexOf('/') + 1);
  if (text.includes('\\')) return text.slice(text.lastIndexOf('\\') + 1);
  return text;
}

function distributionFrom(kind: 'sdist' | 'wheel') {
  return (d: Table): PylockDistribution => {
    const name = getString(d, 'name');
    get(d, 'datetime', 'upload-time');
    const url = getString(d, 'url');
    const path = getString(d, 'path');
    const size = get(d, 'int', 'size') as number | null;
    const hashes = requiredHashes(d);
    validatePathUrl(path, url);
    let urlName: string | null = null;
    if (url) {
      try {
        const urlPath = urlsplit(url).path;
        urlName = urlPath.slice(urlPath.lastIndexOf('/') + 1);
      } catch {
        urlName = null;
      }
    }
    const filename = name || (path ? lastSegment(path) : '') || urlName || '';
    if (!filename) throw new Invalid(`Cannot determine ${kind} filename`);
    return { name, url, path, size: size === null ? null : Number(size), hashes, filename };
  };
}

function packageFrom(d: Table): PylockPackage {
  const name = getAs(d, 'str', 'name', (v: string) => validateName(v));
  if (name === null) throw new Invalid('Missing required value', 'name');
  const version = getAs(d, 'str', 'version', (v: string) => parseVersion(v));
  const requiresPython = getAs(d, 'str', 'requires-python', (v: string) => SpecifierSet.parse(v));
  getSequence(d, 'Mapping', 'dependencies');
  const marker = getAs(d, 'str', 'marker', (v: string) => parseMarker(v));
  const vcs = getObject(d, 'vcs', vcsFrom);
  const directory = getObject(d, 'directory', directoryFrom);
  const archive = getObject(d, 'archive', archiveFrom);
  const index = getString(d, 'index');
  const sdist = getObject(d, 'sdist', distributionFrom('sdist'));
  const wheels = getObjects(d, 'wheels', distributionFrom('wheel'));
  const attestations = getSequence(d, 'Mapping', 'attestation-identities');
  get(d, 'Mapping', 'tool');
  const pkg: PylockPackage = { name, version, marker, requiresPython, vcs, directory, archive, index, sdist, wheels };
  const distributions = (sdist ? 1 : 0) + (wheels?.length ?? 0);
  const direct = (vcs ? 1 : 0) + (directory ? 1 : 0) + (archive ? 1 : 0);
  if (distributions > 0 && direct > 0) throw new Invalid('None of vcs, directory, archive must be set if sdist or wheels are set');
  if (distributions === 0 && direct !== 1) throw new Invalid('Exactly one of vcs, directory, archive must be set if sdist and wheels are not set');
  (wheels ?? []).forEach((wheel, i) => {
    let parsed;
    try {
      parsed = parseWheelFilename(wheel.filename);
    } catch {
      throw new Invalid(`Invalid wheel filename ${pythonStrRepr(wheel.filename)}`, `wheels[${i}]`);
    }
    if (parsed.name !== name) {
      throw new Invalid(`Name in ${pythonStrRepr(wheel.filename)} is not consistent with package name ${pythonStrRepr(name)}`, `wheels[${i}]`);
    }
    if (version !== null && compareVersions(parseVersion(parsed.version), version) !== 0) {
      throw new Invalid(`Version in ${pythonStrRepr(wheel.filename)} is not consistent with package version ${pythonStrRepr(version.toString())}`, `wheels[${i}]`);
    }
  });
  if (sdist) {
    let parsed;
    try {
      parsed = parseSdistFilename(sdist.filename);
    } catch {
      throw new Invalid(`Invalid sdist filename ${pythonStrRepr(sdist.filename)}`, 'sdist');
    }
    if (parsed.name !== name) {
      throw new Invalid(`Name in ${pythonStrRepr(sdist.filename)} is not consistent with package name ${pythonStrRepr(name)}`, 'sdist');
    }
    if (version !== null && compareVersions(parsed.version, version) !== 0) {
      throw new Invalid(`Version in ${pythonStrRepr(sdist.filename)} is not consistent with package version ${pythonStrRepr(version.toString())}`, 'sdist');
    }
  }
  (attestations ?? []).forEach((identity, i) => within(`attestation-identities[${i}]`, () => getRequired(identity as Table, 'str', 'kind')));
  return pkg;
}

function pylockFrom(d: Table): Pylock {
  const lockVersion = getAs(d, 'str', 'lock-version', (v: string) => parseVersion(v));
  if (lockVersion === null) throw new Invalid('Missing required value', 'lock-version');
  const environments = getSequenceAs(d, 'str', 'environments', (v: string) => parseMarker(v));
  const extras = getSequenceAs(d, 'str', 'extras', (v: string) => validateName(v));
  const dependencyGroups = getSequence(d, 'str', 'dependency-groups') as string[] | null;
  const defaultGroups = getSequence(d, 'str', 'default-groups') as string[] | null;
  const createdBy = getRequired(d, 'str', 'created-by') as string;
  const requiresPython = getAs(d, 'str', 'requires-python', (v: string) => SpecifierSet.parse(v));
  const packages = getObjects(d, 'packages', packageFrom);
  if (packages === null) throw new Invalid('Missing required value', 'packages');
  get(d, 'Mapping', 'tool');
  if (compareVersions(lockVersion, parseVersion('1')) < 0 || compareVersions(lockVersion, parseVersion('2')) >= 0) {
    throw new Invalid(`pylock version ${lockVersion.toString()} is not supported`);
  }
  return { lockVersion, environments, requiresPython, extras, dependencyGroups, defaultGroups, createdBy, packages };
}

/** Parse and validate a lock file's text as pip does; `location` is the `-r` value, for messages. */
export function parsePylock(text: string, location: string): Pylock {
  let document: Table;
  try {
    document = parseToml(text) as Table;
  } catch (error) {
    if (!(error instanceof TomlError)) throw error;
    const detail = `${error.message.split('\n', 1)[0]!} (at line ${error.line}, column ${error.column})`;
    throw new PylockError('invalid', location, `Invalid pylock file ${pythonStrRepr(location)}: ${detail}`, { cause: error });
  }
  try {
    return pylockFrom(document);
  } catch (error) {
    if (!(error instanceof Invalid)) throw error;
    throw new PylockError('invalid', location, `Invalid pylock file ${pythonStrRepr(location)}: ${error.toString()}`, { context: error.context });
  }
}

// ------------------------------------------------------------------------------------------
// Selection (packaging `Pylock.select`, called by pip with no arguments)

/** What pip selects for: the target interpreter's markers and its ordered tag list. */
export interface PylockEnvironment {
  markers: MarkerEnvironment;
  /** Supported tags, most preferred first (`python-abi-platform`, lower-case). */
  tags: readonly string[];
}

export type PylockSource =
  | { kind: 'vcs'; vcs: PylockVcs }
  | { kind: 'directory'; directory: PylockDirectory }
  | { kind: 'archive'; archive: PylockArchive }
  | { kind: 'wheel'; distribution: PylockDistribution }
  | { kind: 'sdist'; distribution: PylockDistribution };

export interface PylockSelection {
  package: PylockPackage;
  /** Index in `packages` (for messages: `packages[3]`). */
  index: number;
  source: PylockSource;
}

function markerVariables(marker: Marker, out = new Set<string>()): Set<string> {
  for (const node of marker as readonly MarkerNode[]) {
    if (Array.isArray(node)) markerVariables(node as Marker, out);
    else if (typeof node === 'object') {
      const comparison = node as Exclude<MarkerNode, string | Marker>;
      for (const side of [comparison.left, comparison.right]) if (side.kind === 'variable') out.add(side.name);
    }
  }
  return out;
}

/** packaging's Marker.evaluate: a name missing from the context's environment fails with `'name'`. */
function evaluateIn(marker: Marker, env: MarkerEnvironment, sets: { extras: ReadonlySet<string>; dependency_groups: ReadonlySet<string> } | null): boolean {
  const undefinedNames = sets === null ? ['extra', 'extras', 'dependency_groups'] : ['extra'];
  for (const name of markerVariables(marker)) if (undefinedNames.includes(name)) throw new Invalid(pythonStrRepr(name));
  return evaluateMarker(marker, sets === null ? env : { ...env, ...sets });
}

/** The packages (and which of their sources) pip installs from a lock, in pip's order. */
export function selectFromPylock(lock: Pylock, environment: PylockEnvironment, location: string): PylockSelection[] {
  try {
    return select(lock, environment);
  } catch (error) {
    if (!(error instanceof Invalid)) throw error;
    throw new PylockError('select', location, `Cannot select requirements from pylock file ${pythonStrRepr(location)}: ${error.toString()}`);
  }
}

function select(lock: Pylock, environment: PylockEnvironment): PylockSelection[] {
  const fullVersion = environment.markers.python_full_version;
  const sets = { extras: new Set<string>(), dependency_groups: new Set<string>(lock.defaultGroups ?? []) };
  if (lock.requiresPython && !lock.requiresPython.contains(fullVersion)) {
    throw new Invalid(
      `python_full_version ${pythonStrRepr(fullVersion)} in provided environment does not satisfy the Python version requirement ${pythonStrRepr(lock.requiresPython.toString())}`,
    );
  }
  if (lock.environments && lock.environments.length > 0) {
    if (!lock.environments.some((marker) => evaluateIn(marker, environment.markers, null))) {
      throw new Invalid('Provided environment does not satisfy any of the environments specified in the lock file');
    }
  }
  const chosen = new Map<string, number>();
  lock.packages.forEach((pkg, index) => {
    if (pkg.marker && !evaluateIn(pkg.marker, environment.markers, sets)) return;
    if (pkg.requiresPython && !pkg.requiresPython.contains(fullVersion)) {
      throw new Invalid(
        `python_full_version ${pythonStrRepr(fullVersion)} in provided environment does not satisfy the Python version requirement ` +
          `${pythonStrRepr(pkg.requiresPython.toString())} for package ${pythonStrRepr(pkg.name)} at packages[${index}]`,
      );
    }
    const earlier = chosen.get(pkg.name);
    if (earlier !== undefined) {
      throw new Invalid(`Multiple packages with the name ${pythonStrRepr(pkg.name)} are selected at packages[${index}] and packages[${earlier}]`);
    }
    chosen.set(pkg.name, index);
  });
  const ranking = tagRanking(environment.tags);
  const out: PylockSelection[] = [];
  for (const index of chosen.values()) {
    const pkg = lock.packages[index]!;
    if (pkg.vcs) out.push({ package: pkg, index, source: { kind: 'vcs', vcs: pkg.vcs } });
    else if (pkg.directory) out.push({ package: pkg, index, source: { kind: 'directory', directory: pkg.directory } });
    else if (pkg.archive) out.push({ package: pkg, index, source: { kind: 'archive', archive: pkg.archive } });
    else if (pkg.wheels && pkg.wheels.length > 0) {
      let best: { wheel: PylockDistribution; rank: number } | null = null;
      for (const wheel of pkg.wheels) {
        let rank: number | null = null;
        for (const tag of parseWheelFilename(wheel.filename).tags) {
          const r = ranking.get(tag);
          if (r !== undefined && (rank === null || r < rank)) rank = r;
        }
        if (rank !== null && (best === null || rank < best.rank)) best = { wheel, rank };
      }
      if (best !== null) out.push({ package: pkg, index, source: { kind: 'wheel', distribution: best.wheel } });
      else if (pkg.sdist) out.push({ package: pkg, index, source: { kind: 'sdist', distribution: pkg.sdist } });
      else {
        throw new Invalid(
          `No wheel found matching the provided tags for package ${pythonStrRepr(pkg.name)} at packages[${index}], and no sdist available as a fallback`,
        );
      }
    } else if (pkg.sdist) out.push({ package: pkg, index, source: { kind: 'sdist', distribution: pkg.sdist } });
  }
  return out;
}

// ------------------------------------------------------------------------------------------
// What pip makes of a selection (`install_req_from_pylock_package`)

export interface PylockRequirement {
  /**
   * How pip reads it: `line` (install_req_from_line on `text`), `editable` (install_req_from_editable
   * on `text`), `pep508` (a `name @ url` requirement), or `pinned` (`name==version` with `lockedUrl`
   * as the only candidate the finder may use — wheels and sdists).
   */
  form: 'line' | 'editable' | 'pep508' | 'pinned';
  /** The string pip builds its requirement from. */
  text: string;
  /** The URL of the file or checkout pip fetches. */
  url: string;
  /** For `pinned`: the locked link. */
  lockedUrl: string | null;
  /** Hashes pip attaches as `--hash` options (archive, sdist, wheel), {algorithm: [hex]}. */
  hashes: Record<string, string[]> | null;
}

/** pip's `_package_dist_url`: a path (relative to the lock file) wins over a URL. */
export function packageDistUrl(location: string, path: string | null, url: string | null, cwd: string): string {
  if (path !== null) {
    if (!path.startsWith('/')) {
      if (isPylockUrl(location)) {
        const joined = urljoin(location, path);
        const base = urlsplit(location);
        const target = urlsplit(joined);
        if (base.scheme !== target.scheme || base.netloc !== target.netloc) {
          throw new PylockError('location', location, `Path ${pythonStrRepr(path)} in pylock file obtained from a URL resolves outside its location: ${pythonStrRepr(location)}`);
        }
        return joined;
      }
      return pyPathToUrl(pyNormpath(pyAbspath(pyJoin(pyDirname(location), path), cwd)));
    }
    if (isPylockUrl(location)) {
      throw new PylockError('location', location, `Absolute paths are not supported in pylock files obtained from a URL: ${pythonStrRepr(path)} in ${pythonStrRepr(location)}`);
    }
    return pyPathToUrl(pyNormpath(pyAbspath(path, cwd)));
  }
  return url!;
}

function withSubdirectory(url: string, subdirectory: string | null, location: string): string {
  if (!subdirectory) return url;
  if (url.includes('#')) {
    throw new PylockError(
      'location',
      location,
      `Package URL ${pythonStrRepr(url)} cannot contain fragments in combination with subdirectory field (in ${pythonStrRepr(location)})`,
    );
  }
  return `${url}#subdirectory=${subdirectory}`;
}

function hashOptions(hashes: Hashes): Record<string, string[]> {
  return Object.fromEntries(Object.entries(hashes).map(([alg, hex]) => [alg, [hex]]));
}

/** The requirement pip constructs for one selected package. */
export function pylockRequirement(selection: PylockSelection, location: string, cwd: string): PylockRequirement {
  const { package: pkg, source } = selection;
  switch (source.kind) {
    case 'vcs': {
      const { vcs } = source;
      const url = withSubdirectory(`${vcs.type}+${packageDistUrl(location, vcs.path, vcs.url, cwd)}@${vcs.commitId}`, vcs.subdirectory, location);
      return { form: 'pep508', text: `${pkg.name} @ ${url}`, url, lockedUrl: null, hashes: null };
    }
    case 'archive': {
      const { archive } = source;
      const url = withSubdirectory(packageDistUrl(location, archive.path, archive.url, cwd), archive.subdirectory, location);
      return { form: 'pep508', text: `${pkg.name} @ ${url}`, url, lockedUrl: null, hashes: hashOptions(archive.hashes) };
    }
    case 'directory': {
      const { directory } = source;
      if (isPylockUrl(location) && !location.startsWith('file://')) {
        throw new PylockError('location', location, `Directory entries are not supported in remote pylock.toml ${pythonStrRepr(location)}`);
      }
      let url = packageDistUrl(location, directory.path, null, cwd);
      if (!url.endsWith('/')) url += '/';
      if (directory.subdirectory) {
        url += directory.subdirectory;
        if (!url.endsWith('/')) url += '/';
      }
      return { form: directory.editable ? 'editable' : 'line', text: url, url, lockedUrl: null, hashes: null };
    }
    case 'wheel':
    case 'sdist': {
      const dist = source.distribution;
      let version = pkg.version?.toString() ?? null;
      if (version === null) {
        version = source.kind === 'wheel' ? parseWheelFilename(dist.filename).version : parseSdistFilename(dist.filename).version.toString();
      }
      const url = packageDistUrl(location, dist.path, dist.url, cwd);
      return { form: 'pinned', text: `${pkg.name}==${version}`, url, lockedUrl: url, hashes: hashOptions(dist.hashes) };
    }
  }
}
