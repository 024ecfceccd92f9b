// Starting the real pip's Python while safe-pip is still deciding (issue 12 §1). Importing pip's
// command-line machinery takes a plain venv's Python about 0.3 s before pip reads its first
// option, which is longer than safe-pip's whole decision for a command with nothing to fetch. So
// for a building command, safe-pip starts the real pip's interpreter at once, on a small loader
// that imports `pip._internal.cli.main` (the first thing pip's own script does) and what the
// command safe-pip expects imports next (its module, the resolver), then waits.
// Only when safe-pip has decided and the run it would start matches what was started (same pip
// and working directory, stdio as startEarlyPip explains, an environment that differs at most in
// PIP_* variables) does the loader receive pip's arguments, on a private socket (fd 3), and run
// pip's own script file with runpy, as `__main__`, with sys.argv[0] the script's path: what the
// kernel's `#!` would have run. Anything else (a refusal, a run that does not match, an exit)
// discards it: the loader is killed, or sees end-of-file and exits without a word. The loader never
// runs pip before it has its arguments, so nothing pip does happens before the decision.
//
// For such a script, the launcher itself usually starts the loader first, before Node
// (python/early-pip-loader.py, handed over by pip-first.ts): pip's Python is then safe-pip's parent,
// adopted (adoptParentPip) or let go the same way, and nothing is started here.
//
// Only a script pip itself would have written qualifies: `#!/absolute/python` with no arguments and
// `from pip._internal.cli.main import main` (or `cli`, as the script pip 26.3 writes has it) in a
// file small enough to be that script. Neither does `python -m pip` (SAFE_PIP_REAL_PYTHON).
//
// A pyenv shim is started as it is, not replaced by a loader: `pyenv exec pip` selects a version and
// runs exec hooks (pyenv's own pip-rehash wraps pip to rehash after an install), about 0.4 s of bash
// that safe-pip could not reproduce. So the shim itself is started at once, as
// `pip --safe-pip-early-start[=COMMAND] ARGS…` (the user's argv: what pip-rehash looks at), with
// python/early-pip-site first on PYTHONPATH. Its sitecustomize.py, in the pip process pyenv finally
// starts, takes itself back out of sys.path and PYTHONPATH, warms up and waits on fd 3 as the
// loader does, and puts the decided argv in place of the placeholder before pip's script goes on.
// It qualifies when the pip pyenv selects (pyenv-shim.ts) is a pip-written script for a Python
// 3.7+ (sys.argv exists in sitecustomize) named by version, whose shebang has no option that would
// skip PYTHONPATH or site. Should pip start without the file all the same, it stops at the unknown
// option: no pip ever runs the user's command before the decision.
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { Socket } from 'node:net';
import { delimiter } from 'node:path';
import type { Readable } from 'node:stream';
import { isatty } from 'node:tty';
import { fileURLToPath } from 'node:url';
import { parsePyenvShim, resolvePyenvShim } from './pyenv-shim.js';
import { guardedEnvironment } from './real-pip-guard.js';
import { claimPipFirst, closeQuietly, dropLauncherFacts, pipFirstWaiting, type PipFirstHandOff } from './pip-first.js';

const SCRIPT_HEAD_BYTES = 4096;
const PIP_MAIN_IMPORT = /^from pip\._internal\.cli\.main import (?:main|cli)\r?$/m;

/** The first argument of an early-started pyenv shim; sitecustomize.py replaces it, pip rejects it. */
export const EARLY_START_PLACEHOLDER = '--safe-pip-early-start';
/** PYTHONPATH as it was ("=value"), or "" when it was unset: sitecustomize.py restores it. */
const EARLY_SITE_VAR = 'SAFE_PIP_EARLY_SITE';
const EARLY_SITE_DIR = fileURLToPath(new URL('../../python/early-pip-site', import.meta.url));
const EARLY_SITE_FILE = `${EARLY_SITE_DIR}/sitecustomize.py`;
/** An interpreter named by its version, 3.7 or later (sitecustomize.py needs sys.argv). */
const VERSIONED_PYTHON3 = /\/python3\.([0-9]+)$/;

// The loader (python/early-pip-loader.py, run as a child of Node): sys.argv[0] is the script's
// path from the start, and sys.path[0] its directory, as CPython sets them for `python script`;
// told nothing on fd 3, it exits 0 without a word. It is run with `-c` and this bootstrap (the
// launcher's safe_pip_first_bootstrap in bin/safe-pip is the same), which runs the file named next.
// It compiles that file through the bytecode cache (its __pycache__, when writable: about 4 ms of
// each start), and imports nothing from sys.path: the import machinery it uses is already loaded.
export const LOADER_BOOTSTRAP = 'import sys, _frozen_importlib_external as b; f = sys.argv[1]; exec(b.SourceFileLoader("_safe_pip_loader", f).get_code("_safe_pip_loader"))';
const LOADER_FILE = fileURLToPath(new URL('../../python/early-pip-loader.py', import.meta.url));

