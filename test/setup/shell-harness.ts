// Real shells in temporary homes, with fake commands that record how they were called.
//
// A fake (pip, pip3, pip3.11, python3, a stand-in launcher...) appends one line to the file named
// by $SAFE_PIP_TEST_RECORD: its own path, its arguments, and SAFE_PIP_DEPTH / SAFE_PIP_REAL_PIP /
// SAFE_PIP_REAL_PYTHON as it saw them. SAFE_PIP_DEPTH is set only by safe-pip's launcher when it
// runs a real pip, which is how a test tells "reached safe-pip" from "ran the real pip directly".
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { makeTempDir } from '../helpers/temp-dir.js';

export const REPO_ROOT = new URL('../../', import.meta.url).pathname.replace(/\/$/, '');
export const REPO_BIN = join(REPO_ROOT, 'bin');

export type ShellName = 'bash' | 'zsh' | 'fish';

/** The absolute path of a shell on this machine, or undefined when it is not installed. */
export function shellPath(shell: ShellName): string | undefined {
  const result = spawnSync('sh', ['-c', `command -v ${shell}`], { encoding: 'utf8' });
  const path = result.stdout.trim();
  return result.status === 0 && path !== '' ? path : undefined;
}

export interface Call {
  /** The fake's path ($0). */
  program: string;
  args: string[];
  depth: string;
  realPip: string;
  realPython: string;
}

/** A script that records its call and exits with $FAKE_EXIT (default 0). */
export function recorderScript(): string {
  return [
    '#!/bin/sh',
    '{ printf "%s" "$0"; for a in "$@"; do printf "\\t%s" "$a"; done; printf "\\n@%s\\t%s\\t%s\\n" "${SAFE_PIP_DEPTH-unset}" "${SAFE_PIP_REAL_PIP-unset}" "${SAFE_PIP_REAL_PYTHON-unset}"; } >>"$SAFE_PIP_TEST_RECORD"',
    'exit "${FAKE_EXIT:-0}"',
    '',
  ].join('\n');
}

export function writeExecutable(path: string, text: string): void {
  writeFileSync(path, text);
  chmodSync(path, 0o755);
}

/** A directory of recorder fakes with the given names. */
export function makeFakes(dir: string, names: readonly string[]): string {
  mkdirSync(dir, { recursive: true });
  for (const name of names) writeExecutable(join(dir, name), recorderScript());
  return dir;
}

export function readCalls(recordFile: string): Call[] {
  if (!existsSync(recordFile)) return [];
  const lines = readFileSync(recordFile, 'utf8').split('\n');
  const calls: Call[] = [];
  for (let i = 0; i + 1 < lines.length; i += 2) {
    const [program = '', ...args] = (lines[i] as string).split('\t');
    const [depth = '', realPip = '', realPython = ''] = (lines[i + 1] as string).slice(1).split('\t');
    calls.push({ program, args, depth, realPip, realPython });
  }
  return calls;
}

/** A temporary home with its own XDG directories; nothing of the developer's leaks in. */
export interface TestHome {
  root: string;
  home: string;
  record: string;
  env: NodeJS.ProcessEnv;
}

export function makeHome(extraPath: readonly string[] = []): TestHome {
  const root = makeTempDir('safe-pip-setup-');
  const home = join(root, 'home');
  mkdirSync(home);
  const record = join(root, 'calls.txt');
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of ['ZDOTDIR', 'BASH_ENV', 'ENV', 'VIRTUAL_ENV', 'GITHUB_PATH', 'PYTHONPATH', 'PROMPT_COMMAND']) delete env[key];
  Object.assign(env, {
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_DATA_HOME: join(home, '.local', 'share'),
    SHELL: '/bin/bash',
    SAFE_PIP_TEST_RECORD: record,
    PATH: [...extraPath, process.env.PATH ?? ''].join(delimiter),
    TERM: 'dumb',
    // fish would otherwise try to talk to a terminal for its greeting and key bindings.
    fish_greeting: '',
  });
  return { root, home, record, env };
}

export interface ShellResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `script` in an interactive `shell` (-i), which reads the rc file like a terminal does. */
export function runInteractive(shell: ShellName, script: string, env: NodeJS.ProcessEnv): ShellResult {
  const result = spawnSync(shell, ['-i', '-c', script], { env, encoding: 'utf8', input: '', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export function runCommand(program: string, args: string[], env: NodeJS.ProcessEnv, cwd?: string): ShellResult {
  const result = spawnSync(program, args, { env, encoding: 'utf8', input: '', timeout: 120_000, cwd });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** An io for runSetup & co. that keeps what was written. */
export function collectingIo(env: NodeJS.ProcessEnv): {
  io: { env: NodeJS.ProcessEnv; stdout: { write(text: string): boolean }; stderr: { write(text: string): boolean } };
  out: () => string;
  err: () => string;
} {
  let out = '';
  let err = '';
  return {
    io: {
      env,
      stdout: { write: (text: string) => ((out += text), true) },
      stderr: { write: (text: string) => ((err += text), true) },
    },
    out: () => out,
    err: () => err,
  };
}

/** True when bin/safe-pip (the other issue's launcher) honours SAFE_PIP_REAL_PYTHON. */
export function launcherHonoursRealPython(): boolean {
  const launcher = join(REPO_BIN, 'safe-pip');
  return existsSync(launcher) && readFileSync(launcher, 'utf8').includes('SAFE_PIP_REAL_PYTHON');
}
