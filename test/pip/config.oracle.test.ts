// Differential test of configuration and environment handling: each case writes its own config
// files (user XDG file, legacy ~/.pip file, a global file through XDG_CONFIG_DIRS, a
// PIP_CONFIG_FILE file), sets HOME/XDG_* into its own directory and an explicit PIP_* set, then
// pip's own parser (both pip versions on the machine) and safe-pip compute the options, or the
// error. /etc/pip.conf of the machine, if any, is read by both sides alike.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPipConfigFiles } from '../../src/io/pip-config-files.js';
import { configFilesFor } from '../../src/pip/config-files.js';
import { optionTableFor } from '../../src/pip/option-table.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { expectSameAsPip, runOurs } from './compare.js';
import { PYTHONS, pythonPrefix, runPipOracle } from './oracle/run-oracle.js';

interface ConfigCase {
  name: string;
  argv: string[];
  env?: Record<string, string>;
  /** ~/.config/pip/pip.conf (through XDG_CONFIG_HOME) */
  user?: string;
  /** ~/.pip/pip.conf */
  legacy?: string;
  /** $XDG_CONFIG_DIRS/pip/pip.conf */
  global?: string;
  /** PIP_CONFIG_FILE: file text, or a special value */
  configFile?: string | { missing: true } | { devnull: true } | { bytes: number[] };
}

const I = ['install', 'x'];

