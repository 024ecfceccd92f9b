// CPython 3.11 `urllib.parse` (urlsplit, urlparse, urlunsplit, urljoin, quote, unquote) and the posix
// `urllib.request.pathname2url`, as pip calls them on requirement-file locations and requirement strings.
// WHATWG `URL` differs (host lowercasing, percent-encoding, dot segments), so pip's results are only
// reproducible with Python's own algorithm. pip's VcsSupport appends ssh, git, hg, bzr, sftp, svn to
// `uses_netloc` at import; that is included here. Not modelled: IPv6 bracket-host validation beyond the
// "Invalid IPv6 URL" check, NFKC netloc checks.

const VCS_SCHEMES = [
  'bzr+http', 'bzr+https', 'bzr+ssh', 'bzr+sftp', 'bzr+ftp', 'bzr+lp', 'bzr+file',
  'git+http', 'git+https', 'git+ssh', 'git+git', 'git+file',
  'hg+file', 'hg+http', 'hg+https', 'hg+ssh', 'hg+static-http',
  'svn+ssh', 'svn+http', 'svn+https', 'svn+svn', 'svn+file',
];

const USES_RELATIVE = new Set(['', 'ftp', 'http', 'gopher', 'nntp', 'imap', 'wais', 'file', 'https', 'shttp', 'mms',
  'prospero', 'rtsp', 'rtsps', 'rtspu', 'sftp', 'svn', 'svn+ssh', 'ws', 'wss']);
const USES_NETLOC = new Set(['', 'ftp', 'http', 'gopher', 'nntp', 'telnet', 'imap', 'wais', 'file', 'mms', 'https',
  'shttp', 'snews', 'prospero', 'rtsp', 'rtsps', 'rtspu', 'rsync', 'svn', 'svn+ssh', 'sftp', 'nfs', 'git', 'git+ssh',
  'ws', 'wss', 'ssh', 'hg', 'bzr']);
const USES_PARAMS = new Set(['', 'ftp', 'hdl', 'prospero', 'http', 'imap', 'https', 'shttp', 'rtsp', 'rtsps', 'rtspu',
  'sip', 'sips', 'mms', 'sftp', 'tel']);

export class PythonUrlError extends Error {
  constructor(readonly input: string, message: string) {
    super(message);
    this.name = 'PythonUrlError';
  }
}

export interface SplitUrl {
  scheme: string;
  netloc: string;
  path: string;
  query: string;
  fragment: string;
}

const SCHEME_CHARS = /^[A-Za-z0-9+\-.]*$/;

/** urllib.parse.urlsplit (3.11). Throws PythonUrlError("Invalid IPv6 URL") like Python's ValueError. */
export function pyUrlsplit(input: string, defaultScheme = '', allowFragments = true): SplitUrl {
  // eslint-disable-next-line no-control-regex
  let url = input.replace(/^[\x00-\x20]+/, '').replace(/[\t\r\n]/g, '');
  let scheme = defaultScheme;
  let netloc = '';
  let query = '';
  let fragment = '';
  const i = url.indexOf(':');
  if (i > 0 && /^[A-Za-z]/.test(url) && SCHEME_CHARS.test(url.slice(0, i))) {
    scheme = url.slice(0, i).toLowerCase();
    url = url.slice(i + 1);
  }
  if (url.startsWith('//')) {
    let delim = url.length;
    for (const c of '/?#') {
      const w = url.indexOf(c, 2);
      if (w >= 0) delim = Math.min(delim, w);
    }
    netloc = url.slice(2, delim);
    url = url.slice(delim);
    if ((netloc.includes('[') && !netloc.includes(']')) || (netloc.includes(']') && !netloc.includes('['))) {
      throw new PythonUrlError(input, 'Invalid IPv6 URL');
    }
  }
  if (allowFragments && url.includes('#')) {
    const h = url.indexOf('#');
    fragment = url.slice(h + 1);
    url = url.slice(0, h);
  }
  if (url.includes('?')) {
    const q = url.indexOf('?');
    query = url.slice(q + 1);
    url = url.slice(0, q);
  }
  return { scheme, netloc, path: url, query, fragment };
}

