// The shell integration in real bash, zsh and fish (issue 5 §5): `safe-pip setup` in a temporary
// HOME, then interactive shells prove that pip, pip3, pip3.X and python... -m pip reach safe-pip's
// launcher — also after activating a virtualenv and through the --ci shims — that every other use
// of python is untouched, that the `safe-pip` function tells `safe-pip doctor` (only) what this
// shell has loaded, and that teardown puts the rc file back byte for byte. At the end, the canary
// proof with the real pip, the real launcher and a loopback index.
//
// "Reached safe-pip" is observed on fakes that record their calls: the real launcher (bin/pip)
// sets SAFE_PIP_DEPTH=1 when it runs a real pip; stand-in launchers record the SAFE_PIP_REAL_PIP /
// SAFE_PIP_REAL_PYTHON hand-off the functions make. Pass-through commands (list, freeze) are used
// with the real launcher because they take its sh fast path and need neither Node nor the index.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSetup } from '../../src/setup/setup-command.js';
import { runTeardown } from '../../src/setup/teardown-command.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { ensureBuilt } from '../launcher/harness.js';
import {
  canaryWorldEnv,
  describeSession,
  holdsRawSdist,
  proofRuns,
  REAL_PYTHON_BIN,
  runProofSession,
  startCanaryWorld,
  type CanaryWorld,
  type ProofOutcome,
  type ProofSession,
  type ProofShell,
} from './canary-proof.js';
import {
  collectingIo,
  launcherHonoursRealPython,
  makeFakes,
  makeHome,
  readCalls,
  recorderScript,
  REPO_BIN,
  runCommand,
  runInteractive,
  shellPath,
  writeExecutable,
  type ShellName,
  type TestHome,
} from './shell-harness.js';

const FAKE_NAMES = ['pip', 'pip3', 'pip3.11', 'python3', 'python3.11'];
const ORIGINAL_RC = '# my rc file\nexport SAFE_PIP_TEST_MARK=1';
const realPython = launcherHonoursRealPython();
const REAL_PYTHON_REASON = 'bin/safe-pip does not honour SAFE_PIP_REAL_PYTHON yet (see the setup report)';

interface Venv {
  dir: string;
}

let venv: Venv;

beforeAll(() => {
  // A real virtualenv (offline: no pip inside), given a recording `pip` script and a recording
  // `pip` package, so both `pip` and `python -m pip` inside it can be observed.
  const dir = join(makeTempDir('safe-pip-venv-'), 'venv');
  const created = spawnSync('python3', ['-m', 'venv', '--without-pip', dir], { encoding: 'utf8' });
  expect(created.status, created.stderr).toBe(0);
  writeExecutable(join(dir, 'bin', 'pip'), recorderScript());
  writeExecutable(join(dir, 'bin', 'pip3'), recorderScript());
  const purelib = spawnSync(join(dir, 'bin', 'python'), ['-c', 'import sysconfig; print(sysconfig.get_path("purelib"))'], {
    encoding: 'utf8',
  }).stdout.trim();
  mkdirSync(join(purelib, 'pip'), { recursive: true });
  writeFileSync(join(purelib, 'pip', '__init__.py'), '');
  writeFileSync(
    join(purelib, 'pip', '__main__.py'),
    [
      'import os, sys',
      "with open(os.environ['SAFE_PIP_TEST_RECORD'], 'a') as f:",
      "    f.write('\\t'.join([sys.prefix + ' -m pip', *sys.argv[1:]]) + '\\n@' + '\\t'.join(os.environ.get(k, 'unset') for k in ('SAFE_PIP_DEPTH', 'SAFE_PIP_REAL_PIP', 'SAFE_PIP_REAL_PYTHON')) + '\\n')",
      '',
    ].join('\n'),
  );
  venv = { dir };
});

