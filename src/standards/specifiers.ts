// https://packaging.python.org/en/latest/specifications/version-specifiers/ (PEP 440), as
// implemented by packaging 26 `specifiers.py`, including its quirks, because pip's choice of
// candidates is packaging's `SpecifierSet.filter` (pip-behaviour.md §4.5, §8.3).
//
// Supported: the specifier grammar (packaging's regex), `contains` and `filter` with the
// pre-release rules (`prereleases` true / false / null, the PEP 440 "no final release matched"
// fallback, "the specifier implies pre-releases"), `===` string identity (also for non-versions),
// the normalized text (`str(SpecifierSet)`: sorted, de-duplicated) and intersection (`&`).
// Not supported: range algebra (`is_unsatisfiable`), packaging's `installed=` shortcut.
import { SafePipError } from '../errors.js';
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

type Item = string | Version;

function coerce(item: Item): Version | null {
  return typeof item === 'string' ? tryParseVersion(item) : item;
}

/** One `op version` clause. */
export class Specifier {
  readonly operator: SpecifierOperator;
  /** The version text as written (stripped), e.g. `1.0`, `v1.0`, `2.*`. */
  readonly version: string;
  #specVersion: Version | null | undefined;
  #wildcard: { split: string[]; numericLength: number } | undefined;

  constructor(text: string) {
    if (!SPECIFIER_RE.test(text)) throw new InvalidSpecifier(text, 0);
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

/** A comma-separated set of specifiers (possibly empty), as in `SpecifierSet`. */
export class SpecifierSet {
  readonly specifiers: readonly Specifier[];
  /** An explicit pre-release override (packaging's `prereleases=` argument); null: decide by the rules. */
  readonly prereleasesOverride: boolean | null;
  readonly #hasArbitrary: boolean;

  constructor(specifiers: readonly Specifier[], prereleasesOverride: boolean | null = null, hasArbitrary?: boolean) {
    this.specifiers = specifiers;
    this.prereleasesOverride = prereleasesOverride;
    this.#hasArbitrary = hasArbitrary ?? specifiers.some((s) => s.operator === '===');
  }

  /** Parse `>=1.0, !=1.5` (empty items are skipped, like packaging); throws InvalidSpecifier. */
  static parse(text: string, prereleasesOverride: boolean | null = null): SpecifierSet {
    const specs: Specifier[] = [];
    let offset = 0;
    for (const piece of text.split(',')) {
      if (pyStrip(piece) !== '') {
        try {
          specs.push(new Specifier(pyStrip(piece)));
        } catch (error) {
          if (error instanceof InvalidSpecifier) {
            throw new InvalidSpecifier(text, offset, `${JSON.stringify(pyStrip(piece))} is not a version specifier`);
          }
          throw error;
        }
      }
      offset += piece.length + 1;
    }
    return new SpecifierSet(specs, prereleasesOverride, text.includes('==='));
  }

  get isEmpty(): boolean {
    return this.specifiers.length === 0;
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
      [...this.specifiers, ...other.specifiers],
      override,
      this.#hasArbitrary || other.#hasArbitrary,
    );
  }

  /** packaging's `SpecifierSet.contains` (a lone pre-release matches when nothing final competes). */
  contains(item: Item, prereleases: boolean | null = null): boolean {
    const version = coerce(item);
    const check: Item = version === null || (this.#hasArbitrary && typeof item === 'string') ? item : version;
    return this.filter([check], prereleases).length > 0;
  }

  /** packaging's `SpecifierSet.filter`: the items that match, in their order. */
  filter<T>(items: readonly T[], prereleases: boolean | null = null, key?: (item: T) => Item): T[] {
    const keyOf = key ?? ((item: T) => item as unknown as Item);
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
export function parseSpecifierSet(text: string): SpecifierSet {
  return SpecifierSet.parse(text);
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