interface EarlyPip {
  realPip: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  child: ChildProcess;
  /** pip's stdout is a pipe safe-pip reads (see startEarlyPip). */
  stdoutPiped: boolean;
  failed: boolean;
}

let early: EarlyPip | null = null;

/** The whole of a file shorter than SCRIPT_HEAD_BYTES, else null. */
function readSmallFile(path: string): string | null {
  try {
    const fd = openSync(path, 'r');
    try {
      const buffer = Buffer.alloc(SCRIPT_HEAD_BYTES);
      const length = readSync(fd, buffer, 0, SCRIPT_HEAD_BYTES, 0);
      return length === SCRIPT_HEAD_BYTES ? null : buffer.toString('utf8', 0, length);
    } finally {
      closeSync(fd);
    }
  } catch {
    return null;
  }
}

function pipScriptInterpreter(text: string | null): string | null {
  if (text === null) return null;
  const shebang = /^#!(\/\S+)\r?\n/.exec(text);
  if (shebang === null || !PIP_MAIN_IMPORT.test(text)) return null;
  return shebang[1]!;
}

/** The interpreter of a pip script pip itself wrote (see the header), or null. */
export function earlyPipInterpreter(realPip: string): string | null {
  return pipScriptInterpreter(readSmallFile(realPip));
}

/** Whether `realPip` (whose text is `head`) is a pyenv shim that can be started early (see the header). */
export function earlyPyenvShim(realPip: string, env: NodeJS.ProcessEnv, cwd: string, head: string | null = readSmallFile(realPip)): boolean {
  if (EARLY_SITE_DIR.includes(delimiter)) return false;
  const shim = head === null ? undefined : parsePyenvShim(head, realPip);
  const selected = shim === undefined ? undefined : resolvePyenvShim(shim, env, cwd);
  const python = selected === undefined ? null : earlyPipInterpreter(selected.program);
  const minor = python === null ? undefined : VERSIONED_PYTHON3.exec(python)?.[1];
  return minor !== undefined && Number(minor) >= 7;
}

/**
 * Starts the loader for `realPip`, or a pyenv shim itself behind the placeholder (see the header),
 * when it qualifies, with the environment and working directory runPip would give it; `args` is
 * the user's argv, which the shim is given. It holds nothing open: Node exits as if it had not
 * been started.
 *
 * When safe-pip's stdout is not a terminal, the loader's stdout is a pipe that runPip copies
 * (through line rules when the run has any), as it does for a hand-off whose output it rewrites:
 * pip sees no terminal either way, and the loader serves those runs too. On a terminal it is
 * inherited, so that pip still sees one, and a run that rewrites stdout starts a pip of its own.
 *
 * `warmCommand` is the pip command safe-pip expects to run (install, download…): the loader also
 * imports that command's modules while it waits, which pip 26 would otherwise spend about 0.15 s
 * on after the decision. Behind a pyenv shim it rides on the placeholder
 * (`--safe-pip-early-start=install`), and the sitecustomize imports the same (borrowing the
 * script's sys.path[0]) before it waits, unless the user has a sitecustomize or usercustomize of
 * their own: those run before pip is imported, as without safe-pip.
 */
export function startEarlyPip(realPip: string, args: readonly string[], env: NodeJS.ProcessEnv, cwd: string = process.cwd(), options: { stdoutIsTerminal?: boolean; warmCommand?: string | null } = {}): void {
  if (early !== null || pipFirstWaiting()) return;
  const guarded = guardedEnvironment(env);
  const head = readSmallFile(realPip);
  const python = pipScriptInterpreter(head);
  const command =
    python !== null ? { file: python, args: ['-c', LOADER_BOOTSTRAP, LOADER_FILE, realPip, options.warmCommand ?? '', EARLY_SITE_FILE], env: guarded }
    : earlyPyenvShim(realPip, env, cwd, head) ? { file: realPip, args: [options.warmCommand ? `${EARLY_START_PLACEHOLDER}=${options.warmCommand}` : EARLY_START_PLACEHOLDER, ...args], env: withEarlySite(guarded) }
    : null;
  if (command === null) return;
  const stdoutPiped = !(options.stdoutIsTerminal ?? isatty(1));
  const child = spawn(command.file, command.args, { env: command.env, cwd, stdio: ['inherit', stdoutPiped ? 'pipe' : 'inherit', 'inherit', 'pipe'] });
  const started: EarlyPip = { realPip, cwd, env: guarded, child, stdoutPiped, failed: false };
  child.once('error', () => {
    started.failed = true;
  });
  child.unref();
  (child.stdout as Socket | null)?.unref();
  (child.stdio[3] as Socket | null)?.unref();
  (child.stdio[3] as Socket | null)?.on('error', () => {
    started.failed = true;
  });
  early = started;
  process.once('exit', discardEarlyPip);
}

