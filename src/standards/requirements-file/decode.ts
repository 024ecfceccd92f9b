// How pip turns a requirements file's bytes into text.
// Local paths: pip ≤ 24.x `utils/encoding.py:auto_decode`; pip ≥ 25.0 `req/req_file.py:_decode_req_file`
// (pypa/pip#12795). URLs (http, https and file:) go through requests' `Response.text`.
//
// - BOM first, in pip's order. Before 25.0 the UTF-16 BOM is tested before UTF-32, so a UTF-32-LE file is
//   decoded as UTF-16 (pip's bug, reproduced). The plain `utf-16`/`utf-32` codecs sniff a second BOM.
// - Then a PEP 263 `coding[:=]name` in one of the first two `\n`-separated lines, only if the line starts
//   with `#`.
// - Then: before 25.0 the locale encoding only; from 25.0 UTF-8, then the locale encoding with a warning.
// - URL content: the charset of the Content-Type; `text/*` without one is ISO-8859-1 (requests'
//   rule); anything else is decoded as UTF-8 (requests would guess with charset_normalizer: not modelled).
//   Decoding never fails there (errors='replace') and BOMs are not stripped.
import { pipVersionAtLeast } from './pip-version.js';
import { PythonDecodeError, pythonDecode, pythonDecodeReplace } from './python-codecs.js';

export interface DecodedRequirementsFile {
  text: string;
  /** The codec used, Python spelling. */
  encoding: string;
  /** How the codec was chosen. */
  via: 'bom' | 'pep263' | 'default' | 'locale' | 'content-type';
  /** pip's warning when it fell back to the locale encoding (25.0+), else null. */
  warning: string | null;
}

export interface DecodeOptions {
  pipVersion: string;
  /** Python's locale.getpreferredencoding(False) for the real pip; usually "UTF-8". */
  localeEncoding: string;
}

const BOM_UTF8 = [0xef, 0xbb, 0xbf];
const BOM_UTF16_LE = [0xff, 0xfe];
const BOM_UTF16_BE = [0xfe, 0xff];
const BOM_UTF32_LE = [0xff, 0xfe, 0x00, 0x00];
const BOM_UTF32_BE = [0x00, 0x00, 0xfe, 0xff];

// codecs.BOM_UTF16 / BOM_UTF32 are the native (little-endian on every platform pip targets here) ones.
const BOMS_BEFORE_25: Array<[number[], string]> = [
  [BOM_UTF8, 'utf-8'],
  [BOM_UTF16_LE, 'utf-16'],
  [BOM_UTF16_BE, 'utf-16-be'],
  [BOM_UTF16_LE, 'utf-16-le'],
  [BOM_UTF32_LE, 'utf-32'],
  [BOM_UTF32_BE, 'utf-32-be'],
  [BOM_UTF32_LE, 'utf-32-le'],
];
const BOMS_FROM_25: Array<[number[], string]> = [
  [BOM_UTF8, 'utf-8'],
  [BOM_UTF32_LE, 'utf-32'],
  [BOM_UTF32_BE, 'utf-32-be'],
  [BOM_UTF32_LE, 'utf-32-le'],
  [BOM_UTF16_LE, 'utf-16'],
  [BOM_UTF16_BE, 'utf-16-be'],
  [BOM_UTF16_LE, 'utf-16-le'],
];

// rb"coding[:=]\s*([-\w.]+)": bytes pattern, so \s and \w are ASCII-only.
const PEP263 = /coding[:=][ \t\n\r\f\v]*([-A-Za-z0-9_.]+)/;

/** Decode a local requirements file as pip would. Throws PythonDecodeError where pip would crash. */
export function decodeLocalRequirementsFile(bytes: Uint8Array, url: string, options: DecodeOptions): DecodedRequirementsFile {
  const modern = pipVersionAtLeast(options.pipVersion, '25.0');
  for (const [bom, encoding] of modern ? BOMS_FROM_25 : BOMS_BEFORE_25) {
    if (bom.every((b, i) => bytes[i] === b)) {
      return { text: pythonDecode(bytes.subarray(bom.length), encoding), encoding, via: 'bom', warning: null };
    }
  }
  const lines = splitBytes(bytes, 0x0a, 2);
  for (const line of lines) {
    if (line[0] !== 0x23) continue;
    const match = PEP263.exec(latin1(line));
    if (match !== null) {
      const encoding = match[1]!;
      return { text: pythonDecode(bytes, encoding), encoding, via: 'pep263', warning: null };
    }
  }
  if (!modern) {
    return { text: pythonDecode(bytes, options.localeEncoding), encoding: options.localeEncoding, via: 'locale', warning: null };
  }
  try {
    return { text: pythonDecode(bytes, 'utf-8'), encoding: 'utf-8', via: 'default', warning: null };
  } catch (error) {
    if (!(error instanceof PythonDecodeError)) throw error;
    const locale = options.localeEncoding;
    const warning =
      `unable to decode data from ${url} with default encoding utf-8, falling back to encoding from locale: ${locale}. ` +
      `If this is intentional you should specify the encoding with a PEP-263 style comment, e.g. '# -*- coding: ${locale} -*-'`;
    return { text: pythonDecode(bytes, locale), encoding: locale, via: 'locale', warning };
  }
}

/** requests' Response.text for a requirements file fetched by URL (pip's session, file: included). */
export function decodeFetchedRequirementsFile(bytes: Uint8Array, contentType: string | null): DecodedRequirementsFile {
  const encoding = encodingFromContentType(contentType) ?? 'utf-8';
  return { text: pythonDecodeReplace(bytes, encoding), encoding, via: 'content-type', warning: null };
}

/** requests.utils.get_encoding_from_headers. */
export function encodingFromContentType(contentType: string | null): string | null {
  if (!contentType) return null;
  const [mime, ...params] = contentType.split(';');
  for (const param of params) {
    const eq = param.indexOf('=');
    if (eq === -1) continue;
    const key = stripChars(param.slice(0, eq).trim(), ` "'`).toLowerCase();
    if (key === 'charset') return stripChars(stripChars(param.slice(eq + 1).trim(), ` "'`), `'"`);
  }
  // requests does not lower-case the media type: "Text/Plain" gets no default charset.
  const type = mime!.trim();
  if (type.includes('text')) return 'ISO-8859-1';
  if (type.includes('application/json')) return 'utf-8';
  return null;
}

function stripChars(text: string, chars: string): string {
  let a = 0;
  let b = text.length;
  while (a < b && chars.includes(text[a]!)) a += 1;
  while (b > a && chars.includes(text[b - 1]!)) b -= 1;
  return text.slice(a, b);
}

function splitBytes(bytes: Uint8Array, separator: number, limit: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  let start = 0;
  while (out.length < limit) {
    const i = bytes.indexOf(separator, start);
    if (i === -1) {
      out.push(bytes.subarray(start));
      break;
    }
    out.push(bytes.subarray(start, i));
    start = i + 1;
  }
  return out;
}

function latin1(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += String.fromCharCode(b);
  return out;
}
