// Where each shell reads its per-user startup file, and which shells a user has.
// bash: ~/.bashrc (interactive non-login shells; https://www.gnu.org/software/bash/manual/html_node/Bash-Startup-Files.html).
// zsh: $ZDOTDIR/.zshrc, ZDOTDIR defaulting to $HOME (https://zsh.sourceforge.io/Doc/Release/Files.html).
// fish: $XDG_CONFIG_HOME/fish/config.fish, defaulting to ~/.config (https://fishshell.com/docs/current/language.html#configuration).
// Not handled: a bash whose login shell reads only ~/.bash_profile (macOS Terminal) — that file
// normally sources ~/.bashrc; `safe-pip init bash` is there for setups that do not.
import { join } from 'node:path';
import { SafePipError } from '../errors.js';
import { SHELL_KINDS, type ShellKind } from './shell-integration.js';

function home(env: NodeJS.ProcessEnv): string {
  const value = env.HOME;
  if (value === undefined || value === '') {
    throw new SafePipError('HOME is not set, so safe-pip cannot tell where your shell rc files are', {
      hint: 'set HOME, or use `safe-pip init <shell>` and add its output to your rc file yourself',
    });
  }
  return value;
}

/** The rc file safe-pip writes its block into for `shell`. */
export function rcFileFor(shell: ShellKind, env: NodeJS.ProcessEnv): string {
  switch (shell) {
    case 'bash':
      return join(home(env), '.bashrc');
    case 'zsh':
      return join(env.ZDOTDIR || home(env), '.zshrc');
    case 'fish':
      return join(env.XDG_CONFIG_HOME || join(home(env), '.config'), 'fish', 'config.fish');
  }
}

export function isShellKind(value: string): value is ShellKind {
  return (SHELL_KINDS as readonly string[]).includes(value);
}

/** The user's shells: the one named by $SHELL, plus every shell whose rc file already exists. */
export function detectShells(env: NodeJS.ProcessEnv, exists: (path: string) => boolean): ShellKind[] {
  const loginShell = (env.SHELL ?? '').split('/').pop() ?? '';
  return SHELL_KINDS.filter((shell) => shell === loginShell || exists(rcFileFor(shell, env)));
}
