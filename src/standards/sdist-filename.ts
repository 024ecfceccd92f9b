// https://packaging.python.org/en/latest/specifications/source-distribution-format/ (PEP 625),
// and the older forms pip still derives versions from (pip-behaviour.md §6.2):
// - `parseSdistFilename`: packaging 26 `utils.parse_sdist_filename` (`.tar.gz`/`.zip`, split at
//   the last `-`); pip >= 24 uses it for files found in local find-links directories;
// - `legacySdistVersion`: pip's `LinkEvaluator.evaluate_link` steps for an archive link on an
//   index or find-links page: pip's `splitext`, the `#egg=` stem, the first `-` whose prefix
//   normalizes to the project, the `-pyX.Y` suffix, then the version: PEP 440 only for pip >= 24.1
//   (rules `strict`), packaging 21.3's `parse` for pip <= 24.0 (rules `legacy`: a LegacyVersion).
// Not supported: yanked / Requires-Python / format-control checks (the finder does those).
import { SafePipError } from '../errors.js';
import { normalizeName } from './names.js';
import { type AnyVersion, type VersionRules, parseAnyVersion } from './legacy-version.js';
import { type Version, tryParseVersion } from './versions.js';

/** pip `utils/filetypes.py`. */
export const WHEEL_EXTENSION = '.whl';
export const ZIP_EXTENSIONS: readonly string[] = ['.zip', WHEEL_EXTENSION];
export const TAR_EXTENSIONS: readonly string[] = ['.tar.gz', '.tgz', '.tar'];
export const BZ2_EXTENSIONS: readonly string[] = ['.tar.bz2', '.tbz'];
export const XZ_EXTENSIONS: readonly string[] = ['.tar.xz', '.txz', '.tlz', '.tar.lz', '.tar.lzma'];
/**
 * pip `utils/unpacking.py` SUPPORTED_EXTENSIONS with bz2 and lzma available (true of every
 * CPython build pip supports in practice). Compared case-sensitively, as pip does.
 */
export const SUPPORTED_EXTENSIONS: readonly string[] = [
  ...ZIP_EXTENSIONS,
  ...TAR_EXTENSIONS,
  ...BZ2_EXTENSIONS,
  ...XZ_EXTENSIONS,
];

export interface SdistFilename {
  /** Normalized project name. */
  readonly name: string;
  readonly version: Version;
}

export class InvalidSdistFilename extends SafePipError {
  readonly input: string;
  readonly position: number;
  readonly reason: string;
  constructor(input: string, reason: string, position = 0) {
    super(`The sdist filename ${JSON.stringify(input)} is invalid: ${reason}`);
    this.name = 'InvalidSdistFilename';
    this.input = input;
    this.reason = reason;
    this.position = position;
  }
}

/** packaging's strict parser. Throws InvalidSdistFilename. */
export function parseSdistFilename(filename: string): SdistFilename {
  let stem: string;
  if (filename.endsWith('.tar.gz')) stem = filename.slice(0, -'.tar.gz'.length);
  else if (filename.endsWith('.zip')) stem = filename.slice(0, -'.zip'.length);
  else throw new InvalidSdistFilename(filename, "extension must be '.tar.gz' or '.zip'");
  const dash = stem.lastIndexOf('-');
  if (dash === -1) throw new InvalidSdistFilename(filename, 'no `-` between name and version');
  const versionText = stem.slice(dash + 1);
  const version = tryParseVersion(versionText);
  if (version === null) {
    throw new InvalidSdistFilename(filename, `invalid version ${JSON.stringify(versionText)}`, dash + 1);
  }
  return { name: normalizeName(stem.slice(0, dash)), version };
}

/** Python's `posixpath.splitext` on a basename: leading dots do not start an extension. */
function posixSplitext(name: string): [string, string] {
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return [name, ''];
  for (let i = 0; i < dot; i += 1) if (name[i] !== '.') return [name.slice(0, dot), name.slice(dot)];
  return [name, ''];
}

/**
 * pip's `Link.splitext()`: the last path component (trailing `/` ignored) split into stem and
 * extension, where `.tar.*` counts as one extension (`foo-1.0.tar.bz2` -> `foo-1.0`, `.tar.bz2`).
 * `path` is the URL path, percent-decoded.
 */
export function splitArchiveExtension(path: string): [string, string] {
  const trimmed = path.replace(/\/+$/, '');
  const basename = trimmed.slice(trimmed.lastIndexOf('/') + 1);
  const [base, ext] = posixSplitext(basename);
  if (base.toLowerCase().endsWith('.tar')) return [base.slice(0, -4), base.slice(-4) + ext];
  return [base, ext];
}

