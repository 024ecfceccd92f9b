// Python's `bytes.decode(encoding)` for the codecs a requirements file can name in a PEP 263 comment or
// that pip falls back to (Lib/encodings/, Lib/encodings/aliases.py). utf-8, utf-16 and utf-32 (with Python's
// BOM sniffing for the plain forms), ascii and latin-1 are exact; other codecs go through the WHATWG
// TextDecoder, whose tables match Python's for the common single- and multi-byte encodings (cp1252's five
// undefined bytes are rejected as Python does). An unknown name fails like Python's LookupError.

export class PythonDecodeError extends Error {
  constructor(
    readonly kind: 'unknown-encoding' | 'decode-error',
    readonly encoding: string,
    message: string,
  ) {
    super(message);
    this.name = 'PythonDecodeError';
  }
}

/** encodings.normalize_encoding + the aliases we model, to a canonical codec name. */
export function canonicalPythonCodec(name: string): string | null {
  const norm = name.trim().toLowerCase().replace(/[^a-z0-9.]+/g, '_').replace(/^_+|_+$/g, '');
  const direct = ALIASES.get(norm) ?? norm;
  return KNOWN.has(direct) ? direct : null;
}

const ALIASES = new Map<string, string>([
  ['utf8', 'utf_8'], ['u8', 'utf_8'], ['utf', 'utf_8'], ['utf8_ucs2', 'utf_8'], ['utf8_ucs4', 'utf_8'], ['cp65001', 'utf_8'],
  ['utf_8_sig', 'utf_8_sig'], ['utf8_sig', 'utf_8_sig'],
  ['utf16', 'utf_16'], ['u16', 'utf_16'], ['utf_16le', 'utf_16_le'], ['unicodelittleunmarked', 'utf_16_le'],
  ['utf_16be', 'utf_16_be'], ['unicodebigunmarked', 'utf_16_be'],
  ['utf32', 'utf_32'], ['u32', 'utf_32'], ['utf_32le', 'utf_32_le'], ['utf_32be', 'utf_32_be'],
  ['us_ascii', 'ascii'], ['646', 'ascii'], ['ansi_x3.4_1968', 'ascii'], ['ansi_x3_4_1968', 'ascii'], ['us', 'ascii'],
  ['iso646_us', 'ascii'], ['cp367', 'ascii'], ['csascii', 'ascii'], ['ibm367', 'ascii'], ['iso_ir_6', 'ascii'],
  ['latin1', 'latin_1'], ['latin', 'latin_1'], ['l1', 'latin_1'], ['iso8859_1', 'latin_1'], ['iso_8859_1', 'latin_1'],
  ['8859', 'latin_1'], ['cp819', 'latin_1'], ['iso8859', 'latin_1'], ['iso_ir_100', 'latin_1'], ['ibm819', 'latin_1'],
  ['windows_1252', 'cp1252'], ['windows_1250', 'cp1250'], ['windows_1251', 'cp1251'],
  ['shiftjis', 'shift_jis'], ['sjis', 'shift_jis'], ['s_jis', 'shift_jis'], ['eucjp', 'euc_jp'], ['ujis', 'euc_jp'],
  ['euckr', 'euc_kr'], ['gb2312_1980', 'gb2312'], ['936', 'gbk'], ['cp936', 'gbk'], ['ms936', 'gbk'], ['big5_tw', 'big5'],
  ['koi8r', 'koi8_r'], ['koi8u', 'koi8_u'],
]);
for (let n = 2; n <= 16; n += 1) {
  ALIASES.set(`iso8859_${n}`, `iso8859_${n}`);
  ALIASES.set(`iso_8859_${n}`, `iso8859_${n}`);
}

/** Canonical Python codec name → WHATWG label (for the TextDecoder-backed ones). */
const WHATWG = new Map<string, string>([
  ['cp1250', 'windows-1250'], ['cp1251', 'windows-1251'], ['cp1252', 'windows-1252'], ['cp1253', 'windows-1253'],
  ['cp1254', 'windows-1254'], ['cp1255', 'windows-1255'], ['cp1256', 'windows-1256'], ['cp1257', 'windows-1257'],
  ['cp1258', 'windows-1258'], ['shift_jis', 'shift_jis'], ['euc_jp', 'euc-jp'], ['euc_kr', 'euc-kr'], ['gbk', 'gbk'],
  ['gb2312', 'gbk'], ['gb18030', 'gb18030'], ['big5', 'big5'], ['koi8_r', 'koi8-r'], ['koi8_u', 'koi8-u'],
  ...[2, 3, 4, 5, 6, 7, 8, 10, 13, 14, 15, 16].map((n): [string, string] => [`iso8859_${n}`, `iso-8859-${n}`]),
]);

