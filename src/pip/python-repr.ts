// Python's repr() of a str and str.split() with no separator, for reproducing the exact text of
// pip's and the stdlib's messages (Objects/unicodeobject.c: unicode_repr, split_whitespace).
// Python's whitespace set and str.strip() live in src/standards/python-text.ts.
import { PY_WHITESPACE_CHARS, pyStrip } from '../standards/python-text.js';

// Matched from its first character on, so a long run costs linear time (no backtracking).
const RUNS = new RegExp(`[${PY_WHITESPACE_CHARS}]+`, 'u');

/** str.split() with no separator: runs of whitespace, no empty strings. */
export function pythonSplit(text: string): string[] {
  return pyStrip(text).split(RUNS).filter((part) => part !== '');
}

/** repr(str): single quotes unless the text holds ' and no ", escapes as CPython does. */
export function pythonStrRepr(value: string): string {
  const useDouble = value.includes("'") && !value.includes('"');
  const quote = useDouble ? '"' : "'";
  let body = '';
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\') body += '\\\\';
    else if (ch === quote) body += `\\${quote}`;
    else if (ch === '\n') body += '\\n';
    else if (ch === '\r') body += '\\r';
    else if (ch === '\t') body += '\\t';
    else if (code < 0x20 || code === 0x7f) body += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (!isPrintable(ch, code)) body += escapeNonPrintable(code);
    else body += ch;
  }
  return `${quote}${body}${quote}`;
}

// Python's str.isprintable(): not in categories Cc, Cf, Cs, Co, Cn, Zl, Zp, Zs (space excepted).
// Made on first use: V8 parses the classes as it makes it (~0.4 ms of every start).
let nonPrintable: RegExp | undefined;

function isPrintable(ch: string, code: number): boolean {
  return code === 0x20 || !(nonPrintable ??= /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u).test(ch);
}

function escapeNonPrintable(code: number): string {
  if (code <= 0xff) return `\\x${code.toString(16).padStart(2, '0')}`;
  if (code <= 0xffff) return `\\u${code.toString(16).padStart(4, '0')}`;
  return `\\U${code.toString(16).padStart(8, '0')}`;
}

/** Decimal digits of any script as ASCII (Python's int() and float() accept them all). */
export function asciiDigits(text: string): string {
  let out = '';
  for (const ch of text) {
    if (!/\p{Nd}/u.test(ch) || (ch >= '0' && ch <= '9')) {
      out += ch;
      continue;
    }
    // Unicode lays decimal digits out in runs of ten starting at zero.
    let start = ch.codePointAt(0)!;
    while (/\p{Nd}/u.test(String.fromCodePoint(start - 1))) start -= 1;
    out += String((ch.codePointAt(0)! - start) % 10);
  }
  return out;
}
