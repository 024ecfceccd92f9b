// Running safe-pip against a hostile index and checking what a careful user expects: a sandbox
// (cwd, destination and cache inside one temp dir, so anything written outside the destination
// shows up), the built CLI run with an explicit environment, and the assertions every case shares.
// `HOSTILE_DEBUG=1 npx vitest run test/hostile` prints every failure message (and pip's) as it goes.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect } from 'vitest';
import { runCommand, type RunResult } from '../helpers/run-cli.js';
import { makeTempDir } from '../helpers/temp-dir.js';

export const SAFE_PIP = join(process.cwd(), 'bin', 'safe-pip');
/** The pip next to python3's interpreter (pyenv CPython 3.11.7, pip 23.2.1). */
export const REAL_PIP = '/root/.pyenv/versions/3.11.7/bin/pip';

export interface Sandbox {
  root: string;
  /** The working directory of the run. */
  cwd: string;
  /** `-d` (inside cwd, so an escape by `../` lands in the sandbox). */
  dest: string;
  cache: string;
  /** Every path under root before the run, except under dest and cache. */
  before: string[];
}

export function makeSandbox(): Sandbox {
  const root = makeTempDir('safe-pip-hostile-');
  const cwd = join(root, 'work', 'project');
  const cache = join(root, 'cache');
  mkdirSync(cwd, { recursive: true });
  mkdirSync(cache);
  const sandbox = { root, cwd, dest: join(cwd, 'dest'), cache, before: [] as string[] };
  sandbox.before = outsideDest(sandbox);
  return sandbox;
}

/** Relative paths of every entry under `dir` (dotfiles included), sorted. */
export function treeOf(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      out.push(relative(dir, p));
      if (statSync(p).isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out.sort();
}

function outsideDest(s: Sandbox): string[] {
  const dest = relative(s.root, s.dest);
  const cache = relative(s.root, s.cache);
  return treeOf(s.root).filter((p) => p !== dest && !p.startsWith(`${dest}/`) && !p.startsWith(`${cache}/`));
}

export function baseEnv(s: Sandbox, extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    SAFE_PIP_REAL_PIP: REAL_PIP,
    SAFE_PIP_CACHE_DIR: s.cache,
    PIP_NO_CACHE_DIR: '1',
    PIP_DISABLE_PIP_VERSION_CHECK: '1',
    PIP_NO_INPUT: '1',
    PYTHONDONTWRITEBYTECODE: '1',
    ...extra,
  };
}

/**
 * The environment for a run that uses safe-pip's cache: pip's `--no-cache-dir` (set by baseEnv)
 * turns safe-pip's off too, so pip gets a cache of its own inside the sandbox's cache folder.
 */
export function cacheEnv(s: Sandbox, extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return { PIP_NO_CACHE_DIR: undefined, PIP_CACHE_DIR: join(s.cache, 'pip'), ...extra };
}

/** `safe-pip fetch -d <dest> <args>` in the sandbox. */
export function safePipFetch(s: Sandbox, args: readonly string[], env: Record<string, string | undefined> = {}): Promise<RunResult> {
  return runCommand(SAFE_PIP, ['fetch', '-d', s.dest, ...args], { cwd: s.cwd, env: baseEnv(s, env), timeoutMs: 120_000 });
}

/** `safe-pip pip download -d <dest> <args>` in the sandbox. */
export function safePipDownload(s: Sandbox, args: readonly string[], env: Record<string, string | undefined> = {}): Promise<RunResult> {
  return runCommand(SAFE_PIP, ['pip', 'download', '-d', s.dest, ...args], { cwd: s.cwd, env: baseEnv(s, env), timeoutMs: 120_000 });
}

/**
 * A failure as a user should see it: non-zero (and not 70, a safe-pip bug), no stack trace, in
 * time, and the message names each of `mentions`.
 */
export function expectCleanFailure(result: RunResult, mentions: ReadonlyArray<string | RegExp> = []): void {
  const context = `${result.command.join(' ')}\n--- stderr ---\n${result.stderr}\n--- stdout ---\n${result.stdout}`;
  if (process.env.HOSTILE_DEBUG === '1') process.stdout.write(`[${result.exitCode}] ${result.stderr}\n`);
  expect(result.timedOut, context).toBe(false);
  expect(result.exitCode, context).not.toBe(0);
  expect(result.exitCode, context).not.toBe(70);
  expect(result.exitCode, context).toBeGreaterThan(0);
  expect(result.stderr, context).not.toMatch(/\n\s+at /);
  expect(result.stderr, context).not.toMatch(/Traceback \(most recent call last\)/);
  for (const m of mentions) {
    if (typeof m === 'string') expect(result.stderr, context).toContain(m);
    else expect(result.stderr, context).toMatch(m);
  }
}

export function expectSuccess(result: RunResult): void {
  const context = `${result.command.join(' ')}\n--- stderr ---\n${result.stderr}\n--- stdout ---\n${result.stdout}`;
  expect(result.timedOut, context).toBe(false);
  expect(result.exitCode, context).toBe(0);
}

