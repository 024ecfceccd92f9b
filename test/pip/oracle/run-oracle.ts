// Runs test/pip/oracle/pip_oracle.py once for a whole batch of cases under one interpreter.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface OracleCase {
  id: string | number;
  argv: string[];
  env?: Record<string, string>;
}

export interface OracleResult {
  id: string | number;
  command?: string;
  cmdArgs?: string[];
  values?: Record<string, unknown>;
  args?: string[];
  /** null: parsed fine; otherwise pip's exit code. */
  exit: number | null;
  stage?: 'main' | 'command';
  crash?: string;
  stdout: string;
  stderr: string;
}

export const PYTHONS = {
  '23.2.1': 'python3',
  '23.0.1': '/usr/bin/python3',
} as const;

const script = fileURLToPath(new URL('./pip_oracle.py', import.meta.url));

/** One python process for all cases. `cwd` is where pip computes its default --src (cwd/src). */
export function runPipOracle(python: string, cases: readonly OracleCase[], cwd: string, env: NodeJS.ProcessEnv = process.env): OracleResult[] {
  const clean: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(env)) if (!key.startsWith('PIP_')) clean[key] = value;
  const run = spawnSync(python, [script], {
    input: JSON.stringify(cases),
    cwd,
    env: clean,
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`oracle failed (${run.status}): ${run.stderr}`);
  return JSON.parse(run.stdout) as OracleResult[];
}

/** sys.prefix of an interpreter. */
export function pythonPrefix(python: string): string {
  const run = spawnSync(python, ['-I', '-c', 'import sys; print(sys.prefix)'], { encoding: 'utf8' });
  return run.stdout.trim();
}
