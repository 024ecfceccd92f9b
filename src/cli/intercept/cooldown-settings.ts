// The cooldown's settings (policy/cooldown.ts): safe-pip's own config files, then the environment,
// then the `--safe-pip-min-age` flag, each winning over the one before. Like allow-build, never
// from a project directory or a requirements file.
//   min-age = "3d" in config.toml  <  SAFE_PIP_MIN_AGE=3d  <  pip install --safe-pip-min-age=3d …
// The flag is stripped from argv before pip's parser runs (stripMinAgeFlag, called by index.ts);
// `--safe-pip-min-age=0` turns the cooldown off for that one command.
import { SafePipError } from '../../errors.js';
import { EXIT_USAGE } from '../../exit-codes.js';
import { parseMinAge, type CooldownSettings } from '../../policy/cooldown.js';
import { readSafePipConfigTables } from './allow-list.js';
import { stripOwnFlag } from './own-flags.js';

export const MIN_AGE_ENV = 'SAFE_PIP_MIN_AGE';
export const MIN_AGE_EXEMPT_ENV = 'SAFE_PIP_MIN_AGE_EXEMPT';
export const MIN_AGE_FLAG = '--safe-pip-min-age';

/**
 * The cooldown in force, or null when no min-age is set (or it is 0). `flag`: the value of
 * --safe-pip-min-age on this command line (stripMinAgeFlag), which wins over everything else.
 */
export function cooldownSettings(env: NodeJS.ProcessEnv, flag: string | null = null): CooldownSettings | null {
  let written: string | null = null;
  let source = '';
  let missing: CooldownSettings['missing'] = 'allow';
  const exempt = new Set<string>();
  for (const { path, data } of readSafePipConfigTables(env)) {
    const age = data['min-age'];
    if (age !== undefined) {
      if (typeof age !== 'string' && typeof age !== 'number') throw new SafePipError(`${path}: min-age must be a duration such as "3d", "12h" or 2 (days)`);
      written = String(age);
      source = path;
    }
    const names = data['min-age-exempt'];
    if (names !== undefined) {
      if (!Array.isArray(names) || names.some((n) => typeof n !== 'string')) throw new SafePipError(`${path}: min-age-exempt must be a list of project names`);
      for (const name of names as string[]) exempt.add(name);
    }
    const onMissing = data['min-age-missing'];
    if (onMissing !== undefined) {
      if (onMissing !== 'allow' && onMissing !== 'refuse') throw new SafePipError(`${path}: min-age-missing must be "allow" or "refuse"`);
      missing = onMissing;
    }
  }
  if (env[MIN_AGE_ENV] !== undefined && env[MIN_AGE_ENV] !== '') {
    written = env[MIN_AGE_ENV];
    source = MIN_AGE_ENV;
  }
  if (flag !== null) {
    written = flag;
    source = MIN_AGE_FLAG;
  }
  for (const name of (env[MIN_AGE_EXEMPT_ENV] ?? '').split(/[\s,]+/)) if (name !== '') exempt.add(name);
  if (written === null) return null;
  const minAgeMs = parseMinAge(written);
  if (minAgeMs === null) throw new SafePipError(`${source}: min-age "${written}" is not a duration`, { hint: 'write it as "3d", "12h", "90m", "2w", or a number of days' });
  if (minAgeMs === 0) return null;
  return { minAgeMs, written, source, exempt, missing };
}

/**
 * Removes `--safe-pip-min-age DURATION` / `=DURATION` (exact spelling; the last one wins) from argv
 * before pip's parser runs, as stripAllowFlags does for --safe-pip-allow-build. A missing or
 * unreadable duration is a usage error here, before anything is read or run.
 */
export function stripMinAgeFlag(argv: readonly string[]): { argv: string[]; minAge: string | null } {
  const stripped = stripOwnFlag(argv, MIN_AGE_FLAG);
  let minAge: string | null = null;
  for (const value of stripped.values) minAge = checkedDuration(value);
  return { argv: stripped.argv, minAge };
}

function checkedDuration(value: string | undefined): string {
  if (value === undefined || value.trim() === '') throw new SafePipError(`${MIN_AGE_FLAG} needs a duration, such as ${MIN_AGE_FLAG}=3d`, { exitCode: EXIT_USAGE });
  if (parseMinAge(value) === null) {
    throw new SafePipError(`${MIN_AGE_FLAG}: "${value}" is not a duration (write it as 3d, 12h, 90m, 2w, or a number of days; 0 turns the cooldown off)`, { exitCode: EXIT_USAGE });
  }
  return value;
}