export type LegacySdistRejection =
  | 'not-a-file'
  | 'unsupported-archive-format'
  | 'wheel'
  | 'macosx10'
  | 'missing-version'
  | 'python-version-mismatch'
  | 'invalid-version';

export type LegacySdistVersion =
  | { readonly ok: true; readonly versionText: string; readonly version: AnyVersion; readonly extension: string }
  | { readonly ok: false; readonly reason: LegacySdistRejection; readonly detail: string };

const SEPARATORS = '-_.';
const foldFinalSigma = (text: string): string => text.replace(/\u03c2/g, '\u03c3');

/**
 * pip's `_find_name_version_sep`: the first `-` in `stem` whose prefix normalizes to `canonical`.
 * pip normalizes every prefix, which is quadratic in the stem's length; this builds the prefix's
 * normalized form one character at a time instead, and stops once it is longer than `canonical`
 * (it never shrinks). Lower-casing one character at a time is exact except for Greek final sigma
 * (`Σ` lowers to `ς` or `σ` by what follows), so a candidate is compared with `ς` folded to `σ`
 * and then confirmed by normalizing that one prefix whole.
 */
function projectNameEnd(stem: string, canonical: string): number | null {
  const folded = foldFinalSigma(canonical);
  let normalized = '';
  let inSeparatorRun = false;
  // Appending separators changes neither the lower-casing nor (once it equals `canonical` in
  // length) the normalized prefix, so one whole-prefix check serves the whole run.
  let failedSinceLastLetter = false;
  for (let i = 0; i < stem.length && normalized.length <= canonical.length; ) {
    const ch = stem[i] as string;
    if (ch === '-' && normalized.length === canonical.length && !failedSinceLastLetter && foldFinalSigma(normalized) === folded) {
      if (normalizeName(stem.slice(0, i)) === canonical) return i;
      failedSinceLastLetter = true;
    }
    if (SEPARATORS.includes(ch)) {
      if (!inSeparatorRun) normalized += '-';
      inSeparatorRun = true;
      i += 1;
      continue;
    }
    const width = ch >= '\ud800' && ch <= '\udbff' && /[\udc00-\udfff]/.test(stem[i + 1] ?? '') ? 2 : 1;
    normalized += stem.slice(i, i + width).toLowerCase();
    inSeparatorRun = false;
    failedSinceLastLetter = false;
    i += width;
  }
  return null;
}

const PY_VERSION_SUFFIX_RE = /-py([123]\.?[0-9]?)\n?$/;

/**
 * The version pip derives from an archive link for `projectName`, or why it skips the link.
 * `path` is the link's percent-decoded URL path, `eggFragment` its `#egg=` value if any,
 * `pythonVersion` the target's `major.minor` (for the `-pyX.Y` suffix), `rules` the real pip's
 * (`legacy`: never `invalid-version`). A `.whl` is reported as `wheel`: use parseWheelFilename for those.
 */
export function legacySdistVersion(
  link: { readonly path: string; readonly eggFragment?: string | null },
  projectName: string,
  pythonVersion: string,
  rules: VersionRules = 'strict',
): LegacySdistVersion {
  let stem: string;
  let extension: string;
  if (link.eggFragment !== undefined && link.eggFragment !== null && link.eggFragment !== '') {
    stem = link.eggFragment;
    extension = splitArchiveExtension(link.path)[1];
  } else {
    [stem, extension] = splitArchiveExtension(link.path);
    if (extension === '') return { ok: false, reason: 'not-a-file', detail: 'not a file' };
    if (!SUPPORTED_EXTENSIONS.includes(extension)) {
      return { ok: false, reason: 'unsupported-archive-format', detail: `unsupported archive format: ${extension}` };
    }
    if (extension === WHEEL_EXTENSION) return { ok: false, reason: 'wheel', detail: 'a wheel filename' };
    if (extension === '.zip' && link.path.includes('macosx10')) {
      return { ok: false, reason: 'macosx10', detail: 'macosx10 one' };
    }
  }

  const dash = projectNameEnd(stem, normalizeName(projectName));
  let versionText = dash === null ? null : stem.slice(dash + 1);
  if (versionText === null || versionText === '') {
    return { ok: false, reason: 'missing-version', detail: `Missing project version for ${projectName}` };
  }
  const suffix = PY_VERSION_SUFFIX_RE.exec(versionText);
  if (suffix !== null) {
    versionText = versionText.slice(0, suffix.index);
    if (suffix[1] !== pythonVersion) {
      return { ok: false, reason: 'python-version-mismatch', detail: 'Python version is incorrect' };
    }
  }
  const version = parseAnyVersion(versionText, rules);
  if (version === null) {
    return { ok: false, reason: 'invalid-version', detail: `invalid version ${JSON.stringify(versionText)}` };
  }
  return { ok: true, versionText, version, extension };
}
