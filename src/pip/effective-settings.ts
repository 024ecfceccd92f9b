// pip's effective options for one invocation: config files, then PIP_* variables, then the
// command line, exactly as ConfigOptionParser computes them (pip/_internal/cli/parser.py,
// configuration.py, cmdoptions.py; pip-behaviour.md §2), including the errors pip reports
// for bad config/env values and their order relative to command-line errors:
//   main parser: config load, config/env values of general options, general options on the
//   command line; then the command's parser: config/env values (user files and PIP_* skipped
//   under an exact `--isolated`), then the command line.
//
// `computeEffectiveSettings` starts from an already parsed command line; `resolvePipInvocation`
// starts from argv and reports whichever error pip would report first.
// Not here: option lines of requirements files (they are applied after the command line by the
// requirements-file reader, onto `formatControl` and the lists), checks pip makes in `run()`.
import { parsePipCommandLine, indexFor, type PipCommandLine } from './command-line.js';
import { defaultCacheDir } from './config-files.js';
import { ConfigLoadError, loadConfiguration, orderedConfigItems, type ConfigFileContent } from './config-items.js';
import type { FormatControl } from './format-control.js';
import { commandOptionSpecs, type OptionTable } from './option-table.js';
import { OptionValues, type ConfigValueFailure, type ValueContext } from './option-values.js';
import { PipUsageError } from './pip-usage-error.js';
import { pythonJoin } from './python-paths.js';
import type { ReleaseControl } from './release-control.js';
import type { SettingSource } from './setting-source.js';
import { renderUsage } from './usage.js';

export interface InterpreterLocation {
  /** sys.prefix of the interpreter running pip. */
  sysPrefix: string;
  /** running_under_virtualenv(): pip's default --src is then <sys.prefix>/src. */
  inVirtualenv: boolean;
}

export interface EffectiveSettingsInput {
  commandLine: PipCommandLine;
  /** Defaults to commandLine.table. */
  table?: OptionTable;
  /** The environment pip sees (PIP_* variables, XDG_CACHE_HOME, HOME). */
  env: Readonly<Record<string, string | undefined>>;
  /** configFilesFor(...) read by readPipConfigFiles(...), in that order. */
  configFiles: readonly ConfigFileContent[];
  /** Current directory (relative --src is made absolute against it; default src is <cwd>/src). */
  cwd: string;
  /** $HOME for `~` expansion; defaults to env.HOME. */
  home?: string;
  platform?: 'linux' | 'darwin';
  interpreter?: InterpreterLocation;
}

export interface Sourced<T> {
  value: T;
  source: SettingSource;
}

export interface TargetPythonOptions {
  platforms: string[] | null;
  /** `--python-version` as pip converts it ("37" -> [3, 7]); null when not given. */
  pythonVersion: number[] | null;
  implementation: string | null;
  abis: string[] | null;
}

export class EffectiveSettings {
  constructor(
    readonly commandLine: PipCommandLine,
    readonly table: OptionTable,
    /** The main parser's view: general options from config/env and before the command. */
    readonly mainValues: OptionValues,
    /** The command parser's view; null for the help/version outcomes and pass-through commands. */
    readonly commandValues: OptionValues | null,
  ) {}

  /** 'version' also when a config file sets `version` (pip's main parser reads config too). */
  get outcome(): PipCommandLine['outcome'] {
    if (this.commandLine.outcome === 'command' && truthy(this.mainValues.values.version)) return 'version';
    return this.commandLine.outcome;
  }

  get command(): string | null {
    return this.commandLine.command;
  }

  /** `--python` / PIP_PYTHON / config `python` as the main parser sees it: pip re-runs itself. */
  get pythonReexec(): string | null {
    const value = this.mainValues.values.python;
    return typeof value === 'string' && value !== '' ? value : null;
  }

  /** pip's options namespace (dest -> value) after config, env and command line. */
  get values(): Readonly<Record<string, unknown>> {
    return (this.commandValues ?? this.mainValues).values;
  }

  /** Positional arguments as pip passes them to run(). */
  get args(): string[] {
    return (this.commandLine.positionals ?? []).map((p) => p.value);
  }

  /** Where each element of a dest's value came from (one entry, or one per list element). */
  sourcesOf(dest: string): SettingSource[] {
    return (this.commandValues ?? this.mainValues).sources.get(dest) ?? [];
  }

  has(dest: string): boolean {
    return dest in this.values;
  }

  private scalar<T>(dest: string): Sourced<T> | null {
    if (!this.has(dest)) return null;
    const sources = this.sourcesOf(dest);
    return { value: this.values[dest] as T, source: sources[sources.length - 1] ?? { kind: 'default' } };
  }

  private list(dest: string): Sourced<string>[] {
    const value = this.values[dest];
    if (!Array.isArray(value)) return [];
    const sources = this.sourcesOf(dest);
    return value.map((v, i) => ({ value: String(v), source: sources[i] ?? { kind: 'default' } }));
  }

