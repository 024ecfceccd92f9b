// pip's PackageFinder for one project: which index files are candidates, and in which order the
// resolver tries them. Reproduces pip/_internal/index/package_finder.py (LinkEvaluator.evaluate_link,
// CandidateEvaluator.get_applicable_candidates / _sort_key, filter_unallowed_hashes) and the yanked
// rule of resolution/resolvelib/factory.py (_iter_found_candidates). See pip-behaviour.md §8.
//
// Supported: extensions, format control, macosx10 zips, wheel filename/name/tag checks, legacy sdist
// version derivation with `-pyX.Y`, Requires-Python with the full target version, specifier filtering
// as the vendored packaging does it (21.3 for pip <= 24.0: no pre-release fallback once a specifier is
// given; later: specifiers.ts), user hashes, the sort key, yanked files only for exact pins.
// Versions follow the real pip's rules (FinderContext.versionRules): pip <= 24.0 makes every file a
// candidate with packaging 21.3's `parse`, a non-PEP 440 version becoming a LegacyVersion that sorts
// below every PEP 440 one, that an empty specifier drops and a legacy clause (`==2010i`, `>=>1`) can
// select; pip >= 24.1 skips such files ('invalid-version').
// Upload times (pip 26.0+ `--uploaded-prior-to`, and safe-pip's own cooldown): files of an index
// uploaded at or after the cutoff, or whose index gives no PEP 700 upload-time, are rejected at
// pip's place in evaluate_link; local files are exempt, as in pip.
// Not supported: installed distributions (`install` without `--ignore-installed`), the legacy resolver.
import type { IndexFile } from '../standards/simple-api.js';
import { pythonUnquote, pythonUrlsplit } from '../standards/simple-api.js';
import { normalizeName } from '../standards/names.js';
import { type AnyVersion, type VersionRules, compareAnyVersions, parseAnyVersion } from '../standards/legacy-version.js';
import { SpecifierSet } from '../standards/specifiers.js';
import { parseWheelFilename, InvalidWheelFilename, type WheelBuildTag, type WheelFilenameParser } from '../standards/wheel-filename.js';
import { legacySdistVersion, splitArchiveExtension, SUPPORTED_EXTENSIONS, WHEEL_EXTENSION } from '../standards/sdist-filename.js';
import { tagRanking } from '../standards/tags.js';

export type AllowedFormat = 'binary' | 'source';

export interface FinderContext {
  /** The target's supported tags, best first (tags.ts supportedTags / targetTags). */
  supportedTags: readonly string[];
  /** Target Python version used for Requires-Python (pip pads `--python-version` to three parts). */
  pythonVersion: readonly [number, number, number];
  allowedFormats(name: string): ReadonlySet<AllowedFormat>;
  /** pip < 25.1 reads wheel names with a permissive regex, 25.1–25.2 falls back to it, 25.3+ is strict. */
  wheelFilenameParser: WheelFilenameParser;
  ignoreRequiresPython: boolean;
  preferBinary: boolean;
  /** pip's pre-release switch for this project: true (`--pre`), false (`--only-final`), null (by specifier). */
  prereleases(name: string): boolean | null;
  /**
   * The version rules of the real pip (legacy-version.ts `versionRulesForPip`): `legacy` (pip <= 24.0,
   * packaging 21.3) keeps non-PEP 440 versions as LegacyVersion candidates and filters by 21.3's
   * rules (no "only pre-releases match" fallback once the specifier is not empty); `strict` skips
   * them and follows specifiers.ts.
   */
  versionRules: VersionRules;
  /** Only files uploaded before this instant (pip's --uploaded-prior-to); null: no such rule. */
  uploadedBefore?: UploadTimeRule | null;
}

export interface UploadTimeRule {
  /** Milliseconds since the epoch. */
  cutoffMs: number;
  /** Shown in rejection details: `--uploaded-prior-to`, `min-age = "3d"`. */
  origin: string;
  /** A file whose index gives no upload-time: rejected (pip), or kept. */
  missing: 'reject' | 'keep';
  /** Projects the rule does not apply to (canonical names). */
  exempt?: ReadonlySet<string>;
}

