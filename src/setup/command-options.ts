// The command lines of `safe-pip setup`, `safe-pip teardown` and `safe-pip init`.
//   setup    [--shell bash|zsh|fish]... [--ci [--dir DIR]] [--dry-run]
//   teardown [--shell bash|zsh|fish]... [--ci] [--dir DIR] [--dry-run]
//   init     bash|zsh|fish
// `--shell` may repeat or take a comma-separated list; `--opt=value` works for every value option.
import { SafePipError } from '../errors.js';
import { EXIT_USAGE } from '../exit-codes.js';
import { isShellKind } from './rc-files.js';
import type { ShellKind } from './shell-integration.js';

export const SETUP_USAGE = `usage: safe-pip setup [--shell bash|zsh|fish]... [--dry-run]
       safe-pip setup --ci [--dir DIR] [--dry-run]

Adds one marked block to the rc file of each of your shells (the shell in $SHELL and every shell
whose rc file exists, or those named with --shell) so that pip, pip3, pip3.X and python -m pip go
through safe-pip, also inside an activated virtualenv. With --ci, makes a directory of pip shims
instead (default $XDG_DATA_HOME/safe-pip/shims), prints the PATH line to add, and appends the
directory to $GITHUB_PATH when that is set. \`safe-pip teardown\` undoes either.

Options:
  --shell bash|zsh|fish  set up this shell only (repeat, or give a comma-separated list)
  --ci                   make PATH shims instead of editing rc files
  --dir DIR              the shims directory of --ci (default $XDG_DATA_HOME/safe-pip/shims)
  -n, --dry-run          say what would change, change nothing
  -h, --help             show this help

Environment:
  SHELL            your login shell, set up even when its rc file does not exist yet
  HOME, ZDOTDIR    where ~/.bashrc and ~/.zshrc are ($ZDOTDIR/.zshrc when ZDOTDIR is set)
  XDG_CONFIG_HOME  where fish's config.fish is (default ~/.config)
  XDG_DATA_HOME    where --ci puts the shims (default ~/.local/share)
  PATH             --ci: the pip3.X found on PATH get a shim too
  GITHUB_PATH      --ci: the file the shims directory is appended to (GitHub Actions)

Exit status:
  0   done (with --dry-run: nothing changed)
  1   an rc file holds a damaged safe-pip block, or the shims directory cannot be used
  2   a usage error, or no bash, zsh or fish found to set up
  70  an unexpected failure, e.g. a file that cannot be written (SAFE_PIP_DEBUG=1 shows the stack)
`;

export const TEARDOWN_USAGE = `usage: safe-pip teardown [--shell bash|zsh|fish]... [--ci] [--dir DIR] [--dry-run]

Removes what \`safe-pip setup\` added: the block in each shell rc file (all of bash, zsh and fish,
or those named with --shell), leaving the file byte for byte as it was, and the shims directory
(the default one, or --dir). --ci removes only the shims; --shell only the rc blocks.

Options:
  --shell bash|zsh|fish  remove the block from this shell's rc file only (repeatable)
  --ci                   remove only the shims directory
  --dir DIR              the shims directory to remove (default $XDG_DATA_HOME/safe-pip/shims)
  -n, --dry-run          say what would be removed, remove nothing
  -h, --help             show this help

Environment:
  HOME, ZDOTDIR    where ~/.bashrc and ~/.zshrc are ($ZDOTDIR/.zshrc when ZDOTDIR is set)
  XDG_CONFIG_HOME  where fish's config.fish is (default ~/.config)
  XDG_DATA_HOME    where the default shims directory is (default ~/.local/share)

Exit status:
  0   done, also when there was nothing to remove
  1   an rc file holds a damaged safe-pip block
  2   a usage error
  70  an unexpected failure, e.g. a file that cannot be written (SAFE_PIP_DEBUG=1 shows the stack)
`;

export const INIT_USAGE = `usage: safe-pip init bash|zsh|fish

Prints the shell integration that \`safe-pip setup\` puts in your rc file, for
  eval "$(safe-pip init bash)"      (bash, zsh)
  safe-pip init fish | source       (fish)

Options:
  -h, --help  show this help

Environment: none is read by init itself. The code it prints reads PATH when the shell starts
(which pip3.X and python3.X to cover) and at each call.

Exit status:
  0   the code was printed
  2   a usage error (no shell, more than one, or an unknown one)
  70  a bug in safe-pip
`;

export interface SetupOptions {
  help: boolean;
  shells: ShellKind[];
  ci: boolean;
  dir: string | undefined;
  dryRun: boolean;
}

function usageError(message: string, command: string): SafePipError {
  return new SafePipError(message, { hint: `see \`safe-pip ${command} --help\``, exitCode: EXIT_USAGE });
}

function parseShells(value: string, command: string): ShellKind[] {
  return value.split(',').map((name) => {
    if (!isShellKind(name)) throw usageError(`unknown shell "${name}" for --shell (expected bash, zsh or fish)`, command);
    return name;
  });
}

/** Parses the arguments of `setup` or `teardown` (they share their options). */
export function parseSetupOptions(args: readonly string[], command: 'setup' | 'teardown'): SetupOptions {
  const options: SetupOptions = { help: false, shells: [], ci: false, dir: undefined, dryRun: false };
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] as string;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq === -1 ? arg : arg.slice(0, eq);
    const takeValue = (): string => {
      if (eq !== -1) return arg.slice(eq + 1);
      const value = args[i + 1];
      if (value === undefined) throw usageError(`${name} needs a value`, command);
      i += 1;
      return value;
    };
    switch (name) {
      case '-h':
      case '--help':
        options.help = true;
        break;
      case '--shell':
        for (const shell of parseShells(takeValue(), command)) if (!options.shells.includes(shell)) options.shells.push(shell);
        break;
      case '--ci':
        options.ci = true;
        break;
      case '--dir':
        options.dir = takeValue();
        if (options.dir === '') throw usageError('--dir needs a directory', command);
        break;
      case '-n':
      case '--dry-run':
        options.dryRun = true;
        break;
      default:
        throw usageError(`unknown argument "${arg}" for \`safe-pip ${command}\``, command);
    }
  }
  if (command === 'setup' && options.ci && options.shells.length > 0) {
    throw usageError('--ci makes PATH shims and does not edit rc files, so it cannot be combined with --shell', command);
  }
  if (command === 'setup' && options.dir !== undefined && !options.ci) {
    throw usageError('--dir is the shims directory of --ci; add --ci', command);
  }
  return options;
}

/** The one shell `init` prints code for, or undefined with help. */
export function parseInitShell(args: readonly string[]): ShellKind | 'help' {
  if (args.length === 1 && (args[0] === '-h' || args[0] === '--help')) return 'help';
  if (args.length !== 1) throw usageError('`safe-pip init` takes exactly one shell: bash, zsh or fish', 'init');
  const shell = args[0] as string;
  if (!isShellKind(shell)) throw usageError(`unknown shell "${shell}" (expected bash, zsh or fish)`, 'init');
  return shell;
}