function rcFile(shell: ShellName, t: TestHome): string {
  return { bash: join(t.home, '.bashrc'), zsh: join(t.home, '.zshrc'), fish: join(t.home, '.config', 'fish', 'config.fish') }[shell];
}

const statusOf = (shell: ShellName): string => (shell === 'fish' ? '$status' : '$?');
const activate = (shell: ShellName, dir: string): string =>
  shell === 'fish' ? `source ${dir}/bin/activate.fish` : `. ${dir}/bin/activate`;

/** A home with fakes first on PATH, the rc file holding ORIGINAL_RC, and setup done. */
async function setUpHome(shell: ShellName, launcherDir = REPO_BIN): Promise<{ t: TestHome; fakes: string }> {
  const t = makeHome();
  const fakes = makeFakes(join(t.root, 'fakes'), FAKE_NAMES);
  t.env.PATH = `${fakes}:${t.env.PATH}`;
  const rc = rcFile(shell, t);
  mkdirSync(join(rc, '..'), { recursive: true });
  writeFileSync(rc, ORIGINAL_RC);
  expect(await runSetup(['--shell', shell], collectingIo(t.env).io, { launcherDir })).toBe(0);
  return { t, fakes };
}

/** Stand-in launchers (bin/pip, bin/pip3) that record the hand-off and exit with $LAUNCHER_EXIT. */
function standInLaunchers(root: string, exit = '${LAUNCHER_EXIT:-0}'): string {
  const dir = join(root, 'stand-in-bin');
  mkdirSync(dir);
  const script = recorderScript().replace('exit "${FAKE_EXIT:-0}"', `exit "${exit}"`);
  writeExecutable(join(dir, 'pip'), script);
  writeExecutable(join(dir, 'pip3'), script);
  return dir;
}

