// `safe-pip doctor`: which commands reach safe-pip (launchers on PATH, the shell integration's
// rc block, nothing), the real pip and its probe, config files and PIP_* variables (redacted),
// the index check and the exit codes — each in a temp HOME with a PATH made of temp dirs only.
// The "real pip" is a Python script whose shebang is /usr/bin/python3 (pip 23.0.1 here), so the
// probe runs a real interpreter; pip itself (`pip config debug`) is the oracle for config files.
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SafePipError } from '../../src/errors.js';
import { EXIT_USAGE } from '../../src/exit-codes.js';
import type { DoctorReport } from '../../src/doctor/doctor-report.js';
import { doctorCommand } from '../../src/doctor/run-doctor.js';
import { parseShellState } from '../../src/doctor/loaded-integration.js';
import { runSetup } from '../../src/setup/setup-command.js';
import { shellIntegrationCode } from '../../src/setup/shell-integration.js';
import { childEnv } from '../helpers/run-cli.js';
import { startIndexServer } from '../helpers/index-server.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { BIN, ensureBuilt, writeExecutable } from '../launcher/harness.js';

const SYSTEM_PYTHON = '/usr/bin/python3';
const SYSTEM_PIP_VERSION = execFileSync(SYSTEM_PYTHON, ['-c', 'import pip; print(pip.__version__)'], { encoding: 'utf8' }).trim();

beforeAll(() => ensureBuilt());

interface Layout {
  home: string;
  /** Symlinks named pip and pip3 to bin/pip. */
  launchers: string;
  /** A fake real pip/pip3 (Python scripts) and python/python3 symlinks to /usr/bin/python3. */
  real: string;
  realPip: string;
}

function makeLayout(options: { python?: boolean } = {}): Layout {
  const home = makeTempDir('doctor-home-');
  const launchers = makeTempDir('doctor-launchers-');
  const real = makeTempDir('doctor-real-');
  for (const name of ['pip', 'pip3']) symlinkSync(join(BIN, 'pip'), join(launchers, name));
  const script = `#!${SYSTEM_PYTHON}\n# a stand-in real pip for doctor tests\nimport sys\nsys.exit(0)\n`;
  writeExecutable(join(real, 'pip'), script);
  writeExecutable(join(real, 'pip3'), script);
  if (options.python !== false) {
    symlinkSync(SYSTEM_PYTHON, join(real, 'python'));
    symlinkSync(SYSTEM_PYTHON, join(real, 'python3'));
  }
  return { home, launchers, real, realPip: join(real, 'pip') };
}

/** Nothing listens on 127.0.0.1:9: the index check must never leave loopback (pip's default is PyPI). */
const DEAD_INDEX = 'http://127.0.0.1:9/simple/';

function doctorEnv(layout: Layout, path: string[], overrides: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  return childEnv({ HOME: layout.home, SHELL: '/bin/bash', PATH: path.join(':'), ZDOTDIR: undefined, PIP_INDEX_URL: DEAD_INDEX, ...overrides });
}

async function doctor(env: NodeJS.ProcessEnv, args: string[] = ['--json'], parentProcess: string | null = null) {
  let stdout = '';
  // A state naming a shell (SAFE_PIP_SHELL_STATE) is checked against the real process tree.
  const exitCode = await doctorCommand(args, { env, parentProcess, indexTimeoutSeconds: 3 }, { stdout: { write: (t: string) => (stdout += t) } });
  return { exitCode, stdout, report: args.includes('--json') ? (JSON.parse(stdout) as DoctorReport) : undefined };
}

function route(report: DoctorReport, command: string) {
  const found = report.commands.find((c) => c.command === command);
  if (found === undefined) throw new Error(`no route for ${command}`);
  return found;
}

