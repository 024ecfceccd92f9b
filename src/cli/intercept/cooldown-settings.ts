// The cooldown's settings (policy/cooldown.ts): safe-pip's own config files, then the environment,
// which wins. Like allow-build, never from a project directory or a requirements file.
import { SafePipError } from '../../errors.js';
import { parseMinAge, type CooldownSettings } from '../../policy/cooldown.js';
import { readSafePipConfigTables } from './allow-list.js';

export const MIN_AGE_ENV = 'SAFE_PIP_MIN_AGE';
export const MIN_AGE_EXEMPT_ENV = 'SAFE_PIP_MIN_AGE_EXEMPT';

/** The cooldown in force, or null when no min-age is set (or it is 0). */
export function cooldownSettings(env: NodeJS.ProcessEnv): CooldownSettings | null {
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
  for (const name of (env[MIN_AGE_EXEMPT_ENV] ?? '').split(/[\s,]+/)) if (name !== '') exempt.add(name);
  if (written === null) return null;
  const minAgeMs = parseMinAge(written);
  if (minAgeMs === null) throw new SafePipError(`${source}: min-age "${written}" is not a duration`, { hint: 'write it as "3d", "12h", "90m", "2w", or a number of days' });
  if (minAgeMs === 0) return null;
  return { minAgeMs, written, source, exempt, missing };
}