  private flag(dest: string): boolean {
    return truthy(this.values[dest]);
  }

  private string(dest: string): string | null {
    const value = this.values[dest];
    return typeof value === 'string' ? value : null;
  }

  /** `--isolated` spelled exactly: user config and PIP_* were not read by the command's parser. */
  get isolated(): boolean {
    return this.commandLine.isolated;
  }

  /** options.isolated_mode (also set by an abbreviation such as `--isol`). */
  get isolatedMode(): boolean {
    return this.flag('isolated_mode');
  }

  get indexUrl(): Sourced<string> | null {
    return this.scalar<string>('index_url');
  }
  get extraIndexUrls(): Sourced<string>[] {
    return this.list('extra_index_urls');
  }
  get noIndex(): boolean {
    return this.flag('no_index');
  }
  get findLinks(): Sourced<string>[] {
    return this.list('find_links');
  }
  get trustedHosts(): Sourced<string>[] {
    return this.list('trusted_hosts');
  }
  /** `--proxy`; pip's default is '' (none). */
  get proxy(): string | null {
    return this.string('proxy') || null;
  }
  get cert(): string | null {
    return this.string('cert');
  }
  get clientCert(): string | null {
    return this.string('client_cert');
  }
  get timeout(): number | null {
    const value = this.values.timeout;
    return typeof value === 'number' ? value : null;
  }
  get retries(): number | null {
    const value = this.values.retries;
    return typeof value === 'number' ? value : null;
  }
  /** The cache directory, or null when disabled (`--no-cache-dir`, PIP_NO_CACHE_DIR=anything valid). */
  get cacheDir(): string | null {
    const value = this.values.cache_dir;
    return typeof value === 'string' && value !== '' ? value : null;
  }
  /** `--pre` (before 26.0 the only prerelease switch; from 26.0 it means `--all-releases :all:`). */
  get pre(): boolean {
    return this.flag('pre');
  }
  get preferBinary(): boolean {
    return this.flag('prefer_binary');
  }
  get formatControl(): FormatControl {
    return (this.commandValues ?? this.mainValues).formatControl;
  }
  /** pip 26.0+: --all-releases/--only-final with `--pre` folded in as pip does; null before 26.0. */
  get releaseControl(): ReleaseControl | null {
    if (!this.has('release_control')) return null;
    return (this.commandValues ?? this.mainValues).releaseControl;
  }
  /** pip 26.0+ refuses `--pre` together with --all-releases/--only-final (CommandError in run()). */
  get preConflictsWithReleaseControl(): boolean {
    const control = this.releaseControl;
    return control !== null && this.pre && (control.allReleases.length > 0 || control.onlyFinal.length > 0);
  }
  /** Whether pre-releases of `name` are allowed: true/false, or null to let the specifier decide. */
  allowsPrereleases(name: string): boolean | null {
    const control = this.releaseControl;
    if (control === null) return this.pre ? true : null;
    if (this.pre && !this.preConflictsWithReleaseControl) return true;
    return control.allowsPrereleases(name);
  }
  get requirements(): Sourced<string>[] {
    return this.list('requirements');
  }
  get constraints(): Sourced<string>[] {
    return this.list('constraints');
  }
  get editables(): Sourced<string>[] {
    return this.list('editables');
  }
  get buildConstraints(): Sourced<string>[] {
    return this.list('build_constraints');
  }
  get targetPython(): TargetPythonOptions {
    const list = (dest: string): string[] | null => (Array.isArray(this.values[dest]) ? (this.values[dest] as string[]) : null);
    const version = this.values.python_version;
    return {
      platforms: list('platforms'),
      pythonVersion: Array.isArray(version) ? (version as number[]) : null,
      implementation: this.string('implementation'),
      abis: list('abis'),
    };
  }
  get requireHashes(): boolean {
    return this.flag('require_hashes');
  }
  get ignoreDependencies(): boolean {
    return this.flag('ignore_dependencies');
  }
  /** `download -d`. */
  get downloadDir(): string | null {
    return this.string('download_dir');
  }
  /** `wheel -w`. */
  get wheelDir(): string | null {
    return this.string('wheel_dir');
  }
  /** `lock -o`. */
  get outputFile(): string | null {
    return this.string('output_file');
  }
  /** `install -t/--target`. */
  get targetDir(): string | null {
    return this.string('target_dir');
  }
  get dryRun(): boolean {
    return this.flag('dry_run');
  }
  /** `install --report` path (`-` = stdout). */
  get report(): string | null {
    return this.string('json_report_file');
  }
  get verbose(): number {
    return Number(this.values.verbose ?? 0);
  }
  get quiet(): number {
    return Number(this.values.quiet ?? 0);
  }
  /** pip's verbosity: verbose - quiet. */
  get verbosity(): number {
    return this.verbose - this.quiet;
  }
  get noInput(): boolean {
    return this.flag('no_input');
  }
  get buildIsolation(): boolean {
    return this.flag('build_isolation');
  }
}

