// Context-sensitive tokenizer for PEP 508, a port of packaging 26 `_tokenizer.py`: the parser asks
// "is token X next?" and the token rules are the same regular expressions, with Python's `\b`,
// `\s` and `$` semantics reproduced (Unicode word characters; `$` also matches before a final
// newline), so that the same strings are accepted and rejected.
import { PY_WORD_CHARS } from '../python-text.js';
import { SPECIFIER_PATTERN } from '../specifiers.js';
import { LEGACY_SPECIFIER_PATTERN, PACKAGING21_SPECIFIER_PATTERN } from '../legacy-specifier.js';
import { RequirementParseError } from './parse-error.js';
import { simpleClauseAt } from '../simple-specifier.js';

export interface Token {
  readonly name: TokenName;
  readonly text: string;
  readonly position: number;
}

/** The rules that do not involve word characters: the same objects serve both rule sets below. */
function plainRules() {
  return {
    LEFT_PARENTHESIS: /\(/uy,
    RIGHT_PARENTHESIS: /\)/uy,
    LEFT_BRACKET: /\[/uy,
    RIGHT_BRACKET: /\]/uy,
    SEMICOLON: /;/uy,
    COMMA: /,/uy,
    QUOTED_STRING: /(?:'[^']*')|(?:"[^"]*")/uy,
    OP: /===|==|~=|!=|<=|>=|<|>/uy,
    // Not 'u': the specifier pattern is written for Python's non-ASCII-folding IGNORECASE.
    SPECIFIER: new RegExp(SPECIFIER_PATTERN, 'iy'),
    // packaging 21.3 (pip <= 24.0): its PEP 440 specifier and its LegacySpecifier, tried as `^` (longest wins).
    SPECIFIER_21: new RegExp(PACKAGING21_SPECIFIER_PATTERN, 'iy'),
    LEGACY_SPECIFIER: new RegExp(LEGACY_SPECIFIER_PATTERN, 'iy'),
    AT: /@/uy,
    URL: /[^ \t]+/uy,
    VERSION_PREFIX_TRAIL: /\.\*/uy,
    VERSION_LOCAL_LABEL_TRAIL: /\+[a-z0-9]+(?:[-_.][a-z0-9]+)*/uy,
    WS: /[ \t]+/uy,
  } as const;
}

/**
 * The rules with Python's `\b`, as lookarounds over word characters `w` (a character class), in
 * regular expressions with `flags`.
 */
function wordRules(w: string, flags: 'uy' | 'y') {
  const W = `[${w}]`;
  const BOUNDARY_BEFORE_WORD = `(?<!${W})`;
  const BOUNDARY_AFTER_WORD = `(?!${W})`;
  const ANY_BOUNDARY = `(?:(?<=${W})(?!${W})|(?<!${W})(?=${W}))`;
  return {
    BOOLOP: new RegExp(`${BOUNDARY_BEFORE_WORD}(?:or|and)${BOUNDARY_AFTER_WORD}`, flags),
    IN: new RegExp(`${BOUNDARY_BEFORE_WORD}in${BOUNDARY_AFTER_WORD}`, flags),
    NOT: new RegExp(`${BOUNDARY_BEFORE_WORD}not${BOUNDARY_AFTER_WORD}`, flags),
    VARIABLE: new RegExp(
      `${BOUNDARY_BEFORE_WORD}(?:python_version|python_full_version|os[._]name|sys[._]platform|platform_(?:release|system)` +
        `|platform[._](?:version|machine|python_implementation)|python_implementation|implementation_(?:name|version)` +
        `|extras?|dependency_groups)${BOUNDARY_AFTER_WORD}`,
      flags,
    ),
    IDENTIFIER: new RegExp(`${BOUNDARY_BEFORE_WORD}[a-zA-Z0-9][a-zA-Z0-9._-]*${ANY_BOUNDARY}`, flags),
  } as const;
}

type Rules = ReturnType<typeof plainRules> & ReturnType<typeof wordRules>;

let plain: ReturnType<typeof plainRules> | undefined;
/**
 * The rules for a text with Python's word characters: Unicode letters, digits and `_`. Made on
 * first use, as the ASCII ones: V8 parses a Unicode property class as the expression is made
 * (~2 ms for these rules), and most runs never see a requirement that is not ASCII.
 */
