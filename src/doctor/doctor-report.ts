// Everything `safe-pip doctor` finds (issue 5 §3), as one plain object: the JSON output is this
// object, the text output is rendered from it (render-report.ts). Each check catches its own
// failures, so one broken part (no real pip, an unreadable rc file) never hides the others.
// A problem means something typed in this shell can run pip without safe-pip, or safe-pip cannot
// run at all; it makes doctor exit 1. A warning is worth knowing but protection does not depend
// on it (index offline, a pip newer than safe-pip's option tables).
import { advisoriesStatus } from '../io/advisories.js';
import { ALLOW_ENV, readSafePipConfig, unknownKeyWarning, type SafePipConfigFile } from '../cli/intercept/allow-list.js';
import { SafePipError } from '../errors.js';
import { normalizeName } from '../standards/names.js';
import { probeInterpreter } from '../io/interpreter-probe.js';
import { safePipCacheDir } from '../io/cache-dir.js';
import { findRealPip } from '../io/real-pip.js';
import { redactText } from '../io/redact-url.js';
import { selectTableVersion, TABLE_VERSIONS } from '../pip/option-table.js';
import { commandRoutes, rcOnlyIntegration, tildePath, type CommandRoute } from './command-routes.js';
import { checkIndex, type IndexCheck } from './index-check.js';
import { summarizePipSettings, type ConfigFileState } from './pip-configuration.js';
import { shownVariables, type ShownVariable } from './pip-variables.js';
import { SHELL_STATE_VARIABLE } from './loaded-integration.js';
import { parentProcessName, readShellIntegrationState, type ShellIntegrationState } from './shell-state.js';

export interface Finding {
  message: string;
  /** What to do about it. */
  fix: string | null;
}

export type OptionTableStatus = 'exact' | 'nearest-older' | 'newer-than-known' | 'older-than-known';

export interface DoctorReport {
  /** No problems: everything found routes through safe-pip. */
  ok: boolean;
  commands: CommandRoute[];
  shellIntegration: ShellIntegrationState;
  realPip: {
    path: string | null;
    error: string | null;
    python: string | null;
    pythonVersion: string | null;
    pipVersion: string | null;
    virtualenv: boolean | null;
  };
  optionTable: { status: OptionTableStatus; tableVersion: string; knownVersions: readonly string[] } | null;
  configFiles: ConfigFileState[];
  /** PIP_CONFIG_FILE=/dev/null: pip reads no config file. */
  configDisabled: boolean;
  pipVariables: ShownVariable[];
  safePipVariables: ShownVariable[];
  /** safe-pip's own config.toml files and the projects allowed to build, each with its source. */
  safePipConfig: SafePipConfigState;
  index: {
    /** `--offline`: no index was asked anything. */
    offline: boolean;
    /** Index URL and where it was set; null for --no-index or when it could not be worked out. */
    url: string | null;
    source: string | null;
    check: IndexCheck | null;
    extraIndexes: IndexCheck[];
    findLinks: string[];
  };
  cache: { safePip: string; pip: string | null };
  /** The offline malware records (`safe-pip update-advisories`): where, how many, written when; null when none. */
  advisories: { path: string; records: number; updatedAt: string } | null;
  problems: Finding[];
  warnings: Finding[];
}

export interface AllowedBuild {
  /** The project name, normalized. */
  project: string;
  /** As the entry wrote it. */
  written: string;
  /** The config file's path, or SAFE_PIP_ALLOW_BUILD. */
  source: string;
}

export interface SafePipConfigState {
  files: SafePipConfigFile[];
  /** Why the files could not be read (then safe-pip fails every intercepted command); null when fine. */
  error: string | null;
  /** In the order safe-pip reads them: system file, user file, SAFE_PIP_ALLOW_BUILD. */
  allowBuild: AllowedBuild[];
}

