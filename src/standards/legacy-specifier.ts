// packaging 21.3's LegacySpecifier and its PEP 440 Specifier grammar
// (https://github.com/pypa/packaging/blob/21.3/packaging/specifiers.py), as pip <= 24.0 vendors
// them: a SpecifierSet clause that is not a PEP 440 specifier becomes a LegacySpecifier (`>=>1`,
// `==2010i`, `>=1.0.0-SNAPSHOT`, even `==` with no version), compared with LegacyVersion keys.
//
// Supported: both grammars (as requirement tokens and as whole clauses), LegacySpecifier.contains
// (every candidate, PEP 440 or not, is compared as LegacyVersion(str(candidate)); it never holds back
// a pre-release), the 21.3 identity used to de-duplicate clauses.
// Not supported: a `prereleases=` override on one LegacySpecifier (pip never sets one).
import { PY_WHITESPACE_CHARS, pyStrip } from './python-text.js';
import { type AnyVersion, LegacyVersion, compareAnyVersions } from './legacy-version.js';
import { canonicalizeVersion } from './versions.js';

const WS = `[${PY_WHITESPACE_CHARS}]`;
const PRE = '(?:[-_.]?(?:a|b|c|rc|alpha|beta|pre|preview)[-_.]?[0-9]*)?';
const POST = '(?:(?:-[0-9]+)|(?:[-_.]?(?:post|rev|r)[-_.]?[0-9]*))?';
const DEV = '(?:[-_.]?dev[-_.]?[0-9]*)?';
const RELEASE = 'v?(?:[0-9]+!)?[0-9]+(?:\\.[0-9]+)*';

/**
 * packaging 21.3 `Specifier._regex_str` (unanchored). Wider than packaging 22+: `===` takes any
 * non-whitespace (also `;` and `)`), and `==`/`!=` allow `.*` after a pre- or post-release.
 * Alternation order matters (operator `==` is tried before `===`), as in Python's `re`.
 */
export const PACKAGING21_SPECIFIER_PATTERN =
  '(?:~=|==|!=|<=|>=|<|>|===)' +
  '(?:' +
  `(?:(?<====)${WS}*[^${PY_WHITESPACE_CHARS}]*)` +
  '|' +
  `(?:(?<===|!=)${WS}*${RELEASE}${PRE}${POST}(?:${DEV}(?:\\+[a-z0-9]+(?:[-_.][a-z0-9]+)*)?|\\.\\*)?)` +
  '|' +
  `(?:(?<=~=)${WS}*v?(?:[0-9]+!)?[0-9]+(?:\\.[0-9]+)+${PRE}${POST}${DEV})` +
  '|' +
  `(?:(?<!==|!=|~=)${WS}*${RELEASE}${PRE}${POST}${DEV})` +
  ')';

/** packaging 21.3 `LegacySpecifier._regex_str`: an operator, then anything but `,;)` and whitespace. */
export const LEGACY_SPECIFIER_PATTERN = `(?:==|!=|<=|>=|<|>)${WS}*[^,;${PY_WHITESPACE_CHARS})]*`;

// Not 'u': written for Python's IGNORECASE, which folds ASCII letters only in these classes.
const PACKAGING21_SPECIFIER_RE = new RegExp(`^${WS}*${PACKAGING21_SPECIFIER_PATTERN}${WS}*$`, 'i');
const LEGACY_SPECIFIER_RE = new RegExp(`^${WS}*(==|!=|<=|>=|<|>)${WS}*([^,;${PY_WHITESPACE_CHARS})]*)${WS}*$`, 'i');

export type LegacyOperator = '==' | '!=' | '<=' | '>=' | '<' | '>';

/** Whether packaging 21.3 reads the clause as a PEP 440 `Specifier`. */
export function isPackaging21Specifier(text: string): boolean {
  return PACKAGING21_SPECIFIER_RE.test(text);
}

/** One clause packaging 21.3 only accepts as legacy; the constructor throws for anything else. */
export class LegacySpecifier {
  readonly operator: LegacyOperator;
  /** The version text as written (stripped); may be empty (`==`). */
  readonly version: string;
  readonly #spec: LegacyVersion;

  constructor(text: string) {
    const match = LEGACY_SPECIFIER_RE.exec(text);
    if (match === null) throw new SyntaxError(`not a legacy specifier: ${JSON.stringify(text)}`);
    this.operator = match[1] as LegacyOperator;
    this.version = pyStrip(match[2] as string);
    this.#spec = new LegacyVersion(this.version);
  }

  /** Parse, or null when packaging 21.3 would not accept `text` as a LegacySpecifier either. */
  static tryParse(text: string): LegacySpecifier | null {
    return LEGACY_SPECIFIER_RE.test(text) ? new LegacySpecifier(text) : null;
  }

  toString(): string {
    return `${this.operator}${this.version}`;
  }

  /** Never implies pre-releases (`_prereleases` stays None). */
  get prereleases(): null {
    return null;
  }

  /** packaging 21.3's set identity: class, operator, `canonicalize_version(version)`. */
  get canonical(): string {
    return `legacy\u0000${this.operator}\u0000${canonicalizeVersion(this.version)}`;
  }

  /**
   * `LegacySpecifier.contains`: the candidate is turned into `LegacyVersion(str(candidate))` (a
   * PEP 440 version by its normalized text), so its pre-release flag is always false.
   */
  contains(item: AnyVersion | string): boolean {
    const prospective = item instanceof LegacyVersion ? item : new LegacyVersion(item.toString());
    const order = compareAnyVersions(prospective, this.#spec);
    switch (this.operator) {
      case '==':
        return order === 0;
      case '!=':
        return order !== 0;
      case '<=':
        return order <= 0;
      case '>=':
        return order >= 0;
      case '<':
        return order < 0;
      case '>':
        return order > 0;
    }
  }
}
