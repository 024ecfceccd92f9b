// Where pip looks for its configuration files, and in which order they take effect
// (pip/_internal/configuration.py: get_configuration_files, Configuration.iter_config_files,
// _load_config_files; pip/_internal/utils/appdirs.py; platformdirs unix/macos). See
// ../../../shared/reference/pip-behaviour.md §2.1.
//
// Supported: Linux/Unix and macOS. Windows is not (safe-pip does not run there).
// Pure: the caller gives the environment, the home directory, sys.prefix of the real pip's
// interpreter and pip's version; whether a directory exists (macOS only) is asked through a
// callback. Verified on Linux against pip 23.0.1/23.2.1; the macOS rules, including the XDG
// handling pip 26.2 added, are read from pip's source and not measured.
import { comparePipVersions, parsePipVersion } from './option-table.js';
import { pythonExpanduser, pythonJoin } from './python-paths.js';

export type ConfigVariant = 'global' | 'user' | 'site' | 'env';

export interface ConfigFileLocation {
  path: string;
  variant: ConfigVariant;
  /** Why this file is in the list, for `explain` (e.g. "XDG_CONFIG_DIRS", "legacy ~/.pip"). */
  origin: string;
}

export interface ConfigFilesInput {
  env: Readonly<Record<string, string | undefined>>;
  platform: 'linux' | 'darwin' | (string & {});
  /** $HOME as Python's expanduser sees it. */
  home: string;
  /** sys.prefix of the interpreter that runs pip (the venv root inside a venv). */
  sysPrefix: string;
  pipVersion: string;
  /** macOS only: does this directory exist (pip picks the user config dir by existence). */
  directoryExists?: (path: string) => boolean;
  /**
   * The folder read as `/etc` (pip's fixed `/etc/pip.conf` and the `/etc/xdg` default). Only tests
   * change it, through SAFE_PIP_ETC_DIR (systemConfigRoot), so the machine's own files stay out.
   */
  etcDir?: string;
}

const BASENAME = 'pip.conf';

/**
 * Every file pip would consider, in precedence order (a later file overrides an earlier one for the
 * same `section.key`): global files, user files (legacy first), site file, then PIP_CONFIG_FILE.
 * `PIP_CONFIG_FILE=/dev/null` gives an empty list: pip then reads no file at all.
 * User files are always listed; pip skips them when PIP_CONFIG_FILE names an existing path or
 * under `--isolated` — computeEffectiveSettings applies both rules, because existence is I/O.
 */
export function configFilesFor(input: ConfigFilesInput): ConfigFileLocation[] {
  const { env } = input;
  const configFile = env.PIP_CONFIG_FILE;
  if (configFile === '/dev/null') return [];
  const files: ConfigFileLocation[] = [
    ...globalFiles(input),
    {
      path: pythonJoin(pythonExpanduser('~', input.home), '.pip', BASENAME),
      variant: 'user',
      origin: 'legacy ~/.pip',
    },
    { path: pythonJoin(userConfigDir(input), BASENAME), variant: 'user', origin: 'user config dir' },
    { path: pythonJoin(input.sysPrefix, BASENAME), variant: 'site', origin: 'sys.prefix' },
  ];
  if (configFile !== undefined) files.push({ path: configFile, variant: 'env', origin: 'PIP_CONFIG_FILE' });
  return files;
}

/**
 * The folder that stands for `/etc` where safe-pip reads system-wide files (pip's and its own):
 * SAFE_PIP_ETC_DIR when set, for hermetic tests; `/etc` otherwise. pip itself always reads /etc.
 */
export function systemConfigRoot(env: ConfigFilesInput['env']): string {
  return envDir(env, 'SAFE_PIP_ETC_DIR') ?? '/etc';
}

function atLeast(pipVersion: string, version: string): boolean {
  return comparePipVersions(parsePipVersion(pipVersion), parsePipVersion(version)) >= 0;
}

/** platformdirs' multipath rule: split on ":", expand `~` in each, append "pip". */
function multiPath(value: string, home: string): string[] {
  return value.split(':').map((p) => pythonJoin(pythonExpanduser(p, home), 'pip'));
}

function envDir(env: ConfigFilesInput['env'], name: string): string | null {
  const value = env[name] ?? '';
  return value.trim() === '' ? null : value;
}

function globalFiles(input: ConfigFilesInput): ConfigFileLocation[] {
  const { env, home } = input;
  if (input.platform === 'darwin') {
    const xdg = atLeast(input.pipVersion, '26.2') ? envDir(env, 'XDG_DATA_DIRS') : null;
    const dirs = xdg !== null ? multiPath(xdg, home) : ['/Library/Application Support/pip'];
    return dirs.map((dir) => ({ path: pythonJoin(dir, BASENAME), variant: 'global', origin: xdg ? 'XDG_DATA_DIRS' : 'macOS' }));
  }
  const etc = input.etcDir ?? '/etc';
  const xdg = envDir(env, 'XDG_CONFIG_DIRS');
  const dirs = multiPath(xdg ?? pythonJoin(etc, 'xdg'), home);
  return [
    ...dirs.map((dir) => ({
      path: pythonJoin(dir, BASENAME),
      variant: 'global' as const,
      origin: xdg !== null ? 'XDG_CONFIG_DIRS' : 'XDG default /etc/xdg',
    })),
    { path: pythonJoin(etc, BASENAME), variant: 'global', origin: '/etc' },
  ];
}

function userConfigDir(input: ConfigFilesInput): string {
  const { env, home } = input;
  if (input.platform === 'darwin') {
    const exists = input.directoryExists ?? (() => false);
    if (atLeast(input.pipVersion, '26.2')) {
      const xdgData = envDir(env, 'XDG_DATA_HOME');
      if (xdgData !== null && exists(pythonJoin(xdgData, 'pip'))) return pythonJoin(xdgData, 'pip');
    }
    const appSupport = pythonJoin(pythonExpanduser('~/Library/Application Support', home), 'pip');
    if (exists(appSupport)) return appSupport;
    return pythonExpanduser('~/.config/pip', home);
  }
  const xdg = envDir(env, 'XDG_CONFIG_HOME');
  return pythonJoin(xdg ?? pythonExpanduser('~/.config', home), 'pip');
}

/** pip's default cache directory (platformdirs user_cache_dir("pip")), for `cacheDir` defaults. */
export function defaultCacheDir(input: Pick<ConfigFilesInput, 'env' | 'platform' | 'home'>): string {
  if (input.platform === 'darwin') return pythonExpanduser('~/Library/Caches/pip', input.home);
  const xdg = envDir(input.env, 'XDG_CACHE_HOME');
  return pythonJoin(xdg ?? pythonExpanduser('~/.cache', input.home), 'pip');
}