const KNOWN = new Set<string>([
  'utf_8', 'utf_8_sig', 'utf_16', 'utf_16_le', 'utf_16_be', 'utf_32', 'utf_32_le', 'utf_32_be', 'ascii', 'latin_1',
  ...WHATWG.keys(),
]);

/** bytes.decode(encoding, 'strict'). */
export function pythonDecode(bytes: Uint8Array, encoding: string): string {
  const codec = canonicalPythonCodec(encoding);
  if (codec === null) throw new PythonDecodeError('unknown-encoding', encoding, `unknown encoding: ${encoding}`);
  const fail = (detail: string): never => {
    throw new PythonDecodeError('decode-error', encoding, `'${codec}' codec can't decode bytes: ${detail}`);
  };
  switch (codec) {
    case 'utf_8':
      return whatwg(bytes, 'utf-8', true, fail);
    case 'utf_8_sig':
      return whatwg(bytes, 'utf-8', false, fail);
    case 'utf_16_le':
      return whatwg(bytes, 'utf-16le', true, fail);
    case 'utf_16_be':
      return whatwg(bytes, 'utf-16be', true, fail);
    case 'utf_16':
      if (bytes[0] === 0xfe && bytes[1] === 0xff) return whatwg(bytes.subarray(2), 'utf-16be', true, fail);
      if (bytes[0] === 0xff && bytes[1] === 0xfe) return whatwg(bytes.subarray(2), 'utf-16le', true, fail);
      return whatwg(bytes, 'utf-16le', true, fail);
    case 'utf_32_le':
      return utf32(bytes, true, fail);
    case 'utf_32_be':
      return utf32(bytes, false, fail);
    case 'utf_32':
      if (startsWith(bytes, [0x00, 0x00, 0xfe, 0xff])) return utf32(bytes.subarray(4), false, fail);
      if (startsWith(bytes, [0xff, 0xfe, 0x00, 0x00])) return utf32(bytes.subarray(4), true, fail);
      return utf32(bytes, true, fail);
    case 'ascii': {
      let out = '';
      for (const b of bytes) {
        if (b > 0x7f) fail(`ordinal not in range(128)`);
        out += String.fromCharCode(b);
      }
      return out;
    }
    case 'latin_1':
      return latin1(bytes);
    case 'cp1252':
      // Python's cp1252 leaves these five bytes undefined; WHATWG maps them to C1 controls.
      for (const b of bytes) if (b === 0x81 || b === 0x8d || b === 0x8f || b === 0x90 || b === 0x9d) fail('character maps to <undefined>');
      return whatwg(bytes, 'windows-1252', true, fail);
    default:
      return whatwg(bytes, WHATWG.get(codec)!, true, fail);
  }
}

/** Python `str(bytes, encoding, errors='replace')`, as requests' `Response.text` decodes. */
export function pythonDecodeReplace(bytes: Uint8Array, encoding: string): string {
  const codec = canonicalPythonCodec(encoding) ?? 'utf_8';
  if (codec === 'latin_1') return latin1(bytes);
  if (codec === 'ascii') return Array.from(bytes, (b) => (b > 0x7f ? '\ufffd' : String.fromCharCode(b))).join('');
  const label =
    codec === 'utf_8' || codec === 'utf_8_sig' ? 'utf-8'
    : codec.startsWith('utf_16') ? (codec === 'utf_16_be' ? 'utf-16be' : 'utf-16le')
    : WHATWG.get(codec) ?? 'utf-8';
  return new TextDecoder(label, { ignoreBOM: codec !== 'utf_8_sig' && codec !== 'utf_16' }).decode(bytes);
}

function latin1(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += String.fromCharCode(b);
  return out;
}

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b);
}

function whatwg(bytes: Uint8Array, label: string, keepBom: boolean, fail: (d: string) => never): string {
  try {
    return new TextDecoder(label, { fatal: true, ignoreBOM: keepBom }).decode(bytes);
  } catch {
    return fail('invalid data');
  }
}

function utf32(bytes: Uint8Array, littleEndian: boolean, fail: (d: string) => never): string {
  if (bytes.length % 4 !== 0) fail('truncated data');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let out = '';
  for (let i = 0; i < bytes.length; i += 4) {
    const cp = view.getUint32(i, littleEndian);
    if (cp > 0x10ffff) fail('code point not in range(0x110000)');
    if (cp >= 0xd800 && cp < 0xe000) fail('code point in surrogate code point range(0xd800, 0xe000)');
    out += String.fromCodePoint(cp);
  }
  return out;
}
