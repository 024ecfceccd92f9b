// Python's optparse, as pip uses it (Lib/optparse.py: OptionParser._process_args,
// _process_long_opt, _process_short_opts, _match_abbrev; Option.check_value).
// See ../../../shared/reference/pip-behaviour.md §1.2.
//
// Supported: unique-prefix long options with aliases counted separately, `--opt=value`,
// `--opt value` (the next token is taken unconditionally, even `--` or `-x`), short clusters
// (`-qq`, `-rreq.txt`, `-i=URL` keeps the `=`), `--` ending option processing, a lone `-` as a
// positional, interspersed or non-interspersed positionals, choice/int/float checks.
// Not here: what an option *does* (store, append, count, callbacks). This module only reports
// the occurrences in order, keeping token positions so a rewrite can change just what it must.
import type { OptionSpec } from './option-spec.js';
import { asciiDigits, pythonStrRepr } from './python-repr.js';

export interface OptionOccurrence {
  spec: OptionSpec;
  /** The name pip resolved the spelling to: the full long name (`--only-binary`) or `-q`. */
  name: string;
  /** What the user typed for the option part (`--only-bin`, or `-r` inside `-qrreq.txt`). */
  written: string;
  /** The value, or null for flags. */
  value: string | null;
  /** Token holding the option. */
  tokenIndex: number;
  /**
   * Where the value came from: `next` = the following token (valueTokenIndex), `equals` = after
   * `=` in the same token, `attached` = the rest of a short cluster, null for flags.
   */
  valueSource: 'next' | 'equals' | 'attached' | null;
  valueTokenIndex: number | null;
}

export interface Positional {
  value: string;
  tokenIndex: number;
}

export interface OptparseResult {
  occurrences: OptionOccurrence[];
  positionals: Positional[];
  /** Index of the `--` token that ended option processing, if any. */
  doubleDashIndex: number | null;
  /**
   * With interspersed=false: index of the first positional, where parsing stopped (every token
   * from there on is left unparsed and is also listed in positionals). Null when it never stopped.
   */
  stoppedAt: number | null;
}

export type OptparseErrorKind =
  | 'no-such-option'
  | 'ambiguous-option'
  | 'requires-argument'
  | 'takes-no-value'
  | 'invalid-value';

/** A command line optparse would reject; `message` is optparse's own text (pip prints it after the usage). */
export class OptparseError extends Error {
  readonly kind: OptparseErrorKind;
  readonly tokenIndex: number;
  readonly tokens: readonly string[];
  constructor(kind: OptparseErrorKind, message: string, tokenIndex: number, tokens: readonly string[]) {
    super(message);
    this.name = 'OptparseError';
    this.kind = kind;
    this.tokenIndex = tokenIndex;
    this.tokens = tokens;
  }
}

export interface OptparseOptions {
  /** optparse's allow_interspersed_args: pip's main parser sets it false, command parsers true. */
  interspersed: boolean;
  /**
   * Called for each occurrence, in order, before the next token is read: lets a caller raise the
   * errors pip's callbacks raise at that point (optparse reports the first failure in argv order).
   */
  onOccurrence?: (occurrence: OptionOccurrence) => void;
}

/** Lookup tables for one parser: every long name (aliases separately) and every short name. */
export interface OptionIndex {
  long: Map<string, OptionSpec>;
  short: Map<string, OptionSpec>;
  /** Long names sorted as Python sorts strings, for ambiguity messages. */
  longNames: string[];
}

export function indexOptions(specs: readonly OptionSpec[]): OptionIndex {
  const long = new Map<string, OptionSpec>();
  const short = new Map<string, OptionSpec>();
  for (const spec of specs) {
    for (const name of spec.names) {
      if (name.startsWith('--')) long.set(name, spec);
      else short.set(name, spec);
    }
  }
  return { long, short, longNames: [...long.keys()].sort(comparePythonStrings) };
}

function comparePythonStrings(a: string, b: string): number {
  // Python compares str by code point; JS `<` compares UTF-16 units. Option names are ASCII.
  return a < b ? -1 : a > b ? 1 : 0;
}

