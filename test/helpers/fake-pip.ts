// A fake `pip` (and `pip3`) that records how it was called, so rewrite tests can check exactly
// what the real pip would have received (execa's habit of tiny fixture executables).
//
// Each executable is a POSIX sh script that hands its argv to a small Node recorder (sh cannot
// write JSON for arbitrary bytes reliably). Every call appends one JSON line to the log named by
// $FAKE_PIP_LOG (default `<dir>/calls.jsonl`): `{program, argv, env, cwd}`, where env holds only
// the variables asked for. Then it prints the configured output and exits with the configured
// code ($FAKE_PIP_EXIT_CODE overrides it per run). `pip --version` / `-V` prints a pip-like
// version line so that version probing works.
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from './temp-dir.js';

export const FAKE_PIP_LOG_ENV = 'FAKE_PIP_LOG';
export const FAKE_PIP_EXIT_CODE_ENV = 'FAKE_PIP_EXIT_CODE';

export interface FakePipOptions {
  /** Exit code of every call (default 0). */
  exitCode?: number;
  stdout?: string;
  stderr?: string;
  /** Version reported by `--version` (default `23.2.1`). */
  version?: string;
  /** Env names to record; a trailing `*` is a prefix. Default: PIP_*, SAFE_PIP_*, CANARY_DIR, VIRTUAL_ENV, PYTHONPATH. */
  recordEnv?: string[];
  /** Executable names to create (default `pip`, `pip3`). */
  names?: string[];
}

export interface FakePip {
  /** Directory holding the executables: put it first on PATH. */
  dir: string;
  /** Path of the `pip` executable (the first of `names`). */
  path: string;
  logFile: string;
  /** `{ PATH: dir + ':' + PATH, FAKE_PIP_LOG: logFile }` to merge into a child's env. */
  env: Record<string, string>;
}

export interface FakePipCall {
  /** Name it was called by (`pip`, `pip3`). */
  program: string;
  /** Arguments after the program name. */
  argv: string[];
  env: Record<string, string>;
  cwd: string;
}

const RECORDER = `'use strict';
const fs = require('node:fs');
const path = require('node:path');
const config = JSON.parse(fs.readFileSync(path.join(__dirname, 'fake-pip.json'), 'utf8'));
const [, , program, ...argv] = process.argv;
const env = {};
for (const [key, value] of Object.entries(process.env)) {
  if (config.recordEnv.some((p) => (p.endsWith('*') ? key.startsWith(p.slice(0, -1)) : key === p))) env[key] = value;
}
const log = process.env.${FAKE_PIP_LOG_ENV} || config.defaultLog;
fs.appendFileSync(log, JSON.stringify({ program: path.basename(program), argv, env, cwd: process.cwd() }) + '\\n');
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  process.stdout.write('pip ' + config.version + ' from ' + __dirname + ' (python 3.11)\\n');
  process.exit(0);
}
if (config.stdout) process.stdout.write(config.stdout);
if (config.stderr) process.stderr.write(config.stderr);
const override = process.env.${FAKE_PIP_EXIT_CODE_ENV};
process.exitCode = override !== undefined && override !== '' ? Number(override) : config.exitCode;
`;

function shQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export function createFakePip(options: FakePipOptions = {}, dir = makeTempDir('fake-pip-')): FakePip {
  const logFile = join(dir, 'calls.jsonl');
  const config = {
    exitCode: options.exitCode ?? 0,
    stdout: options.stdout ?? '',
    stderr: options.stderr ?? '',
    version: options.version ?? '23.2.1',
    recordEnv: options.recordEnv ?? ['PIP_*', 'SAFE_PIP_*', 'CANARY_DIR', 'VIRTUAL_ENV', 'PYTHONPATH'],
    defaultLog: logFile,
  };
  writeFileSync(join(dir, 'fake-pip.json'), JSON.stringify(config));
  const recorder = join(dir, 'record-call.cjs');
  writeFileSync(recorder, RECORDER);
  const names = options.names ?? ['pip', 'pip3'];
  for (const name of names) {
    const script = `#!/bin/sh\nexec ${shQuote(process.execPath)} ${shQuote(recorder)} "$0" "$@"\n`;
    writeFileSync(join(dir, name), script);
    chmodSync(join(dir, name), 0o755);
  }
  return {
    dir,
    path: join(dir, names[0] ?? 'pip'),
    logFile,
    env: { PATH: `${dir}:${process.env.PATH ?? ''}`, [FAKE_PIP_LOG_ENV]: logFile },
  };
}

/** The calls recorded so far, oldest first. Accepts the FakePip, its dir, or a log file path. */
export function readFakePipCalls(from: FakePip | string): FakePipCall[] {
  const log = typeof from === 'string' ? (from.endsWith('.jsonl') ? from : join(from, 'calls.jsonl')) : from.logFile;
  if (!existsSync(log)) return [];
  return readFileSync(log, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as FakePipCall);
}