export type RejectionReason =
  | 'not-a-file'
  | 'unsupported-archive-format'
  | 'no-binaries-permitted'
  | 'no-sources-permitted'
  | 'macosx10'
  | 'invalid-wheel-filename'
  | 'wrong-project-name'
  | 'incompatible-tags'
  | 'missing-version'
  | 'python-version-mismatch'
  | 'requires-python'
  | 'invalid-version'
  | 'specifier'
  | 'hash-mismatch'
  | 'yanked'
  | 'upload-time-missing'
  | 'upload-too-late';

export interface FileEntry {
  file: IndexFile;
}

export interface Candidate<T extends FileEntry = FileEntry> {
  entry: T;
  /** A LegacyVersion only under rules `legacy`. */
  version: AnyVersion;
  isWheel: boolean;
  /** Index of the best supported tag (wheels); the length of the supported list for sdists. */
  tagRank: number;
  buildTag: WheelBuildTag | null;
}

export interface Rejection<T extends FileEntry = FileEntry> {
  entry: T;
  reason: RejectionReason;
  detail: string;
  /** The version, when the file got far enough to have one. */
  version?: string;
}

export interface RequirementFilter {
  specifier: SpecifierSet;
  /** The user's `--hash` values for this project (algorithm -> allowed hex digests), or null. */
  hashes: Readonly<Record<string, readonly string[]>> | null;
}

export interface FinderResult<T extends FileEntry = FileEntry> {
  /** The files the resolver would try, best first (yanked files dropped unless pip would use one). */
  ordered: Candidate<T>[];
  /** Every file that is not in `ordered`, with the reason. */
  rejected: Rejection<T>[];
  /** The candidates that passed the link checks, before specifier/hash/yanked filtering. */
  found: Candidate<T>[];
}

const PY_VERSION_SUFFIX = /-py([123]\.?[0-9]?)$/;

/** LinkEvaluator.evaluate_link for every file, then get_applicable_candidates and the yanked rule. */
export function findCandidates<T extends FileEntry>(
  project: string,
  entries: readonly T[],
  requirement: RequirementFilter,
  context: FinderContext,
): FinderResult<T> {
  const rejected: Rejection<T>[] = [];
  const found: Candidate<T>[] = [];
  const filter = { ...requirement, specifier: specifierUnder(requirement.specifier, context.versionRules) };
  const seenUrls = new Set<string>();
  // pip evaluates links that carry #egg= after the others (PackageFinder._sort_links).
  const ordered = [...entries.filter((e) => e.file.egg === null), ...entries.filter((e) => e.file.egg !== null)];
  for (const entry of ordered) {
    if (seenUrls.has(entry.file.url)) continue;
    seenUrls.add(entry.file.url);
    const outcome = evaluateFile(project, entry, context);
    if ('reason' in outcome) rejected.push(outcome);
    else found.push(outcome);
  }
  const applicable = applicableCandidates(project, found, filter, context, rejected);
  return { ordered: applyYankedRule(applicable, filter.specifier, rejected), rejected, found };
}

/**
 * The set as the real pip's packaging reads it. A set parsed without knowing the pip (strict) is
 * read again under 21.3's grammar, which accepts every PEP 440 clause, so that it filters as 21.3 does.
 */
export function specifierUnder(specifier: SpecifierSet, rules: VersionRules): SpecifierSet {
  if (specifier.rules === rules || rules === 'strict') return specifier;
  try {
    return SpecifierSet.parse(specifier.toString(), specifier.prereleasesOverride, rules);
  } catch {
    return specifier;
  }
}