describe('doctor: how pip is reached', () => {
  it('a launcher first on PATH protects pip and pip3; with no python on PATH it exits 0', async () => {
    const layout = makeLayout({ python: false });
    const { exitCode, report } = await doctor(doctorEnv(layout, [layout.launchers, layout.real]));
    expect(report!.problems).toEqual([]);
    expect(exitCode).toBe(0);
    expect(report!.ok).toBe(true);
    for (const command of ['pip', 'pip3']) {
      expect(route(report!, command)).toMatchObject({ status: 'protected', via: 'launcher', path: join(layout.launchers, command) });
    }
    expect(route(report!, 'python -m pip')).toMatchObject({ status: 'absent', path: null });
    expect(report!.realPip).toMatchObject({ path: layout.realPip, pipVersion: SYSTEM_PIP_VERSION, python: SYSTEM_PYTHON });
  });

  it('the real pip first on PATH is unprotected: exit 1, the problem names it and the fixes', async () => {
    const layout = makeLayout({ python: false });
    const { exitCode, report } = await doctor(doctorEnv(layout, [layout.real, layout.launchers]));
    expect(exitCode).toBe(1);
    expect(route(report!, 'pip')).toMatchObject({ status: 'unprotected', via: 'none', path: layout.realPip });
    expect(report!.problems).toHaveLength(1);
    expect(report!.problems[0]!.message).toContain(layout.realPip);
    expect(report!.problems[0]!.fix).toContain('safe-pip setup');
    expect(report!.problems[0]!.fix).toContain('safe-pip setup --ci');
    // The real pip is still found (the launcher search skips nothing here).
    expect(report!.realPip.path).toBe(layout.realPip);
  });

  it('python -m pip is unprotected with launchers on PATH alone; PIP_ONLY_BINARY=:all: makes it a warning', async () => {
    const layout = makeLayout();
    const path = [layout.launchers, layout.real];
    const bare = await doctor(doctorEnv(layout, path));
    expect(bare.exitCode).toBe(1);
    expect(route(bare.report!, 'python -m pip')).toMatchObject({ status: 'unprotected', path: join(layout.real, 'python') });
    expect(route(bare.report!, 'python3 -m pip').status).toBe('unprotected');
    expect(bare.report!.problems.map((p) => p.message).join('\n')).toMatch(/`python -m pip`.*`python3 -m pip`/);

    const layered = await doctor(doctorEnv(layout, path, { PIP_ONLY_BINARY: ':all:' }));
    expect(layered.exitCode).toBe(0);
    expect(route(layered.report!, 'python -m pip').status).toBe('partial');
    expect(layered.report!.warnings.some((w) => w.message.includes('PIP_ONLY_BINARY=:all:'))).toBe(true);
  });

  it('after `safe-pip setup --shell bash`, a shell that reports nothing has not loaded it: exit 1 and how to load it', async () => {
    const layout = makeLayout();
    const env = doctorEnv(layout, [layout.real]);
    const sink = { write: () => undefined };
    expect(await runSetup(['--shell', 'bash'], { env, stdout: sink, stderr: sink })).toBe(0);
    const { exitCode, report } = await doctor(env);
    expect(exitCode).toBe(1);
    expect(report!.shellIntegration).toMatchObject({ shell: 'bash', shellFrom: '$SHELL', kind: 'block', launcherDir: BIN, launcherProblem: null, loaded: null });
    for (const command of ['pip', 'pip3', 'python -m pip', 'python3 -m pip']) {
      expect(route(report!, command)).toMatchObject({ status: 'unprotected', via: 'none' });
    }
    expect(report!.problems.length).toBeGreaterThan(0);
    for (const problem of report!.problems) expect(problem.fix).toContain('`source ~/.bashrc`');
    const text = await doctor(env, []);
    expect(text.stdout).toContain("(~/.bashrc has safe-pip's shell integration, but this bash has not loaded it");

    // The parent process wins over $SHELL: a zsh parent has no integration here, so setup is the fix.
    const fromZsh = await doctor(env, ['--json'], 'zsh');
    expect(fromZsh.exitCode).toBe(1);
    expect(fromZsh.report!.shellIntegration).toMatchObject({ shell: 'zsh', shellFrom: 'parent process', kind: 'none' });
    expect(route(fromZsh.report!, 'pip').status).toBe('unprotected');
    expect(fromZsh.report!.problems[0]!.fix).toContain('run `safe-pip setup`');
  });

  it("what the shell reports wins: safe-pip's functions protect, an alias warns, another function is a problem", async () => {
    const layout = makeLayout();
    const env = doctorEnv(layout, [layout.real]);
    // What a real bash with the integration, an alias and a function of the user's own reports.
    const code = join(makeTempDir('doctor-init-'), 'init.bash');
    writeFileSync(code, shellIntegrationCode('bash', BIN));
    const state = execFileSync('bash', ['-c', `shopt -s expand_aliases; source ${code}; alias pip3=pip; function python { :; }; __safe_pip_shell_state`], {
      env: childEnv({ HOME: layout.home, PATH: `${layout.real}:/usr/bin:/bin` }),
      encoding: 'utf8',
    });
    const withState = { ...env, SAFE_PIP_SHELL_STATE: state };
    let asked: number | undefined;
    const startedBy = (pid: number) => ((asked = pid), true);
    let stdout = '';
    const exitCode = await doctorCommand(['--json'], { env: withState, parentProcess: null, startedBy, indexTimeoutSeconds: 3 }, { stdout: { write: (t: string) => (stdout += t) } });
    const report = JSON.parse(stdout) as DoctorReport;
    expect(asked).toBe(parseShellState(state).pid);
    expect(report.shellIntegration).toMatchObject({ shell: 'bash', shellFrom: 'itself', kind: 'none', launcherDir: BIN, launcherProblem: null });
    expect(route(report, 'pip')).toMatchObject({ status: 'protected', via: 'shell-function', detail: 'safe-pip shell function (loaded in this bash)' });
    expect(route(report, 'python3 -m pip')).toMatchObject({ status: 'protected', via: 'shell-function' });
    expect(route(report, 'pip3')).toMatchObject({ status: 'partial', via: 'alias' });
    expect(route(report, 'python -m pip')).toMatchObject({ status: 'unprotected', via: 'other-function' });
    expect(exitCode).toBe(1);
    expect(report.problems.map((p) => p.fix)).toEqual([expect.stringContaining('unset -f NAME')]);
    expect(report.warnings.map((w) => w.message)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('`pip3` an alias in this bash'),
        // ~/.bashrc holds no integration: new shells will not have it.
        expect.stringContaining("this bash has loaded safe-pip's shell integration, but ~/.bashrc does not hold it"),
      ]),
    );

    // The same state, when the shell it names did not start doctor, is not believed.
    const stale = await doctor({ ...withState }, ['--json']);
    expect(stale.report!.shellIntegration.loaded).toBeNull();
    expect(stale.report!.shellIntegration.loadedIgnored).toContain('is not the shell that started this doctor');
    expect(route(stale.report!, 'pip').status).toBe('unprotected');
  });

  it('an rc block whose launcher is gone is a problem (its functions would fall back to the real pip)', async () => {
    const layout = makeLayout({ python: false });
    const env = doctorEnv(layout, [layout.launchers, layout.real]);
    const sink = { write: () => undefined };
    const gone = join(makeTempDir('doctor-gone-'), 'bin');
    await runSetup(['--shell', 'bash'], { env, stdout: sink, stderr: sink }, { launcherDir: gone });
    const { exitCode, report } = await doctor(env);
    expect(exitCode).toBe(1);
    expect(report!.shellIntegration.launcherProblem).toContain(join(gone, 'pip'));
    expect(report!.problems.some((p) => p.message.includes('cannot start safe-pip') && p.fix!.includes('safe-pip setup'))).toBe(true);
    // Without working functions the PATH decides: the launcher there still protects pip.
    expect(route(report!, 'pip')).toMatchObject({ status: 'protected', via: 'launcher' });
  });

  it('no real pip at all: exit 1 with the SAFE_PIP_REAL_PIP fix', async () => {
    const layout = makeLayout({ python: false });
    const { exitCode, report, stdout } = await doctor(doctorEnv(layout, [layout.launchers]));
    expect(exitCode).toBe(1);
    expect(report!.realPip.path).toBeNull();
    expect(report!.problems.some((p) => p.message.includes('no real pip') && (p.fix ?? '').includes('SAFE_PIP_REAL_PIP='))).toBe(true);
    expect(stdout).not.toContain('"pipVersion": "');
  });

  it('SAFE_PIP_DISABLE=1 is a problem', async () => {
    const layout = makeLayout({ python: false });
    const { exitCode, report } = await doctor(doctorEnv(layout, [layout.launchers, layout.real], { SAFE_PIP_DISABLE: '1' }));
    expect(exitCode).toBe(1);
    expect(report!.problems.map((p) => p.fix)).toContain('unset SAFE_PIP_DISABLE');
    expect(report!.safePipVariables).toContainEqual({ name: 'SAFE_PIP_DISABLE', value: '1' });
  });
});

