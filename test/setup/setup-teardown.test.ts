// runSetup / runTeardown / runInit on real files in temporary homes (the shells themselves are in
// shell-integration.test.ts).
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SafePipError } from '../../src/errors.js';
import { END_MARKER } from '../../src/setup/rc-block.js';
import { runInit } from '../../src/setup/init-command.js';
import { runSetup } from '../../src/setup/setup-command.js';
import { shellIntegrationCode } from '../../src/setup/shell-integration.js';
import { runTeardown } from '../../src/setup/teardown-command.js';
import { collectingIo, makeFakes, makeHome, REPO_BIN } from './shell-harness.js';

const context = { launcherDir: REPO_BIN };

function bytes(path: string): Buffer {
  return readFileSync(path);
}

describe('setup then teardown leaves rc files byte for byte as before', () => {
  const cases: Record<string, Buffer> = {
    'trailing newline': Buffer.from('export A=1\n'),
    'no trailing newline': Buffer.from('export A=1\nalias g=git'),
    CRLF: Buffer.from('export A=1\r\nalias g=git\r\n'),
    'invalid UTF-8': Buffer.from([0x65, 0x63, 0x68, 0x6f, 0x20, 0xff, 0xfe, 0x80, 0x0a, 0xc3]),
    empty: Buffer.alloc(0),
  };
  for (const [name, original] of Object.entries(cases)) {
    it(name, async () => {
      const t = makeHome();
      const bashrc = join(t.home, '.bashrc');
      writeFileSync(bashrc, original);
      chmodSync(bashrc, 0o640);
      const setup = collectingIo(t.env);
      expect(await runSetup(['--shell', 'bash'], setup.io, context)).toBe(0);
      expect(setup.err()).toContain(`safe-pip: bash: added the shell integration in ${bashrc}`);
      const after = bytes(bashrc);
      expect(after.subarray(0, original.length).equals(original)).toBe(true);
      expect(statSync(bashrc).mode & 0o777).toBe(0o640);
      expect(await runSetup(['--shell', 'bash'], collectingIo(t.env).io, context)).toBe(0);
      expect(bytes(bashrc).equals(after)).toBe(true);
      const teardown = collectingIo(t.env);
      expect(await runTeardown([], teardown.io, context)).toBe(0);
      expect(teardown.err()).toContain(`safe-pip: bash: removed the shell integration from ${bashrc}`);
      expect(bytes(bashrc).equals(original)).toBe(true);
      expect(statSync(bashrc).mode & 0o777).toBe(0o640);
      expect(readdirSync(t.home)).toEqual(['.bashrc']);
    });
  }

  it('content appended after the block survives teardown', async () => {
    const t = makeHome();
    const zshrc = join(t.home, '.zshrc');
    writeFileSync(zshrc, 'setopt autocd\n');
    await runSetup(['--shell', 'zsh'], collectingIo(t.env).io, context);
    writeFileSync(zshrc, `${readFileSync(zshrc, 'utf8')}eval "$(starship init zsh)"\n`);
    await runTeardown(['--shell', 'zsh'], collectingIo(t.env).io, context);
    expect(readFileSync(zshrc, 'utf8')).toBe('setopt autocd\neval "$(starship init zsh)"\n');
  });

  it('a symlinked rc file is edited through the link, which stays a link', async () => {
    const t = makeHome();
    const real = join(t.root, 'dotfiles-bashrc');
    writeFileSync(real, 'export A=1\n');
    symlinkSync(real, join(t.home, '.bashrc'));
    await runSetup(['--shell', 'bash'], collectingIo(t.env).io, context);
    expect(readFileSync(real, 'utf8')).toContain(END_MARKER);
    await runTeardown([], collectingIo(t.env).io, context);
    expect(readFileSync(real, 'utf8')).toBe('export A=1\n');
    expect(statSync(join(t.home, '.bashrc')).isFile()).toBe(true);
    expect(readdirSync(t.home)).toEqual(['.bashrc']);
  });

  it('a config.fish setup had to create (with its directories) is removed again', async () => {
    const t = makeHome();
    await runSetup(['--shell', 'fish'], collectingIo(t.env).io, context);
    const config = join(t.home, '.config', 'fish', 'config.fish');
    expect(readFileSync(config, 'utf8')).toContain('[file-created] [dirs-created=2]');
    await runTeardown([], collectingIo(t.env).io, context);
    expect(readdirSync(t.home)).toEqual([]);
  });

  it('a damaged block is reported with file and line, and the file is left alone', async () => {
    const t = makeHome();
    const bashrc = join(t.home, '.bashrc');
    writeFileSync(bashrc, 'a\n# >>> safe-pip >>> half\nfunction pip { :; }\n');
    const run = runSetup(['--shell', 'bash'], collectingIo(t.env).io, context);
    await expect(run).rejects.toBeInstanceOf(SafePipError);
    await expect(runTeardown([], collectingIo(t.env).io, context)).rejects.toThrow(
      `The safe-pip block in "${bashrc}" is damaged: line 2`,
    );
    expect(readFileSync(bashrc, 'utf8')).toBe('a\n# >>> safe-pip >>> half\nfunction pip { :; }\n');
  });
});