function evaluateFile<T extends FileEntry>(project: string, entry: T, context: FinderContext): Candidate<T> | Rejection<T> {
  const { file } = entry;
  const canonical = normalizeName(project);
  const formats = context.allowedFormats(canonical);
  const path = pythonUnquote(pythonUrlsplit(file.url).path);
  const reject = (reason: RejectionReason, detail: string, version?: string): Rejection<T> =>
    version === undefined ? { entry, reason, detail } : { entry, reason, detail, version };

  let versionText: string | null = null;
  let isWheel = false;
  let tagRank = context.supportedTags.length;
  let buildTag: WheelBuildTag | null = null;
  const extension = splitArchiveExtension(path)[1];

  if (file.egg === null) {
    if (extension === '') return reject('not-a-file', 'not a file');
    if (!SUPPORTED_EXTENSIONS.includes(extension)) return reject('unsupported-archive-format', `unsupported archive format: ${extension}`);
    if (!formats.has('binary') && extension === WHEEL_EXTENSION) return reject('no-binaries-permitted', `No binaries permitted for ${project}`);
    if (path.includes('macosx10') && extension === '.zip') return reject('macosx10', 'macosx10 one');
    if (extension === WHEEL_EXTENSION) {
      let wheel;
      try {
        wheel = parseWheelFilename(file.filename, { parser: context.wheelFilenameParser });
      } catch (error) {
        if (error instanceof InvalidWheelFilename) return reject('invalid-wheel-filename', 'invalid wheel filename');
        throw error;
      }
      if (normalizeName(wheel.name) !== canonical) return reject('wrong-project-name', `wrong project name (not ${project})`);
      const ranking = tagRanking(context.supportedTags);
      let best: number | null = null;
      for (const tag of wheel.tags) {
        const index = ranking.get(tag);
        if (index !== undefined && (best === null || index < best)) best = index;
      }
      if (best === null) {
        // pip lists them sorted (Wheel.get_formatted_file_tags).
        const listed = [...wheel.tags].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).join(', ');
        return reject('incompatible-tags', `none of the wheel's tags (${listed}) are compatible (run pip debug --verbose to show compatible tags)`);
      }
      isWheel = true;
      tagRank = best;
      buildTag = wheel.build;
      versionText = wheel.version;
    }
  }
  const tooNew = uploadTimeRejection(canonical, file, context.uploadedBefore ?? null);
  if (tooNew !== null) return reject(tooNew.reason, tooNew.detail, versionText ?? undefined);
  if (!formats.has('source') && extension !== WHEEL_EXTENSION) return reject('no-sources-permitted', `No sources permitted for ${project}`);

  const [major, minor] = context.pythonVersion;
  if (versionText === null) {
    const derived = legacySdistVersion({ path, eggFragment: file.egg }, project, `${major}.${minor}`, context.versionRules);
    if (!derived.ok) {
      if (derived.reason === 'missing-version') return reject('missing-version', `Missing project version for ${project}`);
      if (derived.reason === 'python-version-mismatch') return reject('python-version-mismatch', 'Python version is incorrect');
      if (derived.reason === 'invalid-version') return reject('invalid-version', derived.detail);
      return reject(derived.reason === 'not-a-file' ? 'not-a-file' : 'unsupported-archive-format', derived.detail);
    }
    versionText = derived.versionText;
  } else {
    const suffix = PY_VERSION_SUFFIX.exec(versionText);
    if (suffix !== null) {
      versionText = versionText.slice(0, suffix.index);
      if (suffix[1] !== `${major}.${minor}`) {
        return reject('python-version-mismatch', 'Python version is incorrect');
      }
    }
  }

  if (!context.ignoreRequiresPython && !requiresPythonAllows(file.requiresPython, context.pythonVersion, context.versionRules)) {
    return reject('requires-python', `${versionText} Requires-Python ${file.requiresPython}`, versionText);
  }
  const version = parseAnyVersion(versionText, context.versionRules);
  if (version === null) return reject('invalid-version', `invalid version ${JSON.stringify(versionText)}`);
  return { entry, version, isWheel, tagRank, buildTag };
}