let unicodeRules: Rules | undefined;
/**
 * The same rules for a text of ASCII characters only, whose word characters are exactly
 * `[0-9A-Za-z_]` (test/standards/pep508-tokenizer-ascii.test.ts): V8 compiles a Unicode property
 * class into a large program, and the five rules that use it took ~5 ms of every run's first
 * requirements.
 */
let asciiRules: Rules | undefined;

/** The rules for `text`. */
export function rulesFor(text: string): Rules {
  plain ??= plainRules();
  if (!/^[\x00-\x7f]*$/.test(text)) return (unicodeRules ??= { ...plain, ...wordRules(PY_WORD_CHARS, 'uy') });
  return (asciiRules ??= { ...plain, ...wordRules('0-9A-Za-z_', 'y') });
}

export type TokenName = keyof Rules | 'END';

export class Tokenizer {
  readonly source: string;
  readonly kind: 'requirement' | 'marker';
  position = 0;
  #next: Token | null = null;
  readonly #rules: Rules;

  constructor(source: string, kind: 'requirement' | 'marker') {
    this.source = source;
    this.kind = kind;
    this.#rules = rulesFor(source);
  }

  #match(name: TokenName): string | null {
    if (name === 'END') {
      // Python's `$`: the end, or just before a newline that ends the string.
      const rest = this.source.length - this.position;
      return rest === 0 || (rest === 1 && this.source[this.position] === '\n') ? '' : null;
    }
    if (name === 'SPECIFIER' || name === 'SPECIFIER_21' || name === 'LEGACY_SPECIFIER') {
      const clause = simpleClauseAt(this.source, this.position);
      // LegacySpecifier has no `~=`.
      if (clause !== null) return name === 'LEGACY_SPECIFIER' && clause.startsWith('~=') ? null : clause;
    }
    const rule = this.#rules[name];
    rule.lastIndex = this.position;
    const match = rule.exec(this.source);
    return match === null ? null : match[0];
  }

  /** Whether the next token is `name`; unless `peek`, it is then loaded and must be read. */
  check(name: TokenName, peek = false): boolean {
    if (this.#next !== null) throw new Error(`tokenizer: cannot check ${name}, already holding ${this.#next.name}`);
    const text = this.#match(name);
    if (text === null) return false;
    if (!peek) this.#next = { name, text, position: this.position };
    return true;
  }

  /**
   * pyparsing's `a ^ b`: the longest of these tokens that is next (the first on a tie) is loaded
   * and must be read; false when none is next.
   */
  checkLongest(names: readonly TokenName[]): boolean {
    if (this.#next !== null) throw new Error(`tokenizer: cannot check ${names.join('^')}, already holding ${this.#next.name}`);
    let best: Token | null = null;
    for (const name of names) {
      const text = this.#match(name);
      if (text !== null && (best === null || text.length > best.text.length)) best = { name, text, position: this.position };
    }
    this.#next = best;
    return best !== null;
  }

  /** Skip a token of this kind if it is next. */
  consume(name: TokenName): void {
    if (this.check(name)) this.read();
  }

  /** Read a token that must be next, or fail with "Expected …". */
  expect(name: TokenName, expected: string): Token {
    if (!this.check(name)) this.raise(`Expected ${expected}`);
    return this.read();
  }

  read(): Token {
    const token = this.#next;
    if (token === null) throw new Error('tokenizer: read() without a successful check()');
    this.position += token.text.length;
    this.#next = null;
    return token;
  }

  raise(message: string, spanStart?: number, spanEnd?: number): never {
    throw new RequirementParseError(
      this.kind,
      this.source,
      message,
      spanStart ?? this.position,
      spanEnd ?? this.position,
    );
  }

  /**
   * Parse what `body` reads, optionally enclosed in `open` … `close` (packaging's
   * `enclosing_tokens`): a missing close token is reported at the open token.
   */
  enclosing<T>(open: TokenName, close: TokenName, around: string, body: () => T): T {
    let openPosition: number | null = null;
    if (this.check(open)) {
      openPosition = this.position;
      this.read();
    }
    const result = body();
    if (openPosition === null) return result;
    if (!this.check(close)) {
      this.raise(`Expected matching ${close} for ${open}, after ${around}`, openPosition);
    }
    this.read();
    return result;
  }
}
