// The machine's pip (python3 -m pip, 23.2.1) as the oracle for candidate choice and resolution:
// many `install --dry-run --report` runs in one interpreter (pip_dry_run.py), and pip's own
// PackageFinder over the same loopback indexes (pip_finder_oracle.py) for cases pip would need a
// build to finish (sdists, --prefer-binary) — the finder alone never builds anything.
import { readFileSync } from 'node:fs';
import { PLAIN_PIP_ENV, runCommand } from '../../helpers/run-cli.js';

export interface PipInstall {
  name: string;
  version: string;
  url: string;
}

export interface PipRun {
  exit: number;
  installs: PipInstall[];
  stderr: string;
}

async function runScript<T>(script: string, input: unknown, timeoutMs: number, python = 'python3'): Promise<T> {
  const text = readFileSync(new URL(script, import.meta.url), 'utf8');
  const result = await runCommand(python, ['-c', text], { input: JSON.stringify(input), env: { ...PLAIN_PIP_ENV }, timeoutMs });
  if (result.exitCode !== 0) throw new Error(`${script} failed (${result.exitCode}):\n${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

export interface PipInvocation {
  /** pip's arguments, command first. */
  args: readonly string[];
  /** Append `--report FILE` and return the report's installs (install --dry-run). */
  report?: boolean;
}

/** Several pip runs in one interpreter (default the machine's python3; or a venv's bin/python). */
export function pipRuns(runs: readonly PipInvocation[], python = 'python3'): Promise<PipRun[]> {
  return runScript<PipRun[]>('./pip_dry_run.py', runs, 300_000, python);
}

/** `pip install --dry-run --ignore-installed --only-binary :all: -q --report … <args>`. */
export function dryRunInvocation(args: readonly string[]): PipInvocation {
  return { args: ['install', '--dry-run', '--ignore-installed', '--only-binary', ':all:', '-q', ...args], report: true };
}

export interface FinderCase {
  project: string;
  specifier?: string;
  indexUrls?: string[];
  findLinks?: string[];
  noIndex?: boolean;
  pre?: boolean;
  preferBinary?: boolean;
  onlyBinary?: string[];
  noBinary?: string[];
  ignoreRequiresPython?: boolean;
  hashes?: Record<string, string[]>;
}

export interface FinderAnswer {
  found: string[];
  /** Candidates pip 23.2.1 makes with a LegacyVersion (safe-pip rejects them as invalid-version). */
  legacy: string[];
  ordered: string[];
  best: string | null;
}

export function pipFinder(cases: readonly FinderCase[]): Promise<FinderAnswer[]> {
  return runScript<FinderAnswer[]>('./pip_finder_oracle.py', cases, 120_000);
}
