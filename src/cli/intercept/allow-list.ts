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

export function safePipConfigFiles(env: NodeJS.ProcessEnv): string[] {
  const configHome = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.startsWith('/') ? env.XDG_CONFIG_HOME : join(env.HOME ?? homedir(), '.config');
  return [env.SAFE_PIP_SYSTEM_CONFIG ?? join(systemConfigRoot(env), 'safe-pip', 'config.toml'), join(configHome, 'safe-pip', 'config.toml')];
}

export function allowedBuilds(input: { env: NodeJS.ProcessEnv; flag: readonly string[] }): AllowList {
  const list: AllowList = { names: new Set(), sources: new Map() };
  const add = (name: string, source: string): void => {
    const canonical = normalizeName(name.trim());
    if (canonical === '') return;
    list.names.add(canonical);
    if (!list.sources.has(canonical)) list.sources.set(canonical, source);
  };
  for (const file of safePipConfigFiles(input.env)) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    let data: Record<string, unknown>;
    try {
      data = parseToml(text) as Record<string, unknown>;
    } catch (error) {
      throw new SafePipError(`${file} is not valid TOML: ${(error as Error).message}`, { hint: 'fix or remove the file' });
    }
    const value = data['allow-build'];
    if (value === undefined) continue;
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
      throw new SafePipError(`${file}: allow-build must be a list of project names, e.g. allow-build = ["numpy"]`);
    }
    for (const name of value as string[]) add(name, file);
  }
  for (const name of (input.env[ALLOW_ENV] ?? '').split(/[\s,]+/)) add(name, ALLOW_ENV);
  for (const name of input.flag) add(name, ALLOW_FLAG);
  return list;
}

/** Removes `--safe-pip-allow-build NAME` / `=NAME` (exact spelling) from argv before pip's parser runs. */
export function stripAllowFlags(argv: readonly string[]): { argv: string[]; names: string[] } {
  const out: string[] = [];
  const names: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const token = argv[i]!;
    if (token === '--') {
      out.push(...argv.slice(i));
      break;
    }
    if (token === ALLOW_FLAG) {
      const value = argv[i + 1];
      if (value === undefined) throw new SafePipError(`${ALLOW_FLAG} needs a project name`, { exitCode: EXIT_USAGE });
      names.push(...value.split(','));
      i += 1;
    } else if (token.startsWith(`${ALLOW_FLAG}=`)) {
      names.push(...token.slice(ALLOW_FLAG.length + 1).split(','));
    } else {
      out.push(token);
    }
  }
  return { argv: out, names };
}