for (const shell of ['bash', 'zsh', 'fish'] as const) {
  const missing = shellPath(shell) === undefined;
  describe.skipIf(missing)(`${shell}${missing ? ` (skipped: ${shell} is not installed; .ci/run installs it with apt)` : ''}`, () => {
    it('pip, pip3, pip3.11 reach the launcher in an interactive shell; exit codes pass through', async () => {
      const { t, fakes } = await setUpHome(shell);
      const s = statusOf(shell);
      const r = runInteractive(shell, `pip list; pip3 list -v; pip3.11 freeze; FAKE_EXIT=3 pip list; echo "status=${s}"`, {
        ...t.env,
      });
      expect(r.stdout).toContain('status=3');
      const calls = readCalls(t.record).map((c) => [c.program, c.args.join(' '), c.depth]);
      expect(calls).toEqual([
        [`${fakes}/pip`, 'list', '1'],
        [`${fakes}/pip3`, 'list -v', '1'],
        [`${fakes}/pip3.11`, 'freeze', '1'],
        [`${fakes}/pip`, 'list', '1'],
      ]);
    });

    it.skipIf(!realPython)(`python3 -m pip and python3.11 -m pip reach the launcher${realPython ? '' : ` (skipped: ${REAL_PYTHON_REASON})`}`, async () => {
      const { t, fakes } = await setUpHome(shell);
      runInteractive(shell, 'python3 -m pip list; python3 -mpip freeze; python3.11 -m pip list', t.env);
      expect(readCalls(t.record).map((c) => [c.program, c.args.join(' '), c.depth])).toEqual([
        [`${fakes}/python3`, '-m pip list', '1'],
        [`${fakes}/python3`, '-m pip freeze', '1'],
        [`${fakes}/python3.11`, '-m pip list', '1'],
      ]);
    });

    it.skipIf(!realPython)(`python -m pip in an activated virtualenv runs the venv's pip through the launcher${realPython ? '' : ` (skipped: ${REAL_PYTHON_REASON})`}`, async () => {
      const { t } = await setUpHome(shell);
      runInteractive(shell, `${activate(shell, venv.dir)}; python -m pip list`, t.env);
      expect(readCalls(t.record).map((c) => [c.program, c.args.join(' '), c.depth])).toEqual([[`${venv.dir} -m pip`, 'list', '1']]);
    });

    it('python... -m pip and pip3.X hand the real command to the launcher at call time (stand-in launcher)', async () => {
      const t0 = makeHome();
      const launcher = standInLaunchers(t0.root);
      const { t, fakes } = await setUpHome(shell, launcher);
      runInteractive(
        shell,
        'pip install a; pip3 download b; pip3.11 wheel c; python3 -m pip install d; python3 -mpip install e; python3.11 -m pip lock f',
        { ...t.env, SAFE_PIP_REAL_PYTHON: '/inherited/python', SAFE_PIP_REAL_PIP: '/inherited/pip' },
      );
      expect(readCalls(t.record).map((c) => [c.program, c.args.join(' '), c.realPip, c.realPython])).toEqual([
        [`${launcher}/pip`, 'install a', '/inherited/pip', ''],
        [`${launcher}/pip3`, 'download b', '/inherited/pip', ''],
        [`${launcher}/pip`, 'wheel c', `${fakes}/pip3.11`, ''],
        [`${launcher}/pip`, 'install d', '', `${fakes}/python3`],
        [`${launcher}/pip`, 'install e', '', `${fakes}/python3`],
        [`${launcher}/pip`, 'lock f', '', `${fakes}/python3.11`],
      ]);
    });

    it('every other use of python is untouched', async () => {
      const { t, fakes } = await setUpHome(shell);
      runInteractive(shell, "python3 -c 'print(1)'; python3 -m pipx run x; python3 -I -m pip list; python3; python3 -m", t.env);
      expect(readCalls(t.record).map((c) => [c.program, c.args, c.depth])).toEqual([
        [`${fakes}/python3`, ['-c', 'print(1)'], 'unset'],
        [`${fakes}/python3`, ['-m', 'pipx', 'run', 'x'], 'unset'],
        [`${fakes}/python3`, ['-I', '-m', 'pip', 'list'], 'unset'],
        [`${fakes}/python3`, [], 'unset'],
        [`${fakes}/python3`, ['-m'], 'unset'],
      ]);
      // And the machine's real Python, with the functions defined, prints what it always did.
      const real = runInteractive(shell, "python3 -c 'print(6*7)'", { ...t.env, PATH: t.env.PATH!.split(':').slice(1).join(':') });
      expect(real.stdout.trim().split('\n').pop()).toBe('42');
    });

    it("inside an activated virtualenv, the venv's pip and python are the real ones", async () => {
      const { t } = await setUpHome(shell);
      runInteractive(shell, `${activate(shell, venv.dir)}; pip list; pip3 list`, t.env);
      expect(readCalls(t.record).map((c) => [c.program, c.args.join(' '), c.depth])).toEqual([
        [`${venv.dir}/bin/pip`, 'list', '1'],
        [`${venv.dir}/bin/pip3`, 'list', '1'],
      ]);

      const t0 = makeHome();
      const launcher = standInLaunchers(t0.root);
      const standIn = await setUpHome(shell, launcher);
      runInteractive(shell, `${activate(shell, venv.dir)}; python -m pip install x`, standIn.t.env);
      expect(readCalls(standIn.t.record).map((c) => [c.program, c.realPython])).toEqual([[`${launcher}/pip`, `${venv.dir}/bin/python`]]);
    });

    it('falls back to the real pip with one warning when safe-pip is missing or cannot start', async () => {
      const { t, fakes } = await setUpHome(shell, '/nonexistent/safe-pip/bin');
      const r = runInteractive(shell, 'pip list; python3 -m pip freeze; pip3.11 list', t.env);
      expect(readCalls(t.record).map((c) => [c.program, c.args.join(' '), c.depth])).toEqual([
        [`${fakes}/pip`, 'list', 'unset'],
        [`${fakes}/python3`, '-m pip freeze', 'unset'],
        [`${fakes}/pip3.11`, 'list', 'unset'],
      ]);
      const warnings = r.stderr.split('\n').filter((line) => line.startsWith('safe-pip: warning:'));
      expect(warnings).toEqual([
        `safe-pip: warning: safe-pip could not start; running ${fakes}/pip WITHOUT its protection (reinstall safe-pip, or remove the shell integration with \`safe-pip teardown\`)`,
        expect.stringContaining(`running ${fakes}/python3 WITHOUT`),
        expect.stringContaining(`running ${fakes}/pip3.11 WITHOUT`),
      ]);

      // Exit 43 from the launcher (no Node, not built) falls back; a refusal (42) or pip's own
      // failure (1) does not.
      for (const [exit, fellBack] of [['43', true], ['42', false], ['1', false]] as const) {
        const t0 = makeHome();
        const launcher = standInLaunchers(t0.root, exit);
        const h = await setUpHome(shell, launcher);
        const out = runInteractive(shell, `pip install x; echo "status=${statusOf(shell)}"`, h.t.env);
        const programs = readCalls(h.t.record).map((c) => c.program);
        expect(programs).toEqual(fellBack ? [`${launcher}/pip`, `${h.fakes}/pip`] : [`${launcher}/pip`]);
        expect(out.stdout).toContain(`status=${fellBack ? 0 : exit}`);
      }
    });

    it('teardown restores the rc file byte for byte and pip is plain pip again', async () => {
      const { t, fakes } = await setUpHome(shell);
      await runTeardown([], collectingIo(t.env).io);
      expect(readFileSync(rcFile(shell, t), 'utf8')).toBe(ORIGINAL_RC);
      runInteractive(shell, 'pip list; python3 -m pip list', t.env);
      expect(readCalls(t.record).map((c) => [c.program, c.depth])).toEqual([
        [`${fakes}/pip`, 'unset'],
        [`${fakes}/python3`, 'unset'],
      ]);
    });

    it('the `safe-pip` function passes SAFE_PIP_SHELL_STATE to `safe-pip doctor` only, and exports nothing', async () => {
      const { t } = await setUpHome(shell);
      const standIn = join(t.root, 'stand-in-safe-pip');
      mkdirSync(standIn);
      writeExecutable(
        join(standIn, 'safe-pip'),
        '#!/bin/sh\nprintf "[%s]" "$@"; printf " state=%s\\n" "$(printf "%s" "${SAFE_PIP_SHELL_STATE-unset}" | head -n 1)"\n',
      );
      const r = runInteractive(shell, "safe-pip doctor --json; safe-pip setup 'a b'; safe-pip; sh -c 'safe-pip doctor'", {
        ...t.env,
        PATH: `${standIn}:${t.env.PATH}`,
      });
      expect(r.stdout.trim().split('\n').slice(-4)).toEqual([
        `[doctor][--json] state=shell=${shell}`,
        '[setup][a b] state=unset',
        '[] state=unset',
        '[doctor] state=unset',
      ]);
    });

    it('eval of `safe-pip init` output gives the same functions', async () => {
      const t = makeHome();
      const fakes = makeFakes(join(t.root, 'fakes'), FAKE_NAMES);
      const { runInit } = await import('../../src/setup/init-command.js');
      const init = collectingIo(t.env);
      await runInit([shell], init.io, { launcherDir: REPO_BIN });
      const script = join(t.root, `init.${shell}`);
      writeFileSync(script, init.out());
      const load = shell === 'fish' ? `source ${script}` : `eval "$(cat ${script})"`;
      runCommand(shell, ['-c', `${load}; pip list`], { ...t.env, PATH: `${fakes}:${t.env.PATH}` });
      expect(readCalls(t.record).map((c) => [c.program, c.depth])).toEqual([[`${fakes}/pip`, '1']]);
    });
  });
}

