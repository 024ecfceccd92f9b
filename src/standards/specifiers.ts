// https://packaging.python.org/en/latest/specifications/version-specifiers/ (PEP 440), as
// implemented by packaging 26 `specifiers.py`, including its quirks, because pip's choice of
// candidates is packaging's `SpecifierSet.filter` (pip-behaviour.md §4.5, §8.3).
//
// Supported: the specifier grammar (packaging's regex), `contains` and `filter` with the
// pre-release rules (`prereleases` true / false / null, the PEP 440 "no final release matched"
// fallback, "the specifier implies pre-releases"), `===` string identity (also for non-versions),
// the normalized text (`str(SpecifierSet)`: sorted, de-duplicated) and intersection (`&`).
// With rules `legacy` (pip <= 24.0), packaging 21.3 instead: its wider Specifier grammar, a
// LegacySpecifier for any other `op text` clause (legacy-specifier.ts), LegacyVersion items, its
// `<`/`>` rules, its `filter` (no "only pre-releases matched" fallback once a clause exists; an empty
// set drops legacy versions) and its `str()` (first of equal clauses kept).
// Not supported: range algebra (`is_unsatisfiable`), packaging's `installed=` shortcut.
import { SafePipError } from '../errors.js';
import { LegacySpecifier, isPackaging21Specifier } from './legacy-specifier.js';
import { isSimpleClause } from './simple-specifier.js';
import { type AnyVersion, LegacyVersion, type VersionRules, parseAnyVersion } from './legacy-version.js';
import { PY_WHITESPACE_CHARS, comparePyStrings, pyStrip } from './python-text.js';
import {
  type Version,
  canonicalizeVersion,
  compareVersions,
  publicVersion,
  tryParseVersion,
} from './versions.js';

export type SpecifierOperator = '~=' | '==' | '!=' | '<=' | '>=' | '<' | '>' | '===';

/** A version specifier (or comma-separated set) packaging would reject. */
export class InvalidSpecifier extends SafePipError {
  readonly input: string;
  readonly position: number;
  constructor(input: string, position: number, detail?: string) {
    super(`Invalid specifier: ${JSON.stringify(input)}${detail === undefined ? '' : `: ${detail}`}`);
    this.name = 'InvalidSpecifier';
    this.input = input;
    this.position = position;
  }
}

const WS = `[${PY_WHITESPACE_CHARS}]`;
const NOT_WS_SEMI_PAREN = `[^${PY_WHITESPACE_CHARS};)]`;
const PRE = '(?:[-_.]?(?:alpha|beta|preview|pre|a|b|c|rc)[-_.]?[0-9]*)?';
const POST = '(?:(?:-[0-9]+)|(?:[-_.]?(?:post|rev|r)[-_.]?[0-9]*))?';
const DEV = '(?:[-_.]?dev[-_.]?[0-9]*)?';

/** packaging's `Specifier._specifier_regex_str` (unanchored, no surrounding whitespace). */
export const SPECIFIER_PATTERN =
  '(?:' +
  `(?:===${WS}*${NOT_WS_SEMI_PAREN}*)` +
  '|' +
  `(?:(?:==|!=)${WS}*v?(?:[0-9]+!)?[0-9]+(?:\\.[0-9]+)*(?:\\.\\*|${PRE}${POST}${DEV}(?:\\+[a-z0-9]+(?:[-_.][a-z0-9]+)*)?)?)` +
  '|' +
  `(?:~=${WS}*v?(?:[0-9]+!)?[0-9]+(?:\\.[0-9]+)+${PRE}${POST}${DEV})` +
  '|' +
  `(?:(?:<=|>=|<|>)${WS}*v?(?:[0-9]+!)?[0-9]+(?:\\.[0-9]+)*${PRE}${POST}${DEV})` +
  ')';

const SPECIFIER_RE = new RegExp(`^${WS}*${SPECIFIER_PATTERN}${WS}*$`, 'i');

type Item = string | AnyVersion;

function coerce(item: Item): Version | null {
  if (item instanceof LegacyVersion) return null;
  return typeof item === 'string' ? tryParseVersion(item) : item;
}

/** packaging 21.3 `parse` (never null). */
function coerceLegacy(item: Item): AnyVersion {
  return typeof item === 'string' ? (parseAnyVersion(item, 'legacy') as AnyVersion) : item;
}

