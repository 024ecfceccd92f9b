// pip's two-stage command-line parse (pip/_internal/cli/main.py, main_parser.py parse_command,
// base_command.py; pip-behaviour.md §1.1): the main parser reads general options up to the first
// positional (the command name, matched exactly); cmd_args is the whole argv with the FIRST
// occurrence of the command-name string removed, parsed again by the command's parser (so general
// options before the command count twice: `pip -v install -v x` is verbose 2).
//
// This module sees only the command line. Config files and PIP_* variables are applied by
// effective-settings.ts, which also reproduces the errors pip reports for them before these.
// Supported: every pip command name; the options of install/download/wheel/lock (the commands
// safe-pip intercepts); other commands are recognised but their options are left to the real pip.
// Callback errors reproduced: --python-version, -C/--config-settings without `=`, a
// --no-binary/--only-binary (26.0+: --all-releases/--only-final) value starting with `-`, and
// `--python` after the command. Not reproduced: `--no-use-pep517` failing when setuptools/wheel
// are missing (depends on the interpreter), checks pip makes later in `run()`.
import { closeMatches } from './close-matches.js';
import { commandHandling, type CommandHandling } from './commands.js';
import { FORMAT_CONTROL_DASH_ERROR } from './format-control.js';
import { commandOptionSpecs, type OptionTable } from './option-table.js';
import {
  indexOptions,
  OptparseError,
  parseOptparse,
  type OptionIndex,
  type OptionOccurrence,
  type Positional,
} from './optparse.js';
import { PipUsageError } from './pip-usage-error.js';
import { asciiDigits, pythonStrRepr, pythonSplit } from './python-repr.js';
import { pythonTextwrapFill } from './python-textwrap.js';
import { RELEASE_CONTROL_DASH_ERROR } from './release-control.js';
import { renderUsage } from './usage.js';

export type PipOutcome =
  /** A command runs (`command` says which). */
  | 'command'
  /** `pip --version`: the main parser prints the version and exits 0. */
  | 'version'
  /** `pip`, `pip help`, `pip -h`: the main parser prints its help and exits 0. */
  | 'help';

export interface PipCommandLine {
  argv: readonly string[];
  /** The program name pip shows in usage texts (basename of argv[0]: `pip`, `pip3`). */
  prog: string;
  table: OptionTable;
  outcome: PipOutcome;
  /** The command name (exact), or null for the version/help outcomes. */
  command: string | null;
  handling: CommandHandling | null;
  /** argv index where the main parser found the command name. */
  commandTokenIndex: number | null;
  /** argv index pip removed to form cmd_args: the first token equal to the command name. */
  removedTokenIndex: number | null;
  /** What the command parser reads, and the argv index of each of its tokens. */
  cmdArgs: string[];
  cmdArgIndexes: number[];
  /** The main parser's occurrences (general options before the command), argv indexes. */
  mainOccurrences: OptionOccurrence[];
  /**
   * The command parser's occurrences, in order, with argv token indexes; null for commands whose
   * options safe-pip does not hold (pass-through commands).
   */
  occurrences: OptionOccurrence[] | null;
  /** The command parser's positional arguments (argv indexes), null like `occurrences`. */
  positionals: Positional[] | null;
  /** argv index of the `--` that ended the command parser's option processing. */
  doubleDashIndex: number | null;
  /** `-h`/`--help` reached in the command parser: pip prints the command's help and exits 0. */
  commandHelp: boolean;
  /** pip's `"--isolated" in cmd_args`: only the exact spelling stops user config and PIP_*. */
  isolated: boolean;
  /** `--python` before the command: pip re-runs itself under that interpreter. */
  pythonBeforeCommand: string | null;
}

class HelpReached extends Error {}