export interface EarlyPipRun {
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Whether pip's stdout would be safe-pip's own, unchanged. */
  stdoutPlain: boolean;
  /** Whether pip's stderr would be safe-pip's own, unchanged. */
  stderrPlain: boolean;
}

/** What runPip needs of the pip it runs: a child it started, or the parent that started safe-pip. */
export interface PipProcess {
  /** undefined when pip is safe-pip's parent (python/early-pip-loader.py): signals reach it directly. */
  readonly pid?: number | undefined;
  readonly stdout: Readable | null;
  readonly stderr: Readable | null;
  once(event: 'error', listener: (error: Error) => void): this;
  once(event: 'close', listener: (code: number | null, signal: NodeJS.Signals | null) => void): this;
}

/**
 * The started loader (or the parent that started safe-pip, see pip-first.ts), now running
 * `realPip args…`, when it matches the run (see the header); otherwise null, and the loader, if
 * any, is discarded. `run.env` is the environment runPip gives pip (guardedEnvironment applied).
 */
export function adoptEarlyPip(realPip: string, args: readonly string[], run: EarlyPipRun): PipProcess | null {
  dropLauncherFacts();
  const parent = claimPipFirst();
  if (parent !== null) return parent.shimPid === null ? adoptParentPip(parent, realPip, args, run) : adoptLaunchedShim(parent, realPip, args, run);
  const candidate = early;
  if (candidate === null) return null;
  early = null;
  process.off('exit', discardEarlyPip);
  const changes = changesToServe(candidate, candidate.stdoutPiped, realPip, run, isPipVariable);
  const { child } = candidate;
  const socket = child.stdio[3] as Socket | null;
  if (changes === null || candidate.failed || child.exitCode !== null || child.signalCode !== null || socket === null || socket.destroyed) {
    kill(child);
    return null;
  }
  child.ref();
  (child.stdout as Socket | null)?.ref();
  socket.ref();
  socket.end(JSON.stringify({ args, env: changes }));
  return child;
}

/** Kills the loader if one was started and not adopted (or lets the parent go); pip never ran in it. */
export function discardEarlyPip(): void {
  dropLauncherFacts();
  const parent = claimPipFirst();
  if (parent !== null) closeParentPipes(parent);
  const candidate = early;
  early = null;
  process.off('exit', discardEarlyPip);
  if (candidate !== null) kill(candidate.child);
}

/** python/early-pip-site first on PYTHONPATH, and how to put PYTHONPATH back (see the header). */
function withEarlySite(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const pythonPath = env.PYTHONPATH;
  // Python skips an empty PYTHONPATH; "dir:" would add the working directory.
  const joined = pythonPath === undefined || pythonPath === '' ? EARLY_SITE_DIR : `${EARLY_SITE_DIR}${delimiter}${pythonPath}`;
  return { ...env, PYTHONPATH: joined, [EARLY_SITE_VAR]: pythonPath === undefined ? '' : `=${pythonPath}` };
}

function kill(child: ChildProcess): void {
  // End of file on fd 3 ends a waiting pip that pyenv started as a child of pip-rehash's wrapper.
  (child.stdio[3] as Socket | null)?.destroy();
  if (child.exitCode !== null || child.signalCode !== null) return;
  try {
    child.kill('SIGTERM');
  } catch {
    // Already gone.
  }
}

/**
 * What must change in the loader's environment to make it `to`: only PIP_* variables, which pip
 * reads when it parses its options, after the loader has its arguments (and whatever else
 * `mayChange` allows). null when anything else differs (Python read those at start-up).
 */
export function pipVariableChanges(from: NodeJS.ProcessEnv, to: NodeJS.ProcessEnv, mayChange: (name: string) => boolean = isPipVariable): Record<string, string | null> | null {
  const changes: Record<string, string | null> = {};
  for (const name of new Set([...Object.keys(from), ...Object.keys(to)])) {
    const before = from[name];
    const after = to[name];
    if (before === after) continue;
    if (!mayChange(name)) return null;
    changes[name] = after ?? null;
  }
  return changes;
}

/**
 * The variable changes that turn a pip started early (for `started`) into the run `run`, or null
 * when it cannot serve it: another pip or working directory, stderr rewritten, stdout rewritten
 * when its stdout cannot reach safe-pip, or other variables than `mayChange` allows.
 */
