// The PIP_* and SAFE_PIP_* variables in force, with credentials hidden. pip reads every PIP_<NAME>
// as the option --<name> (pip-behaviour.md §2.3); URL-valued ones (index-url, extra-index-url,
// find-links, proxy) may carry `user:password@`. Every whitespace-separated word of a value is
// redacted the way pip's redact_auth_from_url does (src/io/redact-url.ts), including a proxy
// written without a scheme (`user:pass@proxy:3128`); a variable whose name says it holds a secret
// is hidden whole.
import { redactUrl } from '../io/redact-url.js';

export interface ShownVariable {
  name: string;
  /** The value with credentials replaced by ****. */
  value: string;
}

const SECRET_NAME = /PASSWORD|PASSWD|TOKEN|SECRET/i;

function redactWord(word: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(word)) return redactUrl(word);
  // userinfo@host with no scheme: only when the "@" comes before any "/" (a path may contain "@").
  const at = word.indexOf('@');
  const slash = word.indexOf('/');
  if (at > 0 && (slash < 0 || at < slash)) {
    const userinfo = word.slice(0, at);
    const colon = userinfo.indexOf(':');
    return `${colon < 0 ? '****' : `${userinfo.slice(0, colon)}:****`}${word.slice(at)}`;
  }
  return word;
}

/** `value` with every credential hidden (whitespace kept as it was). */
export function redactVariableValue(name: string, value: string): string {
  if (SECRET_NAME.test(name)) return value === '' ? '' : '****';
  return value.replace(/\S+/g, redactWord);
}

/** The variables with `prefix`, sorted by name, values redacted. */
export function shownVariables(env: NodeJS.ProcessEnv, prefix: 'PIP_' | 'SAFE_PIP_'): ShownVariable[] {
  return Object.entries(env)
    .filter((entry): entry is [string, string] => entry[0].startsWith(prefix) && entry[1] !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => ({ name, value: redactVariableValue(name, value) }));
}
