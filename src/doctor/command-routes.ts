// How each way of typing pip in this shell reaches pip: through safe-pip or not (issue 5 §3).
// `pip`/`pip3`: what the shell itself reported (shell-state.ts `loaded`: safe-pip's function, an
// alias, another function) wins over PATH; an rc file alone proves nothing about this shell.
// Otherwise the first file on PATH decides, and it is safe-pip when it carries the launcher
// marker (bin/pip symlinked or copied there, or a `setup --ci` shim). `python -m pip`/`python3 -m
// pip` are not PATH lookups of pip: only the shell function diverts them, so without it they are
// unprotected, except that PIP_ONLY_BINARY=:all: in the environment still stops builds of index
// packages (a partial cover: local paths, URLs and VCS targets are still built, pip-behaviour.md
// §9.2).
import { homedir } from 'node:os';
import { isLauncher } from '../io/real-pip.js';
import { findOnPath } from './path-lookup.js';
import type { TypedName } from './loaded-integration.js';
import type { ShellIntegrationState } from './shell-state.js';

export type TypedCommand = 'pip' | 'pip3' | 'python -m pip' | 'python3 -m pip';
export const TYPED_COMMANDS: readonly TypedCommand[] = ['pip', 'pip3', 'python -m pip', 'python3 -m pip'];

export type RouteStatus = 'protected' | 'partial' | 'unprotected' | 'absent';

export interface CommandRoute {
  command: TypedCommand;
  status: RouteStatus;
  /** What diverts it: safe-pip's shell function, a launcher on PATH, nothing, or what this shell put in front (an alias, another function). */
  via: 'shell-function' | 'launcher' | 'none' | 'alias' | 'other-function';
  /** The file PATH gives for `pip`/`pip3`/`python`/`python3` (null: none). */
  path: string | null;
  detail: string;
}

/** `~/x` for paths under $HOME, for short lines. */
export function tildePath(path: string, env: NodeJS.ProcessEnv): string {
  const home = env.HOME || homedir();
  return home !== '/' && (path === home || path.startsWith(`${home}/`)) ? `~${path.slice(home.length)}` : path;
}

function onlyBinaryAll(env: NodeJS.ProcessEnv): boolean {
  return (env.PIP_ONLY_BINARY ?? '').split(',').some((item) => item.trim() === ':all:');
}

/** True when the rc file holds the integration but the shell that started doctor reported nothing. */
export function rcOnlyIntegration(shell: ShellIntegrationState): boolean {
  return shell.loaded === null && shell.rcFile !== null && (shell.kind === 'block' || shell.kind === 'init');
}

export function commandRoutes(env: NodeJS.ProcessEnv, shell: ShellIntegrationState): CommandRoute[] {
  const loaded = shell.loaded;
  return TYPED_COMMANDS.map((command): CommandRoute => {
    const program = command.split(' ')[0] as TypedName;
    const path = findOnPath(program, env) ?? null;
    if (path === null) {
      return { command, status: 'absent', via: 'none', path, detail: `no ${program} on PATH` };
    }
    if (loaded !== null) {
      const kind = loaded.names[program];
      if (kind === 'safe-pip' && shell.launcherProblem === null) {
        return { command, status: 'protected', via: 'shell-function', path, detail: `safe-pip shell function (loaded in this ${loaded.shell})` };
      }
      if (kind === 'alias') {
        // Expanded before functions are looked up: safe-pip's function may still be what it runs.
        return { command, status: 'partial', via: 'alias', path, detail: `an alias in this ${loaded.shell}, expanded before safe-pip's function; \`type ${program}\` shows what it runs` };
      }
      if (kind === 'function') {
        return { command, status: 'unprotected', via: 'other-function', path, detail: `a shell function that is not safe-pip's (\`type ${program}\` shows it)` };
      }
      // safe-pip's function with a launcher that cannot start (it falls back to the first pip on
      // PATH), a file, a builtin: the PATH decides.
    }
    if (program === 'pip' || program === 'pip3') {
      if (isLauncher(path)) return { command, status: 'protected', via: 'launcher', path, detail: `safe-pip launcher first on PATH (${tildePath(path, env)})` };
      return { command, status: 'unprotected', via: 'none', path, detail: `runs ${tildePath(path, env)} directly` };
    }
    if (onlyBinaryAll(env)) {
      return {
        command,
        status: 'partial',
        via: 'none',
        path,
        detail: `runs ${tildePath(path, env)} -m pip directly; PIP_ONLY_BINARY=:all: stops sdists from an index, not local paths, URLs or VCS`,
      };
    }
    return { command, status: 'unprotected', via: 'none', path, detail: `runs ${tildePath(path, env)} -m pip directly` };
  });
}