/**
 * The destination holds exactly these complete, verified files (name -> bytes) and nothing else
 * (no temporary or partial file), and nothing appeared in the sandbox outside it.
 */
export function expectDestination(s: Sandbox, files: Readonly<Record<string, Buffer>>): void {
  expect(treeOf(s.dest)).toEqual(Object.keys(files).sort());
  for (const [name, data] of Object.entries(files)) {
    const got = createHash('sha256').update(readFileSync(join(s.dest, name))).digest('hex');
    expect(got, name).toBe(createHash('sha256').update(data).digest('hex'));
  }
  expect(outsideDest(s)).toEqual(s.before);
}

/**
 * Like expectDestination, for a run that failed part way: the destination holds only complete,
 * verified files among `allowed` (those saved before the failure), and nothing else.
 */
export function expectDestinationWithin(s: Sandbox, allowed: Readonly<Record<string, Buffer>>): void {
  const saved = treeOf(s.dest);
  for (const name of saved) expect(Object.keys(allowed), `unexpected file ${name} in the destination`).toContain(name);
  expectDestination(s, Object.fromEntries(saved.map((name) => [name, allowed[name]!])));
}

/**
 * Known safe-pip bugs outside this suite's files, reported to the lead: a test that asserts the
 * right outcome runs as `it.fails` while the bug is there, and starts failing (so the marker must
 * go) once it is fixed.
 *
 * `pip download` through safe-pip, when safe-pip cannot resolve a requirement: it prints "pip will
 * report it" but hands pip nothing (src/policy/plan.ts leaves pipRequirements null when the
 * closure is empty), so the run exits 0 having downloaded nothing.
 */
export const BUG_DOWNLOAD_UNRESOLVED_EXITS_0 = false;

/** Runs assertions that a known bug makes fail: passes while they fail, fails once they pass. */
export async function expectFailureAsBug(assertions: () => Promise<void>): Promise<void> {
  let passed = false;
  try {
    await assertions();
    passed = true;
  } catch {
    // the known bug is still there
  }
  expect(passed, 'a known bug seems fixed: drop its BUG_* marker in test/hostile/harness.ts').toBe(false);
}

/**
 * `safe-pip <args>` in the sandbox, sampling the process's peak resident memory (VmHWM of the
 * Node process: the launcher execs Node, so the pid stays the same) until it exits.
 */
export async function runMeasured(s: Sandbox, args: readonly string[], env: Record<string, string> = {}): Promise<RunResult & { peakRssBytes: number }> {
  const { execa } = await import('execa');
  const { childEnv } = await import('../helpers/run-cli.js');
  const child = execa(SAFE_PIP, [...args], { env: childEnv(baseEnv(s, env)), extendEnv: false, cwd: s.cwd, timeout: 120_000, reject: false, stdin: 'ignore' });
  let peak = 0;
  const sample = (): void => {
    try {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
      peak = Math.max(peak, kb * 1024);
    } catch {
      // exited
    }
  };
  const timer = setInterval(sample, 20);
  const result = await child;
  clearInterval(timer);
  return {
    exitCode: typeof result.exitCode === 'number' ? result.exitCode : -1,
    stdout: String(result.stdout ?? ''),
    stderr: String(result.stderr ?? ''),
    timedOut: result.timedOut,
    command: [SAFE_PIP, ...args],
    peakRssBytes: peak,
  };
}

/** Plain pip 23.2.1 as the oracle: `pip download --only-binary :all: -d <dest> <args>`: the saved names, or 'crash' (a traceback) / 'fail'. */
export async function plainPipDownload(args: readonly string[]): Promise<string[] | 'crash' | 'fail'> {
  const { runPlainPip } = await import('../helpers/run-cli.js');
  const s = makeSandbox();
  const result = await runPlainPip(['download', '--only-binary', ':all:', '-d', s.dest, ...args], { cwd: s.cwd });
  if (process.env.HOSTILE_DEBUG === '1') process.stdout.write(`[pip ${result.exitCode}] ${result.stderr}\n`);
  if (result.exitCode === 0) return treeOf(s.dest);
  return /Traceback|ERROR: Exception:/.test(result.stderr) ? 'crash' : 'fail';
}

/**
 * A RequirementsFileError (recursion, unreadable file, ...) is not a SafePipError: it reaches
 * main.ts as an internal error (exit 70, "this is a bug in safe-pip"). Fix: convert it where
 * src/io/requirement-sources.ts calls parseRequirementsFile.
 */
export const BUG_REQFILE_ERROR_EXITS_70 = false;

/**
 * A remote requirements file is read whatever the HTTP status (src/cli/intercept/analyze.ts
 * `fetchUrl` ignores it; pip raises "404 Client Error"), so an error page is parsed as
 * requirements; and nested files have no depth limit, so a chain of ever-new URLs is followed
 * until the server stops.
 */
export const BUG_REMOTE_REQFILE_STATUS_AND_DEPTH = false;
