// https://packaging.python.org/en/latest/specifications/dependency-specifiers/#environment-markers
// (PEP 508 markers, PEP 685 extras), as packaging 26 `_parser.py` + `markers.py` parse, print and
// evaluate them (pip-behaviour.md §4.2).
//
// Supported: `and`/`or`/parentheses, every comparison operator plus `in`/`not in`, either quote
// style, the variable on either side, the legacy dotted names (`os.name`, `python_implementation`),
// Python string-literal escapes inside quotes (packaging runs `ast.literal_eval` on them), and
// packaging's evaluation rules: version comparison for the version-valued variables when the
// other side makes a valid specifier (pre-releases allowed), Python string operations otherwise
// (`<=`/`>=` act as `==`, `<`/`>` are false, `~=`/`===` on strings are an error), `extra`
// normalized (PEP 685), `extras`/`dependency_groups` as optional sets (PEP 751).
// Not supported: `\N{name}` escapes in quoted strings (rejected).
// Known packaging 26.2 behaviour kept on purpose: an `extra == "Foo_Bar"` comparison inside
// parentheses is not normalized at parse time, so it never matches (pip shares this).
import { SafePipError } from '../../errors.js';
import type { MarkerEnvironment } from '../interpreter-facts.js';
import { normalizeName } from '../names.js';
import { InvalidSpecifier, Specifier } from '../specifiers.js';
import { RequirementParseError } from './parse-error.js';
import { Tokenizer } from './tokenizer.js';

export type MarkerVariable =
  | 'implementation_name'
  | 'implementation_version'
  | 'os_name'
  | 'platform_machine'
  | 'platform_release'
  | 'platform_system'
  | 'platform_version'
  | 'python_full_version'
  | 'platform_python_implementation'
  | 'python_version'
  | 'sys_platform'
  | 'extra'
  | 'extras'
  | 'dependency_groups';

export type MarkerOperator = '===' | '==' | '~=' | '!=' | '<=' | '>=' | '<' | '>' | 'in' | 'not in';

export type MarkerOperand =
  | { readonly kind: 'variable'; readonly name: MarkerVariable }
  | { readonly kind: 'value'; readonly value: string };

export interface MarkerComparison {
  readonly kind: 'compare';
  readonly left: MarkerOperand;
  readonly op: MarkerOperator;
  readonly right: MarkerOperand;
}

/**
 * A marker as packaging holds it: a flat list of atoms joined by `and`/`or` (`and` binds
 * tighter), where a parenthesized group is a nested list.
 */
export type Marker = readonly MarkerNode[];
export type MarkerNode = MarkerComparison | Marker | 'and' | 'or';

/** The environment a marker is evaluated in; `extras`/`dependency_groups` only in lock-file contexts. */
export type MarkerEvaluationEnvironment = MarkerEnvironment & {
  readonly extras?: ReadonlySet<string>;
  readonly dependency_groups?: ReadonlySet<string>;
};

/** A comparison packaging cannot evaluate (`~=` on plain strings, a missing set variable, …). */
export class MarkerEvaluationError extends SafePipError {
  constructor(message: string) {
    super(message);
    this.name = 'MarkerEvaluationError';
  }
}

const VERSION_VARIABLES: ReadonlySet<string> = new Set([
  'implementation_version',
  'platform_release',
  'python_full_version',
  'python_version',
]);
const SET_VARIABLES: ReadonlySet<string> = new Set(['extras', 'dependency_groups']);

// ---------------------------------------------------------------------------------------------
// Parsing (packaging `_parser.py`, the marker half)

/** Parse a marker expression on its own (packaging's `Marker(text)`). Throws RequirementParseError. */
export function parseMarker(text: string): Marker {
  const tokenizer = new Tokenizer(text, 'marker');
  const marker = parseMarkerExpression(tokenizer);
  tokenizer.expect('END', 'end of marker expression');
  return normalizeExtraValues(marker);
}

/**
 * How deep parentheses may nest. packaging has no limit of its own but hits Python's
 * RecursionError near 500 levels; without one, a hostile marker would overflow the JavaScript
 * stack (RangeError) instead of failing as a parse error. Real markers nest a few levels.
 */
export const MAX_MARKER_NESTING = 400;

