// ~/.netrc credentials, as pip gets them through requests (`requests.utils.get_netrc_auth`, which
// uses Python's `netrc` module): `$NETRC` if set, else `~/.netrc`, else `~/_netrc`; the entry for the
// request's host name (no port), or `default`; login (or account when login is empty) + password.
// https://docs.python.org/3/library/netrc.html
// Supported: machine/default/login/account/password, `macdef` blocks skipped, quoted tokens.
// Not supported: Python's check that the file is not readable by others.
import { readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface NetrcEntry {
  login: string;
  password: string;
}

export interface Netrc {
  lookup(host: string): NetrcEntry | null;
}

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const re = /"((?:\\.|[^"\\])*)"|(\S+)/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(line)) !== null) {
      const tok = m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] as string);
      if (m[1] === undefined && tok.startsWith('#')) break;
      if (tok === 'macdef' && m[1] === undefined) {
        // `macdef name` and the macro body, which runs to the next empty line, carry no credentials.
        while (i + 1 < lines.length && (lines[i + 1] as string).trim() !== '') i++;
        break;
      }
      tokens.push(tok);
    }
  }
  return tokens;
}

export function parseNetrc(text: string): Netrc {
  const machines = new Map<string, NetrcEntry>();
  let fallback: NetrcEntry | null = null;
  const tokens = tokenize(text);
  let i = 0;
  while (i < tokens.length) {
    const tok = tokens[i++];
    let host: string | null;
    if (tok === 'machine') host = tokens[i++] ?? '';
    else if (tok === 'default') host = null;
    else continue;
    let login = '';
    let account = '';
    let password = '';
    while (i < tokens.length && !['machine', 'default'].includes(tokens[i] as string)) {
      const key = tokens[i++];
      const value = tokens[i++] ?? '';
      if (key === 'login' || key === 'user') login = value;
      else if (key === 'account') account = value;
      else if (key === 'password') password = value;
    }
    const entry = { login: login || account, password };
    if (host === null) fallback = entry;
    else machines.set(host, entry); // Python's netrc keeps the last entry for a host
  }
  return { lookup: (host) => machines.get(host) ?? fallback };
}

/** The netrc requests would read, or null when there is none (a broken file is ignored, as requests does). */
export function loadNetrc(env: NodeJS.ProcessEnv = process.env): Netrc | null {
  const candidates = env.NETRC ? [env.NETRC] : [join(env.HOME || homedir(), '.netrc'), join(env.HOME || homedir(), '_netrc')];
  for (const path of candidates) {
    let text: string;
    try {
      // Looked for first: most machines have none, and a failed read costs an error object.
      if (statSync(path, { throwIfNoEntry: false }) === undefined) continue;
      text = readFileSync(path, 'utf8');
    } catch {
      continue;
    }
    return parseNetrc(text);
  }
  return null;
}