export interface DoctorOptions {
  env: NodeJS.ProcessEnv;
  /** The launcher's hand-off (CliContext.realPipHandOff). */
  realPipHandOff?: string | undefined;
  /** Name of the parent process (see shell-state.ts); default: read from /proc. */
  parentProcess?: string | null;
  /** Whether a process is the shell that started doctor (loaded-integration.ts); default: read from /proc. */
  startedBy?: (pid: number) => boolean | null;
  cwd?: string;
  /** Skip the network check (`--offline`, and tests of other parts). */
  skipIndexCheck?: boolean;
  indexTimeoutSeconds?: number;
}

const SETUP_FIX = 'run `safe-pip setup` (shell functions for pip, pip3 and python -m pip) and open a new terminal';
const CI_FIX = 'in CI and other shells that read no rc file, `eval "$(safe-pip setup --ci)"` puts safe-pip shims first on PATH';

function disabled(env: NodeJS.ProcessEnv): boolean {
  const value = env.SAFE_PIP_DISABLE;
  return value !== undefined && value !== '' && value !== '0';
}

function loadFix(rcFile: string, env: NodeJS.ProcessEnv): string {
  const rc = tildePath(rcFile, env);
  return `${rc} has the integration but this shell has not loaded it: open a new terminal, or run \`source ${rc}\` in this one (doctor sees that a shell has loaded the integration only when started as \`safe-pip doctor\` in it; shells that do not read ${rc}, such as \`bash -c\` scripts, need \`safe-pip setup --ci\` shims)`;
}

function routeFindings(report: DoctorReport, env: NodeJS.ProcessEnv): void {
  const shell = report.shellIntegration;
  if (shell.kind === 'damaged') {
    report.problems.push({ message: `the shell integration is damaged: ${shell.damage}`, fix: 'fix or delete the safe-pip lines by hand, then run `safe-pip setup`' });
  }
  if ((shell.kind === 'block' || shell.loaded !== null) && shell.launcherProblem !== null) {
    const where = shell.loaded !== null ? `loaded in this ${shell.loaded.shell}` : `in ${tildePath(shell.rcFile!, env)}`;
    report.problems.push({
      message: `the shell integration ${where} cannot start safe-pip (${shell.launcherProblem}); its functions run the real pip with a warning`,
      fix: 'run `safe-pip setup` again from the safe-pip you use now (it rewrites the block), or `safe-pip teardown`',
    });
  }
  if (shell.loadedIgnored !== null) report.warnings.push({ message: shell.loadedIgnored, fix: null });
  if (shell.loaded !== null && shell.kind === 'none' && shell.rcFile !== null) {
    report.warnings.push({
      message: `this ${shell.loaded.shell} has loaded safe-pip's shell integration, but ${tildePath(shell.rcFile, env)} does not hold it: new shells will not have it`,
      fix: `run \`safe-pip setup --shell ${shell.loaded.shell}\``,
    });
  }
  const notLoaded = rcOnlyIntegration(shell);
  const fixFor = (routes: CommandRoute[], usual: string): string => {
    if (routes.every((r) => r.via === 'other-function')) {
      return 'remove that function (`unset -f NAME` in bash or zsh, `functions -e NAME` in fish) so safe-pip\'s own can run, or run `safe-pip setup` after the line that defines it';
    }
    return notLoaded ? loadFix(shell.rcFile!, env) : usual;
  };
  const unprotected = report.commands.filter((route) => route.status === 'unprotected');
  const viaPath = unprotected.filter((route) => route.command === 'pip' || route.command === 'pip3');
  const viaPython = unprotected.filter((route) => route.command !== 'pip' && route.command !== 'pip3');
  if (viaPath.length > 0) {
    report.problems.push({
      message: `${viaPath.map((r) => `\`${r.command}\` ${r.detail}`).join('; ')}, without safe-pip`,
      fix: fixFor(viaPath, `${SETUP_FIX}; ${CI_FIX}`),
    });
  }
  if (viaPython.length > 0) {
    report.problems.push({
      message: `${viaPython.map((r) => `\`${r.command}\` ${r.detail}`).join('; ')}, without safe-pip`,
      fix: fixFor(viaPython, `${SETUP_FIX}; a PATH shim cannot catch \`python -m pip\`, so in CI call \`pip\` instead (or set PIP_ONLY_BINARY=:all: as a second layer)`),
    });
  }
  for (const route of report.commands.filter((r) => r.status === 'partial')) {
    const fix = route.via === 'alias' ? `make sure the alias runs \`${route.command.split(' ')[0]}\` itself (then safe-pip's function), or remove it` : notLoaded ? loadFix(shell.rcFile!, env) : SETUP_FIX;
    report.warnings.push({ message: `\`${route.command}\` ${route.detail}`, fix });
  }
  if (disabled(env)) {
    report.problems.push({
      message: `SAFE_PIP_DISABLE=${env.SAFE_PIP_DISABLE} is set: safe-pip passes every command to the real pip untouched`,
      fix: 'unset SAFE_PIP_DISABLE',
    });
  }
}

