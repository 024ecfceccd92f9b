// pip's Configuration object: which files and PIP_* variables it loads, the merged
// `section.key -> value` dictionary, and the order ConfigOptionParser applies the items in
// (pip/_internal/configuration.py: Configuration.load, _load_config_files, iter_config_files,
// _dictionary, get_environ_vars, _normalize_name; cli/parser.py
// _get_ordered_configuration_items). pip-behaviour.md §2.1–2.5.
//
// Reproduced: PIP_CONFIG_FILE=/dev/null skips every file; an existing PIP_CONFIG_FILE (or
// --isolated) skips the user files; --isolated skips PIP_* variables; files are parsed in pip's
// load order (PIP_CONFIG_FILE first, so its error is the one reported) but merged in precedence
// order global < user < site < PIP_CONFIG_FILE < environment; a later value keeps the key's
// first position; empty values are dropped; only `[global]`, `[<command>]` and the environment
// are used, in that order.
import type { ConfigVariant } from './config-files.js';
import { IniParseError, parseIni } from './ini.js';
import type { SettingSource } from './setting-source.js';

export interface ConfigFileContent {
  path: string;
  variant: ConfigVariant;
  /** The file's text, or null when it does not exist or cannot be read (pip then reads nothing). */
  text: string | null;
  /** os.path.exists(path); defaults to `text !== null`. A directory exists but has no text. */
  exists?: boolean;
  /** The bytes are not valid in the locale's encoding (UTF-8): pip refuses the file. */
  undecodable?: boolean;
}

export interface ConfigItem {
  /** Normalized key: lowercase, `_` -> `-`, leading `--` dropped. */
  key: string;
  value: string;
  source: SettingSource;
}

/** A config file pip refuses to load; `message` is what pip prints (exit 2, no usage). */
export class ConfigLoadError extends Error {
  readonly path: string;
  constructor(message: string, path: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConfigLoadError';
    this.path = path;
  }
}

/** configuration._normalize_name */
export function normalizeConfigKey(name: string): string {
  const lowered = name.toLowerCase().replace(/_/g, '-');
  return lowered.startsWith('--') ? lowered.slice(2) : lowered;
}

const LOAD_ORDER: readonly ConfigVariant[] = ['env', 'global', 'user', 'site'];
const OVERRIDE_ORDER: readonly (ConfigVariant | 'env-var')[] = ['global', 'user', 'site', 'env', 'env-var'];

interface Entry {
  value: string;
  source: SettingSource;
}

/** Configuration(isolated).load(): the merged dictionary, keyed `section.key`. Throws ConfigLoadError. */
export function loadConfiguration(
  files: readonly ConfigFileContent[],
  env: Readonly<Record<string, string | undefined>>,
  isolated: boolean,
): Map<string, Entry> {
  const perVariant = new Map<ConfigVariant | 'env-var', Map<string, Entry>>(OVERRIDE_ORDER.map((v) => [v, new Map()]));
  const configFile = env.PIP_CONFIG_FILE;
  if (configFile !== '/dev/null') {
    const envFile = files.find((f) => f.variant === 'env');
    const envFileExists = Boolean(configFile) && envFile !== undefined && (envFile.exists ?? envFile.text !== null);
    const skipUser = isolated || envFileExists;
    for (const variant of LOAD_ORDER) {
      if (variant === 'user' && skipUser) continue;
      for (const file of files.filter((f) => f.variant === variant)) {
        const target = perVariant.get(variant)!;
        for (const [key, entry] of readFile(file)) target.set(key, entry);
      }
    }
  }
  if (!isolated) {
    const target = perVariant.get('env-var')!;
    for (const [name, value] of Object.entries(env)) {
      if (value === undefined || !name.startsWith('PIP_')) continue;
      const short = name.slice(4).toLowerCase();
      if (short === 'version' || short === 'help') continue;
      target.set(`:env:.${normalizeConfigKey(short)}`, { value, source: { kind: 'env', name } });
    }
  }
  const merged = new Map<string, Entry>();
  for (const variant of OVERRIDE_ORDER) for (const [key, entry] of perVariant.get(variant)!) merged.set(key, entry);
  return merged;
}

function readFile(file: ConfigFileContent): Array<[string, Entry]> {
  if (file.undecodable === true) {
    throw new ConfigLoadError(`Configuration file contains invalid UTF-8 characters in ${file.path}.`, file.path);
  }
  if (file.text === null) return [];
  let sections;
  try {
    sections = parseIni(file.text, file.path);
  } catch (error) {
    if (error instanceof IniParseError) {
      throw new ConfigLoadError(`Configuration file could not be loaded.\n${error.message}\n`, file.path, { cause: error });
    }
    throw error;
  }
  const out: Array<[string, Entry]> = [];
  for (const section of sections) {
    for (const entry of section.entries) {
      const key = normalizeConfigKey(entry.key);
      out.push([
        `${section.name}.${key}`,
        {
          value: entry.value,
          source: { kind: 'config', path: file.path, variant: file.variant, section: section.name, key: entry.key, line: entry.line },
        },
      ]);
    }
  }
  return out;
}

/** _get_ordered_configuration_items for a parser named `parserName` ("global" for the main parser). */
export function orderedConfigItems(dictionary: Map<string, Entry>, parserName: string): ConfigItem[] {
  const order = ['global', parserName, ':env:'];
  const bySection = new Map<string, ConfigItem[]>(order.map((s) => [s, []]));
  for (const [sectionKey, entry] of dictionary) {
    if (entry.value === '') continue;
    const dot = sectionKey.indexOf('.');
    const section = sectionKey.slice(0, dot);
    const key = sectionKey.slice(dot + 1);
    bySection.get(section)?.push({ key, value: entry.value, source: entry.source });
  }
  return order.flatMap((section) => bySection.get(section)!);
}
