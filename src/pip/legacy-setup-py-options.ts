// pip 23.0 to 25.2: `--global-option` and `--build-option` (before 23.1 also `--install-option`)
// make pip build everything. After reading the command line, config, PIP_* variables and every
// requirements file, `install`, `download`, `wheel` and `lock` call
// req/req_install.py check_legacy_setup_py_options(options, reqs), which, when any of these
// options is set there or on a requirement line of a requirements or constraints file, calls
// options.format_control.disallow_binaries() and logs "Implying --no-binary=:all: due to the
// presence of --build-option / --global-option". That runs after every --only-binary, so the
// `--only-binary=:all:` safe-pip appends cannot undo it; the build environment receives the same
// format control, so build dependencies are built from source too. pip 25.3 removed the options.
//
// Pure: which occurrence triggers it, described for messages, or null. The pip version needs no
// check of its own: the option tables and the requirements-file parser of 25.3+ do not have the
// options at all.
import type { EffectiveSettings } from './effective-settings.js';
import { describeSource, type SettingSource } from './setting-source.js';

const COMMAND_DESTS = [
  ['global_options', '--global-option'],
  ['build_options', '--build-option'],
  ['install_options', '--install-option'],
] as const;

const LINE_DESTS: Record<string, string> = { global_options: '--global-option', install_options: '--install-option' };

/** A requirement line of a requirements/constraints file with its per-requirement options. */
export interface RequirementLineOptions {
  file: string;
  lineNumber: number;
  perRequirementOptions: Readonly<Record<string, unknown>> | null;
}

export interface LegacySetupPyOption {
  /** `--global-option`, `--build-option` or `--install-option`. */
  option: string;
  source: SettingSource;
  /** e.g. `command-line option --global-option (argument 3)`, `--global-option from environment variable PIP_GLOBAL_OPTION`. */
  description: string;
}

function present(value: unknown): boolean {
  return Array.isArray(value) ? value.length > 0 : value !== null && value !== undefined && value !== false && value !== '';
}

/** The first setting that makes pip imply `--no-binary=:all:`, or null (pip's _has_option order). */
export function legacySetupPyOption(settings: EffectiveSettings, lines: readonly RequirementLineOptions[]): LegacySetupPyOption | null {
  for (const [dest, option] of COMMAND_DESTS) {
    if (!present(settings.values[dest])) continue;
    const source = settings.sourcesOf(dest)[0] ?? { kind: 'default' as const };
    return { option, source, description: source.kind === 'cli' ? describeSource(source) : `${option} from ${describeSource(source)}` };
  }
  for (const line of lines) {
    for (const [dest, option] of Object.entries(LINE_DESTS)) {
      if (!present(line.perRequirementOptions?.[dest])) continue;
      const source: SettingSource = { kind: 'requirements-file', path: line.file, line: line.lineNumber };
      return { option, source, description: `${option} on ${describeSource(source)}` };
    }
  }
  return null;
}