/** One `op version` clause. */
export class Specifier {
  readonly operator: SpecifierOperator;
  /** The version text as written (stripped), e.g. `1.0`, `v1.0`, `2.*`. */
  readonly version: string;
  /** `legacy`: packaging 21.3's grammar and `<`/`>` rules. */
  readonly rules: VersionRules;
  #specVersion: Version | null | undefined;
  #wildcard: { split: string[]; numericLength: number } | undefined;

  constructor(text: string, rules: VersionRules = 'strict') {
    const valid = isSimpleClause(text) || (rules === 'strict' ? SPECIFIER_RE.test(text) : isPackaging21Specifier(text));
    if (!valid) throw new InvalidSpecifier(text, 0);
    this.rules = rules;
    const spec = pyStrip(text);
    let op: string;
    if (spec.startsWith('===')) op = '===';
    else if (['~=', '==', '!=', '<=', '>='].some((p) => spec.startsWith(p))) op = spec.slice(0, 2);
    else op = spec.slice(0, 1);
    this.operator = op as SpecifierOperator;
    this.version = pyStrip(spec.slice(op.length));
  }

  toString(): string {
    return `${this.operator}${this.version}`;
  }

  /** The version as a Version (null for an `===` non-version or a wildcard). */
  get specVersion(): Version | null {
    if (this.#specVersion === undefined) this.#specVersion = tryParseVersion(this.version);
    return this.#specVersion;
  }

  /**
   * Whether this clause lets pre-releases in by itself: true when its version is a pre-release,
   * false for `!=` and `==X.*`, null for an `===` that is not a version.
   */
  get prereleases(): boolean | null {
    if (this.operator === '!=') return false;
    if (this.operator === '==' && this.version.endsWith('.*')) return false;
    const version = this.specVersion;
    return version === null ? null : version.isPrerelease;
  }

  /** (operator, canonical version): the identity packaging uses for equality and de-duplication. */
  get canonical(): string {
    if (this.operator === '===' || this.version.endsWith('.*')) return `${this.operator}\u0000${this.version}`;
    const version = this.specVersion;
    const text = version === null ? this.version : canonicalizeVersion(version, this.operator !== '~=');
    return `${this.operator}\u0000${text}`;
  }

  /** Whether a parsed version matches the operator (pre-release policy not applied). */
  matches(prospective: Version): boolean {
    switch (this.operator) {
      case '~=':
        return this.#compatible(prospective);
      case '==':
        return this.#equal(prospective, this.version);
      case '!=':
        return !this.#equal(prospective, this.version);
      case '<=':
        return compareVersions(publicVersion(prospective), this.#required()) <= 0;
      case '>=':
        return compareVersions(publicVersion(prospective), this.#required()) >= 0;
      case '<':
        return this.#lessThan(prospective);
      case '>':
        return this.#greaterThan(prospective);
      case '===':
        return this.matchesArbitrary(prospective.toString());
    }
  }

  /** packaging 21.3 `Specifier.prereleases`: `== >= <= ~= ===` with a pre-release version (`==X.*` stripped). */
  get prereleases21(): boolean {
    if (!['==', '>=', '<=', '~=', '==='].includes(this.operator)) return false;
    const text = this.operator === '==' && this.version.endsWith('.*') ? this.version.slice(0, -2) : this.version;
    return parseAnyVersion(text, 'legacy')?.isPrerelease ?? false;
  }

  /** packaging 21.3 `Specifier.contains(item, prereleases)`: no legacy version matches but by `===`. */
  contains21(item: AnyVersion, prereleases: boolean): boolean {
    if (item.isPrerelease && !prereleases) return false;
    if (this.operator === '===') return item.toString().toLowerCase() === this.version.toLowerCase();
    return item instanceof LegacyVersion ? false : this.matches(item);
  }

  /** `===`: case-insensitive string identity with the text as given. */
  matchesArbitrary(text: string): boolean {
    return text.toLowerCase() === this.version.toLowerCase();
  }

  /** packaging's `Specifier.contains`. */
  contains(item: Item, prereleases: boolean | null = null): boolean {
    return this.filter([item], prereleases).length > 0;
  }

  /** packaging's `Specifier.filter` (order kept). */
  filter<T>(items: readonly T[], prereleases: boolean | null = null, key?: (item: T) => Item): T[] {
    const include = prereleases ?? this.prereleases ?? false;
    const out: T[] = [];
    const held: T[] = [];
    let foundFinal = false;
    for (const item of items) {
      const value = key === undefined ? (item as unknown as Item) : key(item);
      const parsed = coerce(value);
      if (parsed === null) {
        if (this.operator === '===' && this.matchesArbitrary(String(value))) out.push(item);
        continue;
      }
      const match = this.operator === '===' ? this.matchesArbitrary(String(value)) : this.matches(parsed);
      if (!match) continue;
      if (!parsed.isPrerelease || include) {
        foundFinal = true;
        out.push(item);
      } else if (prereleases === null) {
        held.push(item);
      }
    }
    if (!foundFinal && prereleases === null) out.push(...held);
    return out;
  }

  #required(): Version {
    const version = this.specVersion;
    if (version === null) throw new InvalidSpecifier(this.toString(), 0, 'not a version');
    return version;
  }

  #compatible(prospective: Version): boolean {
    const components = versionSplit(this.version);
    const kept: string[] = [];
    for (const component of components) {
      if (!isNotSuffix(component)) break;
      kept.push(component);
    }
    const prefix = `${versionJoin(kept.slice(0, -1))}.*`;
    return compareVersions(publicVersion(prospective), this.#required()) >= 0 && this.#equal(prospective, prefix);
  }

  #equal(prospective: Version, spec: string): boolean {
    if (spec.endsWith('.*')) {
      let wildcard = spec === this.version ? this.#wildcard : undefined;
      if (wildcard === undefined) {
        const split = versionSplit(canonicalizeVersion(spec.slice(0, -2), false));
        wildcard = { split, numericLength: numericPrefixLength(split) };
        if (spec === this.version) this.#wildcard = wildcard;
      }
      const prospectiveSplit = versionSplit(canonicalizeVersion(publicVersion(prospective), false));
      const padded = leftPad(prospectiveSplit, wildcard.numericLength).slice(0, wildcard.split.length);
      return padded.length === wildcard.split.length && padded.every((c, i) => c === wildcard.split[i]);
    }
    const specVersion = spec === this.version ? this.#required() : tryParseVersion(spec);
    if (specVersion === null) return false;
    const candidate = specVersion.parts.local === null ? publicVersion(prospective) : prospective;
    return compareVersions(candidate, specVersion) === 0;
  }

  #lessThan(prospective: Version): boolean {
    const spec = this.#required();
    if (!(compareVersions(prospective, spec) < 0)) return false;
    if (this.rules === 'legacy') {
      // packaging 21.3: no pre-release of anything with the spec's epoch and release.
      return spec.isPrerelease || !prospective.isPrerelease || !sameBase(prospective, spec);
    }
    // "<V MUST NOT allow a pre-release of the specified version unless V is one."
    if (
      !spec.isPrerelease &&
      prospective.isPrerelease &&
      compareVersions(prospective, spec.with({ dev: 0n, local: null })) >= 0
    ) {
      return false;
    }
    return true;
  }