/** LinkEvaluator's upload-time check (pip 26.0+), or null when the file passes. */
function uploadTimeRejection(
  canonical: string,
  file: IndexFile,
  rule: UploadTimeRule | null,
): { reason: 'upload-time-missing' | 'upload-too-late'; detail: string } | null {
  if (rule === null || rule.exempt?.has(canonical) === true) return null;
  if (pythonUrlsplit(file.url).scheme === 'file') return null;
  const uploaded = file.uploadTime === null ? Number.NaN : Date.parse(file.uploadTime);
  if (Number.isNaN(uploaded)) {
    if (rule.missing === 'keep') return null;
    return { reason: 'upload-time-missing', detail: 'Index does not provide upload-time metadata.' };
  }
  if (uploaded < rule.cutoffMs) return null;
  return { reason: 'upload-too-late', detail: `Upload time ${file.uploadTime} not prior to ${new Date(rule.cutoffMs).toISOString()} (${rule.origin})` };
}

/**
 * pip's check_requires_python: an unparsable specifier is ignored (the file is kept). Under rules
 * `legacy` a clause like `>=3.6.*` is a LegacySpecifier, compared as packaging 21.3 does.
 */
export function requiresPythonAllows(requiresPython: string | null, pythonVersion: readonly [number, number, number], rules: VersionRules): boolean {
  if (requiresPython === null || requiresPython.trim() === '') return true;
  // A project page repeats a handful of Requires-Python texts over hundreds of files: each
  // (text, interpreter, rules) is parsed and decided once per process.
  const key = `${rules} ${pythonVersion.join('.')} ${requiresPython}`;
  const known = requiresPythonAnswers.get(key);
  if (known !== undefined) return known;
  let allowed: boolean;
  try {
    allowed = SpecifierSet.parse(requiresPython, null, rules).contains(pythonVersion.join('.'));
  } catch {
    allowed = true;
  }
  if (requiresPythonAnswers.size >= REQUIRES_PYTHON_ANSWERS_MAX) requiresPythonAnswers.clear();
  requiresPythonAnswers.set(key, allowed);
  return allowed;
}

const REQUIRES_PYTHON_ANSWERS_MAX = 4096;
const requiresPythonAnswers = new Map<string, boolean>();

function applicableCandidates<T extends FileEntry>(
  project: string,
  found: readonly Candidate<T>[],
  requirement: RequirementFilter,
  context: FinderContext,
  rejected: Rejection<T>[],
): Candidate<T>[] {
  // The specifier filters distinct version strings, so the pre-release fallback sees them all at once.
  const versionStrings = [...new Set(found.map((c) => c.version.toString()))];
  const allowed = new Set(filterVersionStrings(requirement.specifier, versionStrings, context.prereleases(normalizeName(project))));
  const applicable: Candidate<T>[] = [];
  for (const candidate of found) {
    if (allowed.has(candidate.version.toString())) applicable.push(candidate);
    else rejected.push({ entry: candidate.entry, reason: 'specifier', detail: `${candidate.version} does not match ${describeSpecifier(requirement.specifier)}`, version: candidate.version.toString() });
  }
  const hashed = filterUnallowedHashes(applicable, requirement.hashes, rejected);
  return sortBestFirst(hashed, requirement.hashes, context);
}

/**
 * `SpecifierSet.filter(versions, prereleases)` as the vendored packaging release does it: the set's
 * own rules (`legacy`: packaging 21.3, `strict`: packaging 24.1+) decide.
 */
export function filterVersionStrings(specifier: SpecifierSet, versions: readonly string[], prereleases: boolean | null): string[] {
  return specifier.filter(versions, prereleases);
}

function describeSpecifier(specifier: SpecifierSet): string {
  const text = specifier.toString();
  return text === '' ? 'the pre-release rules' : text;
}