function truthy(value: unknown): boolean {
  return value !== null && value !== undefined && value !== false && value !== 0 && value !== '';
}

/** Settings for a parsed command line. Throws PipUsageError for config/env values pip rejects. */
export function computeEffectiveSettings(input: EffectiveSettingsInput): EffectiveSettings {
  const { commandLine } = input;
  const table = input.table ?? commandLine.table;
  const mainValues = mainParserValues(input, table, commandLine.argv);
  for (const occurrence of commandLine.mainOccurrences) mainValues.applyOccurrence(occurrence);
  if (commandLine.outcome !== 'command' || commandLine.occurrences === null) {
    return new EffectiveSettings(commandLine, table, mainValues, null);
  }
  const commandValues = commandParserValues(input, table, commandLine.command!, commandLine.isolated, commandLine.argv);
  for (const occurrence of commandLine.occurrences) commandValues.applyOccurrence(occurrence);
  return new EffectiveSettings(commandLine, table, mainValues, commandValues);
}

export interface ResolveInput extends Omit<EffectiveSettingsInput, 'commandLine'> {
  argv: readonly string[];
  table: OptionTable;
  prog?: string;
}

/** Parse argv and compute the settings, reporting the error pip would report first. */
export function resolvePipInvocation(input: ResolveInput): EffectiveSettings {
  const context = { ...input, commandLine: undefined };
  mainParserValues(context, input.table, input.argv);
  let commandLine: PipCommandLine;
  try {
    commandLine = parsePipCommandLine(input.argv, input.table, { prog: input.prog ?? 'pip' });
  } catch (error) {
    // The command's parser reads config and env before its command line.
    if (error instanceof PipUsageError && error.command !== null && commandOptionSpecs(input.table, error.command) !== null) {
      commandParserValues(context, input.table, error.command, input.argv.includes('--isolated'), input.argv);
    }
    throw error;
  }
  return computeEffectiveSettings({ ...input, commandLine });
}

type Context = Omit<EffectiveSettingsInput, 'commandLine' | 'table'> & { prog?: string };

function valueContext(input: Context, table: OptionTable): ValueContext {
  return { home: input.home ?? input.env.HOME ?? '', cwd: input.cwd, pipVersion: table.pipVersion };
}

function machineDefaults(input: Context): Record<string, unknown> {
  const home = input.home ?? input.env.HOME ?? '';
  const platform = input.platform ?? 'linux';
  const srcBase = input.interpreter?.inVirtualenv === true ? input.interpreter.sysPrefix : input.cwd;
  return {
    cache_dir: defaultCacheDir({ env: input.env, platform, home }),
    src_dir: pythonJoin(srcBase, 'src'),
  };
}

function load(input: Context, isolated: boolean, argv: readonly string[]) {
  try {
    return loadConfiguration(input.configFiles, input.env, isolated);
  } catch (error) {
    if (error instanceof ConfigLoadError) {
      throw new PipUsageError('config-file', error.message, { exitCode: 2, stderr: error.message, argv });
    }
    throw error;
  }
}

function mainParserValues(input: Context, table: OptionTable, argv: readonly string[]): OptionValues {
  // The main parser always loads config and env non-isolated (it is built before --isolated is seen).
  const dictionary = load(input, false, argv);
  const values = new OptionValues(table.general, valueContext(input, table), machineDefaults(input));
  const failure = values.applyConfigItems(orderedConfigItems(dictionary, 'global'), indexFor(table, null)!);
  if (failure !== null) throw configFailure(failure, renderUsage(table.usage.main, input.prog ?? 'pip'), argv, null);
  return values;
}

function commandParserValues(input: Context, table: OptionTable, command: string, isolated: boolean, argv: readonly string[]): OptionValues {
  const dictionary = load(input, isolated, argv);
  const specs = commandOptionSpecs(table, command)!;
  const values = new OptionValues(specs, valueContext(input, table), machineDefaults(input));
  const failure = values.applyConfigItems(orderedConfigItems(dictionary, command), indexFor(table, command)!);
  const prog = `${input.prog ?? 'pip'} ${command}`;
  if (failure !== null) throw configFailure(failure, renderUsage(table.usage.commands[command] ?? [], prog), argv, command);
  return values;
}

function configFailure(failure: ConfigValueFailure, usage: string, argv: readonly string[], command: string | null): PipUsageError {
  switch (failure.kind) {
    case 'config-type':
      return new PipUsageError('config-type', failure.message, {
        exitCode: 3,
        stdout: `An error occurred during configuration: ${failure.message}\n`,
        argv,
        command,
      });
    case 'pip-crash':
      return new PipUsageError('pip-crash', failure.message, {
        exitCode: 1,
        stderr: `pip._internal.exceptions.CommandError: ${failure.message}\n`,
        argv,
        command,
      });
    default:
      return new PipUsageError(failure.kind, failure.message, { exitCode: 2, stderr: `${usage}${failure.message}\n`, argv, command });
  }
}
