// safe-pip's argv: `--help`, `--version`, or a subcommand from the table in subcommands.ts.
import { SafePipError } from '../errors.js';
import { EXIT_USAGE } from '../exit-codes.js';
import { unknownSubcommand } from '../report/messages.js';
import type { CliContext } from './context.js';
import { findSubcommand } from './subcommands.js';

export async function dispatch(argv: readonly string[], context: CliContext): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '-h' || first === '--help') {
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
  if (command.help !== undefined && (rest[0] === '-h' || rest[0] === '--help' || (command.name === 'explain' && rest[0] === '--json' && (rest[1] === '-h' || rest[1] === '--help')))) {
    process.stdout.write(await command.help());
    return 0;
  }
  return command.run(rest, context);
}

/** `safe-pip help [command]`: the top-level help, or `<command> --help` (pip's help for `pip`: safe-pip's page on it). */
export async function runHelp(args: readonly string[], context: CliContext): Promise<number> {
  const [name] = args;
  if (name === undefined) return dispatch(['--help'], context);
  if (name === 'pip') {
    process.stdout.write((await import('./help-command.js')).pipSubcommandHelp());
    return 0;
  }
  if (findSubcommand(name) === undefined) {
    throw new SafePipError(unknownSubcommand.message(name), { hint: unknownSubcommand.hint, exitCode: EXIT_USAGE });
  }
  return dispatch([name, '--help'], context);
}
