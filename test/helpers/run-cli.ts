// Runs a command for a test and collects `{exitCode, stdout, stderr}` (corepack's test habit).
//
// The child's environment is built explicitly: process.env (already cleared of PIP_* and
// SAFE_PIP_* by test/helpers/isolate-environment.ts, with its own empty PIP_CONFIG_FILE), then
// the overrides (`undefined` removes a variable). Output is never echoed; a timeout kills the
// child and is reported in the result rather than thrown.
import { execa } from 'execa';

export interface RunOptions {
  /** Variables to set (or, with `undefined`, to remove) on top of process.env. */
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Default 90 s. */
  timeoutMs?: number;
  /** Text for the child's stdin (default: none, stdin is closed). */
  input?: string;
}

export interface RunResult {
  /** The exit code, or -1 when the child was killed (timeout, signal). */
  exitCode: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** The command line run, for assertion messages. */
  command: string[];
}

/** process.env plus overrides; `undefined` deletes. */
export function childEnv(overrides: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

export async function runCommand(file: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const result = await execa(file, args, {
    env: childEnv(options.env),
    extendEnv: false,
    cwd: options.cwd,
    timeout: options.timeoutMs ?? 90_000,
    reject: false,
    stripFinalNewline: false,
    ...(options.input === undefined ? { stdin: 'ignore' as const } : { input: options.input }),
  });
  return {
    exitCode: typeof result.exitCode === 'number' ? result.exitCode : -1,
    stdout: typeof result.stdout === 'string' ? result.stdout : '',
    stderr: typeof result.stderr === 'string' ? result.stderr : '',
    timedOut: result.timedOut,
    command: [file, ...args],
  };
}

/**
 * Settings every plain-pip run gets unless overridden: no cache (a cached wheel built from a
 * canary would hide the next build), no self version check (it queries the test index for
 * `pip`), never prompt.
 */
export const PLAIN_PIP_ENV: Readonly<Record<string, string>> = {
  PIP_NO_CACHE_DIR: '1',
  PIP_DISABLE_PIP_VERSION_CHECK: '1',
  PIP_NO_INPUT: '1',
  PYTHONDONTWRITEBYTECODE: '1',
};

export interface PlainPipOptions extends RunOptions {
  /** Interpreter whose pip to run (default `python3`; `/usr/bin/python3` is pip 23.0.1 here). */
  python?: string;
}

/** `python3 -m pip <args>` with PLAIN_PIP_ENV under the caller's env overrides. */
export async function runPlainPip(args: readonly string[], options: PlainPipOptions = {}): Promise<RunResult> {
  const { python = 'python3', ...rest } = options;
  return runCommand(python, ['-m', 'pip', ...args], { ...rest, env: { ...PLAIN_PIP_ENV, ...options.env } });
}
