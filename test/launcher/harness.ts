// Shared pieces of the launcher tests: the built CLI, fake pips and a fake node put on PATH, and
// a runner that returns {exitCode, stdout, stderr} for a launcher started with an explicit env.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = join(ROOT, 'bin');
export const NODE_DIR = dirname(process.execPath);

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * Builds dist/ when it is missing or older than src/ (`npm test` builds first anyway): tsc, then
 * the bundle the launchers run (scripts/bundle.mjs). Test files run in parallel, so the build is
 * serialised with a lock directory. Type errors in files other tests are working on must not stop
 * these tests: tsc still emits, and only a missing dist/main.js is fatal.
 */
export function ensureBuilt(): void {
  const main = join(ROOT, 'dist', 'main.js');
  const entry = join(ROOT, 'dist', 'main.cjs');
  const fresh = (): boolean => existsSync(main) && existsSync(entry) && statSync(entry).mtimeMs >= newestMtime(join(ROOT, 'src'));
  if (fresh()) return;
  const lock = join(tmpdir(), `safe-pip-build-lock-${Buffer.from(ROOT).toString('hex').slice(-24)}`);
  for (let waited = 0; ; waited++) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (waited > 600) rmSync(lock, { recursive: true, force: true });
      spawnSync('sleep', ['0.2']);
    }
  }
  try {
    if (!fresh()) {
      spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.json')], { stdio: 'ignore' });
      spawnSync(process.execPath, [join(ROOT, 'scripts', 'bundle.mjs')], { stdio: 'ignore' });
    }
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
  if (!existsSync(main)) throw new Error('npm run build did not produce dist/main.js');
}

/** The V8 options bin/safe-pip starts Node with (its `safe_pip_node_flags`). */
export function launcherNodeFlags(): string[] {
  const flags = /^\s*safe_pip_node_flags='([^']*)'/m.exec(readFileSync(join(BIN, 'safe-pip'), 'utf8'))?.[1]?.split(' ') ?? [];
  if (flags.length === 0) throw new Error('bin/safe-pip sets no safe_pip_node_flags');
  return flags;
}

/** Whether the bundle the launchers run (dist/main.cjs, scripts/bundle.mjs) is built. */
export function distIsBundled(): boolean {
  return existsSync(join(ROOT, 'dist', 'main.cjs'));
}

/** tsc's unbundled CLI, module by module, for the tests that check which modules a command imports. */
export function unbundledProgram(): string {
  return join(ROOT, 'dist', 'main.js');
}

export function writeExecutable(path: string, text: string): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  chmodSync(path, 0o755);
  return path;
}

/**
 * A fake pip: prints one JSON line {pip, argv, depth} to stdout (its own path, its argv, and the
 * recursion guard it was given) and exits with $FAKE_PIP_EXIT (default 0).
 */
export function writeFakePip(path: string): string {
  return writeExecutable(
    path,
    `#!/bin/sh
printf '{"pip":"%s","depth":"%s","argv":[' "$0" "\${SAFE_PIP_DEPTH-}"
sep=
for a in "$@"; do
  printf '%s"%s"' "$sep" "$(printf '%s' "$a" | command -p sed 's/\\\\/\\\\\\\\/g; s/"/\\\\"/g')"
  sep=,
done
printf ']}\\n'
exit "\${FAKE_PIP_EXIT:-0}"
`,
  );
}

/** A fake node that appends a line to $FAKE_NODE_LOG, then runs the real node. */
export function writeFakeNode(dir: string): string {
  return writeExecutable(join(dir, 'node'), `#!/bin/sh\necho called >>"$FAKE_NODE_LOG"\nexec '${process.execPath}' "$@"\n`);
}

export interface RunResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function run(file: string, args: readonly string[], env: NodeJS.ProcessEnv, input?: string): RunResult {
  const result = spawnSync(file, args, { env, encoding: 'utf8', input: input ?? '', timeout: 60_000 });
  if (result.error) throw result.error;
  return { exitCode: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}

/** Like run(), without blocking the test worker (for tests that send signals meanwhile). */
export function start(file: string, args: readonly string[], env: NodeJS.ProcessEnv) {
  const child = spawn(file, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<RunResult>((resolveDone) => {
    child.on('close', (exitCode, signal) => resolveDone({ exitCode, signal, stdout, stderr }));
  });
  return { child, done };
}

/** The first executable `name` on a PATH, as a shell would find it (the oracle for "real pip"). */
export function commandOnPath(name: string, path: string): string {
  return execFileSync('/bin/sh', ['-c', `command -v ${name}`], { env: { PATH: path }, encoding: 'utf8' }).trim();
}

/** process.env (already cleaned by the setup file) with the given changes; undefined deletes. */
export function envWith(changes: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

export function parseFakePipOutput(stdout: string): { pip: string; depth: string; argv: string[] } {
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as { pip: string; depth: string; argv: string[] };
}

/** Waits (up to 30 s, polling) until condition() holds. */
export async function waitFor(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * Runs `bin/pip install x` with a Node stand-in (given to `envFor` as its body, to put behind
 * SAFE_PIP_NODE) that traps SIGTERM, SIGINT and SIGHUP, exiting 5; sends `signal` to the first
 * process once that Node runs, and expects that Node to have got it and its exit to come back.
 */
export async function signalWhileNodeDecides(signal: NodeJS.Signals, envFor: (node: string) => NodeJS.ProcessEnv): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'safe-pip-signal-'));
  const got = join(dir, 'got');
  const ready = join(dir, 'ready');
  const node = `for sig in TERM INT HUP; do trap "echo $sig >'${got}'; kill \\$sleeper; exit 5" $sig; done
sleep 60 &
sleeper=$!
echo $$ >'${ready}'
wait $sleeper`;
  const { child, done } = start(join(BIN, 'pip'), ['install', 'x'], envFor(node));
  await waitFor(() => existsSync(ready), 'Node to start');
  child.kill(signal);
  const result = await done;
  const text = readFileSync(got, 'utf8').trim();
  rmSync(dir, { recursive: true, force: true });
  expect(result.exitCode).toBe(5);
  expect(text).toBe(signal.slice(3));
}