/** urllib.parse.urlunsplit (3.11). */
export function pyUrlunsplit(parts: SplitUrl): string {
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

interface ParsedUrl extends SplitUrl {
  params: string;
}

function pyUrlparse(url: string, defaultScheme: string): ParsedUrl {
  const split = pyUrlsplit(url, defaultScheme);
  let path = split.path;
  let params = '';
  if (USES_PARAMS.has(split.scheme) && path.includes(';')) {
    const i = path.includes('/') ? path.indexOf(';', path.lastIndexOf('/')) : path.indexOf(';');
    if (i >= 0) {
      params = path.slice(i + 1);
      path = path.slice(0, i);
    }
  }
  return { ...split, path, params };
}

function pyUrlunparse(p: ParsedUrl): string {
  const path = p.params ? `${p.path};${p.params}` : p.path;
  return pyUrlunsplit({ scheme: p.scheme, netloc: p.netloc, path, query: p.query, fragment: p.fragment });
}

/** urllib.parse.urljoin (3.11, RFC 3986 dot-segment removal as CPython does it). */
export function pyUrljoin(base: string, url: string): string {
  if (!base) return url;
  if (!url) return base;
  const b = pyUrlparse(base, '');
  const u = pyUrlparse(url, b.scheme);
  const { scheme } = u;
  let { netloc, path, params, query } = u;
  if (scheme !== b.scheme || !USES_RELATIVE.has(scheme)) return url;
  if (USES_NETLOC.has(scheme)) {
    if (netloc) return pyUrlunparse({ ...u });
    netloc = b.netloc;
  }
  if (!path && !params) {
    path = b.path;
    params = b.params;
    if (!query) query = b.query;
    return pyUrlunparse({ scheme, netloc, path, params, query, fragment: u.fragment });
  }
  const baseParts = b.path.split('/');
  if (baseParts[baseParts.length - 1] !== '') baseParts.pop();
  let segments: string[];
  if (path.startsWith('/')) {
    segments = path.split('/');
  } else {
    segments = [...baseParts, ...path.split('/')];
    // CPython drops empty inner segments: segments[1:-1] = filter(None, segments[1:-1])
    if (segments.length > 2) {
      segments = [segments[0]!, ...segments.slice(1, -1).filter((s) => s !== ''), segments[segments.length - 1]!];
    }
  }
  const resolved: string[] = [];
  for (const seg of segments) {
    if (seg === '..') resolved.pop();
    else if (seg !== '.') resolved.push(seg);
  }
  const last = segments[segments.length - 1];
  if (last === '.' || last === '..') resolved.push('');
  return pyUrlunparse({ scheme, netloc, path: resolved.join('/') || '/', params, query, fragment: u.fragment });
}

const ALWAYS_SAFE = /[A-Za-z0-9_.\-~]/;

/** urllib.parse.quote(text, safe='/'): UTF-8 bytes, upper-case escapes. */
export function pyQuote(text: string, safe = '/'): string {
  let out = '';
  for (const ch of text) {
    if (ALWAYS_SAFE.test(ch) || safe.includes(ch)) {
      out += ch;
      continue;
    }
    for (const byte of new TextEncoder().encode(ch)) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** urllib.parse.unquote: %XX runs decoded as UTF-8 with replacement; non-ASCII characters pass through. */
export function pyUnquote(text: string): string {
  if (!text.includes('%')) return text;
  // CPython splits on runs of ASCII and decodes each run's bytes on its own.
  return text.replace(/[\x00-\x7f]+/g, (chunk) => {
    const bytes: number[] = [];
    for (let i = 0; i < chunk.length; i += 1) {
      const hex = chunk.slice(i + 1, i + 3);
      if (chunk[i] === '%' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
        bytes.push(parseInt(hex, 16));
        i += 2;
      } else {
        bytes.push(chunk.charCodeAt(i));
      }
    }
    return new TextDecoder('utf-8').decode(new Uint8Array(bytes));
  });
}

/** pip's utils.urls.path_to_url for an already absolute, normalized POSIX path. */
export function pyPathToUrl(absolutePath: string): string {
  return pyUrljoin('file:', pyQuote(absolutePath));
}

/** True for the schemes pip's vcs registry knows (`vcs.all_schemes`). */
export function isVcsScheme(scheme: string): boolean {
  return VCS_SCHEMES.includes(scheme);
}

export const PIP_VCS_SCHEMES: readonly string[] = VCS_SCHEMES;