const CASES: ConfigCase[] = [
  { name: '[install] beats [global]', argv: I, user: '[global]\nindex-url = http://g\n[install]\nindex-url = http://i\n' },
  { name: '[install] ignored by download', argv: ['download', 'x'], user: '[global]\nindex-url = http://g\n[install]\nindex-url = http://i\n' },
  { name: 'env beats [install]', argv: I, env: { PIP_INDEX_URL: 'http://e' }, user: '[install]\nindex-url = http://i\n' },
  { name: 'CLI beats env', argv: ['install', '-i', 'http://c', 'x'], env: { PIP_INDEX_URL: 'http://e' } },
  { name: 'CLI appends on top of env list', argv: ['install', '-f', 'c', 'x'], env: { PIP_FIND_LINKS: 'a b' } },
  { name: 'config lists replace each other', argv: I, user: '[global]\nfind-links = m1 m2\n[install]\nfind-links = m3\n' },
  { name: 'multi-line list', argv: I, user: '[global]\nfind-links =\n    m1\n    m2\n' },
  { name: 'env list replaces config list', argv: ['install', '-f', 'z', 'x'], env: { PIP_FIND_LINKS: 'e1' }, user: '[global]\nfind-links = m1\n' },
  { name: '--isolated ignores env and user file', argv: ['install', '--isolated', 'x'], env: { PIP_INDEX_URL: 'http://e' }, user: '[global]\ntimeout = 9\n' },
  { name: '--isol does not', argv: ['install', '--isol', 'x'], env: { PIP_INDEX_URL: 'http://e' }, user: '[global]\ntimeout = 9\n' },
  { name: '--isolated before the command', argv: ['--isolated', 'install', 'x'], env: { PIP_RETRIES: '2' } },
  { name: 'PIP_CONFIG_FILE=/dev/null skips files, keeps env', argv: I, env: { PIP_TIMEOUT: '7' }, user: '[global]\nindex-url = http://u\n', configFile: { devnull: true } },
  { name: 'missing PIP_CONFIG_FILE keeps user files', argv: I, user: '[global]\nretries = 9\n', configFile: { missing: true } },
  { name: 'existing PIP_CONFIG_FILE skips user files', argv: I, user: '[global]\nretries = 9\n', configFile: '[global]\ntimeout = 5\n' },
  { name: 'PIP_CONFIG_FILE beats global file', argv: I, global: '[global]\ntimeout = 1\nretries = 1\n', configFile: '[global]\ntimeout = 2\n' },
  { name: '--isolated still reads PIP_CONFIG_FILE', argv: ['install', '--isolated', 'x'], env: { PIP_RETRIES: '8' }, configFile: '[global]\ntimeout = 2\n' },
  { name: 'user file beats global file', argv: I, global: '[global]\nindex-url = http://g\ntimeout = 3\n', user: '[global]\nindex-url = http://u\n' },
  { name: 'XDG user file beats legacy', argv: I, legacy: '[global]\nindex-url = http://legacy\nretries = 2\n', user: '[global]\nindex-url = http://xdg\n' },
  { name: 'PIP_NO_BUILD_ISOLATION=no disables isolation', argv: I, env: { PIP_NO_BUILD_ISOLATION: 'no' } },
  { name: 'PIP_NO_BUILD_ISOLATION=yes keeps it', argv: I, env: { PIP_NO_BUILD_ISOLATION: 'yes' } },
  { name: 'PIP_NO_CACHE_DIR=false disables the cache', argv: I, env: { PIP_NO_CACHE_DIR: 'false' } },
  { name: 'PIP_NO_CACHE_DIR beats PIP_CACHE_DIR', argv: I, env: { PIP_NO_CACHE_DIR: '1', PIP_CACHE_DIR: '/x' } },
  { name: 'PIP_CACHE_DIR then --no-cache-dir', argv: ['install', '--no-cache-dir', 'x'], env: { PIP_CACHE_DIR: '/x' } },
  { name: 'PIP_NO_CACHE_DIR invalid', argv: I, env: { PIP_NO_CACHE_DIR: 'maybe' } },
  { name: 'PIP_VERBOSE=3 and -q', argv: ['install', '-q', 'x'], env: { PIP_VERBOSE: '3' } },
  { name: 'PIP_VERBOSE=yes', argv: I, env: { PIP_VERBOSE: 'yes' } },
  { name: 'PIP_VERBOSE=-1', argv: I, env: { PIP_VERBOSE: '-1' } },
  { name: 'PIP_VERBOSE=abc', argv: I, env: { PIP_VERBOSE: 'abc' } },
  { name: 'PIP_QUIET= 2 ', argv: ['install', '-q', 'x'], env: { PIP_QUIET: ' 2 ' } },
  { name: 'PIP_ONLY_BINARY="a b" is one name', argv: I, env: { PIP_ONLY_BINARY: 'a b' } },
  { name: 'PIP_ONLY_BINARY="a,b"', argv: I, env: { PIP_ONLY_BINARY: 'a,B_c' } },
  { name: 'PIP_NO_BINARY=:all: then CLI --only-binary :all:', argv: ['install', '--only-binary', ':all:', 'x'], env: { PIP_NO_BINARY: ':all:' } },
  { name: 'PIP_ONLY_BINARY=:all: then CLI --no-binary foo', argv: ['install', '--no-binary', 'foo', 'x'], env: { PIP_ONLY_BINARY: ':all:' } },
  { name: '[global] only-binary + [install] no-binary', argv: I, user: '[global]\nonly-binary = :all:\n[install]\nno-binary = foo\n' },
  { name: 'config, env and CLI format control', argv: ['install', '--no-binary', 'bar', 'x'], env: { PIP_ONLY_BINARY: ':all:' }, user: '[global]\nno-binary = foo\n' },
  { name: 'format control order inside a section', argv: I, user: '[install]\nno-binary = :all:\nonly-binary = x\n' },
  { name: 'format control env order 1', argv: I, env: { PIP_ONLY_BINARY: ':all:', PIP_NO_BINARY: 'foo' } },
  { name: 'format control env order 2', argv: I, env: { PIP_NO_BINARY: 'foo', PIP_ONLY_BINARY: ':all:' } },
  { name: 'format control across files', argv: ['install', '--only-binary', 'z', 'x'], global: '[global]\nno-binary = :all:\n', user: '[install]\nonly-binary = a\n' },
  { name: 'only-binary value starting with -', argv: I, env: { PIP_ONLY_BINARY: '-x' } },
  { name: 'PIP_TIMEOUT=abc', argv: I, env: { PIP_TIMEOUT: 'abc' } },
  { name: '[install] timeout = abc', argv: I, user: '[install]\ntimeout = abc\n' },
  { name: 'PIP_RETRIES=1.5', argv: I, env: { PIP_RETRIES: '1.5' } },
  { name: 'PIP_RETRIES=0x10', argv: I, env: { PIP_RETRIES: '0x10' } },
  { name: 'PIP_NO_DEPS=maybe', argv: I, env: { PIP_NO_DEPS: 'maybe' } },
  { name: 'PIP_NO_INPUT=maybe (main parser)', argv: I, env: { PIP_NO_INPUT: 'maybe' } },
  { name: 'PIP_PROGRESS_BAR=fancy', argv: I, env: { PIP_PROGRESS_BAR: 'fancy' } },
  { name: 'PIP_EXISTS_ACTION="s x"', argv: I, env: { PIP_EXISTS_ACTION: 's x' } },
  { name: 'PIP_EXISTS_ACTION="s i"', argv: I, env: { PIP_EXISTS_ACTION: 's i' } },
  { name: 'alias PIP_PYPI_URL', argv: I, env: { PIP_PYPI_URL: 'http://alias' } },
  { name: 'alias PIP_NO_DEPENDENCIES', argv: I, env: { PIP_NO_DEPENDENCIES: '1' } },
  { name: 'alias PIP_DEFAULT_TIMEOUT', argv: I, env: { PIP_DEFAULT_TIMEOUT: '9' } },
  { name: 'short and abbreviated env names are ignored', argv: I, env: { PIP_I: 'http://i', PIP_INDEX: 'http://x' } },
  { name: 'empty env value ignored', argv: I, env: { PIP_INDEX_URL: '' } },
  { name: 'key normalization', argv: I, user: '[global]\nINDEX_URL = http://u\n--retries = 4\n' },
  { name: 'short key ignored', argv: I, user: '[global]\ni = http://short\n' },
  { name: 'target in [global] ignored by download', argv: ['download', 'x'], user: '[global]\ntarget = t\n' },
  { name: 'target in [global] used by install', argv: I, user: '[global]\ntarget = t\n' },
  { name: 'duplicate section', argv: I, user: '[global]\na = 1\n[global]\nb = 2\n' },
  { name: 'duplicate key', argv: I, user: '[global]\ntimeout = 1\nTimeout = 2\n' },
  { name: 'missing section header', argv: I, user: 'timeout = 1\n' },
  { name: 'parsing errors', argv: I, user: '[global]\ntimeout = 1\nno delimiter here\n= novalue\n' },
  { name: '[DEFAULT] merged into sections', argv: I, user: '[DEFAULT]\ntimeout = 4\n[global]\n' },
  { name: 'comments and blank lines in values', argv: I, user: '# c\n; c\n[global]\nextra-index-url =\n  a\n\n  # inner\n  b\nretries: 3\n' },
  { name: 'PIP_PYTHON_VERSION invalid', argv: I, env: { PIP_PYTHON_VERSION: '3.a' } },
  { name: 'PIP_PYTHON_VERSION=37', argv: I, env: { PIP_PYTHON_VERSION: '37' } },
  { name: 'PIP_CONFIG_SETTINGS plus -C', argv: ['install', '--config-settings', 'a=c', 'x'], env: { PIP_CONFIG_SETTINGS: 'a=b' } },
  { name: 'PIP_CONFIG_SETTINGS without =', argv: I, env: { PIP_CONFIG_SETTINGS: 'nokey' } },
  { name: 'PIP_SRC relative', argv: I, env: { PIP_SRC: 'rel/dir' } },
  { name: 'PIP_USER=yes then --no-user', argv: ['install', '--no-user', 'x'], env: { PIP_USER: 'yes' } },
  { name: 'PIP_NO_COMPILE=no', argv: I, env: { PIP_NO_COMPILE: 'no' } },
  { name: '--isolated does not protect the main parser', argv: ['install', '--isolated', 'x'], env: { PIP_TIMEOUT: 'abc' } },
  { name: 'config version = yes', argv: I, user: '[global]\nversion = yes\n' },
  { name: 'PIP_VERSION and PIP_HELP ignored', argv: I, env: { PIP_VERSION: '1', PIP_HELP: '1' } },
  { name: 'PIP_TRUSTED_HOST and option before the command', argv: ['--trusted-host', 'c', 'install', 'x'], env: { PIP_TRUSTED_HOST: 'a b' } },
  { name: 'PIP_NO_USE_PEP517', argv: I, env: { PIP_NO_USE_PEP517: '1' } },
  { name: 'PIP_CERT with ~', argv: I, env: { PIP_CERT: '~/cert.pem', PIP_LOG: '~/log' } },
  { name: 'undecodable config file', argv: I, configFile: { bytes: [0x5b, 0x67, 0x5d, 0x0a, 0x61, 0x3d, 0xff, 0x0a] } },
  { name: 'wheel and download dirs from config', argv: ['wheel', 'x'], user: '[wheel]\nwheel-dir = /w\n[download]\ndest = /d\n' },
  { name: 'download dest from env', argv: ['download', 'x'], env: { PIP_DEST: '/d2' } },
  { name: 'PIP_REQUIREMENT list plus -r', argv: ['install', '-r', 'c.txt'], env: { PIP_REQUIREMENT: 'a.txt b.txt' } },
  { name: 'config error before CLI error', argv: ['install', '--bogus'], env: { PIP_NO_DEPS: 'maybe' } },
  { name: 'main config error before command CLI error', argv: ['install', '--bogus'], env: { PIP_NO_INPUT: 'maybe' } },
  { name: 'CLI error in main parser after main config', argv: ['--bogus', 'install'], env: { PIP_NO_DEPS: 'maybe' } },
];

