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
`;

export const TEARDOWN_USAGE = `usage: safe-pip teardown [--shell bash|zsh|fish]... [--ci] [--dir DIR] [--dry-run]

Removes what \`safe-pip setup\` added: the block in each shell rc file (all of bash, zsh and fish,
or those named with --shell), leaving the file byte for byte as it was, and the shims directory
(the default one, or --dir). --ci removes only the shims; --shell only the rc blocks.
`;

export const INIT_USAGE = `usage: safe-pip init bash|zsh|fish

Prints the shell integration that \`safe-pip setup\` puts in your rc file, for
  eval "$(safe-pip init bash)"      (bash, zsh)
  safe-pip init fish | source       (fish)
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