/** optparse._match_abbrev: exact match, else the single long name with this prefix. */
export function matchLongOption(written: string, index: OptionIndex): string {
  if (index.long.has(written)) return written;
  const candidates = index.longNames.filter((name) => name.startsWith(written));
  if (candidates.length === 1) return candidates[0]!;
  if (candidates.length === 0) throw new MatchError('no-such-option', `no such option: ${written}`);
  throw new MatchError('ambiguous-option', `ambiguous option: ${written} (${candidates.join(', ')}?)`);
}

class MatchError extends Error {
  constructor(
    readonly kind: 'no-such-option' | 'ambiguous-option',
    message: string,
  ) {
    super(message);
  }
}

export function parseOptparse(
  tokens: readonly string[],
  specs: readonly OptionSpec[] | OptionIndex,
  options: OptparseOptions,
): OptparseResult {
  const index = isIndex(specs) ? specs : indexOptions(specs);
  const occurrences: OptionOccurrence[] = [];
  const positionals: Positional[] = [];
  let doubleDashIndex: number | null = null;
  let stoppedAt: number | null = null;

  const record = (occurrence: OptionOccurrence): void => {
    checkValue(occurrence, tokens);
    occurrences.push(occurrence);
    options.onOccurrence?.(occurrence);
  };

  let i = 0;
  while (i < tokens.length) {
    const token = tokens[i]!;
    if (token === '--') {
      doubleDashIndex = i;
      i += 1;
      break;
    }
    if (token.startsWith('--')) {
      i = processLongOption(tokens, i, index, record);
    } else if (token.startsWith('-') && token.length > 1) {
      i = processShortOptions(tokens, i, index, record);
    } else if (options.interspersed) {
      positionals.push({ value: token, tokenIndex: i });
      i += 1;
    } else {
      stoppedAt = i;
      break;
    }
  }
  for (; i < tokens.length; i += 1) positionals.push({ value: tokens[i]!, tokenIndex: i });
  return { occurrences, positionals, doubleDashIndex, stoppedAt };
}

function isIndex(value: readonly OptionSpec[] | OptionIndex): value is OptionIndex {
  return !Array.isArray(value);
}

function processLongOption(
  tokens: readonly string[],
  i: number,
  index: OptionIndex,
  record: (o: OptionOccurrence) => void,
): number {
  const token = tokens[i]!;
  const eq = token.indexOf('=');
  const written = eq === -1 ? token : token.slice(0, eq);
  let name: string;
  try {
    name = matchLongOption(written, index);
  } catch (error) {
    if (error instanceof MatchError) throw new OptparseError(error.kind, error.message, i, tokens);
    throw error;
  }
  const spec = index.long.get(name)!;
  if (spec.takesValue) {
    if (eq !== -1) {
      record({ spec, name, written, value: token.slice(eq + 1), tokenIndex: i, valueSource: 'equals', valueTokenIndex: null });
      return i + 1;
    }
    if (i + 1 >= tokens.length) {
      throw new OptparseError('requires-argument', `${name} option requires 1 argument`, i, tokens);
    }
    record({ spec, name, written, value: tokens[i + 1]!, tokenIndex: i, valueSource: 'next', valueTokenIndex: i + 1 });
    return i + 2;
  }
  if (eq !== -1) throw new OptparseError('takes-no-value', `${name} option does not take a value`, i, tokens);
  record({ spec, name, written, value: null, tokenIndex: i, valueSource: null, valueTokenIndex: null });
  return i + 1;
}

function processShortOptions(
  tokens: readonly string[],
  i: number,
  index: OptionIndex,
  record: (o: OptionOccurrence) => void,
): number {
  const token = tokens[i]!;
  for (let pos = 1; pos < token.length; pos += 1) {
    const name = `-${token[pos]}`;
    const spec = index.short.get(name);
    if (spec === undefined) throw new OptparseError('no-such-option', `no such option: ${name}`, i, tokens);
    if (!spec.takesValue) {
      record({ spec, name, written: name, value: null, tokenIndex: i, valueSource: null, valueTokenIndex: null });
      continue;
    }
    if (pos + 1 < token.length) {
      record({ spec, name, written: name, value: token.slice(pos + 1), tokenIndex: i, valueSource: 'attached', valueTokenIndex: null });
      return i + 1;
    }
    if (i + 1 >= tokens.length) {
      throw new OptparseError('requires-argument', `${name} option requires 1 argument`, i, tokens);
    }
    record({ spec, name, written: name, value: tokens[i + 1]!, tokenIndex: i, valueSource: 'next', valueTokenIndex: i + 1 });
    return i + 2;
  }
  return i + 1;
}

