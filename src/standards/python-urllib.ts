// CPython 3.11 `urllib.parse` (https://github.com/python/cpython/blob/3.11/Lib/urllib/parse.py):
// urlsplit, urlparse, urlunsplit, urlunparse, urljoin, quote and unquote, ported line by line, as
// pip calls them on index links, requirement strings and requirements-file locations.
//
// They differ from the WHATWG URL parser in many small ways (no host normalisation, no
// percent-encoding of the query, `..` handling, `;params`), so reproducing pip's URLs needs
// Python's rules rather than `new URL()`. `uses_netloc` includes the schemes pip's VcsSupport
// appends when `pip._internal.vcs` is imported (always, in a pip process).
// Not ported: the bytes variants, the bracketed-host IPv6 validation beyond the "Invalid IPv6 URL"
// shape check, and the NFKC netloc check (a netloc that NFKC-normalises into `/?#@:` raises in
// Python; here it is accepted).

const LEADING_C0_CONTROL_OR_SPACE = /^[\u0000-\u0020]+/;
const UNSAFE_URL_BYTES = /[\t\r\n]/g;
const SCHEME_CHARS = /^[A-Za-z0-9+\-.]*$/;

export const USES_RELATIVE: ReadonlySet<string> = new Set(['', 'ftp', 'http', 'gopher', 'nntp', 'imap', 'wais', 'file', 'https',
  'shttp', 'mms', 'prospero', 'rtsp', 'rtsps', 'rtspu', 'sftp', 'svn', 'svn+ssh', 'ws', 'wss']);
export const USES_NETLOC: ReadonlySet<string> = new Set(['', 'ftp', 'http', 'gopher', 'nntp', 'telnet', 'imap', 'wais', 'file',
  'mms', 'https', 'shttp', 'snews', 'prospero', 'rtsp', 'rtsps', 'rtspu', 'rsync', 'svn', 'svn+ssh', 'sftp', 'nfs', 'git',
  'git+ssh', 'ws', 'wss',
  // pip's VcsSupport.schemes (vcs/versioncontrol.py), appended to urllib.parse.uses_netloc.
  'ssh', 'hg', 'bzr']);
const USES_PARAMS: ReadonlySet<string> = new Set(['', 'ftp', 'hdl', 'prospero', 'http', 'imap', 'https', 'shttp', 'rtsp',
  'rtsps', 'rtspu', 'sip', 'sips', 'mms', 'sftp', 'tel']);

export interface SplitResult {
  scheme: string;
  netloc: string;
  path: string;
  query: string;
  fragment: string;
}

export interface ParseResult extends SplitResult {
  params: string;
}

/** Python raises ValueError for these; callers turn it into their own error. */
export class PythonUrlError extends Error {
  /** The URL that was being split. */
  readonly input: string;
  constructor(input: string, message: string) {
    super(message);
    this.name = 'PythonUrlError';
    this.input = input;
  }
}

/** `str.strip(_WHATWG_C0_CONTROL_OR_SPACE)`, as a scan (a `[…]+$` pattern backtracks on long runs). */
function stripC0ControlOrSpace(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && text.charCodeAt(start) <= 0x20) start += 1;
  while (end > start && text.charCodeAt(end - 1) <= 0x20) end -= 1;
  return text.slice(start, end);
}

function splitNetloc(url: string, start: number): [string, string] {
  let delim = url.length;
  for (const c of '/?#') {
    const w = url.indexOf(c, start);
    if (w >= 0) delim = Math.min(delim, w);
  }
  return [url.slice(start, delim), url.slice(delim)];
}

/** `urllib.parse.urlsplit`. Throws PythonUrlError("Invalid IPv6 URL") where Python raises ValueError. */
export function urlsplit(input: string, defaultScheme = '', allowFragments = true): SplitResult {
  let url = input.replace(LEADING_C0_CONTROL_OR_SPACE, '').replace(UNSAFE_URL_BYTES, '');
  let scheme = stripC0ControlOrSpace(defaultScheme).replace(UNSAFE_URL_BYTES, '');
  let netloc = '';
  let query = '';
  let fragment = '';
  const i = url.indexOf(':');
  if (i > 0 && /^[A-Za-z]/.test(url) && SCHEME_CHARS.test(url.slice(0, i))) {
    scheme = url.slice(0, i).toLowerCase();
    url = url.slice(i + 1);
  }
  if (url.startsWith('//')) {
    [netloc, url] = splitNetloc(url, 2);
    if (netloc.includes('[') !== netloc.includes(']')) throw new PythonUrlError(input, 'Invalid IPv6 URL');
  }
  const hash = allowFragments ? url.indexOf('#') : -1;
  if (hash >= 0) {
    fragment = url.slice(hash + 1);
    url = url.slice(0, hash);
  }
  const q = url.indexOf('?');
  if (q >= 0) {
    query = url.slice(q + 1);
    url = url.slice(0, q);
  }
  return { scheme, netloc, path: url, query, fragment };
}

