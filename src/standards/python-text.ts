// Character classes of Python's `re` module on str patterns, which the standards we reproduce
// (packaging, email, pip) are written in. JavaScript's `\s` and `\b` differ from Python's, and
// a differential test against packaging notices, so every module here uses these instead.

/** Python `str.isspace()` / `re` `\s` (Unicode), as the body of a character class. */
export const PY_WHITESPACE_CHARS = '\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';

/** Python `re` `\w` on str patterns: alphanumeric (letters and numbers of any script) or `_`. */
export const PY_WORD_CHARS = '\\p{L}\\p{N}_';

const LEADING_WS = new RegExp(`^[${PY_WHITESPACE_CHARS}]+`);
const TRAILING_WS = new RegExp(`[${PY_WHITESPACE_CHARS}]+$`);

/** Python `str.strip()` with no argument. */
export function pyStrip(text: string): string {
  return text.replace(LEADING_WS, '').replace(TRAILING_WS, '');
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
