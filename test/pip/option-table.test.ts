// Option tables: selection by pip version, version-dependent abbreviation ambiguity (the tables
// are the facts for pips not on this machine), and the extraction script reproducing the tables.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parsePipCommandLine } from '../../src/pip/command-line.js';
import { commandHandling, INTERCEPTED_COMMANDS } from '../../src/pip/commands.js';
import { optionTableFor, selectTableVersion, TABLE_VERSIONS } from '../../src/pip/option-table.js';
import { PipUsageError } from '../../src/pip/pip-usage-error.js';
import { makeTempDir } from '../helpers/temp-dir.js';

describe('optionTableFor', () => {
  it('picks the exact release, else the nearest older one, and flags pips newer than every table', async () => {
    expect(selectTableVersion('23.2.1')).toMatchObject({ tableVersion: '23.2.1', exact: true, newerThanNewest: false });
    expect(selectTableVersion('24.2')).toMatchObject({ tableVersion: '24.0', exact: false, newerThanNewest: false });
    expect(selectTableVersion('25.1')).toMatchObject({ tableVersion: '25.0.1', exact: false });
    expect(selectTableVersion('26.3')).toMatchObject({ tableVersion: '26.3.dev0', newerThanNewest: true });
    expect(selectTableVersion('26.3.dev0')).toMatchObject({ tableVersion: '26.3.dev0', exact: true, newerThanNewest: false });
    expect(selectTableVersion('27.0')).toMatchObject({ tableVersion: '26.3.dev0', newerThanNewest: true });
    expect(selectTableVersion('22.3.1')).toMatchObject({ tableVersion: '23.0.1', olderThanOldest: true });
    expect(selectTableVersion('23.1b1')).toMatchObject({ tableVersion: '23.0.1' });
    const selection = await optionTableFor('25.2');
    expect(selection.table.pipVersion).toBe('25.2');
    expect(selection.table.usage.commands.lock?.length).toBeGreaterThan(1);
  });

  it('loads every table', async () => {
    for (const version of TABLE_VERSIONS) {
      const { table } = await optionTableFor(version);
      expect(table.pipVersion).toBe(version);
      expect(table.general.some((o) => o.names.includes('--isolated'))).toBe(true);
    }
  });
});

async function ambiguity(version: string, argv: string[]): Promise<string | null> {
  const { table } = await optionTableFor(version);
  try {
    parsePipCommandLine(argv, table);
    return null;
  } catch (error) {
    if (error instanceof PipUsageError) return error.message;
    throw error;
  }
}

describe('abbreviations depend on the pip version (pip-behaviour.md §1.2)', () => {
  it('--only is --only-binary up to 25.3 and ambiguous from 26.0', async () => {
    for (const version of ['23.0.1', '23.2.1', '24.0', '24.3.1', '25.0.1', '25.1.1', '25.2', '25.3']) {
      expect(await ambiguity(version, ['install', '--only', ':all:', 'x']), version).toBeNull();
    }
    for (const version of ['26.0.1', '26.1.2']) {
      expect(await ambiguity(version, ['install', '--only', ':all:', 'x'])).toBe('ambiguous option: --only (--only-binary, --only-final?)');
    }
    for (const version of ['26.2.1', '26.3.dev0']) {
      expect(await ambiguity(version, ['install', '--only', ':all:', 'x'])).toBe(
        'ambiguous option: --only (--only-binary, --only-dependencies, --only-deps, --only-final?)',
      );
    }
  });

  it('options that come and go', async () => {
    expect(await ambiguity('23.0.1', ['install', '--keyring-provider', 'import', 'x'])).toBe('no such option: --keyring-provider');
    expect(await ambiguity('23.2.1', ['install', '--keyring-provider', 'import', 'x'])).toBeNull();
    expect(await ambiguity('25.2', ['install', '--global-option', 'g', 'x'])).toBeNull();
    expect(await ambiguity('25.3', ['install', '--global-option', 'g', 'x'])).toBe('no such option: --global-option');
    expect(await ambiguity('24.0', ['lock', 'x'])).toBe('unknown command "lock"');
    expect(await ambiguity('25.1.1', ['lock', '-o', 'x.toml', 'x'])).toBeNull();
    expect(await ambiguity('26.0.1', ['install', '--pre', '--all-releases', ':all:', 'x'])).toBeNull();
    expect(await ambiguity('25.3', ['install', '--all-releases', ':all:', 'x'])).toBe('no such option: --all-releases');
  });

  it('release control values starting with - fail like format control (26.0+)', async () => {
    const { table } = await optionTableFor('26.0.1');
    expect(() => parsePipCommandLine(['install', '--only-final', '-x'], table)).toThrow('--all-releases / --only-final option requires 1 argument.');
  });
});

describe('command table', () => {
  it('classifies every command of every release', async () => {
    expect([...INTERCEPTED_COMMANDS].sort()).toEqual(['download', 'install', 'lock', 'wheel']);
    for (const version of TABLE_VERSIONS) {
      const { table } = await optionTableFor(version);
      for (const command of table.commands) {
        const handling = commandHandling(command);
        expect(handling === 'intercept', `${version} ${command}`).toBe(command in table.commandOptions);
      }
    }
    expect(commandHandling('instal')).toBe('pass-through');
    expect(commandHandling('constructor')).toBe('pass-through');
  });
});

describe('scripts/extract-pip-options.py', () => {
  const script = fileURLToPath(new URL('../../scripts/extract-pip-options.py', import.meta.url));
  const tables = fileURLToPath(new URL('../../src/pip/option-tables/', import.meta.url));
  const shipped = '/work/shared/reference/pip-options/pip-23.2.1.json';

  // The shipped tables were made in /tmp/optdump with HOME=/root: those two defaults depend on it.
  const normalize = (text: string): unknown => {
    const data = JSON.parse(text) as { general: { dest: string; default: unknown }[]; commandOptions: Record<string, { options: { dest: string; default: unknown }[] }[]> };
    const all = [...data.general, ...Object.values(data.commandOptions).flatMap((groups) => groups.flatMap((g) => g.options))];
    for (const option of all) if (option.dest === 'src_dir' || option.dest === 'cache_dir') option.default = '<machine>';
    return data;
  };

  it.each([
    ['python3', 'pip-23.2.1.json'],
    ['/usr/bin/python3', 'pip-23.0.1.json'],
  ])('under %s reproduces %s', (python, file) => {
    const run = spawnSync(python, [script], { cwd: makeTempDir(), encoding: 'utf8', env: { ...process.env, HOME: '/root' } });
    expect(run.status, run.stderr).toBe(0);
    expect(normalize(run.stdout)).toEqual(normalize(readFileSync(`${tables}${file}`, 'utf8')));
  });

  it('reproduces the shared 23.2.1 table byte for byte when run where it was made', () => {
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: '/root' };
    delete env.XDG_CACHE_HOME;
    const cwd = makeTempDir();
    const run = spawnSync('python3', [script], { cwd, encoding: 'utf8', env });
    const ours = run.stdout.replaceAll(`"${cwd}/src"`, '"/tmp/optdump/src"');
    expect(ours).toBe(readFileSync(shipped, 'utf8'));
  });

  it.each([
    ['python3', 'usage-23.2.1.json'],
    ['/usr/bin/python3', 'usage-23.0.1.json'],
  ])('usage texts under %s match %s', (python, file) => {
    const run = spawnSync(python, [script, '--usage'], { cwd: makeTempDir(), encoding: 'utf8' });
    expect(run.stdout).toBe(readFileSync(`${tables}${file}`, 'utf8'));
  });
});
