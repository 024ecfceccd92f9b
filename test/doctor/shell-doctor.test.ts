// `safe-pip doctor` typed in real bash, zsh and fish (temporary HOMEs, the built CLI through its
// launcher): after setup, an interactive shell reports through the integration's `safe-pip`
// function that it has loaded the integration, and doctor says so; a child shell without the
// functions — started plainly, or with the state variable exported into it, or inheriting a
// state from a shell that has exited — is not claimed to be protected; without setup doctor
// exits 1 with the fix. The real pip is the machine's python3's; the index is a dead loopback URL.
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DoctorReport } from '../../src/doctor/doctor-report.js';
import { parseShellState } from '../../src/doctor/loaded-integration.js';
import { runSetup } from '../../src/setup/setup-command.js';
import { ensureBuilt } from '../launcher/harness.js';
import { REAL_PYTHON_BIN } from '../setup/canary-proof.js';
import { collectingIo, makeHome, REPO_BIN, shellPath, type ShellName } from '../setup/shell-harness.js';

beforeAll(() => ensureBuilt());

const DEAD_INDEX = 'http://127.0.0.1:9/simple/';

/** A temp home whose PATH holds `safe-pip` (alone: no pip launcher) and then the real Python. */
function doctorHome(): { root: string; env: NodeJS.ProcessEnv } {
  const t = makeHome();
  const only = join(t.root, 'safe-pip-only');
  mkdirSync(only);
  symlinkSync(join(REPO_BIN, 'safe-pip'), join(only, 'safe-pip'));
  return { root: t.root, env: { ...t.env, SHELL: '/bin/sh', PATH: `${only}:${REAL_PYTHON_BIN}:${t.env.PATH}`, PIP_INDEX_URL: DEAD_INDEX } };
}

function rcFile(shell: ShellName, home: string): string {
  return { bash: join(home, '.bashrc'), zsh: join(home, '.zshrc'), fish: join(home, '.config', 'fish', 'config.fish') }[shell];
}

/** A child of `shell` that does not load the integration. */
const CHILD: Record<ShellName, string> = { bash: 'bash -c', zsh: 'zsh -c', fish: 'fish --no-config -c' };

async function interactive(shell: ShellName, lines: string[], env: NodeJS.ProcessEnv) {
  const result = await execa(shell, ['-i', '-c', lines.join('\n')], { env, extendEnv: false, input: '', reject: false, timeout: 120_000 });
  return { stdout: String(result.stdout), stderr: String(result.stderr) };
}

function report(file: string): DoctorReport {
  return JSON.parse(readFileSync(file, 'utf8')) as DoctorReport;
}

function statusOf(stdout: string, label: string): number {
  const m = new RegExp(`^@@${label} (\\d+)$`, 'm').exec(stdout);
  if (m === null) throw new Error(`no @@${label} line in:\n${stdout}`);
  return Number(m[1]);
}

const route = (r: DoctorReport, command: string) => r.commands.find((c) => c.command === command)!;