describe('doctor: configuration, variables, index', () => {
  it('lists config files as pip does, redacts credentials, checks the index; an unreachable extra index only warns', async () => {
    const server = await startIndexServer({ projects: { pip: [] } });
    try {
      const layout = makeLayout({ python: false });
      const configDir = makeTempDir('doctor-config-');
      const xdgConfig = join(layout.home, 'xdg-config');
      mkdirSync(join(xdgConfig, 'pip'), { recursive: true });
      writeFileSync(join(xdgConfig, 'pip', 'pip.conf'), '[global]\ntimeout = 30\n');
      const envFile = join(configDir, 'pip.conf');
      const indexWithSecret = server.indexUrl().replace('http://', 'http://alice:hunter2@');
      writeFileSync(envFile, `[global]\nindex-url = ${indexWithSecret}\n`);
      const env = doctorEnv(layout, [layout.launchers, layout.real], {
        XDG_CONFIG_HOME: xdgConfig,
        PIP_CONFIG_FILE: envFile,
        PIP_INDEX_URL: undefined,
        PIP_EXTRA_INDEX_URL: 'http://s3cr3t-token@127.0.0.1:9/simple/',
        PIP_FIND_LINKS: 'https://bob:pa55@links.invalid/wheels /opt/wheels',
        PIP_INDEX_PASSWORD: 'never-shown',
      });
      // PIP_PROXY itself would carry the index check away from loopback: shown under another name.
      delete env.PIP_PROXY;
      const { exitCode, stdout, report } = await doctor({ ...env, PIP_PROXY_SHOWN_ONLY: 'carol:w0rd@proxy.invalid:3128' });
      for (const secret of ['hunter2', 's3cr3t-token', 'pa55', 'w0rd', 'never-shown']) expect(stdout).not.toContain(secret);
      expect(report!.pipVariables).toContainEqual({ name: 'PIP_FIND_LINKS', value: 'https://bob:****@links.invalid/wheels /opt/wheels' });
      expect(report!.pipVariables).toContainEqual({ name: 'PIP_EXTRA_INDEX_URL', value: 'http://****@127.0.0.1:9/simple/' });
      expect(report!.pipVariables).toContainEqual({ name: 'PIP_PROXY_SHOWN_ONLY', value: 'carol:****@proxy.invalid:3128' });
      expect(report!.pipVariables).toContainEqual({ name: 'PIP_INDEX_PASSWORD', value: '****' });

      // The index from the config file answered (loopback); the dead extra index is a warning only.
      expect(report!.index.url).toBe(server.indexUrl().replace('http://', 'http://alice:****@'));
      expect(report!.index.source).toContain(envFile);
      expect(report!.index.check).toMatchObject({ status: 'answers', httpStatus: 200 });
      expect(server.requestsTo('/simple/pip/').length).toBeGreaterThan(0);
      expect(report!.index.extraIndexes).toHaveLength(1);
      expect(report!.index.extraIndexes[0]!.status).toBe('unreachable');
      expect(report!.warnings.some((w) => w.message.includes('is unreachable'))).toBe(true);
      expect(exitCode).toBe(0);

      // Oracle: the files pip itself loads (`pip config debug` lists no user file when an existing
      // PIP_CONFIG_FILE makes pip skip them).
      const debug = execFileSync(SYSTEM_PYTHON, ['-m', 'pip', 'config', 'debug'], {
        env: { ...env, PIP_PROXY_SHOWN_ONLY: undefined } as NodeJS.ProcessEnv,
        encoding: 'utf8',
      });
      // pip always reads /etc/pip.conf; the suite points safe-pip's /etc elsewhere (SAFE_PIP_ETC_DIR).
      const pipSays = [...debug.matchAll(/^\s*(\S+), exists: True$/gm)].map((m) => m[1]).filter((path) => path !== '/etc/pip.conf');
      const existing = report!.configFiles.filter((f) => f.exists);
      expect(report!.configFiles.filter((f) => f.inForce).map((f) => f.path).sort()).toEqual([...pipSays].sort());
      // PIP_CONFIG_FILE names an existing file, so pip skips the user file (pip-behaviour.md §2.1).
      expect(existing.find((f) => f.path === join(xdgConfig, 'pip', 'pip.conf'))).toMatchObject({ inForce: false, variant: 'user' });
      expect(existing.find((f) => f.path === envFile)).toMatchObject({ inForce: true, variant: 'env' });
      expect(report!.cache.pip).toBe(join(process.env.XDG_CACHE_HOME!, 'pip'));
    } finally {
      await server.close();
    }
  });

  it('PIP_CONFIG_FILE=/dev/null: no config file is read; --no-index in the env means no index check', async () => {
    const layout = makeLayout({ python: false });
    const { exitCode, report, stdout } = await (async () => {
      const r = await doctor(doctorEnv(layout, [layout.launchers, layout.real], { PIP_CONFIG_FILE: '/dev/null', PIP_NO_INDEX: '1' }));
      const text = await doctor(doctorEnv(layout, [layout.launchers, layout.real], { PIP_CONFIG_FILE: '/dev/null', PIP_NO_INDEX: '1' }), []);
      return { ...r, stdout: text.stdout };
    })();
    expect(exitCode).toBe(0);
    expect(report!.configDisabled).toBe(true);
    expect(report!.configFiles).toEqual([]);
    expect(report!.index).toMatchObject({ url: null, check: null });
    expect(stdout).toContain('none read (PIP_CONFIG_FILE=/dev/null)');
    expect(stdout).toContain('none (--no-index is set)');
  });
});