  #greaterThan(prospective: Version): boolean {
    const spec = this.#required();
    if (!(compareVersions(prospective, spec) > 0)) return false;
    if (this.rules === 'legacy') {
      // packaging 21.3: no post-release or local version of anything with the spec's epoch and release.
      if (!spec.isPostrelease && prospective.isPostrelease && sameBase(prospective, spec)) return false;
      return prospective.parts.local === null || !sameBase(prospective, spec);
    }
    // ">V MUST NOT allow a post-release of V unless V is one", nor a local version of V.
    if (
      !spec.isPostrelease &&
      prospective.isPostrelease &&
      compareVersions(prospective.with({ post: null, dev: null, local: null }), spec) === 0
    ) {
      return false;
    }
    if (prospective.parts.local !== null && compareVersions(publicVersion(prospective), spec) === 0) return false;
    return true;
  }
}

/** `Version(a.base_version) == Version(b.base_version)`: same epoch and release (trailing zeros aside). */
function sameBase(a: Version, b: Version): boolean {
  const base = (v: Version): Version => v.with({ pre: null, post: null, dev: null, local: null });
  return compareVersions(base(a), base(b)) === 0;
}

const PREFIX_RE = /^([0-9]+)((?:a|b|c|rc)[0-9]+)$/;

/** packaging's `_version_split`: epoch first, then dot components, `1rc1` split in two. */
function versionSplit(version: string): string[] {
  const bang = version.lastIndexOf('!');
  const epoch = bang === -1 ? '' : version.slice(0, bang);
  const rest = bang === -1 ? version : version.slice(bang + 1);
  const result = [epoch === '' ? '0' : epoch];
  for (const item of rest.split('.')) {
    const match = PREFIX_RE.exec(item);
    if (match !== null) result.push(match[1] as string, match[2] as string);
    else result.push(item);
  }
  return result;
}

