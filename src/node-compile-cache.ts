// Node's on-disk compile cache (https://nodejs.org/api/module.html#moduleenablecompilecachecachedir):
// `module.enableCompileCache()` exists from Node 22.1; safe-pip also supports Node 20, where it
// does not. Checked by feature, not by version: where the function is missing nothing happens.
// The CLI's entry (dist/main.js, written by scripts/bundle.mjs) turns it on before the bundle and
// its lazily imported chunks load, so a warm start reads compiled code instead of parsing it again. The folder is under
// safe-pip's cache (src/io/interpreter-probe.ts safePipCacheDir: SAFE_PIP_CACHE_DIR, else
// $XDG_CACHE_HOME/safe-pip, else ~/.cache/safe-pip; repeated here so that start-up imports
// nothing more). A cache that cannot be made is only a lost speed-up; Node's own
// NODE_DISABLE_COMPILE_CACHE=1 and safe-pip's SAFE_PIP_NO_COMPILE_CACHE=1 leave it off.
import nodeModule from 'node:module';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

export type CompileCacheStatus = 'enabled' | 'unavailable' | 'failed' | 'off';

interface ModuleWithCompileCache {
  enableCompileCache?: (cacheDir?: string) => { status: number; message?: string };
}

export function compileCacheDir(env: NodeJS.ProcessEnv): string {
  const base = env.SAFE_PIP_CACHE_DIR
    ? env.SAFE_PIP_CACHE_DIR
    : env.XDG_CACHE_HOME && isAbsolute(env.XDG_CACHE_HOME)
      ? join(env.XDG_CACHE_HOME, 'safe-pip')
      : join(homedir(), '.cache', 'safe-pip');
  return join(base, 'node-compile-cache');
}

export function enableCompileCache(env: NodeJS.ProcessEnv, mod: ModuleWithCompileCache = nodeModule as ModuleWithCompileCache): CompileCacheStatus {
  if (env.SAFE_PIP_NO_COMPILE_CACHE === '1') return 'off';
  if (typeof mod.enableCompileCache !== 'function') return 'unavailable';
  try {
    // module.constants.compileCacheStatus: FAILED 0, ENABLED 1, ALREADY_ENABLED 2, DISABLED 3.
    const result = mod.enableCompileCache(compileCacheDir(env));
    return result.status === 1 || result.status === 2 ? 'enabled' : result.status === 3 ? 'off' : 'failed';
  } catch {
    return 'failed';
  }
}