/** safe-pip's own configuration; its findings go into `report`. */
function safePipConfigState(report: DoctorReport, env: NodeJS.ProcessEnv): SafePipConfigState {
  const state: SafePipConfigState = { files: [], error: null, allowBuild: [] };
  const allow = (written: string, source: string): void => {
    const project = normalizeName(written.trim());
    if (project !== '') state.allowBuild.push({ project, written, source });
  };
  try {
    state.files = readSafePipConfig(env);
  } catch (error) {
    if (!(error instanceof SafePipError)) throw error;
    state.error = error.message;
    report.problems.push({ message: error.message, fix: error.hint ?? 'fix or remove the file' });
  }
  for (const file of state.files) {
    for (const name of file.allowBuild) allow(name, file.path);
    for (const unknown of file.unknownKeys) {
      report.warnings.push({
        message: unknownKeyWarning(file.path, unknown).replace(/^warning: /, ''),
        fix: unknown.suggestion === null ? 'remove it' : `rename it to "${unknown.suggestion}"`,
      });
    }
  }
  for (const name of (env[ALLOW_ENV] ?? '').split(/[\s,]+/)) allow(name, ALLOW_ENV);
  return state;
}

/** How safe-pip's option tables cover a pip version; null when the version cannot be read. */
export function optionTableStatus(pipVersion: string): DoctorReport['optionTable'] {
  try {
    const selection = selectTableVersion(pipVersion);
    const status: OptionTableStatus = selection.exact
      ? 'exact'
      : selection.newerThanNewest
        ? 'newer-than-known'
        : selection.olderThanOldest
          ? 'older-than-known'
          : 'nearest-older';
    return { status, tableVersion: selection.tableVersion, knownVersions: TABLE_VERSIONS };
  } catch {
    return null;
  }
}

