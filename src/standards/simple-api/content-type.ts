// PEP 691 content negotiation as pip does it (pip/_internal/index/collector.py:
// `_get_simple_response`, `_ensure_api_header`, `_get_encoding_from_headers`).
// https://packaging.python.org/en/latest/specifications/simple-repository-api/#api-version-negotiation
//
// pip accepts a response whose Content-Type *starts with* one of three types (case-insensitive),
// so `text/htmlx` passes; HTML is decoded with the `charset=` parameter, default UTF-8, strictly
// (pip crashes on undecodable bytes; we raise SimpleApiError). Python codec names are mapped to
// decoders here; a charset Python would not know is an error, as it is for pip (LookupError).
import { SimpleApiError } from './error.js';

export const JSON_CONTENT_TYPE = 'application/vnd.pypi.simple.v1+json';
export const HTML_CONTENT_TYPE = 'application/vnd.pypi.simple.v1+html';

/** Exactly the Accept header pip sends for index pages. */
export const ACCEPT_HEADER =
  'application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html; q=0.1, text/html; q=0.01';

export function isAcceptedContentType(contentType: string): boolean {
  const ct = contentType.toLowerCase();
  return ct.startsWith('text/html') || ct.startsWith(HTML_CONTENT_TYPE) || ct.startsWith(JSON_CONTENT_TYPE);
}

export function isJsonContentType(contentType: string): boolean {
  return contentType.toLowerCase().startsWith(JSON_CONTENT_TYPE);
}

/** The `charset` parameter as `email.message.Message.get_param` reads it (quotes removed), or null. */
export function charsetOf(contentType: string): string | null {
  for (const param of contentType.split(';').slice(1)) {
    const eq = param.indexOf('=');
    if (eq < 0) continue;
    if (param.slice(0, eq).trim().toLowerCase() !== 'charset') continue;
    let value = param.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1).replace(/\\(.)/g, '$1');
    return value === '' ? null : value;
  }
  return null;
}

// Python's `encodings.normalize_encoding` + the aliases that matter for web pages.
function pythonCodec(charset: string): string {
  const n = charset.trim().toLowerCase().replace(/[^a-z0-9.]+/g, '_').replace(/^_+|_+$/g, '');
  const aliases: Record<string, string> = {
    utf8: 'utf_8', utf: 'utf_8', utf_8: 'utf_8', u8: 'utf_8', cp65001: 'utf_8', utf8_ucs2: 'utf_8', utf8_ucs4: 'utf_8',
    utf_8_sig: 'utf_8_sig',
    ascii: 'ascii', us_ascii: 'ascii', 'ansi_x3.4_1968': 'ascii', '646': 'ascii', iso646_us: 'ascii', us: 'ascii', cp367: 'ascii', csascii: 'ascii', ibm367: 'ascii', iso_ir_6: 'ascii', ansi_x3_4_1968: 'ascii',
    latin_1: 'latin_1', latin1: 'latin_1', latin: 'latin_1', l1: 'latin_1', iso_8859_1: 'latin_1', iso8859_1: 'latin_1',
    '8859': 'latin_1', cp819: 'latin_1', ibm819: 'latin_1', iso_ir_100: 'latin_1', csisolatin1: 'latin_1', iso_8859_1_1987: 'latin_1',
    cp1252: 'windows-1252', windows_1252: 'windows-1252', '1252': 'windows-1252',
    utf_16: 'utf-16', utf16: 'utf-16', utf_16le: 'utf-16le', utf_16_le: 'utf-16le', utf_16be: 'utf-16be', utf_16_be: 'utf-16be',
    iso_8859_15: 'iso-8859-15', iso8859_15: 'iso-8859-15', latin9: 'iso-8859-15', latin_9: 'iso-8859-15',
    iso_8859_2: 'iso-8859-2', iso8859_2: 'iso-8859-2', latin2: 'iso-8859-2', latin_2: 'iso-8859-2',
    cp1251: 'windows-1251', windows_1251: 'windows-1251', koi8_r: 'koi8-r',
    shift_jis: 'shift_jis', sjis: 'shift_jis', euc_jp: 'euc-jp', gbk: 'gbk', gb2312: 'gbk', big5: 'big5', euc_kr: 'euc-kr',
  };
  const codec = aliases[n];
  if (codec === undefined) throw new Error(`unknown encoding: ${charset}`);
  return codec;
}

const CP1252_HIGH = [
  '\u20ac', '', '\u201a', '\u0192', '\u201e', '\u2026', '\u2020', '\u2021', '\u02c6', '\u2030', '\u0160', '\u2039', '\u0152', '', '\u017d', '',
  '', '\u2018', '\u2019', '\u201c', '\u201d', '\u2022', '\u2013', '\u2014', '\u02dc', '\u2122', '\u0161', '\u203a', '\u0153', '', '\u017e', '\u0178',
];

// WHATWG's "latin1" label means windows-1252; Python's latin-1 maps every byte to the same code point.
function latin1(body: Uint8Array): string {
  let out = '';
  for (let i = 0; i < body.length; i += 8192) out += String.fromCharCode(...body.subarray(i, i + 8192));
  return out;
}

/** Decode an HTML body as pip does (`content.decode(encoding)`, strict). */
export function decodeHtmlBody(body: Uint8Array, contentType: string, url: string): string {
  const charset = charsetOf(contentType) ?? 'utf-8';
  let codec: string;
  try {
    codec = pythonCodec(charset);
  } catch {
    throw new SimpleApiError(url, `unknown charset "${charset}" in Content-Type "${contentType}"`);
  }
  const fail = (offset: number | null): never => {
    throw new SimpleApiError(url, `the page is not valid ${charset}${offset === null ? '' : ` (byte ${offset})`}`);
  };
  if (codec === 'ascii') {
    const bad = body.findIndex((b) => b > 0x7f);
    if (bad >= 0) fail(bad);
    return latin1(body);
  }
  if (codec === 'latin_1') return latin1(body);
  if (codec === 'windows-1252') {
    // Node's TextDecoder decodes this label as latin-1; Python's cp1252 leaves five bytes undefined.
    let out = '';
    for (let i = 0; i < body.length; i++) {
      const b = body[i] as number;
      if (b < 0x80 || b > 0x9f) out += String.fromCharCode(b);
      else {
        const ch = CP1252_HIGH[b - 0x80];
        if (ch === undefined || ch === '') fail(i);
        out += ch;
      }
    }
    return out;
  }
  const label = codec === 'utf_8' || codec === 'utf_8_sig' ? 'utf-8' : codec;
  try {
    // Python's utf-8 keeps a BOM as U+FEFF; utf-8-sig and the utf-16 codecs drop it.
    return new TextDecoder(label, { fatal: true, ignoreBOM: codec === 'utf_8' }).decode(body);
  } catch (e) {
    if (e instanceof RangeError) throw new SimpleApiError(url, `unknown charset "${charset}"`);
    return fail(null);
  }
}