for (const shell of ['bash', 'zsh', 'fish'] as const) {
  const missing = shellPath(shell) === undefined;
  describe.skipIf(missing)(`doctor in ${shell}`, () => {
    it('after setup: this shell has loaded the integration; child shells without the functions are not claimed', async () => {
      const { root, env } = doctorHome();
      const rc = rcFile(shell, env.HOME!);
      mkdirSync(join(rc, '..'), { recursive: true });
      writeFileSync(rc, '# my rc\n');
      expect(await runSetup(['--shell', shell], collectingIo(env).io, { launcherDir: REPO_BIN })).toBe(0);
      const out = (name: string): string => join(root, name);
      const st = shell === 'fish' ? '$status' : '$?';
      const exportState =
        shell === 'fish' ? 'set -gx SAFE_PIP_SHELL_STATE (__safe_pip_shell_state | string collect)' : 'export SAFE_PIP_SHELL_STATE="$(__safe_pip_shell_state)"';
      const r = await interactive(
        shell,
        [
          `safe-pip doctor --json > ${out('loaded.json')}; echo "@@loaded ${st}"`,
          `safe-pip doctor > ${out('loaded.txt')}`,
          `__safe_pip_shell_state > ${out('state.txt')}`,
          // A child shell started plainly: nothing to report, its parent's rc file has the block.
          `${CHILD[shell]} 'safe-pip doctor --json' > ${out('child.json')}; echo "@@child ${st}"`,
          // The state exported into a child shell that lacks the functions (it does not exec doctor).
          exportState,
          `${CHILD[shell]} 'safe-pip doctor --json > ${out('exported.json')}; echo ${st} > ${out('exported.status')}'`,
          // (not the last line: a shell execs its last command, and the child would then have its PID)
          'echo "@@done"',
        ],
        env,
      );
      const context = `--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;

      // The shell's own report, as the functions produce it.
      const state = parseShellState(readFileSync(out('state.txt'), 'utf8'));
      expect(state, context).toMatchObject({ shell, launcherDir: REPO_BIN, names: { pip: 'safe-pip', pip3: 'safe-pip', python: 'safe-pip', python3: 'safe-pip' } });

      const loaded = report(out('loaded.json'));
      expect(loaded.problems, context).toEqual([]);
      expect(statusOf(r.stdout, 'loaded')).toBe(0);
      expect(loaded.shellIntegration).toMatchObject({ shell, shellFrom: 'itself', kind: 'block', loaded: { shell, pid: state.pid, launcherDir: REPO_BIN } });
      for (const command of ['pip', 'pip3', 'python -m pip', 'python3 -m pip']) {
        expect(route(loaded, command)).toMatchObject({ status: 'protected', via: 'shell-function', detail: `safe-pip shell function (loaded in this ${shell})` });
      }
      expect(loaded.safePipVariables.map((v) => v.name)).not.toContain("SAFE_PIP_SHELL_STATE");
      const text = readFileSync(out('loaded.txt'), 'utf8');
      expect(text).toContain(`(this ${shell} has loaded safe-pip's shell integration`);
      expect(text).toContain('Result: pip reaches safe-pip in this shell.');

      // The plain child: the rc file has the integration, this shell has not loaded it.
      const child = report(out('child.json'));
      expect(statusOf(r.stdout, 'child'), context).toBe(1);
      expect(child.shellIntegration).toMatchObject({ shell, shellFrom: 'parent process', kind: 'block', loaded: null, loadedIgnored: null });
      expect(route(child, 'pip')).toMatchObject({ status: 'unprotected', via: 'none', path: join(REAL_PYTHON_BIN, 'pip') });
      for (const problem of child.problems) expect(problem.fix).toContain('open a new terminal, or run `source ~/');

      // The exported state names the interactive shell, which is not the one that started doctor.
      const exported = report(out('exported.json'));
      expect(readFileSync(out('exported.status'), 'utf8').trim(), context).toBe('1');
      expect(exported.shellIntegration.loaded).toBeNull();
      expect(exported.shellIntegration.loadedIgnored).toContain(`names ${shell} process ${state.pid}, which is not the shell that started this doctor`);
      expect(exported.commands.filter((c) => c.status === 'protected')).toEqual([]);
      expect(exported.warnings.map((w) => w.message)).toContain(exported.shellIntegration.loadedIgnored);
    });

    it('without setup: exit 1 with the setup fix, also when a state from another shell is inherited', async () => {
      const { root, env } = doctorHome();
      // A state a loaded shell produced; that shell has exited since.
      const t = doctorHome();
      const rc = rcFile(shell, t.env.HOME!);
      mkdirSync(join(rc, '..'), { recursive: true });
      expect(await runSetup(['--shell', shell], collectingIo(t.env).io, { launcherDir: REPO_BIN })).toBe(0);
      const stale = (await interactive(shell, ['__safe_pip_shell_state'], t.env)).stdout;
      const stalePid = parseShellState(stale.slice(stale.indexOf('shell='))).pid;

      const st = shell === 'fish' ? '$status' : '$?';
      const r = await interactive(
        shell,
        [
          `safe-pip doctor --json > ${join(root, 'plain.json')}; echo "@@plain ${st}"`,
          `safe-pip doctor > ${join(root, 'plain.txt')}`,
        ],
        env,
      );
      const inherited = await interactive(
        shell,
        [`safe-pip doctor --json > ${join(root, 'inherited.json')}; echo "@@inherited ${st}"`],
        { ...env, SAFE_PIP_SHELL_STATE: stale.slice(stale.indexOf('shell=')) },
      );
      expect(statusOf(r.stdout, 'plain'), r.stderr).toBe(1);
      const plain = report(join(root, 'plain.json'));
      expect(plain.shellIntegration).toMatchObject({ shell, kind: 'none', loaded: null, loadedIgnored: null });
      expect(route(plain, 'pip')).toMatchObject({ status: 'unprotected', via: 'none' });
      expect(route(plain, 'python -m pip').status).toBe('unprotected');
      expect(plain.problems.map((p) => p.fix).join('\n')).toContain('run `safe-pip setup`');
      expect(readFileSync(join(root, "plain.txt"), "utf8"), r.stderr + r.stdout).toMatch(/Result: \d problems?; see the fixes above \(exit status 1\)\./);

      expect(statusOf(inherited.stdout, 'inherited'), inherited.stderr).toBe(1);
      const fromInherited = report(join(root, 'inherited.json'));
      expect(fromInherited.shellIntegration.loaded).toBeNull();
      expect(fromInherited.shellIntegration.loadedIgnored).toContain(`process ${stalePid}, which is not the shell that started this doctor`);
      expect(fromInherited.commands.filter((c) => c.status === 'protected')).toEqual([]);
    });
  });
}
