// install-scripts/install.sh: from a local checkout or a tarball into a temporary prefix, then
// `safe-pip setup`; --uninstall; the Node checks. npm runs offline with its own cache.
import { existsSync, lstatSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTempDir } from '../helpers/temp-dir.js';
import { REPO_ROOT, runCommand, writeExecutable } from '../setup/shell-harness.js';
import { checkoutHasSetupWired, makeFixturePackage, offlineNpmEnv, packTarball, readRecord } from './fixture-package.js';

const INSTALL_SH = join(REPO_ROOT, 'install-scripts', 'install.sh');
const wired = checkoutHasSetupWired();

function prepare(): { root: string; prefix: string; record: string; env: NodeJS.ProcessEnv; fixture: string } {
  const root = makeTempDir('safe-pip-install-');
  const record = join(root, 'record.txt');
  const home = join(root, 'home');
  mkdirSync(home);
  const env = {
    ...offlineNpmEnv(root),
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_DATA_HOME: join(home, '.local', 'share'),
    SHELL: '/bin/bash',
    SAFE_PIP_TEST_RECORD: record,
  };
  return { root, prefix: join(root, 'prefix'), record, env, fixture: makeFixturePackage(root) };
}

describe('install.sh', () => {
  it('installs from a local checkout into --prefix, runs setup with the extra arguments, and uninstalls', () => {
    const t = prepare();
    const r = runCommand('sh', [INSTALL_SH, '--from', t.fixture, '--prefix', t.prefix, '--', '--shell', 'zsh'], t.env);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain(`installing safe-pip from the checkout ${t.fixture}`);
    expect(r.stderr).toContain(`installed ${t.prefix}/bin/safe-pip`);
    // --shell zsh: the line to add names zsh's rc file.
    expect(r.stderr).toContain(
      `safe-pip install: note: ${t.prefix}/bin is not on your PATH; to run \`safe-pip\` by name, add this line to ~/.zshrc:\n    export PATH="${t.prefix}/bin:$PATH"\n`,
    );
    expect(existsSync(join(t.prefix, 'lib', 'node_modules', 'safe-pip', 'package.json'))).toBe(true);
    expect(readRecord(t.record)).toEqual(['setup --shell zsh']);

    const u = runCommand('sh', [INSTALL_SH, '--uninstall', '--prefix', t.prefix], t.env);
    expect(u.status, u.stderr).toBe(0);
    expect(readRecord(t.record)).toEqual(['setup --shell zsh', 'teardown']);
    expect(existsSync(join(t.prefix, 'bin', 'safe-pip'))).toBe(false);
    expect(existsSync(join(t.prefix, 'lib', 'node_modules', 'safe-pip'))).toBe(false);
  });

  it('installs from a tarball made by npm pack (a copy, not a link)', () => {
    const t = prepare();
    const tarball = packTarball(t.fixture, t.root, t.env);
    const r = runCommand('sh', [INSTALL_SH, `--from=${tarball}`, `--prefix=${t.prefix}`], t.env);
    expect(r.status, r.stderr).toBe(0);
    expect(lstatSync(join(t.prefix, 'lib', 'node_modules', 'safe-pip')).isSymbolicLink()).toBe(false);
    expect(readRecord(t.record)).toEqual(['setup']);
  });

  it('--prefix: the exact line to add for bash and fish; nothing when DIR/bin is already on PATH', () => {
    const t = prepare();
    const bash = runCommand('sh', [INSTALL_SH, '--from', t.fixture, '--prefix', t.prefix, '--no-setup'], t.env);
    expect(bash.status, bash.stderr).toBe(0);
    expect(bash.stderr.split(t.prefix).join('<prefix>').split(t.fixture).join('<fixture>')).toBe(
      [
        'safe-pip install: installing safe-pip from the checkout <fixture> (npm links it: later changes there take effect)',
        'safe-pip install: installed <prefix>/bin/safe-pip',
        'safe-pip install: note: <prefix>/bin is not on your PATH; to run `safe-pip` by name, add this line to ~/.bashrc:',
        '    export PATH="<prefix>/bin:$PATH"',
        '',
      ].join('\n'),
    );
    const fish = runCommand('sh', [INSTALL_SH, '--from', t.fixture, '--prefix', t.prefix, '--no-setup'], { ...t.env, SHELL: '/usr/bin/fish' });
    expect(fish.stderr).toContain(
      `safe-pip install: note: ${t.prefix}/bin is not on your PATH; to run \`safe-pip\` by name, add this line to ~/.config/fish/config.fish:\n    fish_add_path ${t.prefix}/bin\n`,
    );
    const onPath = runCommand('sh', [INSTALL_SH, '--from', t.fixture, '--prefix', t.prefix, '--no-setup'], { ...t.env, PATH: `${t.prefix}/bin:${t.env.PATH}` });
    expect(onPath.stderr).not.toContain('not on your PATH');
  });

  it('--no-setup installs only; a failing setup is reported with what to run next', () => {
    const t = prepare();
    expect(runCommand('sh', [INSTALL_SH, '--from', t.fixture, '--prefix', t.prefix, '--no-setup'], t.env).status).toBe(0);
    expect(readRecord(t.record)).toEqual([]);
    const r = runCommand('sh', [INSTALL_SH, '--from', t.fixture, '--prefix', t.prefix], { ...t.env, FIXTURE_EXIT: '1' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('safe-pip install: error: `safe-pip setup` failed');
  });

  it('refuses a --from that is missing, not safe-pip, or not built', () => {
    const t = prepare();
    const missing = runCommand('sh', [INSTALL_SH, '--from', join(t.root, 'nope'), '--prefix', t.prefix], t.env);
    expect(missing.stderr).toContain(`--from: "${join(t.root, 'nope')}" does not exist`);
    const other = makeTempDir('safe-pip-other-');
    const notSafePip = runCommand('sh', [INSTALL_SH, '--from', other, '--prefix', t.prefix], t.env);
    expect(notSafePip.stderr).toContain('is not a safe-pip checkout');
    const unbuiltDir = makeFixturePackage(makeTempDir('safe-pip-unbuilt-'));
    rmSync(join(unbuiltDir, 'dist'), { recursive: true });
    const unbuilt = runCommand('sh', [INSTALL_SH, '--from', unbuiltDir, '--prefix', t.prefix], t.env);
    expect(unbuilt.stderr).toContain(`--from: "${unbuiltDir}" is not built (${unbuiltDir}/dist/main.js is missing)`);
    expect(unbuilt.stderr).toContain(`hint: run \`npm install\` in ${unbuiltDir} first`);
    for (const r of [missing, notSafePip, unbuilt]) expect(r.status).toBe(1);
    expect(existsSync(t.prefix)).toBe(false);
  });

  it('says clearly when Node.js or npm is missing, or Node.js is older than 20.18.1', () => {
    const t = prepare();
    const noNode = runCommand('/bin/sh', [INSTALL_SH], { ...t.env, PATH: join(t.root, 'empty') });
    expect(noNode.status).toBe(3);
    expect(noNode.stderr).toContain('safe-pip install: error: Node.js was not found on PATH; safe-pip needs Node.js >= 20.18.1');
    expect(noNode.stderr).toContain('hint: install it from https://nodejs.org/');

    const fakes = join(t.root, 'fake-node');
    mkdirSync(fakes);
    writeExecutable(join(fakes, 'node'), '#!/bin/sh\necho "v$FAKE_NODE_VERSION"\n');
    const noNpm = runCommand('/bin/sh', [INSTALL_SH], { ...t.env, PATH: fakes, FAKE_NODE_VERSION: '22.0.0' });
    expect(noNpm.stderr).toContain('npm was not found on PATH');
    // A fake npm that stops the script as soon as the version check has passed.
    writeExecutable(join(fakes, 'npm'), '#!/bin/sh\necho "npm reached" >&2\nexit 9\n');
    const cases: [string, boolean][] = [
      ['18.19.0', false],
      ['20.18.0', false],
      ['20.9.99', false],
      ['20.18.1', true],
      ['20.20.2', true],
      ['21.0.0', true],
      ['100.0.0', true],
    ];
    for (const [version, ok] of cases) {
      const r = runCommand('/bin/sh', [INSTALL_SH, '--prefix', join(t.root, 'p')], {
        ...t.env,
        PATH: `${fakes}:/usr/bin:/bin`,
        FAKE_NODE_VERSION: version,
      });
      if (ok) expect(r.stderr, version).toContain('npm reached');
      else expect(r.stderr, version).toContain(`Node.js ${version} is too old; safe-pip needs Node.js >= 20.18.1`);
    }
  });

  it.skipIf(!wired)(
    `installs the real checkout into a temporary prefix and its setup/teardown work${wired ? '' : ' (skipped: `safe-pip setup`/`init` are not wired into dist/main.js yet)'}`,
    () => {
      const t = prepare();
      const bashrc = join(t.env.HOME as string, '.bashrc');
      const r = runCommand('sh', [INSTALL_SH, '--from', REPO_ROOT, '--prefix', t.prefix, '--', '--shell', 'bash'], t.env);
      expect(r.status, r.stderr).toBe(0);
      expect(readFileSync(bashrc, 'utf8')).toContain(`__safe_pip_bin='${join(REPO_ROOT, 'bin')}'`);
      const u = runCommand('sh', [INSTALL_SH, '--uninstall', '--prefix', t.prefix], t.env);
      expect(u.status, u.stderr).toBe(0);
      expect(existsSync(bashrc)).toBe(false);
    },
  );
});