function versionJoin(components: string[]): string {
  const [epoch, ...rest] = components;
  return `${epoch ?? ''}!${rest.join('.')}`;
}

function isNotSuffix(segment: string): boolean {
  return !['dev', 'a', 'b', 'rc', 'post'].some((prefix) => segment.startsWith(prefix));
}

function isPyDigits(segment: string): boolean {
  return /^[0-9]+$/.test(segment);
}

function numericPrefixLength(split: readonly string[]): number {
  let count = 0;
  for (const segment of split) {
    if (!isPyDigits(segment)) break;
    count += 1;
  }
  return count;
}

function leftPad(split: string[], target: number): string[] {
  const numeric = numericPrefixLength(split);
  if (target <= numeric) return split;
  return [...split.slice(0, numeric), ...Array<string>(target - numeric).fill('0'), ...split.slice(numeric)];
}

/** packaging's `_pep440_filter_prereleases`: drop pre-releases unless nothing final is left. */
function pep440FilterPrereleases<T>(items: readonly T[], key: (item: T) => Item): T[] {
  const out: T[] = [];
  const nonFinal: T[] = [];
  const arbitrary: T[] = [];
  let foundFinal = false;
  for (const item of items) {
    const parsed = coerce(key(item));
    if (parsed === null) {
      // Non-versions got here through `===`; whether they are pre-releases is unknowable.
      if (foundFinal) out.push(item);
      else {
        arbitrary.push(item);
        nonFinal.push(item);
      }
      continue;
    }
    if (!parsed.isPrerelease) {
      if (!foundFinal) {
        out.push(...arbitrary);
        foundFinal = true;
      }
      out.push(item);
      continue;
    }
    if (!foundFinal) nonFinal.push(item);
  }
  return foundFinal ? out : nonFinal;
}

/** packaging 21.3's clause identity (`__hash__`/`__eq__`): class, operator, `canonicalize_version(version)`. */
function uniqueClauses21(clauses: readonly (Specifier | LegacySpecifier)[]): (Specifier | LegacySpecifier)[] {
  const seen = new Set<string>();
  return clauses.filter((clause) => {
    const identity =
      clause instanceof LegacySpecifier ? clause.canonical : `pep440\u0000${clause.operator}\u0000${canonicalizeVersion(clause.version)}`;
    if (seen.has(identity)) return false;
    seen.add(identity);
    return true;
  });
}

/** A comma-separated set of specifiers (possibly empty), as in `SpecifierSet`. */
export class SpecifierSet {
  /** The PEP 440 clauses. */
  readonly specifiers: readonly Specifier[];
  /** The clauses packaging 21.3 reads as LegacySpecifier; always empty under rules `strict`. */
  readonly legacySpecifiers: readonly LegacySpecifier[];
  /** An explicit pre-release override (packaging's `prereleases=` argument); null: decide by the rules. */
  readonly prereleasesOverride: boolean | null;
  /** `strict`: packaging 24.1+ (specifiers.ts above); `legacy`: packaging 21.3, as pip <= 24.0. */
  readonly rules: VersionRules;
  /** Every clause in input order (packaging 21.3's `str()` keeps the first of equal clauses). */
  readonly #clauses: readonly (Specifier | LegacySpecifier)[];
  readonly #hasArbitrary: boolean;

  constructor(
    specifiers: readonly (Specifier | LegacySpecifier)[],
    prereleasesOverride: boolean | null = null,
    hasArbitrary?: boolean,
    rules: VersionRules = 'strict',
  ) {
    // packaging 21.3 keeps its clauses in a frozenset: of equal ones, the first stays.
    this.#clauses = rules === 'legacy' ? uniqueClauses21(specifiers) : specifiers;
    this.specifiers = this.#clauses.filter((s): s is Specifier => s instanceof Specifier);
    this.legacySpecifiers = this.#clauses.filter((s): s is LegacySpecifier => s instanceof LegacySpecifier);
    if (rules === 'strict' && this.legacySpecifiers.length > 0) {
      throw new Error(`bug: legacy specifiers ${this.legacySpecifiers.join(',')} under strict rules`);
    }
    this.prereleasesOverride = prereleasesOverride;
    this.rules = rules;
    this.#hasArbitrary = hasArbitrary ?? this.specifiers.some((s) => s.operator === '===');
  }