/** `marker = marker_atom (BOOLOP marker_atom)*`; used by the requirement parser too (not normalized). */
export function parseMarkerExpression(tokenizer: Tokenizer, depth = 0): MarkerNode[] {
  const expression: MarkerNode[] = [parseMarkerAtom(tokenizer, depth)];
  while (tokenizer.check('BOOLOP')) {
    const token = tokenizer.read();
    const right = parseMarkerAtom(tokenizer, depth);
    expression.push(token.text as 'and' | 'or', right);
  }
  return expression;
}

function parseMarkerAtom(tokenizer: Tokenizer, depth: number): MarkerComparison | Marker {
  tokenizer.consume('WS');
  let marker: MarkerComparison | Marker;
  if (tokenizer.check('LEFT_PARENTHESIS', true)) {
    if (depth >= MAX_MARKER_NESTING) {
      tokenizer.raise(`Parentheses nested more than ${MAX_MARKER_NESTING} levels deep in marker expression`);
    }
    marker = tokenizer.enclosing('LEFT_PARENTHESIS', 'RIGHT_PARENTHESIS', 'marker expression', () => {
      tokenizer.consume('WS');
      const inner = parseMarkerExpression(tokenizer, depth + 1);
      tokenizer.consume('WS');
      return inner;
    });
  } else {
    marker = parseMarkerItem(tokenizer);
  }
  tokenizer.consume('WS');
  return marker;
}

function parseMarkerItem(tokenizer: Tokenizer): MarkerComparison {
  tokenizer.consume('WS');
  const left = parseMarkerVar(tokenizer);
  tokenizer.consume('WS');
  const op = parseMarkerOp(tokenizer);
  tokenizer.consume('WS');
  const right = parseMarkerVar(tokenizer);
  tokenizer.consume('WS');
  return { kind: 'compare', left, op, right };
}

function parseMarkerVar(tokenizer: Tokenizer): MarkerOperand {
  if (tokenizer.check('VARIABLE')) {
    const name = tokenizer.read().text.replace(/\./g, '_');
    const variable = name === 'python_implementation' ? 'platform_python_implementation' : name;
    return { kind: 'variable', name: variable as MarkerVariable };
  }
  if (tokenizer.check('QUOTED_STRING')) {
    const token = tokenizer.read();
    return { kind: 'value', value: decodePythonStringLiteral(tokenizer, token.text, token.position) };
  }
  return tokenizer.raise('Expected a marker variable or quoted string');
}

function parseMarkerOp(tokenizer: Tokenizer): MarkerOperator {
  if (tokenizer.check('IN')) {
    tokenizer.read();
    return 'in';
  }
  if (tokenizer.check('NOT')) {
    tokenizer.read();
    tokenizer.expect('WS', "whitespace after 'not'");
    tokenizer.expect('IN', "'in' after 'not'");
    return 'not in';
  }
  if (tokenizer.check('OP')) return tokenizer.read().text as MarkerOperator;
  return tokenizer.raise('Expected marker operator, one of <=, <, !=, ==, >=, >, ~=, ===, in, not in');
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};

/**
 * packaging passes a quoted string to `ast.literal_eval`, so Python escapes apply inside it and
 * anything Python's compiler rejects (a raw line break, a bad `\x`) is an error.
 */