describe('setup --ci shims in non-interactive shells', () => {
  it('pip, pip3 and pip3.11 in `sh -c` reach the launcher; teardown removes the shims', async () => {
    const t = makeHome();
    const fakes = makeFakes(join(t.root, 'fakes'), FAKE_NAMES);
    const env = { ...t.env, PATH: `${fakes}:${t.env.PATH}` };
    const setup = collectingIo(env);
    await runSetup(['--ci'], setup.io, { launcherDir: REPO_BIN });
    const r = runCommand('sh', ['-c', `${setup.out()}pip list; pip3 list; pip3.11 freeze; command -v pip`], env);
    const shims = join(t.home, '.local', 'share', 'safe-pip', 'shims');
    expect(r.stdout.trim()).toBe(`${shims}/pip`);
    expect(readCalls(t.record).map((c) => [c.program, c.args.join(' '), c.depth])).toEqual([
      [`${fakes}/pip`, 'list', '1'],
      [`${fakes}/pip3`, 'list', '1'],
      [`${fakes}/pip3.11`, 'freeze', '1'],
    ]);
    await runTeardown([], collectingIo(env).io);
    const after = runCommand('sh', ['-c', `${setup.out()}command -v pip`], env);
    expect(after.stdout.trim()).toBe(`${fakes}/pip`);
  });

  it('a shim whose safe-pip is gone runs the real pip after one warning', async () => {
    const t = makeHome();
    const fakes = makeFakes(join(t.root, 'fakes'), FAKE_NAMES);
    const env = { ...t.env, PATH: `${fakes}:${t.env.PATH}` };
    const dir = join(t.root, 'shims');
    await runSetup(['--ci', '--dir', dir], collectingIo(env).io, { launcherDir: '/nonexistent/bin' });
    const r = runCommand('sh', ['-c', 'pip list; pip3.11 list; echo "status=$?"'], { ...env, PATH: `${dir}:${env.PATH}`, FAKE_EXIT: '2' });
    expect(r.stdout).toContain('status=2');
    expect(readCalls(t.record).map((c) => [c.program, c.depth])).toEqual([
      [`${fakes}/pip`, 'unset'],
      [`${fakes}/pip3.11`, 'unset'],
    ]);
    expect(r.stderr.split('\n').filter((l) => l.startsWith('safe-pip: warning:'))).toHaveLength(2);
  });

  it('a pip3.X shim with no real pip3.X behind it says so and exits 127', async () => {
    const t = makeHome();
    const dir = join(t.root, 'shims');
    // A fake pip3.99 exists when setup runs, then disappears from PATH.
    const fakes = makeFakes(join(t.root, 'fakes'), ['pip3.99']);
    await runSetup(['--ci', '--dir', dir], collectingIo({ ...t.env, PATH: `${fakes}:${t.env.PATH}` }).io, { launcherDir: REPO_BIN });
    const r = runCommand('sh', ['-c', 'pip3.99 list'], { ...t.env, PATH: `${dir}:${t.env.PATH}` });
    expect(r.status).toBe(127);
    expect(r.stderr).toContain(`pip3.99: command not found (the safe-pip shim in ${dir} found no other pip3.99 on PATH)`);
  });
});

