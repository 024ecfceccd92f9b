// An interpreter probe started before the bundle loads (src/probe-ahead.ts, which dist/main.cjs
// runs), and taken over by interpreter-probe.ts when it would run the same one. On a cold cache the
// probe's Python was the last thing `fetch` or `explain` waited for before its first request: it
// was started only once the bundle had loaded (~15 ms of Node's main thread), and answered ~12 ms
// after that. Started first, it runs while the bundle loads.
//
// A global, not a variable of this module: dist/main.cjs and the bundle each have their own copy
// of it. The probe is taken only when it ran exactly as interpreter-probe.ts would run it (the same
// Python, arguments, environment and folder); otherwise, and when nothing takes it before the process exits,
// it is killed. Until it is taken it keeps nothing alive: a command that needs no probe (a usage
// error, a fetch for a given platform) ends without waiting for it.
//
// To know whether to start it, dist/main.cjs finds the interpreter and looks up its cached facts;
// it keeps what it found (keepLookUp) for interpreter-probe.ts, which takes it for the same pip,
// environment, folder and cache: a warm run then does that work once, not twice (~2 ms).
import { spawn, type ChildProcess } from 'node:child_process';

const EARLY_PROBE = Symbol.for('safe-pip.early-probe');
const LOOK_UP = Symbol.for('safe-pip.early-probe.look-up');

interface LookUp {
  realPip: string;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  cacheDir: string;
  found: unknown;
}

interface EarlyProbe {
  python: string;
  args: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  child: ChildProcess;
  /** The probe's stdout when it exited with 0; undefined when it failed in any way. */
  answer: Promise<string | undefined>;
  /** Set as takeEarlyProbe looks at it: from then on, it is the taker's (or killed). */
  taken: boolean;
}

const registry = globalThis as Record<symbol, EarlyProbe | undefined>;
const lookUps = globalThis as Record<symbol, LookUp | undefined>;

/** Keeps what was found out about `realPip`'s interpreter under these conditions, for takeLookUp. */
export function keepLookUp(realPip: string, env: NodeJS.ProcessEnv, cwd: string, cacheDir: string, found: unknown): void {
  lookUps[LOOK_UP] = { realPip, env: { ...env }, cwd, cacheDir, found };
}

/** What keepLookUp kept, when it was found for this pip, environment, folder and cache; once only. */
export function takeLookUp(realPip: string, env: NodeJS.ProcessEnv, cwd: string, cacheDir: string): unknown {
  const kept = lookUps[LOOK_UP];
  lookUps[LOOK_UP] = undefined;
  if (kept === undefined || kept.realPip !== realPip || kept.cwd !== cwd || kept.cacheDir !== cacheDir || !sameEnvironment(kept.env, env)) return undefined;
  return kept.found;
}

/** Starts `python args` in `cwd` with `env` and keeps it for takeEarlyProbe (see the header). */
export function startEarlyProbe(python: string, args: readonly string[], env: NodeJS.ProcessEnv, cwd: string): void {
  if (registry[EARLY_PROBE] !== undefined) return;
  const child = spawn(python, args, { env, cwd, stdio: ['ignore', 'pipe', 'ignore'] });
  const chunks: Buffer[] = [];
  child.stdout!.on('data', (chunk: Buffer) => chunks.push(chunk));
  const answer = new Promise<string | undefined>((resolve) => {
    child.once('error', () => resolve(undefined));
    child.once('close', (code, signal) => resolve(code === 0 && signal === null ? Buffer.concat(chunks).toString('utf8') : undefined));
  });
  const probe: EarlyProbe = { python, args: [...args], env: { ...env }, cwd, child, answer, taken: false };
  child.unref();
  (child.stdout as { unref?: () => void } | null)?.unref?.();
  process.once('exit', () => {
    if (!probe.taken) child.kill();
  });
  registry[EARLY_PROBE] = probe;
}

/**
 * The early probe's answer when it ran `python args` with this environment in this folder: its
 * stdout, or undefined when it failed (the caller then runs the probe itself, and reports that
 * failure). Undefined at once when there is none, or it ran otherwise (it is killed). Once only.
 */
export function takeEarlyProbe(python: string, args: readonly string[], env: NodeJS.ProcessEnv, cwd: string, timeoutMs: number): Promise<string | undefined> | undefined {
  const probe = registry[EARLY_PROBE];
  if (probe === undefined) return undefined;
  registry[EARLY_PROBE] = undefined;
  probe.taken = true;
  if (probe.python !== python || probe.cwd !== cwd || !sameList(probe.args, args) || !sameEnvironment(probe.env, env)) {
    probe.child.kill();
    return undefined;
  }
  probe.child.ref();
  (probe.child.stdout as { ref?: () => void } | null)?.ref?.();
  const timer = setTimeout(() => probe.child.kill(), timeoutMs);
  return probe.answer.finally(() => clearTimeout(timer));
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}

function sameEnvironment(a: Readonly<Record<string, string | undefined>>, b: NodeJS.ProcessEnv): boolean {
  const keys = Object.keys(a).filter((key) => a[key] !== undefined);
  return keys.length === Object.keys(b).filter((key) => b[key] !== undefined).length && keys.every((key) => a[key] === b[key]);
}
