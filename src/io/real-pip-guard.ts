// The recursion guard. safe-pip sets SAFE_PIP_DEPTH=<n+1> in the environment of every real pip
// it runs (the sh fast path in bin/safe-pip does the same), so a "real pip" that leads back into
// safe-pip (a wrapper that calls `pip` from PATH, a PATH pointing at the shim twice) is stopped
// after a few rounds with a clear message instead of looping. A small depth is allowed, not zero,
// because a legitimate build step may itself call `pip` and should get safe-pip's policy too.
// MAX_DEPTH must equal safe_pip_max_depth in bin/safe-pip (tested).
import { SafePipError } from '../errors.js';
import { EXIT_NO_REAL_PIP } from '../exit-codes.js';
import { recursionLimit } from '../report/messages.js';

export const RECURSION_GUARD_VAR = 'SAFE_PIP_DEPTH';
export const MAX_DEPTH = 5;

/** How many safe-pips run above this one (0 when the variable is unset or not a number). */
export function currentDepth(env: NodeJS.ProcessEnv): number {
  const value = env[RECURSION_GUARD_VAR];
  return value !== undefined && /^[0-9]+$/.test(value) ? Number(value) : 0;
}

export function assertBelowDepthLimit(env: NodeJS.ProcessEnv, realPip?: string): void {
  const depth = currentDepth(env);
  if (depth >= MAX_DEPTH) {
    throw new SafePipError(recursionLimit.message(depth, realPip), {
      hint: recursionLimit.hint,
      exitCode: EXIT_NO_REAL_PIP,
    });
  }
}

/** A copy of env in which only the recursion guard differs: what the real pip is given. */
export function guardedEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  // SAFE_PIP_REAL_PYTHON names the pip for this one run; a build step's own `pip` must search again.
  const { SAFE_PIP_REAL_PYTHON: _routed, ...rest } = env;
  return { ...rest, [RECURSION_GUARD_VAR]: String(currentDepth(env) + 1) };
}