function splitParams(url: string): [string, string] {
  let i: number;
  if (url.includes('/')) {
    i = url.indexOf(';', url.lastIndexOf('/'));
    if (i < 0) return [url, ''];
  } else {
    i = url.indexOf(';');
  }
  return [url.slice(0, i), url.slice(i + 1)];
}

/** `urllib.parse.urlparse`: urlsplit, then `;params` split off the last path segment. */
export function urlparse(url: string, defaultScheme = ''): ParseResult {
  const s = urlsplit(url, defaultScheme);
  let path = s.path;
  let params = '';
  if (USES_PARAMS.has(s.scheme) && path.includes(';')) [path, params] = splitParams(path);
  return { ...s, path, params };
}

/** `urllib.parse.urlunsplit`. */
export function urlunsplit(parts: SplitResult): string {
  let url = parts.path;
  if (parts.netloc || (parts.scheme && USES_NETLOC.has(parts.scheme) && !url.startsWith('//'))) {
    if (url && !url.startsWith('/')) url = `/${url}`;
    url = `//${parts.netloc}${url}`;
  }
  if (parts.scheme) url = `${parts.scheme}:${url}`;
  if (parts.query) url = `${url}?${parts.query}`;
  if (parts.fragment) url = `${url}#${parts.fragment}`;
  return url;
}

/** `urllib.parse.urlunparse`. */
export function urlunparse(parts: ParseResult): string {
  const path = parts.params ? `${parts.path};${parts.params}` : parts.path;
  return urlunsplit({ scheme: parts.scheme, netloc: parts.netloc, path, query: parts.query, fragment: parts.fragment });
}

/** `urllib.parse.urljoin` (RFC 3986 dot-segment removal as CPython does it). */
export function urljoin(base: string, url: string): string {
  if (!base) return url;
  if (!url) return base;
  const b = urlparse(base);
  const u = urlparse(url, b.scheme);
  const { scheme, params, fragment } = u;
  let { netloc, path, query } = u;
  let outParams = params;
  if (scheme !== b.scheme || !USES_RELATIVE.has(scheme)) return url;
  if (USES_NETLOC.has(scheme)) {
    if (netloc) return urlunparse({ scheme, netloc, path, params, query, fragment });
    netloc = b.netloc;
  }
  if (!path && !params) {
    path = b.path;
    outParams = b.params;
    if (!query) query = b.query;
    return urlunparse({ scheme, netloc, path, params: outParams, query, fragment });
  }
  const baseParts = b.path.split('/');
  if (baseParts[baseParts.length - 1] !== '') baseParts.pop();
  let segments: string[];
  if (path.startsWith('/')) {
    segments = path.split('/');
  } else {
    segments = [...baseParts, ...path.split('/')];
    // Python: segments[1:-1] = filter(None, segments[1:-1])
    if (segments.length > 2) {
      const first = segments[0] as string;
      const last = segments[segments.length - 1] as string;
      segments = [first, ...segments.slice(1, -1).filter((s) => s !== ''), last];
    }
  }
  const resolved: string[] = [];
  for (const seg of segments) {
    if (seg === '..') resolved.pop();
    else if (seg !== '.') resolved.push(seg);
  }
  const lastSeg = segments[segments.length - 1];
  if (lastSeg === '.' || lastSeg === '..') resolved.push('');
  return urlunparse({ scheme, netloc, path: resolved.join('/') || '/', params: outParams, query, fragment });
}

const ALWAYS_SAFE = new Set('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~');
const utf8 = new TextEncoder();
// ignoreBOM: Python's UTF-8 codec keeps a leading U+FEFF.
const utf8Lenient = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

/**
 * `urllib.parse.quote(s, safe)`: UTF-8 encode, then %XX every byte outside the safe set (only the
 * ASCII characters of `safe` count, as in Python). A lone surrogate is encoded as U+FFFD where
 * Python would raise UnicodeEncodeError.
 */
export function quote(s: string, safe = '/'): string {
  let out = '';
  for (const byte of utf8.encode(s)) {
    const ch = String.fromCharCode(byte);
    out += byte < 0x80 && (ALWAYS_SAFE.has(ch) || safe.includes(ch)) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

const HEX2 = /^[0-9A-Fa-f]{2}/;

function unquoteToBytes(s: string): Uint8Array {
  const bits = s.split('%');
  const out: number[] = [];
  const push = (text: string) => {
    for (let i = 0; i < text.length; i++) out.push(text.charCodeAt(i));
  };
  push(bits[0] as string);
  for (const item of bits.slice(1)) {
    if (HEX2.test(item)) {
      out.push(parseInt(item.slice(0, 2), 16));
      push(item.slice(2));
    } else {
      out.push(0x25);
      push(item);
    }
  }
  return Uint8Array.from(out);
}

/**
 * `urllib.parse.unquote(s)`: %XX sequences inside runs of ASCII become bytes decoded as UTF-8 with
 * replacement; non-ASCII characters pass through untouched.
 */
export function unquote(s: string): string {
  if (!s.includes('%')) return s;
  return s.replace(/[\u0000-\u007f]+/g, (run) => (run.includes('%') ? utf8Lenient.decode(unquoteToBytes(run)) : run));
}
