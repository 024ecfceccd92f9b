// Which pip commands safe-pip intercepts and which go straight to the real pip. Shared by the
// launcher (bin/ fast path) and the policy; data, not code (see DESIGN.md "Flow").
//
// Intercepted: the commands that can build a distribution (install, download, wheel, lock).
// Everything else cannot run package code and passes through untouched. An unknown command also
// passes through: pip itself prints `unknown command "…"` (exit 1), so safe-pip adds nothing.

export type CommandHandling = 'intercept' | 'pass-through';

export const COMMAND_HANDLING: Readonly<Record<string, CommandHandling>> = {
  install: 'intercept',
  download: 'intercept',
  wheel: 'intercept',
  lock: 'intercept',
  list: 'pass-through',
  show: 'pass-through',
  freeze: 'pass-through',
  uninstall: 'pass-through',
  config: 'pass-through',
  cache: 'pass-through',
  hash: 'pass-through',
  check: 'pass-through',
  debug: 'pass-through',
  inspect: 'pass-through',
  index: 'pass-through',
  search: 'pass-through',
  completion: 'pass-through',
  help: 'pass-through',
};

export const INTERCEPTED_COMMANDS: readonly string[] = Object.keys(COMMAND_HANDLING).filter(
  (name) => COMMAND_HANDLING[name] === 'intercept',
);

/** How safe-pip treats a command name (exact, as pip matches it). Unknown names pass through. */
export function commandHandling(name: string): CommandHandling {
  return Object.hasOwn(COMMAND_HANDLING, name) ? COMMAND_HANDLING[name]! : 'pass-through';
}