describe.each(Object.entries(PYTHONS))('config and environment against pip %s', (version, python) => {
  it(`agrees with pip on ${CASES.length} cases`, async () => {
    expect(CASES.length).toBeGreaterThanOrEqual(60);
    const { table } = await optionTableFor(version);
    const root = makeTempDir();
    const cwd = join(root, 'cwd');
    mkdirSync(cwd);
    const sysPrefix = pythonPrefix(python);
    const baseEnv: Record<string, string> = {};
    for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('PIP_') && value !== undefined) baseEnv[key] = value;

    const prepared = CASES.map((c, id) => {
      const dir = join(root, `case${id}`);
      const home = join(dir, 'home');
      const env: Record<string, string> = {
        ...baseEnv,
        HOME: home,
        XDG_CONFIG_HOME: join(dir, 'xdg'),
        XDG_CONFIG_DIRS: join(dir, 'etcxdg'),
        ...c.env,
      };
      const write = (path: string, text: string | Uint8Array): void => {
        mkdirSync(join(path, '..'), { recursive: true });
        writeFileSync(path, text);
      };
      mkdirSync(home, { recursive: true });
      if (c.user !== undefined) write(join(dir, 'xdg', 'pip', 'pip.conf'), c.user);
      if (c.legacy !== undefined) write(join(home, '.pip', 'pip.conf'), c.legacy);
      if (c.global !== undefined) write(join(dir, 'etcxdg', 'pip', 'pip.conf'), c.global);
      const cf = c.configFile;
      if (cf === undefined) {
        // PIP_CONFIG_FILE unset: pip reads the global and user files only.
      } else if (typeof cf === 'string') {
        env.PIP_CONFIG_FILE = join(dir, 'env.conf');
        write(env.PIP_CONFIG_FILE, cf);
      } else if ('missing' in cf) env.PIP_CONFIG_FILE = join(dir, 'missing.conf');
      else if ('devnull' in cf) env.PIP_CONFIG_FILE = '/dev/null';
      else {
        env.PIP_CONFIG_FILE = join(dir, 'env.conf');
        write(env.PIP_CONFIG_FILE, new Uint8Array(cf.bytes));
      }
      return { c, id, env, home };
    });

    const results = runPipOracle(
      python,
      prepared.map(({ c, id, env }) => ({ id, argv: c.argv, env })),
      cwd,
    );
    const failures: string[] = [];
    for (const { c, id, env, home } of prepared) {
      const files = await readPipConfigFiles(configFilesFor({ env, platform: 'linux', home, sysPrefix, pipVersion: version }));
      try {
        expectSameAsPip(`${c.name} (pip ${JSON.stringify(c.argv)})`, runOurs(c.argv, { table, env, configFiles: files, cwd }), results[id]!);
      } catch (error) {
        failures.push((error as Error).message.split('\n').slice(0, 14).join('\n'));
      }
    }
    expect(failures, failures.join('\n\n')).toEqual([]);
  });
});
