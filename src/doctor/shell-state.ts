// Whether this user's interactive shell defines safe-pip's shell functions (src/setup/), as far
// as a child process can tell. It cannot see the functions of the shell that started it, so it
// reads what that shell reads at start-up: the rc file of the shell (the parent process when it
// is bash, zsh or fish — Linux /proc only — else $SHELL), looking for the block `safe-pip setup`
// writes or an `eval "$(safe-pip init …)"` line. What it cannot know: whether this very shell
// was started before the block was added, or sources the rc file at all (a login bash that does
// not read ~/.bashrc); the report says so.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isLauncher } from '../io/real-pip.js';
import { RcBlockError, findBlocks } from '../setup/rc-block.js';
import { isShellKind, rcFileFor } from '../setup/rc-files.js';
import type { ShellKind } from '../setup/shell-integration.js';

export interface ShellIntegrationState {
  /** The shell doctor looked at; null when neither the parent process nor $SHELL is bash/zsh/fish. */
  shell: ShellKind | null;
  /** Where the shell was learnt from. */
  shellFrom: 'parent process' | '$SHELL' | null;
  rcFile: string | null;
  /** 'block': the setup block; 'init': an `safe-pip init` line; 'none'; 'damaged': unpaired markers. */
  kind: 'block' | 'init' | 'none' | 'damaged';
  /** The launcher directory the block calls (null for 'init' and 'none'). */
  launcherDir: string | null;
  /** For 'block': the launcher exists, is safe-pip's, and safe-pip is built; otherwise why not. */
  launcherProblem: string | null;
  /** Text of a damaged-block error. */
  damage: string | null;
}

/** The name of the process that started this one (Linux: /proc/<ppid>/comm), or null. */
export function parentProcessName(): string | null {
  try {
    return readFileSync(`/proc/${process.ppid}/comm`, 'utf8').trim();
  } catch {
    return null;
  }
}

function chooseShell(env: NodeJS.ProcessEnv, parent: string | null): Pick<ShellIntegrationState, 'shell' | 'shellFrom'> {
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

export function readShellIntegrationState(env: NodeJS.ProcessEnv, parent: string | null): ShellIntegrationState {
  const chosen = chooseShell(env, parent);
  const none: ShellIntegrationState = { ...chosen, rcFile: null, kind: 'none', launcherDir: null, launcherProblem: null, damage: null };
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
