// SAFE_PIP_DISABLE=1: the pip commands go to the real pip unchecked (with one warning line), so
// nothing is resolved and no interpreter probed. `safe-pip explain` and `fetch` do not heed it.
export const DISABLE_ENV = 'SAFE_PIP_DISABLE';

export function safePipDisabled(env: NodeJS.ProcessEnv): boolean {
  return env[DISABLE_ENV] === '1';
}