// The proof with the real thing: a canary sdist on a loopback index, the machine's real pip, and
// the real launcher (dist/ built). In each shell process, the plain command (`command pip`, the
// real pip's path) must run the canary — otherwise the case proves nothing — and the same words
// through the integration must not: the sdist lands in the destination raw, byte for byte.
describe('canary proof: plain pip runs the canary; the same command through the integration does not', () => {
  let world: CanaryWorld;
  let realVenv: string;

  beforeAll(async () => {
    ensureBuilt();
    // A virtualenv whose pip is the real pip (ensurepip installs it offline from its bundled wheel).
    realVenv = join(makeTempDir('safe-pip-real-venv-'), 'venv');
    const created = await execa('python3', ['-m', 'venv', realVenv], { reject: false });
    expect(created.exitCode, String(created.stderr)).toBe(0);
    world = await startCanaryWorld();
  });
  afterAll(async () => {
    await world?.close();
  });

  /** A temp home with setup done for `shell`, the real Python's bin first on PATH, the canary index. */
  async function proofHome(shell: ShellName): Promise<NodeJS.ProcessEnv> {
    const t = makeHome([REAL_PYTHON_BIN]);
    const rc = rcFile(shell, t);
    mkdirSync(join(rc, '..'), { recursive: true });
    writeFileSync(rc, ORIGINAL_RC);
    expect(await runSetup(['--shell', shell], collectingIo(t.env).io, { launcherDir: REPO_BIN })).toBe(0);
    return { ...t.env, ...canaryWorldEnv(world) };
  }

  function expectPlainFired(session: ProofSession, run: ProofOutcome): void {
    expect(run.status, describeSession(session, run)).toBe(0);
    expect(run.markers, describeSession(session, run)).not.toEqual([]);
  }

  function expectGuarded(session: ProofSession, run: ProofOutcome): void {
    expect(run.markers, describeSession(session, run)).toEqual([]);
    expect(run.status, describeSession(session, run)).toBe(0);
    expect(holdsRawSdist(run, world.sdist), describeSession(session, run)).toBe(true);
  }

  /** Pairs [plain, guarded] of commands, run in this order in one shell. */
  async function prove(shell: ProofShell, pairs: [string, string][], env: NodeJS.ProcessEnv, options: { before?: string; after?: string } = {}) {
    const runs = proofRuns(pairs.flat());
    const session = await runProofSession(shell, runs, env, options);
    for (let i = 0; i < pairs.length; i++) {
      expectPlainFired(session, session.runs[2 * i]!);
      expectGuarded(session, session.runs[2 * i + 1]!);
    }
    return session;
  }

  for (const shell of ['bash', 'zsh', 'fish'] as const) {
    const missing = shellPath(shell) === undefined;
    it.skipIf(missing)(`${shell}: pip, pip3 and python3 -m pip in an interactive shell`, async () => {
      const env = await proofHome(shell);
      await prove(
        shell,
        [
          ['command pip', 'pip'],
          ['command pip3', 'pip3'],
          ['command python3 -m pip', 'python3 -m pip'],
        ],
        env,
      );
    });

    it.skipIf(missing)(`${shell}: pip and python -m pip in an activated virtualenv, running the venv's pip`, async () => {
      const env = await proofHome(shell);
      const session = await prove(
        shell,
        [
          ['command pip', 'pip'],
          ['command python -m pip', 'python -m pip'],
        ],
        env,
        { before: activate(shell, realVenv), after: 'pip --version; python -m pip --version' },
      );
      // Through the integration, `pip` and `python -m pip` run the venv's own pip.
      const versions = session.stdout.split('\n').filter((line) => /^pip \S+ from /.test(line));
      expect(versions, describeSession(session)).toEqual([
        expect.stringContaining(` from ${realVenv}/lib/`),
        expect.stringContaining(` from ${realVenv}/lib/`),
      ]);
    });
  }

  it('setup --ci shims: pip and pip3 in `sh -c`', async () => {
    const t = makeHome([REAL_PYTHON_BIN]);
    const env = { ...t.env, ...canaryWorldEnv(world) };
    const setup = collectingIo(env);
    expect(await runSetup(['--ci'], setup.io, { launcherDir: REPO_BIN })).toBe(0);
    const shims = join(t.home, '.local', 'share', 'safe-pip', 'shims');
    const session = await prove(
      'sh',
      [
        [`${REAL_PYTHON_BIN}/pip`, 'pip'],
        [`${REAL_PYTHON_BIN}/pip3`, 'pip3'],
      ],
      env,
      { before: `${setup.out()}echo "@@pip $(command -v pip)"` },
    );
    expect(session.stdout).toContain(`@@pip ${shims}/pip\n`);
  });
});
