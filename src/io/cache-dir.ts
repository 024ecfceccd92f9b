// Where safe-pip keeps what it caches (interpreter facts, pages, files, advisories, compiled code).
// Its own module, importing nothing of safe-pip's, so that the launchers' entry (src/code-cache.ts)
// can use it without loading anything more.
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

/** `$SAFE_PIP_CACHE_DIR`, else `$XDG_CACHE_HOME/safe-pip`, else `~/.cache/safe-pip`. */
export function safePipCacheDir(env: NodeJS.ProcessEnv): string {
  if (env.SAFE_PIP_CACHE_DIR) return env.SAFE_PIP_CACHE_DIR;
  if (env.XDG_CACHE_HOME && isAbsolute(env.XDG_CACHE_HOME)) return join(env.XDG_CACHE_HOME, 'safe-pip');
  return join(homedir(), '.cache', 'safe-pip');
}