function changesToServe(started: { realPip: string; cwd: string; env: NodeJS.ProcessEnv }, stdoutCanBeCopied: boolean, realPip: string, run: EarlyPipRun, mayChange: (name: string) => boolean): Record<string, string | null> | null {
  const stdioMatches = run.stderrPlain && (run.stdoutPlain || stdoutCanBeCopied);
  return stdioMatches && started.realPip === realPip && started.cwd === run.cwd ? pipVariableChanges(started.env, run.env, mayChange) : null;
}

function isPipVariable(name: string): boolean {
  return name.startsWith('PIP_');
}

/**
 * A parent started with Node's environment differs from pip's in the launcher's hand-off
 * variables, NODE_EXTRA_CA_CERTS (which the launcher hides from Node) and the recursion guard:
 * none of them is read by Python as it starts.
 */
function isParentVariable(name: string): boolean {
  return isPipVariable(name) || name.startsWith('SAFE_PIP_') || name === 'NODE_EXTRA_CA_CERTS';
}

/**
 * Hands the run to the parent pip when it matches (the rules of adoptEarlyPip, except that pip's
 * stdout is copied by safe-pip only when the run rewrites it, and only when it is not a terminal);
 * otherwise lets it go, and it waits for safe-pip to exit.
 */
function adoptParentPip(parent: PipFirstHandOff, realPip: string, args: readonly string[], run: EarlyPipRun): PipProcess | null {
  const pipeStdout = !run.stdoutPlain;
  const changes = changesToServe(parent, !isatty(1), realPip, run, isParentVariable);
  if (changes !== null) {
    try {
      writeSync(parent.decisionFd, JSON.stringify({ args, env: changes, stdout: pipeStdout ? 'pipe' : 'inherit' }));
      closeSync(parent.decisionFd);
      return new ParentPip(parent, pipeStdout);
    } catch {
      // The parent is gone (EPIPE): nothing of pip ran there; run a pip of safe-pip's own.
    }
  }
  closeParentPipes(parent);
  return null;
}

/**
 * Hands the run to the pyenv shim the launcher started (pip-first.ts) when it qualifies as one
 * startEarlyPip would have started, and matches as adoptEarlyPip requires; otherwise lets it go.
 */
function adoptLaunchedShim(shim: PipFirstHandOff, realPip: string, args: readonly string[], run: EarlyPipRun): PipProcess | null {
  const stdoutPiped = shim.stdoutFd !== null;
  const changes = earlyPyenvShim(shim.realPip, shim.env, shim.cwd) ? changesToServe(shim, stdoutPiped, realPip, run, isParentVariable) : null;
  if (changes !== null) {
    try {
      writeSync(shim.decisionFd, JSON.stringify({ args, env: changes }));
      closeSync(shim.decisionFd);
      return new ParentPip(shim, stdoutPiped);
    } catch {
      // The shim is gone (EPIPE): nothing of pip ran there; run a pip of safe-pip's own.
    }
  }
  closeParentPipes(shim);
  return null;
}

function closeParentPipes(parent: PipFirstHandOff): void {
  for (const fd of [parent.decisionFd, parent.statusFd, parent.stdoutFd]) if (fd !== null) closeQuietly(fd);
}

/**
 * The adopted parent, or the adopted shim the launcher's Python started: its stdout (when copied)
 * and how it ended, which that Python writes once pip is done: the exit status, or the signal's
 * name (a shim's only).
 */
class ParentPip extends EventEmitter implements PipProcess {
  /** A shim's, to which signals are passed on; undefined for the parent, which they reach directly. */
  readonly pid: number | undefined;
  readonly stdout: Socket | null;
  readonly stderr = null;

  constructor(parent: PipFirstHandOff, pipeStdout: boolean) {
    super();
    this.pid = parent.shimPid ?? undefined;
    this.stdout = pipeStdout && parent.stdoutFd !== null ? new Socket({ fd: parent.stdoutFd, readable: true, writable: false }) : null;
    if (this.stdout === null && parent.stdoutFd !== null) closeSync(parent.stdoutFd);
    const status = new Socket({ fd: parent.statusFd, readable: true, writable: false });
    let text = '';
    status.setEncoding('utf8');
    status.on('data', (chunk: string) => {
      text += chunk;
    });
    const stdoutEnded = this.stdout === null ? Promise.resolve() : new Promise<void>((resolve) => this.stdout!.once('close', () => resolve()));
    const reported = new Promise<void>((resolve) => status.once('close', () => resolve()));
    void Promise.all([reported, stdoutEnded]).then(() => {
      // No status: the parent ended without one (killed); its own end is what the shell sees.
      const code = /^[0-9]+\n$/.test(text) ? Number(text.trim()) : null;
      const signal = /^SIG[A-Z0-9]+\n$/.test(text) ? (text.trim() as NodeJS.Signals) : 'SIGKILL';
      this.emit('close', code, code === null ? signal : null);
    });
  }
}
