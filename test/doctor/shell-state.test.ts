// Reading the shell integration's state back: the launcher directory written into the block by
// src/setup/shell-integration.ts (for each shell, with awkward paths), the state a shell with
// the functions prints for doctor (from real bash, zsh and fish), whether a PID is the shell that
// started a process (real process trees), and the option-table verdict doctor gives for pip
// versions around the ones safe-pip knows.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isStartingShell, parseShellState, ShellStateError } from '../../src/doctor/loaded-integration.js';
import { childEnv } from '../helpers/run-cli.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { ensureBuilt } from '../launcher/harness.js';
import { REPO_ROOT, shellPath } from '../setup/shell-harness.js';
import { optionTableStatus } from '../../src/doctor/doctor-report.js';
import { launcherDirInBlock } from '../../src/doctor/shell-state.js';
import { TABLE_VERSIONS } from '../../src/pip/option-table.js';
import { quoteSh } from '../../src/setup/shell-quote.js';
import { SHELL_KINDS, shellIntegrationCode } from '../../src/setup/shell-integration.js';

describe('launcherDirInBlock', () => {
  const dirs = ['/usr/lib/node_modules/safe-pip/bin', "/home/o'neil/my tools/safe-pip/bin", '/opt/back\\slash/$HOME/bin', '/tmp/ünïcode/bin'];
  for (const shell of SHELL_KINDS) {
    it.each(dirs)(`${shell}: %s`, (dir) => {
      expect(launcherDirInBlock(shellIntegrationCode(shell, dir))).toBe(dir);
    });
  }
  it('null when the text names no launcher directory', () => {
    expect(launcherDirInBlock('alias pip=pip3\n')).toBeNull();
  });
});

describe('optionTableStatus', () => {
  const oldest = TABLE_VERSIONS[0]!;
  const newest = TABLE_VERSIONS[TABLE_VERSIONS.length - 1]!;
  it('exact for every version with a table', () => {
    for (const version of TABLE_VERSIONS) expect(optionTableStatus(version)).toMatchObject({ status: 'exact', tableVersion: version });
  });
  it('nearest older between tables, newer and older outside them', () => {
    expect(optionTableStatus('23.2.2')).toMatchObject({ status: 'nearest-older', tableVersion: '23.2.1' });
    expect(optionTableStatus('99.0')).toMatchObject({ status: 'newer-than-known', tableVersion: newest });
    expect(optionTableStatus('20.0')).toMatchObject({ status: 'older-than-known', tableVersion: oldest });
    expect(optionTableStatus('not a version')).toBeNull();
  });
});

describe('parseShellState (what the `safe-pip` shell function passes to doctor)', () => {
  const shells = (['bash', 'zsh', 'fish'] as const).filter((shell) => shellPath(shell) !== undefined);
  it.each(shells)('%s: reads what the shell itself prints', (shell) => {
    const dir = makeTempDir('shell-state-');
    const code = join(dir, `init.${shell}`);
    writeFileSync(code, shellIntegrationCode(shell, "/opt/o'neil tools/bin"));
    const script = `source ${code}; ${shell === 'fish' ? 'echo "@@$fish_pid"' : 'echo "@@$$"'}; __safe_pip_shell_state`;
    const out = execFileSync(shell, shell === 'fish' ? ['--no-config', '-c', script] : ['-c', script], { encoding: 'utf8', env: childEnv({ HOME: dir }) });
    const pid = Number(/^@@(\d+)$/m.exec(out)![1]);
    expect(parseShellState(out.slice(out.indexOf('shell=')))).toEqual({
      shell,
      pid,
      launcherDir: "/opt/o'neil tools/bin",
      names: { pip: 'safe-pip', pip3: 'safe-pip', python: 'safe-pip', python3: 'safe-pip' },
    });
  });

  const valid = 'shell=bash\npid=42\npip=safe-pip\npip3=alias\npython=function\npython3=none\nbin=/x=y/bin\n';
  it('keeps "=" in the last value and accepts no final newline', () => {
    expect(parseShellState(valid.trimEnd())).toMatchObject({ shell: 'bash', pid: 42, launcherDir: '/x=y/bin', names: { pip3: 'alias', python: 'function', python3: 'none' } });
  });
  it.each([
    [valid.replace('pid=42', 'pid=4x'), 'Invalid SAFE_PIP_SHELL_STATE line 2 "pid=4x": expected a process id'],
    [valid.replace('shell=bash', 'shell=tcsh'), 'Invalid SAFE_PIP_SHELL_STATE line 1 "shell=tcsh": expected bash, zsh or fish'],
    [valid.replace('pip3=alias', 'pip3=maybe'), 'Invalid SAFE_PIP_SHELL_STATE line 4 "pip3=maybe": expected one of safe-pip, function, alias, file, none, other'],
    [valid.replace('python3=none\n', ''), 'Invalid SAFE_PIP_SHELL_STATE: expected a python3= line'],
    [`${valid}pid=43\n`, 'Invalid SAFE_PIP_SHELL_STATE line 8 "pid=43": "pid" is given twice'],
    ['shell=bash\n\npid=1', 'Invalid SAFE_PIP_SHELL_STATE line 2 "": expected key=value'],
  ])('%j', (input, message) => {
    const error = (() => {
      try {
        parseShellState(input);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ShellStateError);
    expect((error as ShellStateError).message).toBe(message);
    expect((error as ShellStateError).input).toBe(input);
  });
});

describe('isStartingShell', () => {
  it('true for the shell that started the process, false through a child shell or for another process', () => {
    ensureBuilt();
    const module = join(REPO_ROOT, 'dist', 'doctor', 'loaded-integration.js');
    const probe = `node --input-type=module -e 'import { isStartingShell } from "${module}"; console.log(isStartingShell(Number(process.env.SHELL_PID)))'`;
    // `; true` keeps each shell from exec-ing its last command (the child would get its PID).
    const direct = execFileSync('bash', ['-c', `export SHELL_PID=$$; ${probe}; true`], { encoding: 'utf8' });
    const throughChild = execFileSync('bash', ['-c', `export SHELL_PID=$$; bash -c ${quoteSh(`${probe}; true`)}; true`], { encoding: 'utf8' });
    expect([direct.trim(), throughChild.trim()]).toEqual(['true', 'false']);
    expect(isStartingShell(process.pid)).toBe(false);
  });
});