/** Parse a pip command line as pip would, for the pip version of `table`. Throws PipUsageError. */
export function parsePipCommandLine(argv: readonly string[], table: OptionTable, options: { prog?: string } = {}): PipCommandLine {
  const prog = options.prog ?? 'pip';
  const mainIndex = indexFor(table, null)!;
  const mainUsage = renderUsage(table.usage.main, prog);
  const main = runParser(argv, mainIndex, false, mainUsage, null);
  const mainOccurrences = main.occurrences;
  const pythonBeforeCommand = lastValue(mainOccurrences, 'python');
  const base = {
    argv,
    prog,
    table,
    mainOccurrences,
    pythonBeforeCommand,
    command: null,
    handling: null,
    commandTokenIndex: null,
    removedTokenIndex: null,
    cmdArgs: [],
    cmdArgIndexes: [],
    occurrences: null,
    positionals: null,
    doubleDashIndex: null,
    commandHelp: false,
    isolated: false,
  };
  if (main.help) return { ...base, outcome: 'help' };
  if (mainOccurrences.some((o) => o.spec.dest === 'version')) return { ...base, outcome: 'version' };
  const rest = main.positionals;
  if (rest.length === 0 || (rest[0]!.value === 'help' && rest.length === 1)) return { ...base, outcome: 'help' };
  const name = rest[0]!.value;
  if (!table.commands.includes(name)) throw unknownCommand(name, table.commands, argv, rest[0]!.tokenIndex);

  const removedTokenIndex = argv.indexOf(name);
  const cmdArgIndexes = argv.map((_, i) => i).filter((i) => i !== removedTokenIndex);
  const cmdArgs = cmdArgIndexes.map((i) => argv[i]!);
  const commandLine: PipCommandLine = {
    ...base,
    outcome: 'command',
    command: name,
    handling: commandHandling(name),
    commandTokenIndex: rest[0]!.tokenIndex,
    removedTokenIndex,
    cmdArgs,
    cmdArgIndexes,
    isolated: cmdArgs.includes('--isolated'),
  };
  const commandIndex = indexFor(table, name);
  if (commandIndex === null) return commandLine;

  const usage = renderUsage(table.usage.commands[name] ?? [], `${prog} ${name}`);
  const parsed = runParser(cmdArgs, commandIndex, true, usage, name);
  const toArgv = (i: number): number => cmdArgIndexes[i]!;
  const occurrences = parsed.occurrences.map((o) => ({
    ...o,
    tokenIndex: toArgv(o.tokenIndex),
    valueTokenIndex: o.valueTokenIndex === null ? null : toArgv(o.valueTokenIndex),
  }));
  const result: PipCommandLine = {
    ...commandLine,
    occurrences,
    positionals: parsed.positionals.map((p) => ({ value: p.value, tokenIndex: toArgv(p.tokenIndex) })),
    doubleDashIndex: parsed.doubleDashIndex === null ? null : toArgv(parsed.doubleDashIndex),
    commandHelp: parsed.help,
  };
  // base_command._main: a --python the main parser did not act on is refused (a pip that was
  // re-run under another interpreter has _PIP_RUNNING_IN_SUBPROCESS set and accepts it).
  if (!parsed.help && pythonBeforeCommand === null) {
    const late = occurrences.find((o) => o.spec.dest === 'python');
    if (late !== undefined) throw pythonAfterCommand(argv, late.tokenIndex, name);
  }
  return result;
}

const indexCache = new WeakMap<OptionTable, Map<string, OptionIndex | null>>();

/** The lookup index of the main parser (command null) or of a command's parser. */
export function indexFor(table: OptionTable, command: string | null): OptionIndex | null {
  let perTable = indexCache.get(table);
  if (perTable === undefined) {
    perTable = new Map();
    indexCache.set(table, perTable);
  }
  const key = command ?? '';
  if (!perTable.has(key)) {
    const specs = command === null ? table.general : commandOptionSpecs(table, command);
    perTable.set(key, specs === null ? null : indexOptions(specs));
  }
  return perTable.get(key)!;
}

function lastValue(occurrences: readonly OptionOccurrence[], dest: string): string | null {
  let value: string | null = null;
  for (const o of occurrences) if (o.spec.dest === dest) value = o.value;
  return value;
}

interface ParserRun {
  occurrences: OptionOccurrence[];
  positionals: Positional[];
  doubleDashIndex: number | null;
  help: boolean;
}

function runParser(
  tokens: readonly string[],
  index: OptionIndex,
  interspersed: boolean,
  usage: string,
  command: string | null,
): ParserRun {
  const seen: OptionOccurrence[] = [];
  try {
    const result = parseOptparse(tokens, index, {
      interspersed,
      onOccurrence: (occurrence) => {
        seen.push(occurrence);
        if (occurrence.spec.action === 'help') throw new HelpReached();
        if (command !== null) checkCallback(occurrence, tokens, usage, command);
      },
    });
    return { ...result, help: false };
  } catch (error) {
    if (error instanceof HelpReached) return { occurrences: seen, positionals: [], doubleDashIndex: null, help: true };
    if (error instanceof OptparseError) {
      throw new PipUsageError('optparse', error.message, {
        exitCode: 2,
        stderr: `${usage}${error.message}\n`,
        argv: tokens,
        tokenIndex: error.tokenIndex,
        command,
      });
    }
    throw error;
  }
}

