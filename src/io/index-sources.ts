// Which places pip searches for a project, and how it treats each (pip/_internal/index/sources.py
// `build_source`, models/search_scope.py, network/session.py `is_secure_origin`,
// collector.py `LinkCollector.collect_sources`). pip-behaviour.md §5.1 and §5.8.
// Supported: local paths (`~` expanded for find-links as pip does), `file:` URLs, http(s) URLs,
// other URL schemes pip knows (they fail when fetched, as in pip), the secure-origin rule with
// `--trusted-host host[:port]`. Not supported: trusted hosts given as IP networks (`10.0.0.0/8`).
import { existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { projectPageUrl, pythonQuote, pythonUnquote, pythonUrlsplit } from '../standards/simple-api.js';

export type LocationKind =
  /** An http(s) (or other remote scheme) URL: a page to fetch, and for find-links also a file link. */
  | 'remote'
  /** A local directory given as an index: `<dir>/index.html`. */
  | 'index-dir'
  /** A local directory given to find-links: scanned, non-recursively. */
  | 'flat-dir'
  /** A local file: a page when it is HTML, else a file link. */
  | 'local-file'
  | 'ignored';

export interface ClassifiedLocation {
  kind: LocationKind;
  /** The location as given (for reports; may hold credentials, redact before showing). */
  location: string;
  /** `file:` or remote URL; null when ignored. */
  url: string | null;
  /** Local path for the local kinds. */
  path: string | null;
  /** pip's warning for `ignored`. */
  reason: string | null;
}

// pip's `is_url`: a scheme pip has a handler or VCS backend for.
const URL_SCHEMES = new Set(['http', 'https', 'file', 'ftp', 'git', 'git+http', 'git+https', 'git+ssh', 'git+git', 'git+file',
  'hg', 'hg+file', 'hg+http', 'hg+https', 'hg+ssh', 'hg+static-http', 'svn', 'svn+ssh', 'svn+http', 'svn+https', 'svn+svn', 'svn+file',
  'bzr', 'bzr+http', 'bzr+https', 'bzr+ssh', 'bzr+sftp', 'bzr+ftp', 'bzr+lp', 'bzr+file']);

export function isPipUrl(location: string): boolean {
  if (!location.includes(':')) return false;
  return URL_SCHEMES.has(location.split(':', 1)[0]!.toLowerCase());
}

/** pip's `path_to_url`: absolute, normalised, quoted. */
export function pathToUrl(path: string, cwd: string): string {
  const abs = resolve(cwd, path);
  return `file://${pythonQuote(abs)}`;
}

/** pip's `url_to_path` for POSIX: `file://localhost/x` and `file:///x`. */
export function urlToPath(url: string): string | null {
  const s = pythonUrlsplit(url);
  if (s.netloc && s.netloc !== 'localhost') return null;
  return pythonUnquote(s.path);
}

function pathKind(path: string): 'dir' | 'file' | 'other' | 'missing' {
  try {
    const st = statSync(path);
    return st.isDirectory() ? 'dir' : st.isFile() ? 'file' : 'other';
  } catch {
    return 'missing';
  }
}

/** `build_source(location, expand_dir=…)`. */
export function classifyLocation(location: string, options: { expandDir: boolean; cwd: string }): ClassifiedLocation {
  let path: string | null = null;
  let url: string | null = null;
  const local = isAbsolute(location) ? location : resolve(options.cwd, location);
  if (existsSync(local)) {
    path = local;
    url = pathToUrl(local, options.cwd);
  } else if (location.startsWith('file:')) {
    url = location;
    path = urlToPath(location);
  } else if (isPipUrl(location)) {
    url = location;
  }
  if (url === null) {
    return { kind: 'ignored', location, url: null, path: null, reason: `Location '${location}' is ignored: it is either a non-existing path or lacks a specific scheme.` };
  }
  if (path === null) return { kind: 'remote', location, url, path: null, reason: null };
  const kind = pathKind(path);
  if (kind === 'dir') return { kind: options.expandDir ? 'flat-dir' : 'index-dir', location, url, path, reason: null };
  if (kind === 'file') return { kind: 'local-file', location, url, path, reason: null };
  return { kind: 'ignored', location, url, path, reason: `Location '${location}' is ignored: it is neither a file nor a directory.` };
}

/** SearchScope.create: a find-links entry starting with `~` is expanded when that path exists. */
export function expandFindLink(link: string, home = homedir()): string {
  if (!link.startsWith('~')) return link;
  const expanded = link === '~' || link.startsWith('~/') ? home + link.slice(1) : link;
  return existsSync(expanded) ? resolve(expanded) : link;
}

export function indexPageLocation(indexUrl: string, project: string): string {
  return projectPageUrl(indexUrl, project);
}

/** `mimetypes.guess_type(url)[0] == "text/html"`. */
export function isHtmlFile(urlOrPath: string): boolean {
  const clean = urlOrPath.split('#', 1)[0]!.split('?', 1)[0]!;
  return /\.html?$/i.test(clean);
}

function isLoopbackV4(host: string): boolean {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  return m !== null && m[1] === '127' && m.slice(1).every((o) => Number(o) <= 255);
}

function isLoopbackV6(host: string): boolean {
  return /^(0{0,4}:){2,7}0{0,3}1$/.test(host) || host === '::1';
}

/**
 * pip's `is_secure_origin`: https, file and ssh anywhere; any scheme to localhost, 127.0.0.0/8 or
 * ::1; any scheme to a `--trusted-host` (with its port when one was given).
 */
export function isSecureOrigin(url: string, trustedHosts: readonly string[]): boolean {
  let scheme: string;
  let host: string;
  let port: string;
  try {
    const s = pythonUrlsplit(url);
    scheme = s.scheme.split('+').pop() ?? '';
    const hostport = s.netloc.replace(/^.*@/, '');
    const m = /^(\[[^\]]*\]|[^:]*)(?::(.*))?$/.exec(hostport);
    host = (m?.[1] ?? '').replace(/^\[|\]$/g, '').toLowerCase();
    port = m?.[2] ?? '';
  } catch {
    return false;
  }
  if (scheme === 'https' || scheme === 'file' || scheme === 'ssh') return true;
  if (host === 'localhost' || isLoopbackV4(host) || isLoopbackV6(host)) return true;
  return trustedHosts.some((t) => {
    const m = /^(\[[^\]]*\]|[^:]*)(?::(\d+))?$/.exec(t.trim());
    const tHost = (m?.[1] ?? t).replace(/^\[|\]$/g, '').toLowerCase();
    return tHost === host && (m?.[2] === undefined || m[2] === port);
  });
}

export function insecureOriginWarning(url: string): string {
  let host = '';
  try {
    host = pythonUrlsplit(url).netloc.replace(/^.*@/, '').replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  } catch {
    // keep empty
  }
  return (
    `The repository located at ${host} is not a trusted or secure host and is being ignored. ` +
    'If this repository is available via HTTPS we recommend you use HTTPS instead, otherwise you may ' +
    `silence this warning and allow it anyway with '--trusted-host ${host}'.`
  );
}