  /**
   * Parse `>=1.0, !=1.5` (empty items are skipped, like packaging); throws InvalidSpecifier. Under
   * rules `legacy` a clause that is no PEP 440 specifier becomes a LegacySpecifier when it can.
   */
  static parse(text: string, prereleasesOverride: boolean | null = null, rules: VersionRules = 'strict'): SpecifierSet {
    const specs: (Specifier | LegacySpecifier)[] = [];
    let offset = 0;
    for (const piece of text.split(',')) {
      const clause = pyStrip(piece);
      if (clause !== '') {
        try {
          specs.push(new Specifier(clause, rules));
        } catch (error) {
          if (!(error instanceof InvalidSpecifier)) throw error;
          const legacy = rules === 'legacy' ? LegacySpecifier.tryParse(clause) : null;
          if (legacy === null) {
            throw new InvalidSpecifier(text, offset, `${JSON.stringify(clause)} is not a version specifier`);
          }
          specs.push(legacy);
        }
      }
      offset += piece.length + 1;
    }
    return new SpecifierSet(specs, prereleasesOverride, text.includes('==='), rules);
  }

  get isEmpty(): boolean {
    return this.#clauses.length === 0;
  }

  /** packaging 21.3 `SpecifierSet.prereleases`: the override, else null for no clause, else any clause's. */
  get prereleases21(): boolean | null {
    if (this.prereleasesOverride !== null) return this.prereleasesOverride;
    if (this.#clauses.length === 0) return null;
    return this.specifiers.some((s) => s.prereleases21);
  }

  /**
   * packaging's `SpecifierSet.prereleases`: the override, else true when any clause implies
   * pre-releases, else null ("let the PEP 440 fallback decide").
   */
  get prereleases(): boolean | null {
    if (this.prereleasesOverride !== null) return this.prereleasesOverride;
    if (this.specifiers.length === 0) return null;
    return this.specifiers.some((s) => s.prereleases === true) ? true : null;
  }

  /** The normalized text, as `str(SpecifierSet)`: clauses sorted by text, equal ones once. */
  toString(): string {
    if (this.rules === 'legacy') return this.#toString21();
    const sorted = [...this.specifiers].sort((a, b) => comparePyStrings(a.toString(), b.toString()));
    const seen = new Set<string>();
    const kept: string[] = [];
    for (const spec of sorted) {
      const identity = spec.canonical;
      if (seen.has(identity)) continue;
      seen.add(identity);
      kept.push(spec.toString());
    }
    return kept.join(',');
  }

  /** Both sets at once (`a & b`). Conflicting explicit overrides throw, as in packaging. */
  intersect(other: SpecifierSet): SpecifierSet {
    let override: boolean | null;
    if (this.prereleasesOverride === null || this.prereleasesOverride === other.prereleasesOverride) {
      override = other.prereleasesOverride;
    } else if (other.prereleasesOverride === null) {
      override = this.prereleasesOverride;
    } else {
      throw new SafePipError('Cannot combine specifier sets with true and false pre-release overrides');
    }
    return new SpecifierSet(
      [...this.#clauses, ...other.#clauses],
      override,
      this.#hasArbitrary || other.#hasArbitrary,
      this.rules === 'legacy' || other.rules === 'legacy' ? 'legacy' : 'strict',
    );
  }

  /** packaging 21.3: the clauses' texts, sorted. */
  #toString21(): string {
    return this.#clauses.map(String).sort(comparePyStrings).join(',');
  }

  /** packaging 21.3 `SpecifierSet.contains(item, prereleases)`. */
  #contains21(item: Item, prereleases: boolean | null): boolean {
    const parsed = coerceLegacy(item);
    const include = prereleases ?? this.prereleases21;
    if (!include && parsed.isPrerelease) return false;
    return this.#clauses.every((c) => (c instanceof LegacySpecifier ? c.contains(parsed) : c.contains21(parsed, include ?? false)));
  }

