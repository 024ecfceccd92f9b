// The one error of pip's command line and configuration: what pip would print, and its exit code
// (pip/_internal/cli/parser.py ConfigOptionParser.error/check_default, cli/main.py,
// cli/base_command.py, cli/status_codes.py). safe-pip reports it exactly as pip would, so a user
// sees the same text whether the real pip or safe-pip rejected the command line.

export type PipUsageErrorKind =
  /** optparse: unknown/ambiguous option, missing value, bad choice/int/float (exit 2, usage). */
  | 'optparse'
  /** an option callback called parser.error (bad --python-version, -C without `=`; exit 2, usage). */
  | 'option-callback'
  /** `unknown command "x" - maybe you meant "y"` (exit 1, no usage). */
  | 'unknown-command'
  /** a config file configparser rejects (exit 2, no usage). */
  | 'config-file'
  /** a config/env value that is not a valid boolean or count (exit 2, usage). */
  | 'config-value'
  /** a config/env value failing its type (exit 3, printed on stdout). */
  | 'config-type'
  /** `--python` given after the command (exit 1). */
  | 'python-after-command'
  /** a CommandError raised inside option parsing: pip 23.x prints a traceback (exit 1). */
  | 'pip-crash'
  /** a CommandError of the command's run() before requirements are read (`ERROR: …`, exit 1). */
  | 'command-error';

export class PipUsageError extends Error {
  readonly kind: PipUsageErrorKind;
  readonly exitCode: number;
  /** Exactly what pip writes to stderr (usage block included). */
  readonly stderr: string;
  /** Exactly what pip writes to stdout (only the "An error occurred during configuration" case). */
  readonly stdout: string;
  /** The command line as given. */
  readonly argv: readonly string[];
  /** The token pip was reading (null for config and command-level errors). */
  readonly tokenIndex: number | null;
  /** The command whose parser failed, or null for the main parser / before any command. */
  readonly command: string | null;
  constructor(
    kind: PipUsageErrorKind,
    message: string,
    fields: {
      exitCode: number;
      stderr?: string;
      stdout?: string;
      argv: readonly string[];
      tokenIndex?: number | null;
      command?: string | null;
    },
  ) {
    super(message);
    this.name = 'PipUsageError';
    this.kind = kind;
    this.exitCode = fields.exitCode;
    this.stderr = fields.stderr ?? '';
    this.stdout = fields.stdout ?? '';
    this.argv = fields.argv;
    this.tokenIndex = fields.tokenIndex ?? null;
    this.command = fields.command ?? null;
  }
}