describe('which rc files', () => {
  it('the shell in $SHELL plus every shell whose rc file exists', async () => {
    const t = makeHome();
    writeFileSync(join(t.home, '.bashrc'), '');
    const env = { ...t.env, SHELL: '/usr/bin/zsh', ZDOTDIR: join(t.root, 'zdot') };
    mkdirSync(env.ZDOTDIR);
    const run = collectingIo(env);
    await runSetup([], run.io, context);
    expect(readFileSync(join(t.home, '.bashrc'), 'utf8')).toContain(END_MARKER);
    expect(readFileSync(join(env.ZDOTDIR, '.zshrc'), 'utf8')).toContain('(zsh)');
    expect(existsSync(join(t.home, '.zshrc'))).toBe(false);
    expect(existsSync(join(t.home, '.config', 'fish'))).toBe(false);
    await runTeardown([], collectingIo(env).io, context);
    expect(readFileSync(join(t.home, '.bashrc'), 'utf8')).toBe('');
    expect(readdirSync(env.ZDOTDIR)).toEqual([]);
  });

  it('fish config under XDG_CONFIG_HOME', async () => {
    const t = makeHome();
    const xdg = join(t.root, 'xdg');
    mkdirSync(join(xdg, 'fish'), { recursive: true });
    writeFileSync(join(xdg, 'fish', 'config.fish'), 'set -x EDITOR vim\n');
    const env = { ...t.env, XDG_CONFIG_HOME: xdg, SHELL: '/bin/sh' };
    await runSetup([], collectingIo(env).io, context);
    expect(readFileSync(join(xdg, 'fish', 'config.fish'), 'utf8')).toContain('(fish)');
    expect(readdirSync(t.home)).toEqual([]);
  });

  it('no shell found is a usage error that says what to do', async () => {
    const t = makeHome();
    const run = runSetup([], collectingIo({ ...t.env, SHELL: '/bin/dash' }).io, context);
    await expect(run).rejects.toMatchObject({ exitCode: 2, hint: expect.stringContaining('--shell bash') });
  });

  it('--dry-run changes nothing', async () => {
    const t = makeHome();
    writeFileSync(join(t.home, '.bashrc'), 'x\n');
    const run = collectingIo(t.env);
    await runSetup(['--dry-run'], run.io, context);
    expect(run.err()).toContain('would add the shell integration');
    expect(readFileSync(join(t.home, '.bashrc'), 'utf8')).toBe('x\n');
  });

  it('a new launcher location updates the block in place', async () => {
    const t = makeHome();
    writeFileSync(join(t.home, '.bashrc'), 'x\n');
    await runSetup([], collectingIo(t.env).io, context);
    const run = collectingIo(t.env);
    await runSetup([], run.io, { launcherDir: '/opt/elsewhere/bin' });
    expect(run.err()).toContain('updated the shell integration');
    const text = readFileSync(join(t.home, '.bashrc'), 'utf8');
    expect(text.match(/>>> safe-pip >>>/g)).toHaveLength(1);
    expect(text).toContain("__safe_pip_bin='/opt/elsewhere/bin'");
  });
});