/** optparse Option.check_value for the types pip's options use (pip's own `path` type only expands `~`). */
function checkValue(occurrence: OptionOccurrence, tokens: readonly string[]): void {
  const { spec, value, name } = occurrence;
  if (value === null) return;
  const checked = convertOptionValue(spec, name, value);
  if (!checked.ok) throw new OptparseError('invalid-value', checked.message, occurrence.tokenIndex, tokens);
}

export type ConvertedValue = { ok: true; value: string | number } | { ok: false; message: string };

/**
 * Option.check_value(label, value): int and float converted, choices checked, anything else
 * returned as typed. `label` is what optparse names in its message (`--timeout` on the command
 * line; the bare config key when pip checks a config value).
 */
export function convertOptionValue(spec: OptionSpec, label: string, value: string): ConvertedValue {
  switch (spec.type) {
    case 'int': {
      const parsed = parsePythonInt(asciiDigits(value));
      if (parsed === null) return { ok: false, message: `option ${label}: invalid integer value: ${pythonRepr(value)}` };
      return { ok: true, value: parsed };
    }
    case 'float': {
      if (!isPythonFloat(asciiDigits(value))) return { ok: false, message: `option ${label}: invalid floating-point value: ${pythonRepr(value)}` };
      return { ok: true, value: pythonFloat(asciiDigits(value)) };
    }
    case 'choice':
      if (spec.choices !== null && !spec.choices.includes(value)) {
        return {
          ok: false,
          message: `option ${label}: invalid choice: ${pythonRepr(value)} (choose from ${spec.choices.map(pythonRepr).join(', ')})`,
        };
      }
      return { ok: true, value };
    default:
      return { ok: true, value };
  }
}

function pythonFloat(value: string): number {
  const text = value.trim().toLowerCase().replace(/_/g, '');
  if (/^[+-]?(inf|infinity)$/.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
  if (/^[+-]?nan$/.test(text)) return NaN;
  return Number(text);
}

/**
 * optparse._parse_num(value, int): the radix comes from the first characters as typed ("0x" hex,
 * "0b" binary, a leading "0" octal, else decimal), then Python's int(text, radix) decides.
 */
export function parsePythonInt(value: string): number | null {
  const head = value.slice(0, 2).toLowerCase();
  let text = value;
  let radix: number;
  if (head === '0x') radix = 16;
  else if (head === '0b') {
    radix = 2;
    text = value.slice(2) || '0';
  } else if (value.startsWith('0')) radix = 8;
  else radix = 10;
  return pythonIntWithRadix(text, radix);
}

/** Python int(text, radix): surrounding whitespace, a sign, the radix's own prefix, single underscores between digits. */
function pythonIntWithRadix(text: string, radix: number): number | null {
  const digitClass = radix === 16 ? '[0-9a-fA-F]' : radix === 8 ? '[0-7]' : radix === 2 ? '[01]' : '[0-9]';
  const prefix = radix === 16 ? '(?:0[xX]_?)?' : radix === 8 ? '(?:0[oO]_?)?' : radix === 2 ? '(?:0[bB]_?)?' : '';
  const pattern = new RegExp(`^\\s*([+-]?)${prefix}(${digitClass}(?:_?${digitClass})*)\\s*$`);
  const match = pattern.exec(text);
  if (match === null) return null;
  const digits = match[2]!.replace(/_/g, '');
  // Python forbids leading zeros in a non-zero decimal literal only for literals, not int(); allowed here.
  const magnitude = parseInt(digits, radix);
  return match[1] === '-' ? -magnitude : magnitude;
}

function isPythonFloat(value: string): boolean {
  const text = value.trim().toLowerCase();
  if (/^[+-]?(inf|infinity|nan)$/.test(text)) return true;
  return /^[+-]?((\d(_?\d)*)?\.?\d(_?\d)*|\d(_?\d)*\.)(e[+-]?\d(_?\d)*)?$/.test(text);
}

/** Python's repr() of a str, as optparse messages show values ('abc', "it's"). */
export function pythonRepr(value: string): string {
  return pythonStrRepr(value);
}