describe('doctor: command line and output shape', () => {
  it('--json has the documented keys', async () => {
    const layout = makeLayout({ python: false });
    const { report } = await doctor(doctorEnv(layout, [layout.launchers, layout.real, '']));
    expect(Object.keys(report!).sort()).toEqual(
      ['advisories', 'cache', 'commands', 'configDisabled', 'configFiles', 'index', 'ok', 'optionTable', 'pipVariables', 'problems', 'realPip', 'safePipConfig', 'safePipVariables', 'shellIntegration', 'warnings'].sort(),
    );
    expect(report!.commands.map((c) => c.command)).toEqual(['pip', 'pip3', 'python -m pip', 'python3 -m pip']);
    expect(Object.keys(report!.realPip).sort()).toEqual(['error', 'path', 'pipVersion', 'python', 'pythonVersion', 'virtualenv']);
    expect(report!.optionTable).toMatchObject({ status: 'exact', tableVersion: SYSTEM_PIP_VERSION });
    expect(report!.cache.safePip).toBe(join(process.env.XDG_CACHE_HOME!, 'safe-pip'));
    expect(report!.index).toMatchObject({ offline: false, url: DEAD_INDEX, source: 'environment variable PIP_INDEX_URL', extraIndexes: [], findLinks: [] });
    expect(Object.keys(report!.safePipConfig).sort()).toEqual(['allowBuild', 'error', 'files']);
    expect(report!.index.check).toMatchObject({ url: DEAD_INDEX, checked: `${DEAD_INDEX}pip/`, status: 'unreachable', httpStatus: null });
    expect(report!.ok).toBe(true);
  });

  it('text output: one line per command, the real pip, and the verdict', async () => {
    const layout = makeLayout();
    const { exitCode, stdout } = await doctor(doctorEnv(layout, [layout.launchers, layout.real]), []);
    expect(exitCode).toBe(1);
    expect(stdout).toMatch(/^ {2}pip {14}protected {8}safe-pip launcher first on PATH/m);
    expect(stdout).toMatch(/^ {2}python -m pip {4}NOT protected {4}runs .*\/python -m pip directly$/m);
    expect(stdout).toContain(`pip ${SYSTEM_PIP_VERSION}, Python `);
    expect(stdout).toContain(`  index            ${DEAD_INDEX} (environment variable PIP_INDEX_URL)\n                     UNREACHABLE: `);
    expect(stdout).toMatch(/^ {2}warning: the index http:\/\/127\.0\.0\.1:9\/simple\/ is unreachable/m);
    expect(stdout).toMatch(/^ {2}problem: `python -m pip`/m);
    expect(stdout).toMatch(/^ {4}fix: run `safe-pip setup`/m);
    expect(stdout).toContain('Result: 1 problem; see the fixes above (exit status 1).');
  });

  it('--help prints the usage; an unknown argument is a usage error', async () => {
    const layout = makeLayout({ python: false });
    const env = doctorEnv(layout, [layout.launchers, layout.real]);
    const help = await doctor(env, ['--help']);
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toMatch(/^usage: safe-pip doctor \[--json\] \[--offline\]\n/);
    expect(help.stdout).toContain('Exit status: 0 when everything found is protected, 1 when');
    const error = await doctor(env, ['--bogus']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SafePipError);
    expect((error as SafePipError).exitCode).toBe(EXIT_USAGE);
    expect((error as SafePipError).message).toContain('"--bogus"');
  });
});