function decodePythonStringLiteral(tokenizer: Tokenizer, literal: string, position: number): string {
  const body = literal.slice(1, -1);
  const fail = (offset: number, what: string): never =>
    tokenizer.raise(`Invalid quoted string (${what})`, position + 1 + offset);
  let out = '';
  for (let i = 0; i < body.length; i += 1) {
    const ch = body[i] as string;
    if (ch === '\n' || ch === '\r') fail(i, 'line break inside quotes');
    if (ch === '\0') fail(i, 'NUL character');
    if (ch >= '\ud800' && ch <= '\udfff') {
      // Python compiles the literal from UTF-8, which cannot hold a lone surrogate.
      const low = body[i + 1] ?? '';
      if (ch > '\udbff' || low < '\udc00' || low > '\udfff') fail(i, 'lone surrogate');
      out += ch + low;
      i += 1;
      continue;
    }
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    if (i + 1 >= body.length) fail(i, 'backslash escapes the closing quote');
    const next = body[i + 1] as string;
    const simple = SIMPLE_ESCAPES[next];
    if (simple !== undefined) {
      out += simple;
      i += 1;
    } else if (next === '\n') {
      i += 1;
    } else if (next === '\r') {
      i += body[i + 2] === '\n' ? 2 : 1;
    } else if (/[0-7]/.test(next)) {
      const digits = /^[0-7]{1,3}/.exec(body.slice(i + 1))?.[0] ?? next;
      out += String.fromCodePoint(parseInt(digits, 8));
      i += digits.length;
    } else if (next === 'x' || next === 'u' || next === 'U') {
      const width = next === 'x' ? 2 : next === 'u' ? 4 : 8;
      const hex = body.slice(i + 2, i + 2 + width);
      if (!new RegExp(`^[0-9a-fA-F]{${width}}$`).test(hex)) fail(i, `truncated \\${next} escape`);
      const code = parseInt(hex, 16);
      if (code > 0x10ffff) fail(i, `\\${next} escape out of range`);
      out += String.fromCodePoint(code);
      i += 1 + width;
    } else if (next === 'N') {
      fail(i, '\\N{...} escapes are not supported');
    } else {
      // Python keeps unknown escapes as they are (with a DeprecationWarning).
      out += ch;
    }
  }
  return out;
}

/** packaging's `_normalize_extra_values`: PEP 685-normalize the value compared with `extra` (top level only). */
export function normalizeExtraValues(marker: readonly MarkerNode[]): Marker {
  return marker.map((node) => {
    if (typeof node === 'string' || Array.isArray(node)) return node;
    const item = node as MarkerComparison;
    if (item.left.kind === 'variable' && item.left.name === 'extra' && item.right.kind === 'value') {
      return { ...item, right: { kind: 'value', value: normalizeName(item.right.value) } };
    }
    if (item.right.kind === 'variable' && item.right.name === 'extra' && item.left.kind === 'value') {
      return { ...item, left: { kind: 'value', value: normalizeName(item.left.value) } };
    }
    return item;
  });
}

// ---------------------------------------------------------------------------------------------
// Printing (packaging `_format_marker`)

