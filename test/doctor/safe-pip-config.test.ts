// `safe-pip doctor` and safe-pip's own configuration (issue 13 item 9): its config files, the
// allow-list with where each entry came from (a config file, SAFE_PIP_ALLOW_BUILD), unknown keys
// as warnings, a broken file as a problem; and `--offline`, which checks no index (no request at all).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DoctorReport } from '../../src/doctor/doctor-report.js';
import { doctorCommand } from '../../src/doctor/run-doctor.js';
import { childEnv } from '../helpers/run-cli.js';
import { startIndexServer } from '../helpers/index-server.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { BIN, ensureBuilt, writeExecutable } from '../launcher/harness.js';
import { symlinkSync } from 'node:fs';

const SYSTEM_PYTHON = '/usr/bin/python3';

beforeAll(() => ensureBuilt());

/** Launchers first on PATH and a stand-in real pip (a Python script, so the probe runs a real interpreter). */
function doctorEnv(overrides: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const launchers = makeTempDir('doctor-launchers-');
  const real = makeTempDir('doctor-real-');
  for (const name of ['pip', 'pip3']) symlinkSync(join(BIN, 'pip'), join(launchers, name));
  const script = `#!${SYSTEM_PYTHON}\nimport sys\nsys.exit(0)\n`;
  writeExecutable(join(real, 'pip'), script);
  writeExecutable(join(real, 'pip3'), script);
  return childEnv({ HOME: makeTempDir('doctor-home-'), SHELL: '/bin/bash', PATH: `${launchers}:${real}`, PIP_INDEX_URL: 'http://127.0.0.1:9/simple/', ...overrides });
}

async function doctor(env: NodeJS.ProcessEnv, args: string[]): Promise<{ exitCode: number; stdout: string }> {
  let stdout = '';
  const exitCode = await doctorCommand(args, { env, parentProcess: null, indexTimeoutSeconds: 3 }, { stdout: { write: (t: string) => (stdout += t) } });
  return { exitCode, stdout };
}

function userConfig(text: string): string {
  const home = makeTempDir('xdg-config-');
  mkdirSync(join(home, 'safe-pip'));
  writeFileSync(join(home, 'safe-pip', 'config.toml'), text);
  return home;
}

/** A folder standing for /etc (SAFE_PIP_ETC_DIR) with safe-pip/config.toml in it. */
function systemConfig(text: string): string {
  const etc = makeTempDir('etc-');
  mkdirSync(join(etc, 'safe-pip'));
  writeFileSync(join(etc, 'safe-pip', 'config.toml'), text);
  return etc;
}

/** The `safe-pip configuration` section of the text output, temp paths replaced. */
function section(stdout: string, places: Record<string, string>): string {
  const start = stdout.indexOf('safe-pip configuration\n');
  const end = stdout.indexOf('\n\n', start);
  let text = stdout.slice(start, end === -1 ? undefined : end);
  for (const [placeholder, path] of Object.entries(places)) text = text.split(path).join(placeholder);
  return text;
}

describe('doctor: safe-pip configuration', () => {
  it('lists both config files, and each allowed project with where it came from', async () => {
    const home = userConfig('allow-build = ["numpy", "My_Internal"]\n');
    const etc = systemConfig('allow-build = ["lxml"]\n');
    const env = doctorEnv({ XDG_CONFIG_HOME: home, SAFE_PIP_ETC_DIR: etc, SAFE_PIP_ALLOW_BUILD: 'pyyaml, numpy' });
    const text = await doctor(env, ['--offline']);
    expect(section(text.stdout, { '<config>': home, '<etc>': etc })).toBe(
      [
        'safe-pip configuration',
        '  config files     <etc>/safe-pip/config.toml',
        '                   <config>/safe-pip/config.toml',
        '  allow-build      lxml (<etc>/safe-pip/config.toml)',
        '                   numpy (<config>/safe-pip/config.toml)',
        '                   my-internal (<config>/safe-pip/config.toml)',
        '                   pyyaml (SAFE_PIP_ALLOW_BUILD)',
        '                   numpy (SAFE_PIP_ALLOW_BUILD)',
        '  malware records  none yet: run `safe-pip update-advisories` to refuse known malicious releases offline',
      ].join('\n'),
    );
    const json = JSON.parse((await doctor(env, ['--json', '--offline'])).stdout) as DoctorReport;
    expect(json.safePipConfig.allowBuild).toContainEqual({ project: 'my-internal', written: 'My_Internal', source: join(home, 'safe-pip', 'config.toml') });
    expect(json.safePipConfig.files.map((f) => f.exists)).toEqual([true, true]);
    expect(json.safePipConfig.error).toBeNull();
  });

  it('nothing allowed: says so, and that a missing file is fine', async () => {
    const env = doctorEnv({});
    const text = await doctor(env, ['--offline']);
    expect(section(text.stdout, { '<config>': process.env.XDG_CONFIG_HOME!, '<etc>': process.env.SAFE_PIP_ETC_DIR! })).toBe(
      [
        'safe-pip configuration',
        '  config files     none exist (<etc>/safe-pip/config.toml, <config>/safe-pip/config.toml)',
        '  allow-build      nothing: install, wheel and lock build nothing from an index or URL',
        '  malware records  none yet: run `safe-pip update-advisories` to refuse known malicious releases offline',
      ].join('\n'),
    );
  });

  it('an unknown key is a warning with the closest valid key; the exit status stays 0', async () => {
    const home = userConfig('allow_build = ["numpy"]\n');
    const { exitCode, stdout } = await doctor(doctorEnv({ XDG_CONFIG_HOME: home }), ['--offline']);
    expect(exitCode).toBe(0);
    expect(stdout.split(home).join('<config>')).toContain(
      '  warning: <config>/safe-pip/config.toml: unknown key "allow_build" (did you mean "allow-build"?); it is ignored\n    fix: rename it to "allow-build"\n',
    );
  });

  it('a config file that is not valid TOML is a problem (every intercepted command would fail): exit 1', async () => {
    const home = userConfig('allow-build = ["numpy"\n');
    const { exitCode, stdout } = await doctor(doctorEnv({ XDG_CONFIG_HOME: home }), ['--offline']);
    expect(exitCode).toBe(1);
    expect(stdout.split(home).join('<config>')).toContain(
      '  problem: <config>/safe-pip/config.toml is not valid TOML (line 2, column 1): expected comma or end of structure\n    fix: fix or remove the file\n',
    );
  });
});

describe('doctor --offline', () => {
  it('asks no index anything; the index line says it was not checked', async () => {
    const server = await startIndexServer({ projects: { pip: [] } });
    try {
      const env = doctorEnv({ PIP_INDEX_URL: server.indexUrl(), PIP_EXTRA_INDEX_URL: server.indexUrl() });
      const { exitCode, stdout } = await doctor(env, ['--offline']);
      expect(exitCode).toBe(0);
      expect(server.requests.length).toBe(0);
      expect(stdout).toContain(`  index            ${server.indexUrl()} (environment variable PIP_INDEX_URL)\n                     not checked (--offline)\n`);
      const json = JSON.parse((await doctor(env, ['--offline', '--json'])).stdout) as DoctorReport;
      expect(json.index).toMatchObject({ check: null, offline: true });
      expect(server.requests.length).toBe(0);
    } finally {
      await server.close();
    }
  });

  it('is in the usage', async () => {
    const { stdout } = await doctor(doctorEnv({}), ['--help']);
    expect(stdout).toMatch(/^usage: safe-pip doctor \[--json\] \[--offline\]\n/);
    expect(stdout).toContain('  --offline   check no index (no network at all)\n');
  });
});