export async function collectDoctorReport(options: DoctorOptions): Promise<DoctorReport> {
  const env = options.env;
  const shellIntegration = readShellIntegrationState(
    env,
    options.parentProcess === undefined ? parentProcessName() : options.parentProcess,
    options.startedBy,
  );
  const report: DoctorReport = {
    ok: true,
    commands: commandRoutes(env, shellIntegration),
    shellIntegration,
    realPip: { path: null, error: null, python: null, pythonVersion: null, pipVersion: null, virtualenv: null },
    optionTable: null,
    configFiles: [],
    configDisabled: env.PIP_CONFIG_FILE === '/dev/null',
    pipVariables: shownVariables(env, 'PIP_'),
    // The shell's state is doctor's input (reported under shellIntegration), not a setting.
    safePipVariables: shownVariables(env, 'SAFE_PIP_').filter((v) => v.name !== SHELL_STATE_VARIABLE),
    safePipConfig: { files: [], error: null, allowBuild: [] },
    index: { offline: options.skipIndexCheck === true, url: null, source: null, check: null, extraIndexes: [], findLinks: [] },
    cache: { safePip: safePipCacheDir(env), pip: null },
    advisories: null,
    problems: [],
    warnings: [],
  };
  routeFindings(report, env);
  report.safePipConfig = safePipConfigState(report, env);
  const advisories = await advisoriesStatus(report.cache.safePip);
  report.advisories = advisories === null ? null : { path: advisories.path, records: advisories.records, updatedAt: advisories.updatedAt };

  try {
    report.realPip.path = await findRealPip({ env, handOff: options.realPipHandOff });
  } catch (error) {
    if (!(error instanceof SafePipError)) throw error;
    report.realPip.error = error.message;
    report.problems.push({ message: `safe-pip has no real pip to run: ${error.message}`, fix: error.hint ?? null });
  }
  const realPip = report.realPip.path;
  if (realPip !== null) {
    try {
      const facts = await probeInterpreter(realPip, { env });
      report.realPip.python = facts.executable;
      report.realPip.pythonVersion = facts.pythonVersion.join('.');
      report.realPip.pipVersion = facts.pipVersion;
      report.realPip.virtualenv = facts.prefix !== facts.basePrefix;
      report.optionTable = optionTableStatus(facts.pipVersion);
      const table = report.optionTable;
      if (table?.status === 'newer-than-known') {
        report.warnings.push({
          message: `pip ${facts.pipVersion} is newer than every pip safe-pip knows (newest: ${table.tableVersion}); safe-pip reads its command line with pip ${table.tableVersion}'s options, so options added since are unknown to it`,
          fix: 'update safe-pip (`npm install -g safe-pip@latest`)',
        });
      } else if (table?.status === 'older-than-known') {
        report.warnings.push({
          message: `pip ${facts.pipVersion} is older than every pip safe-pip knows (oldest: ${table.tableVersion}); safe-pip reads its command line with pip ${table.tableVersion}'s options`,
          fix: `upgrade pip (\`${realPip} install -U pip\`)`,
        });
      }
      const settings = await summarizePipSettings(facts, env, options.cwd ?? process.cwd());
      report.configFiles = settings.configFiles;
      report.cache.pip = settings.pipCacheDir;
      report.index.findLinks = settings.findLinks.map((f) => redactText(f.url));
      if (settings.settingsError !== null) {
        report.warnings.push({ message: `pip would reject its configuration: ${redactText(settings.settingsError)}`, fix: 'fix the config file or PIP_* variable it names' });
      }
      for (const file of settings.configFiles) {
        if (file.exists && file.note !== null && !file.note.startsWith('skipped')) {
          report.warnings.push({ message: `pip config file ${file.path}: ${file.note}`, fix: null });
        }
      }
      if (settings.indexUrl !== null) {
        report.index.url = redactText(settings.indexUrl.url);
        report.index.source = settings.indexUrl.source;
      }
      if (!options.skipIndexCheck) {
        const checkOptions = {
          env,
          proxy: settings.proxy,
          trustedHosts: settings.trustedHosts,
          cert: settings.cert,
          clientCert: settings.clientCert,
          timeoutSeconds: options.indexTimeoutSeconds,
        };
        const [main, ...extras] = await Promise.all(
          [settings.indexUrl, ...settings.extraIndexUrls].map((setting) => (setting === null ? null : checkIndex(setting.url, checkOptions))),
        );
        report.index.check = main ?? null;
        report.index.extraIndexes = extras.filter((c): c is IndexCheck => c !== null);
        for (const check of [report.index.check, ...report.index.extraIndexes]) {
          if (check !== null && check.status !== 'answers') {
            report.warnings.push({
              message: `the index ${check.url} ${check.status === 'unreachable' ? 'is unreachable' : 'answered with an error'}: ${check.detail}`,
              fix: check.status === 'refuses' ? 'check the credentials for this index (in its URL, ~/.netrc or keyring)' : 'check the network, proxy and index URL (offline is fine for safe-pip itself)',
            });
          }
        }
      }
    } catch (error) {
      if (!(error instanceof SafePipError)) throw error;
      report.realPip.error = error.message;
      report.problems.push({ message: `safe-pip cannot ask the real pip ${realPip} about itself: ${error.message}`, fix: error.hint ?? 'point SAFE_PIP_REAL_PIP=/path/to/pip at a working pip' });
    }
  }
  report.ok = report.problems.length === 0;
  return report;
}