/** The errors pip's option callbacks raise while the command line is read (in argv order). */
function checkCallback(occurrence: OptionOccurrence, tokens: readonly string[], usage: string, command: string): void {
  const error = callbackError(occurrence.spec.names, occurrence.spec.dest, occurrence.name, occurrence.value);
  if (error === null) return;
  throw callbackUsageError(error, usage, tokens, occurrence.tokenIndex, command);
}

export type CallbackError = { kind: 'option-callback' | 'pip-crash'; message: string };

/**
 * What a pip option callback rejects, or null. `optString` is optparse's `opt_str` (the name as
 * resolved on the command line, the option's first long name for a config value).
 */
export function callbackError(names: readonly string[], dest: string, optString: string, value: string | null): CallbackError | null {
  if (value === null) return null;
  const optionLabel = names.join('/');
  switch (dest) {
    case 'python_version': {
      const problem = pythonVersionProblem(value);
      if (problem === null) return null;
      return { kind: 'option-callback', message: raiseOptionErrorText(optionLabel, `invalid --python-version value: ${pythonStrRepr(value)}: ${problem}`) };
    }
    case 'config_settings':
      return value.includes('=') ? null : { kind: 'option-callback', message: `Arguments to ${optString} must be of the form KEY=VAL` };
    case 'format_control':
      return value.startsWith('-') ? { kind: 'pip-crash', message: FORMAT_CONTROL_DASH_ERROR } : null;
    case 'release_control':
      return value.startsWith('-') ? { kind: 'pip-crash', message: RELEASE_CONTROL_DASH_ERROR } : null;
    default:
      return null;
  }
}

export function callbackUsageError(
  error: CallbackError,
  usage: string,
  argv: readonly string[],
  tokenIndex: number | null,
  command: string | null,
): PipUsageError {
  if (error.kind === 'pip-crash') {
    return new PipUsageError('pip-crash', error.message, {
      exitCode: 1,
      stderr: `pip._internal.exceptions.CommandError: ${error.message}\n`,
      argv,
      tokenIndex,
      command,
    });
  }
  return new PipUsageError('option-callback', error.message, { exitCode: 2, stderr: `${usage}${error.message}\n`, argv, tokenIndex, command });
}

/** cmdoptions.raise_option_error: "<option> error: <msg>", whitespace collapsed, wrapped at 70. */
export function raiseOptionErrorText(optionLabel: string, message: string): string {
  return pythonTextwrapFill(pythonSplit(`${optionLabel} error: ${message}`).join(' '));
}

/** cmdoptions._convert_python_version: the version tuple, or null for "" (no value). */
export function convertPythonVersion(value: string): number[] | null {
  if (value === '') return null;
  let parts = value.split('.');
  if (parts.length === 1 && parts[0]!.length > 1) parts = [[...parts[0]!][0]!, [...parts[0]!].slice(1).join('')];
  return parts.map((part) => pythonIntBase10(part)!);
}

function pythonVersionProblem(value: string): string | null {
  if (value === '') return null;
  let parts = value.split('.');
  if (parts.length > 3) return 'at most three version parts are allowed';
  if (parts.length === 1 && [...parts[0]!].length > 1) parts = [[...parts[0]!][0]!, [...parts[0]!].slice(1).join('')];
  return parts.every((part) => pythonIntBase10(part) !== null) ? null : 'each version part must be an integer';
}

/** Python int(text): surrounding whitespace, a sign, digits (any script) with single underscores. */
export function pythonIntBase10(text: string): number | null {
  const match = /^\s*([+-]?)(\p{Nd}(?:_?\p{Nd})*)\s*$/u.exec(text);
  if (match === null) return null;
  const magnitude = Number(asciiDigits(match[2]!).replace(/_/g, ''));
  return match[1] === '-' ? -magnitude : magnitude;
}


function unknownCommand(name: string, commands: readonly string[], argv: readonly string[], tokenIndex: number): PipUsageError {
  const guess = closeMatches(name.toLowerCase(), commands)[0];
  const message = guess === undefined ? `unknown command "${name}"` : `unknown command "${name}" - maybe you meant "${guess}"`;
  return new PipUsageError('unknown-command', message, { exitCode: 1, stderr: `ERROR: ${message}\n`, argv, tokenIndex });
}

function pythonAfterCommand(argv: readonly string[], tokenIndex: number, command: string): PipUsageError {
  const message = 'The --python option must be placed before the pip subcommand name';
  return new PipUsageError('python-after-command', message, { exitCode: 1, stderr: `ERROR: ${message}\n`, argv, tokenIndex, command });
}
