// The settings of the protections that go beyond builds (docs/beyond-pip.md), read like allow-build
// (allow-list.ts): only from the user's and the system's safe-pip config and the environment,
// never from a project directory or a requirements file.
//   allow-startup-code = ["name", …]     SAFE_PIP_ALLOW_STARTUP_CODE="name other"  (commas or spaces)
//   advisories-url = "https://…/all.zip"  SAFE_PIP_ADVISORIES_URL=…  (the environment wins)
// The config files are those of allow-list.ts `safePipConfigFiles`; a file that is not valid TOML
// is reported by allow-list.ts when the intercept reads it, so here it only contributes nothing.
import { SafePipError } from '../../errors.js';
import { ALLOW_STARTUP_ENV, ALLOW_STARTUP_KEY } from '../../policy/startup-code.js';
import { ADVISORIES_URL_ENV, ADVISORIES_URL_KEY, DEFAULT_ADVISORIES_URL } from '../../io/advisories.js';
import { allowListBuilder, readSafePipConfigTables, type AllowList } from './allow-list.js';

/** The config keys read here (to be added to allow-list.ts CONFIG_KEYS, so they are not warned about). */
export const BEYOND_PIP_CONFIG_KEYS = [ALLOW_STARTUP_KEY, ADVISORIES_URL_KEY] as const;


/** Projects allowed to install start-up code (.pth import lines, sitecustomize, .start files). */
export function allowedStartupCode(env: NodeJS.ProcessEnv): AllowList {
  const { list, add } = allowListBuilder();
  for (const { path, data } of readSafePipConfigTables(env)) {
    const value = data[ALLOW_STARTUP_KEY];
    if (value === undefined) continue;
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
      throw new SafePipError(`${path}: ${ALLOW_STARTUP_KEY} must be a list of project names, e.g. ${ALLOW_STARTUP_KEY} = ["editables"]`);
    }
    for (const name of value as string[]) add(name, path);
  }
  for (const name of (env[ALLOW_STARTUP_ENV] ?? '').split(/[\s,]+/)) add(name, ALLOW_STARTUP_ENV);
  return list;
}

/** Where `update-advisories` downloads from: SAFE_PIP_ADVISORIES_URL, else the user's config, else the system's, else OSV. */
export function advisoriesUrl(env: NodeJS.ProcessEnv): { url: string; source: string } {
  const fromEnv = env[ADVISORIES_URL_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return { url: fromEnv, source: ADVISORIES_URL_ENV };
  // The user's file is read after the system's: the last one that sets it wins.
  let found: { url: string; source: string } | null = null;
  for (const { path, data } of readSafePipConfigTables(env)) {
    const value = data[ADVISORIES_URL_KEY];
    if (value === undefined) continue;
    if (typeof value !== 'string' || value === '') throw new SafePipError(`${path}: ${ADVISORIES_URL_KEY} must be a URL, e.g. ${ADVISORIES_URL_KEY} = "${DEFAULT_ADVISORIES_URL}"`);
    found = { url: value, source: path };
  }
  return found ?? { url: DEFAULT_ADVISORIES_URL, source: 'default' };
}
