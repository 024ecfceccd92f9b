// The machine's own pip and safe-pip configuration is not a user's. Every test that runs pip or
// safe-pip, in-process or as a child (run-cli.ts's childEnv copies process.env), therefore sees
// only what this helper sets:
//  - every PIP_* / SAFE_PIP_* variable cleared;
//  - a fresh HOME, XDG_CONFIG_HOME, XDG_CONFIG_DIRS and XDG_CACHE_HOME: empty folders of its own,
//    so neither ~/.config/pip, ~/.pip, /etc/xdg/pip (the machines carry a constraint file there)
//    nor the developer's caches are read;
//  - PIP_CONFIG_FILE naming an empty file of its own;
//  - SAFE_PIP_ETC_DIR: the folder safe-pip reads in place of /etc (pip.conf, safe-pip/config.toml).
//    The real pip still reads /etc/pip.conf; nothing else reaches it.
// isolate-environment.ts applies it before every test file (vitest setupFiles);
// isolatedEnvironment() is the same set, for a test that builds a child's environment from
// nothing, and for the test that proves the isolation.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const ISOLATION_PREFIXES = ['PIP_', 'SAFE_PIP_', '_PIP_'] as const;

/** The variables every test process runs with, rooted in `dir`; the folders are made. */
export function isolatedEnvironment(dir: string): Record<string, string> {
  const env = {
    HOME: join(dir, 'home'),
    XDG_CONFIG_HOME: join(dir, 'config'),
    XDG_CONFIG_DIRS: join(dir, 'config-dirs'),
    XDG_CACHE_HOME: join(dir, 'cache'),
    SAFE_PIP_ETC_DIR: join(dir, 'etc'),
    PIP_CONFIG_FILE: join(dir, 'pip.conf'),
  };
  for (const folder of [env.HOME, env.XDG_CONFIG_HOME, env.XDG_CONFIG_DIRS, env.SAFE_PIP_ETC_DIR]) mkdirSync(folder, { recursive: true });
  writeFileSync(env.PIP_CONFIG_FILE, '');
  return env;
}

/** Removes every PIP_, SAFE_PIP_ and _PIP_ variable from `env`, then lays the isolated set over it. */
export function isolate(env: NodeJS.ProcessEnv, dir: string): void {
  for (const key of Object.keys(env)) {
    if (ISOLATION_PREFIXES.some((prefix) => key.startsWith(prefix))) delete env[key];
  }
  Object.assign(env, isolatedEnvironment(dir));
  delete env.NO_COLOR;
}

