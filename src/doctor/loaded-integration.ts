// What the shell that started `safe-pip doctor` says it has loaded: the SAFE_PIP_SHELL_STATE that
// the integration's own `safe-pip` function passes to `safe-pip doctor` (src/setup/
// shell-integration.ts), one `key=value` per line:
//   shell=bash|zsh|fish   pid=<the shell's $$ / $fish_pid>   bin=<launcher dir, always last>
//   pip= pip3= python= python3=   safe-pip | function | alias | file | none | other
// (what `type` says the name is in that shell; `safe-pip` = one of the integration's functions).
//
// Why this is believed: the integration never exports the variable; it is set for the one
// `safe-pip doctor` command typed in a shell that has the functions. A shell without them
// (`bash -c`, a script, a shell started before setup) has no such function, so doctor gets no
// state and says so. As a guard against a value that was exported by hand or copied, the PID
// must be the nearest shell among doctor's ancestors (Linux /proc; where /proc cannot tell, the
// value is believed). What that cannot catch: a value exported by hand into a process that takes
// over the PID chain — a child shell that execs doctor as its last command (`bash -c 'safe-pip
// doctor'`: the child's process becomes doctor, so the shell above it is the one named), or
// `exec bash --norc` in the shell itself. Not read: a bin= path containing a newline.
import { readFileSync } from 'node:fs';
import { isShellKind } from '../setup/rc-files.js';
import { SHELL_STATE_VARIABLE, type ShellKind } from '../setup/shell-integration.js';

export { SHELL_STATE_VARIABLE };

export type TypedName = 'pip' | 'pip3' | 'python' | 'python3';
export const TYPED_NAMES: readonly TypedName[] = ['pip', 'pip3', 'python', 'python3'];

export type NameKind = 'safe-pip' | 'function' | 'alias' | 'file' | 'none' | 'other';
const NAME_KINDS: readonly string[] = ['safe-pip', 'function', 'alias', 'file', 'none', 'other'];

export interface LoadedIntegration {
  shell: ShellKind;
  pid: number;
  launcherDir: string;
  names: Record<TypedName, NameKind>;
}

/** A SAFE_PIP_SHELL_STATE that is not what the integration writes; `line` is 1-based (0: the whole value). */
export class ShellStateError extends Error {
  readonly input: string;
  readonly line: number;
  constructor(input: string, line: number, problem: string) {
    const lines = input.split('\n');
    const where = line > 0 ? ` line ${line} "${lines[line - 1] ?? ''}"` : '';
    super(`Invalid ${SHELL_STATE_VARIABLE}${where}: ${problem}`);
    this.name = 'ShellStateError';
    this.input = input;
    this.line = line;
  }
}

export function parseShellState(input: string): LoadedIntegration {
  const values = new Map<string, string>();
  const lines = input.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '' && i === lines.length - 1) break;
    const eq = line.indexOf('=');
    if (eq <= 0) throw new ShellStateError(input, i + 1, 'expected key=value');
    const key = line.slice(0, eq);
    if (values.has(key)) throw new ShellStateError(input, i + 1, `"${key}" is given twice`);
    values.set(key, line.slice(eq + 1));
  }
  const required = (key: string): string => {
    const value = values.get(key);
    if (value === undefined) throw new ShellStateError(input, 0, `expected a ${key}= line`);
    return value;
  };
  const lineOf = (key: string): number => lines.findIndex((l) => l.startsWith(`${key}=`)) + 1;
  const shell = required('shell');
  if (!isShellKind(shell)) throw new ShellStateError(input, lineOf('shell'), 'expected bash, zsh or fish');
  const pidText = required('pid');
  if (!/^[1-9][0-9]*$/.test(pidText)) throw new ShellStateError(input, lineOf('pid'), 'expected a process id');
  const launcherDir = required('bin');
  const names = {} as Record<TypedName, NameKind>;
  for (const name of TYPED_NAMES) {
    const kind = required(name);
    if (!NAME_KINDS.includes(kind)) throw new ShellStateError(input, lineOf(name), `expected one of ${NAME_KINDS.join(', ')}`);
    names[name] = kind as NameKind;
  }
  return { shell, pid: Number(pidText), launcherDir, names };
}

/** Names a shell process has in /proc/<pid>/comm (a login shell may show as "-bash"). */
const SHELL_COMMS = new Set(['sh', 'bash', 'zsh', 'fish', 'dash', 'ksh', 'mksh', 'yash', 'tcsh', 'csh', 'busybox']);

/** The name and parent of `pid` from /proc/<pid>/stat, or null when /proc cannot tell. */
function processInfo(pid: number): { comm: string; ppid: number } | null {
  try {
    // The comm field is in parentheses and may hold spaces or ")": the fields after the last ")".
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = stat.lastIndexOf(')');
    const ppid = Number(stat.slice(close + 2).split(' ')[1]);
    return Number.isInteger(ppid) ? { comm: stat.slice(stat.indexOf('(') + 1, close), ppid } : null;
  } catch {
    return null;
  }
}

/**
 * Whether `pid` is the shell that started this process: the nearest ancestor that is a shell
 * (processes in between that are not shells, such as a launcher that did not exec, are passed
 * over). A child shell in between (`bash -c '…; true'`) makes it false. Null when /proc cannot
 * tell (not Linux).
 */
export function isStartingShell(pid: number): boolean | null {
  let current = process.ppid;
  for (let steps = 0; steps < 64 && current > 0; steps++) {
    const info = processInfo(current);
    if (info === null) return steps === 0 ? null : false;
    if (current === pid) return true;
    if (SHELL_COMMS.has(info.comm.replace(/^-/, ''))) return false;
    current = info.ppid;
  }
  return false;
}

export interface LoadedIntegrationReading {
  loaded: LoadedIntegration | null;
  /** Why a SAFE_PIP_SHELL_STATE that was set is not believed; null when none was set or it was. */
  ignored: string | null;
}

export function readLoadedIntegration(
  env: NodeJS.ProcessEnv,
  startedBy: (pid: number) => boolean | null = isStartingShell,
): LoadedIntegrationReading {
  const value = env[SHELL_STATE_VARIABLE];
  if (value === undefined || value === '') return { loaded: null, ignored: null };
  let loaded: LoadedIntegration;
  try {
    loaded = parseShellState(value);
  } catch (error) {
    if (!(error instanceof ShellStateError)) throw error;
    return { loaded: null, ignored: error.message };
  }
  if (startedBy(loaded.pid) === false) {
    return {
      loaded: null,
      ignored: `${SHELL_STATE_VARIABLE} names ${loaded.shell} process ${loaded.pid}, which is not the shell that started this doctor (the value was inherited or copied, not passed by the shell you typed in); this shell is not known to have safe-pip's functions`,
    };
  }
  return { loaded, ignored: null };
}
