// pip's `redact_auth_from_url` (pip/_internal/utils/misc.py): `user:pass@host` -> `user:****@host`,
// `token@host` -> `****@host`. Every message that names a URL goes through this, so credentials
// from a URL (or added from netrc, which never enter the URL) are never printed.
import { pythonUnquote, pythonUrlsplit, pythonQuote } from '../standards/simple-api.js';

function redactNetloc(netloc: string): string {
  const at = netloc.lastIndexOf('@');
  if (at < 0) return netloc;
  const userinfo = netloc.slice(0, at);
  const host = netloc.slice(at + 1);
  const colon = userinfo.indexOf(':');
  if (colon < 0) return `****@${host}`;
  return `${pythonQuote(pythonUnquote(userinfo.slice(0, colon)), '')}:****@${host}`;
}

export function redactUrl(url: string): string {
  let parts;
  try {
    parts = pythonUrlsplit(url);
  } catch {
    // Not parseable as a URL: still never show what looks like userinfo.
    return url.replace(/\/\/[^/@]*@/g, '//****@');
  }
  if (!parts.netloc.includes('@')) return url;
  const start = url.indexOf(parts.netloc);
  if (start < 0) return url.replace(/\/\/[^/@]*@/g, '//****@');
  return url.slice(0, start) + redactNetloc(parts.netloc) + url.slice(start + parts.netloc.length);
}

/** Replaces every URL-looking credential in free text (for error messages from libraries). */
export function redactText(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)([^/\s@]*)@/gi, (_m, scheme: string, userinfo: string) =>
    userinfo.includes(':') ? `${scheme}${userinfo.slice(0, userinfo.indexOf(':'))}:****@` : `${scheme}****@`,
  );
}