function linkHashMatches(file: IndexFile, hashes: Readonly<Record<string, readonly string[]>>): boolean {
  return Object.entries(file.hashes).some(([alg, hex]) => hashes[alg]?.includes(hex.toLowerCase()) ?? false);
}

/** filter_unallowed_hashes: drop files whose hash is known and wrong, but only if some file matches. */
function filterUnallowedHashes<T extends FileEntry>(
  candidates: Candidate<T>[],
  hashes: Readonly<Record<string, readonly string[]>> | null,
  rejected: Rejection<T>[],
): Candidate<T>[] {
  if (hashes === null || Object.keys(hashes).length === 0) return candidates;
  if (!candidates.some((c) => linkHashMatches(c.entry.file, hashes))) return candidates;
  return candidates.filter((c) => {
    const known = Object.keys(c.entry.file.hashes).length > 0;
    if (!known || linkHashMatches(c.entry.file, hashes)) return true;
    rejected.push({ entry: c.entry, reason: 'hash-mismatch', detail: 'its hash does not match the required --hash values', version: c.version.toString() });
    return false;
  });
}

/** CandidateEvaluator._sort_key, larger is better; returned best first with pip's stable tie order. */
function sortBestFirst<T extends FileEntry>(
  candidates: Candidate<T>[],
  hashes: Readonly<Record<string, readonly string[]>> | null,
  context: FinderContext,
): Candidate<T>[] {
  const key = (c: Candidate<T>): Array<number | AnyVersion | WheelBuildTag | null> => [
    hashes !== null && linkHashMatches(c.entry.file, hashes) ? 1 : 0,
    c.entry.file.yanked === null ? 0 : -1,
    context.preferBinary && c.isWheel ? 1 : 0,
    c.version,
    -c.tagRank,
    c.buildTag,
  ];
  const ascending = candidates
    .map((candidate, index) => ({ candidate, index, key: key(candidate) }))
    .sort((a, b) => compareKeys(a.key, b.key) || a.index - b.index);
  // The resolver walks reversed(sorted(...)): among equal keys the later source comes first.
  return ascending.reverse().map((item) => item.candidate);
}

function compareKeys(a: ReadonlyArray<number | AnyVersion | WheelBuildTag | null>, b: ReadonlyArray<number | AnyVersion | WheelBuildTag | null>): number {
  for (let i = 0; i < a.length; i += 1) {
    const x = a[i];
    const y = b[i];
    let order: number;
    if (typeof x === 'number' && typeof y === 'number') order = x - y;
    else if (i === 3) order = compareAnyVersions(x as AnyVersion, y as AnyVersion);
    else order = compareBuildTags(x as WheelBuildTag | null, y as WheelBuildTag | null);
    if (order !== 0) return order;
  }
  return 0;
}

/** Python tuple order: () sorts below any (number, text) build tag. */
function compareBuildTags(a: WheelBuildTag | null, b: WheelBuildTag | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  if (a[0] !== b[0]) return a[0] - b[0];
  return a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;
}

/** factory._iter_found_candidates: yanked files are skipped unless every one is yanked and the pin is exact. */
function applyYankedRule<T extends FileEntry>(best: Candidate<T>[], specifier: SpecifierSet, rejected: Rejection<T>[]): Candidate<T>[] {
  const allYanked = best.length > 0 && best.every((c) => c.entry.file.yanked !== null);
  // is_pinned iterates every clause, a LegacySpecifier `==2010i` too.
  const pinned = [...specifier.specifiers, ...specifier.legacySpecifiers].some((s) => s.operator === '===' || (s.operator === '==' && !s.version.endsWith('.*')));
  if (allYanked && pinned) return best;
  return best.filter((c) => {
    if (c.entry.file.yanked === null) return true;
    const reason = c.entry.file.yanked === '' ? '' : ` (reason: ${c.entry.file.yanked})`;
    rejected.push({ entry: c.entry, reason: 'yanked', detail: `yanked${reason}`, version: c.version.toString() });
    return false;
  });
}
