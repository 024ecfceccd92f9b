// Which setting makes pip 23.0–25.2 imply --no-binary=:all: (pip's check_legacy_setup_py_options),
// read from real command lines, PIP_* variables and config with each release's option table.
import { describe, expect, it } from 'vitest';
import { parsePipCommandLine } from '../../src/pip/command-line.js';
import { computeEffectiveSettings } from '../../src/pip/effective-settings.js';
import { optionTableFor } from '../../src/pip/option-table.js';
import { legacySetupPyOption, type RequirementLineOptions } from '../../src/pip/legacy-setup-py-options.js';
import { PipUsageError } from '../../src/pip/pip-usage-error.js';

async function settingsFor(pipVersion: string, argv: string[], env: Record<string, string> = {}) {
  const { table } = await optionTableFor(pipVersion);
  const commandLine = parsePipCommandLine(argv, table);
  return computeEffectiveSettings({ commandLine, env: { PIP_CONFIG_FILE: '/dev/null', ...env }, configFiles: [], cwd: '/w', home: '/h' });
}

describe('legacySetupPyOption', () => {
  it.each(['23.0.1', '23.2.1', '24.3.1', '25.2'])('pip %s: --global-option on the command line, named with its argument', async (v) => {
    const found = legacySetupPyOption(await settingsFor(v, ['install', 'x', '--global-option=--quiet']), []);
    expect(found?.option).toBe('--global-option');
    expect(found?.description).toBe('command-line option --global-option (argument 3)');
  });
  it('pip 24.0: wheel --build-option, and PIP_GLOBAL_OPTION from the environment', async () => {
    expect(legacySetupPyOption(await settingsFor('24.0', ['wheel', '--build-option', 'x', 'y']), [])?.option).toBe('--build-option');
    const env = legacySetupPyOption(await settingsFor('24.0', ['download', 'y'], { PIP_GLOBAL_OPTION: 'x' }), []);
    expect(env?.description).toBe('--global-option from environment variable PIP_GLOBAL_OPTION');
  });
  it('a requirement line with --global-option (per-requirement option) counts; other lines do not', async () => {
    const lines: RequirementLineOptions[] = [
      { file: 'a.txt', lineNumber: 1, perRequirementOptions: { hashes: { sha256: ['00'] } } },
      { file: 'a.txt', lineNumber: 2, perRequirementOptions: { global_options: ['x'] } },
    ];
    const found = legacySetupPyOption(await settingsFor('25.0.1', ['install', '-r', 'a.txt']), lines);
    expect(found?.description).toBe('--global-option on a.txt line 2');
    expect(legacySetupPyOption(await settingsFor('25.0.1', ['install', '-r', 'a.txt']), lines.slice(0, 1))).toBeNull();
  });
  it('nothing set: null', async () => {
    expect(legacySetupPyOption(await settingsFor('25.2', ['install', 'x', '--only-binary=:all:']), [])).toBeNull();
  });
  it('pip 25.3 has no such option: the command line is pip\'s usage error, and PIP_GLOBAL_OPTION is ignored', async () => {
    await expect(settingsFor('25.3', ['install', '--global-option=x', 'y'])).rejects.toBeInstanceOf(PipUsageError);
    expect(legacySetupPyOption(await settingsFor('25.3', ['install', 'y'], { PIP_GLOBAL_OPTION: 'x' }), [])).toBeNull();
  });
});
