// safe-pip's own subcommands, as data: adding one (fetch, explain, setup, doctor, demo) is one
// entry here. `run` imports its module lazily so a pass-through through Node loads only what
// the `pip` subcommand needs.
import type { CliContext } from './context.js';

export interface Subcommand {
  name: string;
  /** One line for `safe-pip --help`. */
  summary: string;
  usage: string;
  run(args: readonly string[], context: CliContext): Promise<number>;
}

export const SUBCOMMANDS: readonly Subcommand[] = [
  {
    name: 'pip',
    summary: 'run pip through safe-pip (exactly what the pip and pip3 launchers do)',
    usage: 'safe-pip pip <pip arguments>',
    run: async (args, context) => (await import('./pip-command.js')).runPipSubcommand(args, context),
  },
];

export function findSubcommand(name: string): Subcommand | undefined {
  return SUBCOMMANDS.find((command) => command.name === name);
}
