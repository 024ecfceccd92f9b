// Which projects the user allowed to be built from source. Only the user's and the system's
// safe-pip config, SAFE_PIP_ALLOW_BUILD and the --safe-pip-allow-build flag can allow a build —
// never a project directory or a requirements file (DESIGN.md "Policy").
//   /etc/safe-pip/config.toml, then $XDG_CONFIG_HOME/safe-pip/config.toml (~/.config/…):
//     allow-build = ["numpy", "my-internal-pkg"]
//   SAFE_PIP_ALLOW_BUILD="numpy my-internal-pkg"   (commas or whitespace)
//   pip install --safe-pip-allow-build=numpy numpy  (stripped before pip sees the command line)
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { stripOwnFlag } from './own-flags.js';
import { normalizeName } from '../../standards/names.js';
import { SafePipError } from '../../errors.js';
import { EXIT_USAGE } from '../../exit-codes.js';
import { systemConfigRoot } from '../../pip/config-files.js';

export const ALLOW_FLAG = '--safe-pip-allow-build';
export const ALLOW_ENV = 'SAFE_PIP_ALLOW_BUILD';

export interface AllowList {
  names: Set<string>;
  /** Where each name was allowed, for `explain`. */
  sources: Map<string, string>;
}

/** An empty allow list and the one way to add to it: canonical names, the first source kept. */
export function allowListBuilder(): { list: AllowList; add: (name: string, source: string) => void } {
  const list: AllowList = { names: new Set(), sources: new Map() };
  const add = (name: string, source: string): void => {
    const canonical = normalizeName(name.trim());
    if (canonical === '') return;
    list.names.add(canonical);
    if (!list.sources.has(canonical)) list.sources.set(canonical, source);
  };
  return { list, add };
}

export function safePipConfigFiles(env: NodeJS.ProcessEnv): string[] {
  const configHome = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.startsWith('/') ? env.XDG_CONFIG_HOME : join(env.HOME ?? homedir(), '.config');
  return [env.SAFE_PIP_SYSTEM_CONFIG ?? join(systemConfigRoot(env), 'safe-pip', 'config.toml'), join(configHome, 'safe-pip', 'config.toml')];
}

/**
 * The TOML tables of safe-pip's config files that exist and parse (system first), for the readers
 * of keys other than allow-build; readSafePipConfig reports the files that do not parse.
 */
export function readSafePipConfigTables(env: NodeJS.ProcessEnv): { path: string; data: Record<string, unknown> }[] {
  const out: { path: string; data: Record<string, unknown> }[] = [];
  for (const path of safePipConfigFiles(env)) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      continue;
    }
    try {
      out.push({ path, data: parseToml(text) as Record<string, unknown> });
    } catch {
      // readSafePipConfig reports it.
    }
  }
  return out;
}

/** Every key safe-pip reads from its config.toml. */
export const CONFIG_KEYS = [
  'allow-build',
  // docs/beyond-pip.md: start-up code, malware records, cooldown.
  'allow-startup-code',
  'advisories-url',
  'min-age',
  'min-age-exempt',
  'min-age-missing',
] as const;

export interface UnknownConfigKey {
  key: string;
  /** The valid key it was most likely meant to be, or null. */
  suggestion: string | null;
}

export interface SafePipConfigFile {
  path: string;
  exists: boolean;
  /** The names under allow-build, as written. */
  allowBuild: string[];
  unknownKeys: UnknownConfigKey[];
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** The valid key closest to `key` (case, `_` for `-` and up to two typos forgiven), or null. */
export function closestConfigKey(key: string): string | null {
  const plain = key.toLowerCase().replace(/_/g, '-');
  let best: { key: string; distance: number } | null = null;
  for (const valid of CONFIG_KEYS) {
    const distance = editDistance(plain, valid);
    if (distance <= 2 && (best === null || distance < best.distance)) best = { key: valid, distance };
  }
  return best?.key ?? null;
}

export function unknownKeyWarning(path: string, unknown: UnknownConfigKey): string {
  const known = CONFIG_KEYS.map((k) => `"${k}"`).join(', ');
  const hint = unknown.suggestion !== null ? `did you mean "${unknown.suggestion}"?` : `safe-pip knows only ${known}; pip's settings belong in pip.conf`;
  return `warning: ${path}: unknown key "${unknown.key}" (${hint}); it is ignored`;
}

/**
 * safe-pip's own config files, system first, each read and checked (not valid TOML, or allow-build
 * that is not a list of strings: a SafePipError naming the file). A file that cannot be read is
 * treated as absent.
 */
export function readSafePipConfig(env: NodeJS.ProcessEnv): SafePipConfigFile[] {
  return safePipConfigFiles(env).map((path) => {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      return { path, exists: false, allowBuild: [], unknownKeys: [] };
    }
    let data: Record<string, unknown>;
    try {
      data = parseToml(text) as Record<string, unknown>;
    } catch (error) {
      // smol-toml's message goes on with a code excerpt; the position says where instead.
      const { message, line, column } = error as Error & { line?: number; column?: number };
      const where = line === undefined ? '' : ` (line ${line}, column ${column ?? 1})`;
      const reason = message.split('\n')[0]!.replace(/^Invalid TOML document: /, '');
      throw new SafePipError(`${path} is not valid TOML${where}: ${reason}`, { hint: 'fix or remove the file' });
    }
    const unknownKeys = Object.keys(data)
      .filter((key) => !(CONFIG_KEYS as readonly string[]).includes(key))
      .map((key) => ({ key, suggestion: closestConfigKey(key) }));
    const value = data['allow-build'];
    if (value !== undefined && (!Array.isArray(value) || value.some((v) => typeof v !== 'string'))) {
      throw new SafePipError(`${path}: allow-build must be a list of project names, e.g. allow-build = ["numpy"]`);
    }
    return { path, exists: true, allowBuild: (value as string[] | undefined) ?? [], unknownKeys };
  });
}

/** Warnings already given in this process (analyze may run more than once per command). */
const warned = new Set<string>();

export function allowedBuilds(input: { env: NodeJS.ProcessEnv; flag: readonly string[]; warn?: (message: string) => void }): AllowList {
  const { list, add } = allowListBuilder();
  for (const file of readSafePipConfig(input.env)) {
    for (const unknown of file.unknownKeys) {
      const message = unknownKeyWarning(file.path, unknown);
      if (input.warn !== undefined && !warned.has(message)) {
        warned.add(message);
        input.warn(message);
      }
    }
    for (const name of file.allowBuild) add(name, file.path);
  }
  for (const name of (input.env[ALLOW_ENV] ?? '').split(/[\s,]+/)) add(name, ALLOW_ENV);
  for (const name of input.flag) add(name, ALLOW_FLAG);
  return list;
}

/** Removes `--safe-pip-allow-build NAME` / `=NAME` (own-flags.ts) from argv before pip's parser runs. */
export function stripAllowFlags(argv: readonly string[]): { argv: string[]; names: string[] } {
  const stripped = stripOwnFlag(argv, ALLOW_FLAG);
  const names: string[] = [];
  for (const value of stripped.values) {
    if (value === undefined) throw new SafePipError(`${ALLOW_FLAG} needs a project name`, { exitCode: EXIT_USAGE });
    names.push(...value.split(','));
  }
  return { argv: stripped.argv, names };
}
