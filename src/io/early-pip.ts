// Starting the real pip's Python while safe-pip is still deciding (issue 12 §1). Importing pip's
// command-line machinery takes a plain venv's Python about 0.3 s before pip reads its first
// option, which is longer than safe-pip's whole decision for a command with nothing to fetch. So
// for a building command, safe-pip starts the real pip's interpreter at once, on a small loader
// that imports `pip._internal.cli.main` (the first thing pip's own script does) and then waits.
// Only when safe-pip has decided and the run it would start matches what was started (same pip
// and working directory, stdio as startEarlyPip explains, an environment that differs at most in
// PIP_* variables) does the loader receive pip's arguments, on a private socket (fd 3), and run
// pip's own script file with runpy, as `__main__`, with sys.argv[0] the script's path: what the
// kernel's `#!` would have run. Anything else (a refusal, a run that does not match, an exit)
// discards it: the loader is killed, or sees end-of-file and exits without a word. The loader never
// runs pip before it has its arguments, so nothing pip does happens before the decision.
//
// Only a script pip itself would have written qualifies: `#!/absolute/python` with no arguments and
// `from pip._internal.cli.main import main` in a file small enough to be that script. A pyenv shim
// does not: `pyenv exec pip` runs exec hooks (pyenv's own pip-rehash wraps pip to rehash after an
// install) that a loader could not reproduce. Neither does `python -m pip` (SAFE_PIP_REAL_PYTHON).
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readSync } from 'node:fs';
import type { Socket } from 'node:net';
import { isatty } from 'node:tty';
import { guardedEnvironment } from './real-pip-guard.js';

const SCRIPT_HEAD_BYTES = 4096;
const PIP_MAIN_IMPORT = /^from pip\._internal\.cli\.main import main\r?$/m;

// sys.argv[0] is the script's path from the start, and sys.path[0] its directory (symlinks
// resolved), as CPython sets them for `python script`, unless safe_path (-P, PYTHONSAFEPATH)
// leaves the directory out; `-c` put '-c' and '' there instead. An ImportError
// while warming is left for pip's script to hit and report as it would. Any BaseException while
// waiting (Ctrl-C, a closed socket) ends the loader silently: pip has not started.
const LOADER = `import sys
def _safe_pip_early():
    import os
    script = sys.argv[1]
    sys.argv[:] = [script]
    if sys.path and sys.path[0] == '' and not getattr(sys.flags, 'safe_path', False):
        sys.path[0] = os.path.dirname(os.path.realpath(script))
    try:
        try:
            import pip._internal.cli.main
        except Exception:
            pass
        chunks = []
        while True:
            chunk = os.read(3, 65536)
            if not chunk:
                break
            chunks.append(chunk)
        os.close(3)
    except BaseException:
        os._exit(1)
    if not chunks:
        os._exit(0)
    import json
    go = json.loads(b''.join(chunks).decode('utf-8'))
    for name, value in go['env'].items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    sys.argv[:] = [script] + go['args']
    return script
_safe_pip_script = _safe_pip_early()
import runpy
runpy.run_path(_safe_pip_script, run_name='__main__')
`;

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

/** The interpreter of a pip script pip itself wrote (see the header), or null. */
export function earlyPipInterpreter(realPip: string): string | null {
  let head: string;
  try {
    const fd = openSync(realPip, 'r');
    try {
      const buffer = Buffer.alloc(SCRIPT_HEAD_BYTES);
      const length = readSync(fd, buffer, 0, SCRIPT_HEAD_BYTES, 0);
      if (length === SCRIPT_HEAD_BYTES) return null;
      head = buffer.toString('utf8', 0, length);
    } finally {
      closeSync(fd);
    }
  } catch {
    return null;
  }
  const shebang = /^#!(\/\S+)\r?\n/.exec(head);
  if (shebang === null || !PIP_MAIN_IMPORT.test(head)) return null;
  return shebang[1]!;
}

/**
 * Starts the loader for `realPip` (when it qualifies) with the environment and working directory
 * runPip would give it. It holds nothing open: Node exits as if it had not been started.
 *
 * When safe-pip's stdout is not a terminal, the loader's stdout is a pipe that runPip copies
 * (through line rules when the run has any), as it does for a hand-off whose output it rewrites:
 * pip sees no terminal either way, and the loader serves those runs too. On a terminal it is
 * inherited, so that pip still sees one, and a run that rewrites stdout starts a pip of its own.
 */
export function startEarlyPip(realPip: string, env: NodeJS.ProcessEnv, cwd: string = process.cwd(), options: { stdoutIsTerminal?: boolean } = {}): void {
  if (early !== null) return;
  const python = earlyPipInterpreter(realPip);
  if (python === null) return;
  const guarded = guardedEnvironment(env);
  const stdoutPiped = !(options.stdoutIsTerminal ?? isatty(1));
  const child = spawn(python, ['-c', LOADER, realPip], { env: guarded, cwd, stdio: ['inherit', stdoutPiped ? 'pipe' : 'inherit', 'inherit', 'pipe'] });
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

/**
 * The started loader, now running `realPip args…`, when it matches the run (see the header);
 * otherwise null, and the loader, if any, is discarded. `run.env` is the environment runPip
 * gives pip (guardedEnvironment applied).
 */
export function adoptEarlyPip(realPip: string, args: readonly string[], run: EarlyPipRun): ChildProcess | null {
  const candidate = early;
  if (candidate === null) return null;
  early = null;
  process.off('exit', discardEarlyPip);
  const stdioMatches = run.stderrPlain && (run.stdoutPlain || candidate.stdoutPiped);
  const changes = stdioMatches && candidate.realPip === realPip && candidate.cwd === run.cwd ? pipVariableChanges(candidate.env, run.env) : null;
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

/** Kills the loader if one was started and not adopted; pip never ran in it. */
export function discardEarlyPip(): void {
  const candidate = early;
  early = null;
  process.off('exit', discardEarlyPip);
  if (candidate !== null) kill(candidate.child);
}

function kill(child: ChildProcess): void {
  if (child.exitCode !== null || child.signalCode !== null) return;
  try {
    child.kill('SIGTERM');
  } catch {
    // Already gone.
  }
}

/**
 * What must change in the loader's environment to make it `to`: only PIP_* variables, which pip
 * reads when it parses its options, after the loader has its arguments. null when anything else
 * differs (Python read those at start-up).
 */
export function pipVariableChanges(from: NodeJS.ProcessEnv, to: NodeJS.ProcessEnv): Record<string, string | null> | null {
  const changes: Record<string, string | null> = {};
  for (const name of new Set([...Object.keys(from), ...Object.keys(to)])) {
    const before = from[name];
    const after = to[name];
    if (before === after) continue;
    if (!name.startsWith('PIP_')) return null;
    changes[name] = after ?? null;
  }
  return changes;
}
