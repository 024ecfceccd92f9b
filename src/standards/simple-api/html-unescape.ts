// CPython 3.11 `html.unescape` (https://github.com/python/cpython/blob/3.11/Lib/html/__init__.py),
// which `html.parser.HTMLParser` applies to every attribute value, so it decides what pip reads
// from `href`, `data-requires-python`, `data-yanked` and the metadata attributes.
//
// It differs from a browser's attribute decoding: legacy names without `;` are expanded even when
// followed by `=` or a letter (`?a=1&copy=2` -> `?a=1©=2`, `&sectx` -> `§x`), numeric references
// to some control characters vanish, and those to 0x80-0x9F map through windows-1252.
import { HTML5_NAMED_REFERENCES } from './html5-entities.js';

const INVALID_CHARREFS = new Map<number, string>([
  [0x00, '\ufffd'], [0x0d, '\r'], [0x80, '\u20ac'], [0x81, '\x81'], [0x82, '\u201a'], [0x83, '\u0192'],
  [0x84, '\u201e'], [0x85, '\u2026'], [0x86, '\u2020'], [0x87, '\u2021'], [0x88, '\u02c6'], [0x89, '\u2030'],
  [0x8a, '\u0160'], [0x8b, '\u2039'], [0x8c, '\u0152'], [0x8d, '\x8d'], [0x8e, '\u017d'], [0x8f, '\x8f'],
  [0x90, '\x90'], [0x91, '\u2018'], [0x92, '\u2019'], [0x93, '\u201c'], [0x94, '\u201d'], [0x95, '\u2022'],
  [0x96, '\u2013'], [0x97, '\u2014'], [0x98, '\u02dc'], [0x99, '\u2122'], [0x9a, '\u0161'], [0x9b, '\u203a'],
  [0x9c, '\u0153'], [0x9d, '\x9d'], [0x9e, '\u017e'], [0x9f, '\u0178'],
]);

function isInvalidCodepoint(n: number): boolean {
  return (
    (n >= 0x1 && n <= 0x8) ||
    (n >= 0xe && n <= 0x1f) ||
    (n >= 0x7f && n <= 0x9f) ||
    (n >= 0xfdd0 && n <= 0xfdef) ||
    n === 0xb ||
    (n & 0xfffe) === 0xfffe
  );
}

function replaceNumeric(digits: string, radix: 10 | 16): string {
  // Python's int() takes arbitrarily many digits; anything past 0x10FFFF is a replacement char.
  const trimmed = digits.replace(/^0+/, '');
  const num = trimmed.length > 8 ? Number.POSITIVE_INFINITY : trimmed === '' ? 0 : parseInt(trimmed, radix);
  const mapped = INVALID_CHARREFS.get(num);
  if (mapped !== undefined) return mapped;
  if ((num >= 0xd800 && num <= 0xdfff) || num > 0x10ffff) return '\ufffd';
  if (isInvalidCodepoint(num)) return '';
  return String.fromCodePoint(num);
}

function replaceCharref(s: string): string {
  if (s.startsWith('#')) {
    const hex = s[1] === 'x' || s[1] === 'X';
    const digits = s.slice(hex ? 2 : 1).replace(/;$/, '');
    return replaceNumeric(digits, hex ? 16 : 10);
  }
  const whole = HTML5_NAMED_REFERENCES.get(s);
  if (whole !== undefined) return whole;
  for (let x = s.length - 1; x > 1; x--) {
    const prefix = HTML5_NAMED_REFERENCES.get(s.slice(0, x));
    if (prefix !== undefined) return prefix + s.slice(x);
  }
  return `&${s}`;
}

// Python's `\d` and `[0-9]` agree here because the pattern spells out [0-9].
const CHARREF = /&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)/gu;

export function pythonHtmlUnescape(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(CHARREF, (_m, group: string) => replaceCharref(group));
}