  /**
   * packaging 21.3 `SpecifierSet.filter`: with clauses, each filters with `prereleases=bool(...)`, so
   * pre-releases only pass when allowed (a LegacySpecifier never drops one); with none, legacy
   * versions are dropped and pre-releases kept only when nothing final is there and no override.
   */
  #filter21<T>(items: readonly T[], prereleases: boolean | null, key: (item: T) => Item): T[] {
    const include = prereleases ?? this.prereleases21;
    if (this.#clauses.length > 0) {
      return items.filter((item) => {
        const parsed = coerceLegacy(key(item));
        return this.#clauses.every((c) => (c instanceof LegacySpecifier ? c.contains(parsed) : c.contains21(parsed, include === true)));
      });
    }
    const finals: T[] = [];
    const held: T[] = [];
    for (const item of items) {
      const parsed = coerceLegacy(key(item));
      if (parsed instanceof LegacyVersion) continue;
      if (parsed.isPrerelease && !include) {
        if (finals.length === 0) held.push(item);
      } else {
        finals.push(item);
      }
    }
    return finals.length === 0 && include === null ? held : finals;
  }

  /** packaging's `SpecifierSet.contains` (a lone pre-release matches when nothing final competes). */
  contains(item: Item, prereleases: boolean | null = null): boolean {
    if (this.rules === 'legacy') return this.#contains21(item, prereleases);
    const version = coerce(item);
    const check: Item = version === null || (this.#hasArbitrary && typeof item === 'string') ? item : version;
    return this.filter([check], prereleases).length > 0;
  }

  /** packaging's `SpecifierSet.filter`: the items that match, in their order. */
  filter<T>(items: readonly T[], prereleases: boolean | null = null, key?: (item: T) => Item): T[] {
    const keyOf = key ?? ((item: T) => item as unknown as Item);
    if (this.rules === 'legacy') return this.#filter21(items, prereleases, keyOf);
    const effective = prereleases ?? this.prereleases;
    if (this.specifiers.length > 0) {
      const filtered =
        this.specifiers.length === 1
          ? (this.specifiers[0] as Specifier).filter(items, effective ?? true, keyOf)
          : this.#filterAll(items, keyOf, effective === false);
      return effective !== null ? filtered : pep440FilterPrereleases(filtered, keyOf);
    }
    if (effective === true) return [...items];
    if (effective === false) {
      return items.filter((item) => {
        const version = coerce(keyOf(item));
        return version === null || !version.isPrerelease;
      });
    }
    return pep440FilterPrereleases(items, keyOf);
  }

  #filterAll<T>(items: readonly T[], key: (item: T) => Item, excludePrereleases: boolean): T[] {
    const out: T[] = [];
    for (const item of items) {
      const value = key(item);
      const parsed = coerce(value);
      if (parsed === null) {
        // Only `===` can match a non-version, and then every clause must be `===`.
        if (this.specifiers.every((s) => s.operator === '===' && s.matchesArbitrary(String(value)))) out.push(item);
      } else if (excludePrereleases && parsed.isPrerelease) {
        continue;
      } else if (
        this.specifiers.every((s) => (s.operator === '===' ? s.matchesArbitrary(String(value)) : s.matches(parsed)))
      ) {
        out.push(item);
      }
    }
    return out;
  }
}

/** Parse a specifier set; throws InvalidSpecifier. */
export function parseSpecifierSet(text: string, rules: VersionRules = 'strict'): SpecifierSet {
  return SpecifierSet.parse(text, null, rules);
}

/**
 * The versions pip would keep for a specifier: packaging's `SpecifierSet.filter(versions,
 * prereleases)`. `prereleases` is pip's `--pre` (true), ReleaseControl's only-final (false), or
 * null for "decide by the specifier and the PEP 440 fallback". Order is kept.
 */
export function filterVersions<T extends Item>(
  specifier: SpecifierSet | string,
  versions: readonly T[],
  prereleases: boolean | null,
): T[] {
  const set = typeof specifier === 'string' ? SpecifierSet.parse(specifier) : specifier;
  return set.filter(versions, prereleases);
}

/** Whether any clause implies pre-releases (packaging's `SpecifierSet.prereleases is True`). */
export function impliesPrereleases(specifier: SpecifierSet | string): boolean {
  const set = typeof specifier === 'string' ? SpecifierSet.parse(specifier) : specifier;
  return set.prereleases === true;
}
