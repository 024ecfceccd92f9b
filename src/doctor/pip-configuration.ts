// Which pip configuration files exist and are in force, in pip's order, and the settings doctor
// needs from them (index URLs, find-links, pip's cache directory): the same computation safe-pip
// makes for a real run (src/pip/config-files.ts, src/pip/effective-settings.ts), done for a
// `pip download` with no other arguments. pip-behaviour.md §2.1: PIP_CONFIG_FILE=/dev/null reads
// no file; an existing PIP_CONFIG_FILE makes pip skip the user files.
import { existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { readPipConfigFiles } from '../io/pip-config-files.js';
import { configFilesFor, systemConfigRoot, type ConfigVariant } from '../pip/config-files.js';
import { resolvePipInvocation } from '../pip/effective-settings.js';
import { optionTableFor } from '../pip/option-table.js';
import { PipUsageError } from '../pip/pip-usage-error.js';
import { describeSource } from '../pip/setting-source.js';
import type { InterpreterFacts } from '../standards/interpreter-facts.js';

export interface ConfigFileState {
  path: string;
  variant: ConfigVariant;
  /** Why pip looks there. */
  origin: string;
  exists: boolean;
  /** pip reads it for this environment. */
  inForce: boolean;
  /** Why an existing file is not read, or what is wrong with it. */
  note: string | null;
}

export interface IndexSetting {
  url: string;
  /** Where it was set: "pip's default", "environment variable PIP_INDEX_URL", a config line. */
  source: string;
}

export interface PipSettingsSummary {
  configFiles: ConfigFileState[];
  /** pip reads no config file at all (PIP_CONFIG_FILE=/dev/null). */
  configDisabled: boolean;
  /** null when --no-index is in force. */
  indexUrl: IndexSetting | null;
  extraIndexUrls: IndexSetting[];
  findLinks: IndexSetting[];
  /** pip's own cache directory; null when caching is off. */
  pipCacheDir: string | null;
  proxy: string | null;
  trustedHosts: string[];
  /** `--cert` / `--client-cert` paths. */
  cert: string | null;
  clientCert: string | null;
  /** A config file or PIP_* value pip would reject (it would fail with this message). */
  settingsError: string | null;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

export async function summarizePipSettings(facts: InterpreterFacts, env: NodeJS.ProcessEnv, cwd: string): Promise<PipSettingsSummary> {
  const home = env.HOME || homedir();
  const platform = process.platform === 'darwin' ? 'darwin' : 'linux';
  const locations = configFilesFor({ env, platform, home, sysPrefix: facts.prefix, pipVersion: facts.pipVersion, directoryExists: isDirectory, etcDir: systemConfigRoot(env) });
  const contents = await readPipConfigFiles(locations);
  const configFile = env.PIP_CONFIG_FILE;
  const envFileExists = Boolean(configFile) && configFile !== '/dev/null' && existsSync(configFile!);
  const configFiles = locations.map((location, i): ConfigFileState => {
    const content = contents[i]!;
    const exists = content.exists ?? content.text !== null;
    let note: string | null = null;
    if (exists && location.variant === 'user' && envFileExists) note = 'skipped: PIP_CONFIG_FILE names an existing file';
    else if (content.undecodable === true) note = 'pip refuses it: not valid UTF-8';
    else if (exists && content.text === null) note = 'not readable (pip reads nothing from it)';
    return { path: location.path, variant: location.variant, origin: location.origin, exists, inForce: exists && note === null, note };
  });

  const summary: PipSettingsSummary = {
    configFiles,
    configDisabled: configFile === '/dev/null',
    indexUrl: null,
    extraIndexUrls: [],
    findLinks: [],
    pipCacheDir: null,
    proxy: null,
    trustedHosts: [],
    cert: null,
    clientCert: null,
    settingsError: null,
  };
  try {
    const { table } = await optionTableFor(facts.pipVersion);
    const settings = resolvePipInvocation({
      argv: ['download'],
      table,
      env,
      configFiles: contents,
      cwd,
      home,
      platform,
      interpreter: { sysPrefix: facts.prefix, inVirtualenv: facts.prefix !== facts.basePrefix },
    });
    const shown = (item: { value: string; source: Parameters<typeof describeSource>[0] }): IndexSetting => ({
      url: item.value,
      source: describeSource(item.source),
    });
    const index = settings.indexUrl;
    summary.indexUrl = settings.noIndex || index === null ? null : shown(index);
    summary.extraIndexUrls = settings.noIndex ? [] : settings.extraIndexUrls.map(shown);
    summary.findLinks = settings.findLinks.map(shown);
    summary.pipCacheDir = settings.cacheDir;
    summary.proxy = settings.proxy;
    summary.trustedHosts = settings.trustedHosts.map((t) => t.value);
    summary.cert = settings.cert;
    summary.clientCert = settings.clientCert;
  } catch (error) {
    if (!(error instanceof PipUsageError)) throw error;
    summary.settingsError = (error.stderr || error.stdout || error.message).trim().split('\n').pop() ?? error.message;
  }
  return summary;
}
