// Whether the shell that started doctor has safe-pip's shell functions (src/setup/), and what its
// rc file holds. A child process cannot see its parent's functions; two sources are combined:
// - `loaded`: what that very shell said about itself through the integration's `safe-pip`
//   function (SAFE_PIP_SHELL_STATE, loaded-integration.ts). Only this says "loaded here".
// - the rc file of the shell (named by that state, else the parent process when it is bash, zsh
//   or fish — Linux /proc only — else $SHELL): the block `safe-pip setup` writes or an
//   `eval "$(safe-pip init …)"` line. An rc file holding the integration while the shell reports
//   nothing means this shell has not loaded it (started before setup, or a shell that does not
//   read that file: `bash -c`, a login bash without ~/.bashrc) — or that doctor was started some
//   other way than typing `safe-pip doctor` in it (a full path, npx); the report says both.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isLauncher } from '../io/real-pip.js';
import { RcBlockError, findBlocks } from '../setup/rc-block.js';
import { isShellKind, rcFileFor } from '../setup/rc-files.js';
import type { ShellKind } from '../setup/shell-integration.js';
import { isStartingShell, readLoadedIntegration, type LoadedIntegration } from './loaded-integration.js';

export interface ShellIntegrationState {
  /** The shell doctor looked at; null when neither the parent process nor $SHELL is bash/zsh/fish. */
  shell: ShellKind | null;
  /** Where the shell was learnt from ('itself': its SAFE_PIP_SHELL_STATE). */
  shellFrom: 'itself' | 'parent process' | '$SHELL' | null;
  rcFile: string | null;
  /** 'block': the setup block; 'init': an `safe-pip init` line; 'none'; 'damaged': unpaired markers. */
  kind: 'block' | 'init' | 'none' | 'damaged';
  /** The launcher directory the loaded functions call, else the one the block calls (null: neither). */
  launcherDir: string | null;
  /** Why that launcher cannot start safe-pip (missing, not safe-pip's, not built); null when it can. */
  launcherProblem: string | null;
  /** Text of a damaged-block error. */
  damage: string | null;
  /** What the shell that started doctor reported it has loaded; null when it reported nothing. */
  loaded: LoadedIntegration | null;
  /** Why a SAFE_PIP_SHELL_STATE that was set was not believed. */
  loadedIgnored: string | null;
}

/** The name of the process that started this one (Linux: /proc/<ppid>/comm), or null. */
export function parentProcessName(): string | null {
  try {
    return readFileSync(`/proc/${process.ppid}/comm`, 'utf8').trim();
  } catch {
    return null;
  }
}

function chooseShell(env: NodeJS.ProcessEnv, parent: string | null, loaded: LoadedIntegration | null): Pick<ShellIntegrationState, 'shell' | 'shellFrom'> {
  if (loaded !== null) return { shell: loaded.shell, shellFrom: 'itself' };
  // A login shell shows as "-bash" in some process listings.
  const fromParent = (parent ?? '').replace(/^-/, '');
  if (isShellKind(fromParent)) return { shell: fromParent, shellFrom: 'parent process' };
  const fromEnv = (env.SHELL ?? '').split('/').pop() ?? '';
  if (isShellKind(fromEnv)) return { shell: fromEnv, shellFrom: '$SHELL' };
  return { shell: null, shellFrom: null };
}

/** The launcher directory written into a block body (`__safe_pip_bin=…` / `set -g __safe_pip_bin …`). */
export function launcherDirInBlock(body: string): string | null {
  const sh = /^__safe_pip_bin='((?:[^']|'\\'')*)'$/m.exec(body);
  if (sh?.[1] !== undefined) return sh[1].replaceAll(`'\\''`, "'");
  const fish = /^set -g __safe_pip_bin '((?:[^'\\]|\\.)*)'$/m.exec(body);
  if (fish?.[1] !== undefined) return fish[1].replace(/\\(.)/g, '$1');
  return null;
}

function launcherProblem(dir: string): string | null {
  const pip = join(dir, 'pip');
  if (!existsSync(pip)) return `its launcher ${pip} no longer exists`;
  if (!isLauncher(pip)) return `${pip} is not a safe-pip launcher`;
  if (!existsSync(join(dir, '..', 'dist', 'main.js'))) return `safe-pip in ${join(dir, '..')} is not built (dist/main.js is missing)`;
  return null;
}

export function readShellIntegrationState(
  env: NodeJS.ProcessEnv,
  parent: string | null,
  startedBy: (pid: number) => boolean | null = isStartingShell,
): ShellIntegrationState {
  const { loaded, ignored } = readLoadedIntegration(env, startedBy);
  const chosen = chooseShell(env, parent, loaded);
  const fromRc = readRcState(env, chosen);
  if (loaded === null) return { ...fromRc, loadedIgnored: ignored };
  return { ...fromRc, launcherDir: loaded.launcherDir, launcherProblem: launcherProblem(loaded.launcherDir), loaded, loadedIgnored: null };
}

function readRcState(env: NodeJS.ProcessEnv, chosen: Pick<ShellIntegrationState, 'shell' | 'shellFrom'>): ShellIntegrationState {
  const none: ShellIntegrationState = {
    ...chosen,
    rcFile: null,
    kind: 'none',
    launcherDir: null,
    launcherProblem: null,
    damage: null,
    loaded: null,
    loadedIgnored: null,
  };
  if (chosen.shell === null) return none;
  let rcFile: string;
  try {
    rcFile = rcFileFor(chosen.shell, env);
  } catch {
    return none;
  }
  let text: string;
  try {
    text = readFileSync(rcFile, 'latin1');
  } catch {
    return { ...none, rcFile };
  }
  try {
    const [block] = findBlocks(text, rcFile);
    if (block !== undefined) {
      const body = Buffer.from(text.slice(block.start, block.end), 'latin1').toString('utf8');
      const launcherDir = launcherDirInBlock(body);
      return {
        ...none,
        rcFile,
        kind: 'block',
        launcherDir,
        launcherProblem: launcherDir === null ? 'the block names no launcher directory' : launcherProblem(launcherDir),
      };
    }
  } catch (error) {
    if (!(error instanceof RcBlockError)) throw error;
    return { ...none, rcFile, kind: 'damaged', damage: error.message };
  }
  const initLine = text.split('\n').some((line) => !/^\s*#/.test(line) && /safe-pip\s+init\s+(bash|zsh|fish)\b/.test(line));
  return { ...none, rcFile, kind: initLine ? 'init' : 'none' };
}