// What cannot stand raw inside a quoted marker string: the parser (like Python's compiler)
// rejects NUL, line breaks and lone surrogates and reads a backslash as an escape; the other C0
// controls and DEL would read back, but are escaped too so the printed marker stays one visible
// line. Tab stays.
const ESCAPED_CHARACTER = /[\\\x00-\x08\x0a-\x1f\x7f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function escapeCharacter(ch: string): string {
  if (ch === '\\') return '\\\\';
  if (ch === '\n') return '\\n';
  if (ch === '\r') return '\\r';
  const code = ch.charCodeAt(0);
  return code > 0xff ? `\\u${code.toString(16).padStart(4, '0')}` : `\\x${code.toString(16).padStart(2, '0')}`;
}

function formatOperand(operand: MarkerOperand): string {
  if (operand.kind === 'variable') return operand.name;
  const value = operand.value;
  const escaped = value.replace(ESCAPED_CHARACTER, escapeCharacter);
  // packaging always writes "…"; a value that holds `"`, a backslash or a control character would
  // not read back, so those (never seen in practice) are written as Python escapes that do. A
  // quoted string cannot hold its own quote (no `\"` in the grammar), hence `\x22`.
  if (escaped === value && !value.includes('"')) return `"${value}"`;
  if (!escaped.includes("'")) return `'${escaped}'`;
  return `"${escaped.replace(/"/g, '\\x22')}"`;
}

function formatNode(node: MarkerNode, first: boolean): string {
  if (typeof node === 'string') return node;
  if (!Array.isArray(node)) {
    const item = node as MarkerComparison;
    return `${formatOperand(item.left)} ${item.op} ${formatOperand(item.right)}`;
  }
  const list = node as Marker;
  // A group of one (`(a)`) prints without the parentheses. packaging passes `first=True` down
  // here, which drops needed parentheses from `((a or b)) and c`; this keeps them.
  if (list.length === 1 && typeof list[0] !== 'string') return formatNode(list[0] as MarkerNode, first);
  const inner = list.map((m) => formatNode(m, false)).join(' ');
  return first ? inner : `(${inner})`;
}

/** The marker as packaging's `str(Marker)` prints it (`python_version >= "3.8" and extra == "x"`). */
export function formatMarker(marker: Marker): string {
  return formatNode(marker, true);
}

// ---------------------------------------------------------------------------------------------
// Evaluation (packaging `Marker.evaluate`, context "metadata" unless a set variable is given)

function pyRepr(value: string | ReadonlySet<string>): string {
  return typeof value === 'string' ? JSON.stringify(value) : `{${[...value].map((v) => JSON.stringify(v)).join(', ')}}`;
}

function evalOp(lhs: string, op: MarkerOperator, rhs: string | ReadonlySet<string>, key: string): boolean {
  if (VERSION_VARIABLES.has(key) && typeof rhs === 'string') {
    let spec: Specifier | null = null;
    try {
      spec = new Specifier(`${op}${rhs}`);
    } catch (error) {
      if (!(error instanceof InvalidSpecifier)) throw error;
    }
    if (spec !== null) return spec.contains(lhs, true);
  }
  switch (op) {
    case 'in':
      return typeof rhs === 'string' ? rhs.includes(lhs) : rhs.has(lhs);
    case 'not in':
      return typeof rhs === 'string' ? !rhs.includes(lhs) : !rhs.has(lhs);
    case '<':
    case '>':
      return false;
    case '<=':
    case '==':
    case '>=':
      return typeof rhs === 'string' && lhs === rhs;
    case '!=':
      return typeof rhs !== 'string' || lhs !== rhs;
    default:
      throw new MarkerEvaluationError(`Undefined ${op} on ${pyRepr(lhs)} and ${pyRepr(rhs)}.`);
  }
}

function lookup(env: Record<string, string | ReadonlySet<string> | undefined>, key: string): string | ReadonlySet<string> {
  const value = Object.hasOwn(env, key) ? env[key] : undefined;
  if (value === undefined) throw new MarkerEvaluationError(`Marker variable ${key} is not defined in this environment`);
  return value;
}

function evaluateList(marker: Marker, env: Record<string, string | ReadonlySet<string> | undefined>): boolean {
  const groups: boolean[][] = [[]];
  for (const node of marker) {
    if (node === 'or') groups.push([]);
    else if (node === 'and') continue;
    else if (Array.isArray(node)) (groups[groups.length - 1] as boolean[]).push(evaluateList(node as Marker, env));
    else {
      const { left, op, right } = node as MarkerComparison;
      let key: string;
      let lhs: string | ReadonlySet<string>;
      let rhs: string | ReadonlySet<string>;
      if (left.kind === 'variable') {
        key = left.name;
        lhs = lookup(env, key);
        rhs = right.kind === 'value' ? right.value : right.name;
      } else {
        lhs = left.value;
        key = right.kind === 'variable' ? right.name : right.value;
        rhs = lookup(env, key);
      }
      if (typeof lhs !== 'string') throw new MarkerEvaluationError(`Marker variable ${key} holds a set; it must be on the right of "in"`);
      if (SET_VARIABLES.has(key)) {
        lhs = normalizeName(lhs);
        rhs = typeof rhs === 'string' ? normalizeName(rhs) : new Set([...rhs].map(normalizeName));
      }
      (groups[groups.length - 1] as boolean[]).push(evalOp(lhs, op, rhs, key));
    }
  }
  return groups.some((group) => group.every(Boolean));
}

/**
 * Evaluate a marker like packaging's `Marker.evaluate(env)` in the metadata context: `extra`
 * defaults to "" and is PEP 685-normalized; a `python_full_version` ending in `+` gets `local`
 * appended. Throws MarkerEvaluationError where packaging raises.
 */
export function evaluateMarker(marker: Marker, env: MarkerEvaluationEnvironment, extra?: string): boolean {
  const values: Record<string, string | ReadonlySet<string> | undefined> = { ...env };
  values['extra'] = extra === undefined || extra === '' ? '' : normalizeName(extra);
  const full = env.python_full_version;
  if (full.endsWith('+')) values['python_full_version'] = `${full}local`;
  return evaluateList(marker, values);
}

/** Parse failures of a marker are RequirementParseError (kind "marker"). */
export { RequirementParseError };
