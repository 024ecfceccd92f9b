// pip's `Link` (pip/_internal/models/link.py, 23.2.1 and main): how a link URL is re-quoted
// (`_ensure_quoted_url`), what its filename is, and what the `#alg=hex`, `#egg=` and
// `#subdirectory=` fragments say. Python's urllib rules come from ./python-urllib.ts.
import { quote, unquote, urlparse, urlsplit, urlunparse } from './python-urllib.js';

/** pip's `_SUPPORTED_HASHES`, strongest first. */
export const SUPPORTED_HASHES = ['sha512', 'sha384', 'sha256', 'sha224', 'sha1', 'md5'] as const;
export type HashName = (typeof SUPPORTED_HASHES)[number];

export function isSupportedHash(name: string): name is HashName {
  return (SUPPORTED_HASHES as readonly string[]).includes(name);
}

/** pip's `supported_hashes`: unknown algorithms dropped (pip returns None when none is left; we return {}). */
export function supportedHashes(hashes: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(hashes)) if (isSupportedHash(name)) out[name] = value;
  return out;
}

// Not anchored to the fragment: pip searches the whole URL, so `?x&sha256=…` also counts.
const HASH_FRAGMENT = /[#&](sha512|sha384|sha256|sha224|sha1|md5)=([^&]*)/;
const EGG_FRAGMENT = /[#&]egg=([^&]*)/;
const SUBDIRECTORY_FRAGMENT = /[#&]subdirectory=([^&]*)/;

/** `LinkHash.find_hash_url_fragment`: the first `#alg=value` / `&alg=value` in the URL. */
export function hashFromUrl(url: string): Record<string, string> {
  const m = HASH_FRAGMENT.exec(url);
  return m ? { [m[1] as string]: m[2] as string } : {};
}

export function eggFragment(url: string): string | null {
  const m = EGG_FRAGMENT.exec(url);
  return m ? (m[1] as string) : null;
}

export function subdirectoryFragment(url: string): string | null {
  const m = SUBDIRECTORY_FRAGMENT.exec(url);
  return m ? (m[1] as string) : null;
}

const RESERVED = /(@|%2F)/i;

/** `_clean_url_path`: unquote+quote each part between `@` / `%2F`, which are kept (the latter upper-cased). */
function cleanUrlPath(path: string): string {
  // On POSIX pip's file-path cleaner (pathname2url(url2pathname(p))) is the same quote(unquote(p)).
  const parts = path.split(RESERVED);
  let out = '';
  for (let i = 0; i < parts.length; i += 2) {
    out += quote(unquote(parts[i] as string));
    const reserved = parts[i + 1];
    if (reserved !== undefined) out += reserved.toUpperCase();
  }
  return out;
}

/** `_ensure_quoted_url`: re-quote the path (only the path) without double-quoting. */
export function ensureQuotedUrl(url: string): string {
  const parsed = urlparse(url);
  return urlunparse({ ...parsed, path: cleanUrlPath(parsed.path) });
}

/** `Link.filename`: the percent-decoded last path segment, or the host when the path is empty. */
export function linkFilename(url: string): string {
  const split = urlsplit(url);
  const name = posixBasename(unquote(split.path).replace(/\/+$/, ''));
  if (!name) return split.netloc.includes('@') ? split.netloc.slice(split.netloc.lastIndexOf('@') + 1) : split.netloc;
  return unquote(name);
}

function posixBasename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

/** `Link.url_without_fragment`, used for the PEP 658 `.metadata` URL. */
export function urlWithoutFragment(url: string): string {
  const s = urlsplit(url);
  return urlunparse({ ...s, params: '', fragment: '' });
}
