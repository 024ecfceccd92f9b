// safe-pip's argv: `--help`, `--version`, or a subcommand from the table in subcommands.ts.
import { SafePipError } from '../errors.js';
import { EXIT_USAGE } from '../exit-codes.js';
import { unknownSubcommand } from '../report/messages.js';
import type { CliContext } from './context.js';
import { findSubcommand } from './subcommands.js';

export async function dispatch(argv: readonly string[], context: CliContext): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '-h' || first === '--help' || first === 'help') {
    process.stdout.write((await import('./help-command.js')).helpText());
    return 0;
  }
  if (first === '-V' || first === '--version') {
    return (await import('./version-command.js')).runVersionCommand(context);
  }
  const command = findSubcommand(first);
  if (command === undefined) {
    throw new SafePipError(unknownSubcommand.message(first), { hint: unknownSubcommand.hint, exitCode: EXIT_USAGE });
  }
  return command.run(rest, context);
}
