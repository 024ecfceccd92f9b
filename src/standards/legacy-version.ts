// packaging 21.3's LegacyVersion (https://github.com/pypa/packaging/blob/21.3/packaging/version.py),
// which pip <= 24.0 vendors: `packaging.version.parse` returns one for any string that is not a
// PEP 440 version, and pip's finder builds every index candidate with that `parse`. pip 24.1
// (packaging 24.1) dropped it: such files are skipped and such specifiers are invalid requirements.
//
// Supported: the setuptools-style sort key (`_legacy_cmpkey`: epoch -1, so every legacy version sorts
// before every PEP 440 version), the version flags (never a pre-, post- or dev-release), the switch
// that picks the rules from the real pip's version, and `parse` under either rule.
// Not supported: LegacyVersion's deprecation warning (pip hides it).
import { comparePyStrings } from './python-text.js';
import { pipVersionAtLeast } from './requirements-file/pip-version.js';
import { type Version, compareVersions, tryParseVersion } from './versions.js';

/**
 * Which version rules the real pip follows. `legacy`: packaging 21.3 (pip <= 24.0): non-PEP 440
 * versions and specifiers are LegacyVersion / LegacySpecifier, and SpecifierSet filters by 21.3's
 * rules. `strict`: PEP 440 only, packaging 24.1+ (pip >= 24.1).
 */
export type VersionRules = 'strict' | 'legacy';

/** The rules of pip `pipVersion` ("23.2.1" → legacy, "24.1" → strict). */
export function versionRulesForPip(pipVersion: string): VersionRules {
  return pipVersionAtLeast(pipVersion, '24.1') ? 'strict' : 'legacy';
}

/** A version string that is not PEP 440, ordered the way setuptools did before PEP 440. */
export class LegacyVersion {
  /** The text exactly as given (packaging keeps it: `str(LegacyVersion(" x "))` is `" x "`). */
  readonly text: string;
  /** `_legacy_cmpkey` without the epoch: the padded numbers and `*`-prefixed words. */
  readonly key: readonly string[];

  constructor(text: string) {
    this.text = text;
    this.key = legacyKey(text);
  }

  get epoch(): number {
    return -1;
  }
  get isPrerelease(): boolean {
    return false;
  }
  get isPostrelease(): boolean {
    return false;
  }
  get isDevrelease(): boolean {
    return false;
  }
  get public(): string {
    return this.text;
  }
  get baseVersion(): string {
    return this.text;
  }
  toString(): string {
    return this.text;
  }
}

/** What packaging 21.3's `parse` returns. */
export type AnyVersion = Version | LegacyVersion;

export function isLegacyVersion(version: AnyVersion): version is LegacyVersion {
  return version instanceof LegacyVersion;
}

// `(\d+ | [a-z]+ | \.| -)` with re.VERBOSE; Python's `\d` is any Unicode decimal digit.
const COMPONENT_RE = /(\p{Nd}+|[a-z]+|\.|-)/u;
const REPLACEMENTS: Readonly<Record<string, string>> = { pre: 'c', preview: 'c', '-': 'final-', rc: 'c', dev: '@' };
const ASCII_DIGITS = '0123456789';

/** `_parse_version_parts`: numbers zero-padded to 8, everything else `*`-prefixed, then `*final`. */
function versionParts(text: string): string[] {
  const parts: string[] = [];
  for (const piece of text.split(COMPONENT_RE)) {
    const part = REPLACEMENTS[piece] ?? piece;
    if (part === '' || part === '.') continue;
    // Only ASCII digits count as a number here (`part[:1] in "0123456789"`).
    parts.push(ASCII_DIGITS.includes(part[0] as string) ? part.padStart(8, '0') : `*${part}`);
  }
  parts.push('*final');
  return parts;
}

function legacyKey(text: string): string[] {
  const parts: string[] = [];
  for (const part of versionParts(text.toLowerCase())) {
    if (part.startsWith('*')) {
      // A pre-release tag drops the "-" before it; every word ends a run of numbers, whose trailing zeros go.
      if (comparePyStrings(part, '*final') < 0) {
        while (parts.length > 0 && parts[parts.length - 1] === '*final-') parts.pop();
      }
      while (parts.length > 0 && parts[parts.length - 1] === '00000000') parts.pop();
    }
    parts.push(part);
  }
  return parts;
}

function compareKeys(a: readonly string[], b: readonly string[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i += 1) {
    const order = comparePyStrings(a[i] as string, b[i] as string);
    if (order !== 0) return order;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** packaging 21.3 ordering: legacy versions among themselves by key, all before any PEP 440 version. */
export function compareAnyVersions(a: AnyVersion, b: AnyVersion): number {
  const legacyA = a instanceof LegacyVersion;
  const legacyB = b instanceof LegacyVersion;
  if (legacyA && legacyB) return compareKeys(a.key, b.key);
  if (legacyA || legacyB) return legacyA ? -1 : 1;
  return compareVersions(a as Version, b as Version);
}

/**
 * A version as the rules read it: `strict` gives a PEP 440 Version or null; `legacy` is packaging
 * 21.3's `parse` (a Version when valid, else a LegacyVersion: never null).
 */
export function parseAnyVersion(text: string, rules: VersionRules): AnyVersion | null {
  const version = tryParseVersion(text);
  if (version !== null || rules === 'strict') return version;
  return new LegacyVersion(text);
}