describe('init', () => {
  for (const shell of ['bash', 'zsh', 'fish'] as const) {
    it(`prints exactly the code of the ${shell} block`, async () => {
      const t = makeHome();
      await runSetup(['--shell', shell], collectingIo(t.env).io, context);
      const file = { bash: join(t.home, '.bashrc'), zsh: join(t.home, '.zshrc'), fish: join(t.home, '.config', 'fish', 'config.fish') }[shell];
      const lines = readFileSync(file, 'utf8').split('\n');
      const body = `${lines.slice(1, lines.indexOf(END_MARKER)).join('\n')}\n`;
      const init = collectingIo(t.env);
      expect(await runInit([shell], init.io, context)).toBe(0);
      expect(init.out()).toBe(body);
      expect(body).toBe(shellIntegrationCode(shell, REPO_BIN));
    });
  }

  it('rejects an unknown shell', async () => {
    await expect(runInit(['tcsh'], collectingIo({}).io)).rejects.toThrow('unknown shell "tcsh" (expected bash, zsh or fish)');
  });
});

describe('setup --ci', () => {
  it('makes pip, pip3 and pip3.X shims, prints the PATH line and appends to $GITHUB_PATH', async () => {
    const t = makeHome();
    const fakes = makeFakes(join(t.root, 'fakes'), ['pip', 'pip3', 'pip3.11', 'pip3.9', 'pip3.11-config']);
    const githubPath = join(t.root, 'github_path');
    writeFileSync(githubPath, '/already/there\n');
    const env = { ...t.env, PATH: `${fakes}:${t.env.PATH}`, GITHUB_PATH: githubPath };
    const run = collectingIo(env);
    expect(await runSetup(['--ci'], run.io, context)).toBe(0);
    const dir = join(t.home, '.local', 'share', 'safe-pip', 'shims');
    expect(run.out()).toBe(`export PATH='${dir}':"$PATH"\n`);
    const shims = readdirSync(dir).sort();
    expect(shims).toEqual(expect.arrayContaining(['.safe-pip-shims', 'pip', 'pip3', 'pip3.11', 'pip3.9']));
    expect(shims).not.toContain('pip3.11-config');
    expect(statSync(join(dir, 'pip3.9')).mode & 0o111).toBe(0o111);
    expect(readFileSync(join(dir, 'pip')).toString().split('\n')[1]).toMatch(/^# safe-pip-launcher:/);
    expect(readFileSync(githubPath, 'utf8')).toBe(`/already/there\n${dir}\n`);
    // Again: nothing duplicated.
    await runSetup(['--ci'], collectingIo(env).io, context);
    expect(readFileSync(githubPath, 'utf8')).toBe(`/already/there\n${dir}\n`);

    const teardown = collectingIo(env);
    await runTeardown(['--ci'], teardown.io, context);
    expect(teardown.err()).toContain(`removed the shims directory ${dir}`);
    expect(readdirSync(t.home)).toEqual([]);
  });

  it('--dir: an existing foreign directory is refused; files the user added there are kept', async () => {
    const t = makeHome();
    const foreign = join(t.root, 'foreign');
    mkdirSync(foreign);
    writeFileSync(join(foreign, 'tool'), '');
    await expect(runSetup(['--ci', '--dir', foreign], collectingIo(t.env).io, context)).rejects.toThrow(
      'is not a safe-pip shims directory',
    );
    const dir = join(t.root, 'shims');
    await runSetup(['--ci', '--dir', dir], collectingIo(t.env).io, context);
    writeFileSync(join(dir, 'mine'), 'keep me');
    const teardown = collectingIo(t.env);
    await runTeardown(['--ci', '--dir', dir], teardown.io, context);
    expect(readdirSync(dir)).toEqual(['mine']);
    expect(teardown.err()).toContain('it holds files safe-pip did not make (mine)');
  });

  it('rejects --shell with --ci and --dir without --ci', async () => {
    const t = makeHome();
    await expect(runSetup(['--ci', '--shell', 'bash'], collectingIo(t.env).io)).rejects.toMatchObject({ exitCode: 2 });
    await expect(runSetup(['--dir', '/x'], collectingIo(t.env).io)).rejects.toMatchObject({ exitCode: 2 });
  });
});

it('teardown with nothing set up says so and succeeds', async () => {
  const t = makeHome();
  const run = collectingIo(t.env);
  expect(await runTeardown([], run.io, context)).toBe(0);
  expect(run.err()).toBe('safe-pip: nothing to remove: no safe-pip block or shims directory was found\n');
});
