// Python `str` behaviour that pip's requirements-file code relies on (CPython 3.x, Objects/unicodeobject.c):
// `str.isspace()`/`\s` whitespace, `str.strip()`, `str.splitlines()`.
// JavaScript's `\s` and `trim()` differ (they include U+FEFF and omit U+001C–U+001F and U+0085), so pip's
// regular expressions are rebuilt here with Python's whitespace class.

/** Python's whitespace set (Py_UNICODE_ISSPACE), as a regex character-class body. */
export const PY_WHITESPACE_CLASS = '\\t-\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';

const LEADING = new RegExp(`^[${PY_WHITESPACE_CLASS}]+`);
const TRAILING = new RegExp(`[${PY_WHITESPACE_CLASS}]+$`);

/** `str.strip()` with no argument. */
export function pyStrip(text: string): string {
  return text.replace(LEADING, '').replace(TRAILING, '');
}

/** `str.strip(chars)`. */
export function pyStripChars(text: string, chars: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && chars.includes(text[start]!)) start += 1;
  while (end > start && chars.includes(text[end - 1]!)) end -= 1;
  return text.slice(start, end);
}

/** One line of `str.splitlines()`, with where it sits in the source text. */
export interface PhysicalLine {
  /** The line without its terminator. */
  text: string;
  /** Offset of the first character. */
  start: number;
  /** Offset just past the terminator (or the end of the text). */
  end: number;
}

/** `str.splitlines()`: \n, \r, \r\n, \v, \f, \x1c, \x1d, \x1e, \x85, \u2028, \u2029; no empty last line. */
export function pySplitLines(text: string): PhysicalLine[] {
  const lines: PhysicalLine[] = [];
  let start = 0;
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (isLineBreak(ch)) {
      const lineEnd = i;
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
      lines.push({ text: text.slice(start, lineEnd), start, end: i });
      start = i;
    } else {
      i += 1;
    }
  }
  if (start < text.length) lines.push({ text: text.slice(start), start, end: text.length });
  return lines;
}

function isLineBreak(ch: string): boolean {
  switch (ch) {
    case '\n':
    case '\r':
    case '\x0b':
    case '\x0c':
    case '\x1c':
    case '\x1d':
    case '\x1e':
    case '\x85':
    case '\u2028':
    case '\u2029':
      return true;
    default:
      return false;
  }
}
