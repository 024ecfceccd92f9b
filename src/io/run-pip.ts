// Running the real pip (issue 2 §2) with node:child_process (not execa: loading execa cost about
// 20 ms of every intercepted command, issue 12 §1), or handing the arguments to the pip that
// early-pip.ts started while safe-pip decided, when that one matches the run: stdio inherited (or
// copied by safe-pip when it is not a terminal), so pip's progress bars, colours and prompts work
// and stdin reaches it; the environment is the caller's except the recursion
// guard (SAFE_PIP_DEPTH, see real-pip-guard.ts); pip's exit code comes back unchanged, and a
// death by signal becomes 128 + the signal number, as a shell reports it.
//
// Signals: SIGTERM, SIGHUP and SIGINT sent to safe-pip are forwarded to pip, and safe-pip waits
// for pip to exit instead of dying first, so no orphan is left (an `exit` hook still kills pip if
// Node exits some other way). Ctrl-C in a terminal already reaches pip, which is in the same
// foreground process group; to avoid handing pip a second KeyboardInterrupt in the middle of its
// own clean-up, a SIGINT is forwarded at once only when no terminal is attached, and otherwise
// only if pip is still running after a short grace period. SIGKILL cannot be forwarded.
import { realPipCommand } from './real-pip-command.js';
import { spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { constants } from 'node:os';
import { isatty } from 'node:tty';
import { SafePipError } from '../errors.js';
import { EXIT_NO_REAL_PIP } from '../exit-codes.js';
import { cannotStartPip } from '../report/messages.js';
import { guardedEnvironment } from './real-pip-guard.js';
import { lineRewritingStream, type LineRewrite } from './line-rewriting-stream.js';
import { adoptEarlyPip, type PipProcess } from './early-pip.js';

const FORWARDED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const TERMINAL_SIGINT_GRACE_MS = 1000;

export interface RunPipOptions {
  /** The environment to start from (default process.env); only the recursion guard is added. */
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** 'stderr': pip's stdout goes to safe-pip's stderr (a preparatory pip run must not write on stdout). */
  stdout?: 'inherit' | 'stderr';
  /** pip's stdout is piped through these line rules on its way to safe-pip's (no terminal for pip then). */
  rewriteStdout?: LineRewrite;
  /** The same for pip's stderr. */
  rewriteStderr?: LineRewrite;
}

let pipsRunning = 0;

/** Whether a real pip started by runPip is running now (it then answers SIGINT itself). */
export function pipIsRunning(): boolean {
  return pipsRunning > 0;
}

/** Runs `realPip args…` in the foreground and resolves to the exit code safe-pip should exit with. */
export async function runPip(realPip: string, args: readonly string[], options: RunPipOptions = {}): Promise<number> {
  const command = realPipCommand(realPip);
  const env = guardedEnvironment(options.env ?? process.env);
  const cwd = options.cwd ?? process.cwd();
  const stdio = {
    stdoutPlain: options.rewriteStdout === undefined && options.stdout !== 'stderr',
    stderrPlain: options.rewriteStderr === undefined,
  };
  // The same run, already importing pip since safe-pip started deciding (early-pip.ts), when there is one.
  const subprocess: PipProcess = adoptEarlyPip(realPip, args, { env, cwd, ...stdio }) ?? spawn(command.file, [...command.prefix, ...args], {
    env,
    stdio: [
      'inherit',
      options.rewriteStdout !== undefined ? 'pipe' : options.stdout === 'stderr' ? 2 : 'inherit',
      options.rewriteStderr !== undefined ? 'pipe' : 'inherit',
    ],
    cwd,
  });
  const written = Promise.all([
    rewritten(subprocess.stdout, options.rewriteStdout, options.stdout === 'stderr' ? process.stderr : process.stdout),
    rewritten(subprocess.stderr, options.rewriteStderr, process.stderr),
  ]);
  const outcome = new Promise<{ code: number | null; signal: NodeJS.Signals | null } | { error: NodeJS.ErrnoException }>((resolve) => {
    subprocess.once('error', (error) => resolve({ error }));
    subprocess.once('close', (code, signal) => resolve({ code, signal }));
  });

  const interactive = isatty(0) || isatty(1) || isatty(2);
  let exited = false;
  const timers = new Set<NodeJS.Timeout>();
  const forward = (signal: NodeJS.Signals): void => {
    const pid = subprocess.pid;
    if (pid === undefined || exited) return;
    try {
      process.kill(pid, signal);
    } catch {
      // pip exited between the check and the kill.
    }
  };
  const handlers = FORWARDED_SIGNALS.map((signal) => {
    const handler = (): void => {
      if (signal === 'SIGINT' && interactive) {
        const timer = setTimeout(() => {
          timers.delete(timer);
          forward(signal);
        }, TERMINAL_SIGINT_GRACE_MS);
        timers.add(timer);
      } else {
        forward(signal);
      }
    };
    process.on(signal, handler);
    return [signal, handler] as const;
  });

  const killOnExit = (): void => forward('SIGTERM');
  process.on('exit', killOnExit);
  pipsRunning += 1;
  try {
    const result = await outcome;
    exited = true;
    if ('error' in result) {
      throw new SafePipError(cannotStartPip.message(realPip, spawnFailure(command.file, result.error)), {
        hint: cannotStartPip.hint,
        exitCode: EXIT_NO_REAL_PIP,
      });
    }
    await written;
    if (result.signal !== null) return 128 + (constants.signals[result.signal] ?? 0);
    return result.code ?? 1;
  } finally {
    pipsRunning -= 1;
    exited = true;
    process.off('exit', killOnExit);
    for (const timer of timers) clearTimeout(timer);
    for (const [signal, handler] of handlers) process.off(signal, handler);
  }
}

/**
 * Pipes a child's stream (when it is a pipe) into `target`, through line rules when there are
 * any; resolves once all of it is written.
 *
 * When `target` can no longer be written (the reader of `pip … | head` has gone), the rest of pip's
 * output is read and dropped, and pip runs to its end. Plain pip would stop at its next line with
 * "Pipe to stdout was broken", but Node's pipes to a child are sockets: closing ours would give pip
 * ECONNRESET, which pip does not take for a broken pipe (it crashes on it mid-way instead).
 */
function rewritten(stream: Readable | null, rules: LineRewrite | undefined, target: Writable): Promise<void> {
  if (stream === null) return Promise.resolve();
  const rewriting = rules === undefined ? stream : stream.pipe(lineRewritingStream(rules));
  return new Promise((resolve) => {
    let targetFailed = false;
    const onTargetError = (): void => {
      targetFailed = true;
      // Later writes to the broken target (there are none from here) must not throw either.
      target.on('error', () => undefined);
      rewriting.unpipe(target);
      rewriting.resume();
    };
    target.once('error', onTargetError);
    rewriting.once('error', () => resolve());
    rewriting.once('end', () => {
      if (targetFailed) {
        resolve();
        return;
      }
      // What was handed to `target` is written (or fails, and onTargetError sees it) first.
      target.write('', (error) => {
        if (error === null || error === undefined) target.off('error', onTargetError);
        resolve();
      });
    });
    rewriting.pipe(target, { end: false });
  });
}

function spawnFailure(file: string, error: NodeJS.ErrnoException): string {
  if (error.code === 'ENOENT') return `${file} does not exist or its interpreter is missing (ENOENT)`;
  if (error.code === 'EACCES') return `${file} is not executable (EACCES)`;
  return error.message;
}
