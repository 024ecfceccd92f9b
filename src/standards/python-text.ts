// Python `str` behaviour that the code we reproduce relies on (CPython 3.11, Objects/unicodeobject.c
// and the `re` module on str patterns): `str.isspace()` / `\s`, `\w`, `str.strip()` and friends,
// `str.splitlines()`, and the ordering of str values. packaging, email, configparser and pip are
// written against these; JavaScript's `\s`, `\b` and `trim()` differ (they include U+FEFF and omit
// U+001C–U+001F and U+0085), and a differential test against Python notices, so every module here
// uses these instead.
//
// The strip functions scan with index loops: a `/[\s]+$/` regular expression is quadratic in V8
// when a long whitespace run is followed by something else, and the inputs can be hostile.

/** Python `str.isspace()` / `re` `\s` (Py_UNICODE_ISSPACE), as the body of a character class. */
export const PY_WHITESPACE_CHARS = '\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';

/** Python `re` `\w` on str patterns: alphanumeric (letters and numbers of any script) or `_`. */
export const PY_WORD_CHARS = '\\p{L}\\p{N}_';

/** Whether the UTF-16 unit at `index` is Python whitespace (every such character is in the BMP). */
export function isPyWhitespaceAt(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  if (code <= 0x20) return code >= 0x1c || (code >= 0x09 && code <= 0x0d);
  if (code < 0x85) return false;
  return (
    code === 0x85 ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000
  );
}

function leadingWhitespaceEnd(text: string): number {
  let start = 0;
  while (start < text.length && isPyWhitespaceAt(text, start)) start += 1;
  return start;
}

function trailingWhitespaceStart(text: string, floor: number): number {
  let end = text.length;
  while (end > floor && isPyWhitespaceAt(text, end - 1)) end -= 1;
  return end;
}

/** Python `str.strip()` with no argument. */
export function pyStrip(text: string): string {
  const start = leadingWhitespaceEnd(text);
  return text.slice(start, trailingWhitespaceStart(text, start));
}

/** Python `str.lstrip()` with no argument. */
export function pyLstrip(text: string): string {
  return text.slice(leadingWhitespaceEnd(text));
}

/** Python `str.rstrip()` with no argument. */
export function pyRstrip(text: string): string {
  return text.slice(0, trailingWhitespaceStart(text, 0));
}

/** Python `str.strip(chars)`. */
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

/** Python's ordering of str values (code points, not UTF-16 units). */
export function comparePyStrings(a: string, b: string): number {
  if (a === b) return 0;
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done === true) return y.done === true ? 0 : -1;
    if (y.done === true) return 1;
    const cx = x.value.codePointAt(0) ?? 0;
    const cy = y.value.codePointAt(0) ?? 0;
    if (cx !== cy) return cx < cy ? -1 : 1;
  }
}
