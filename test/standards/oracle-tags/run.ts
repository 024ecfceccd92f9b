// Runs the Python oracle scripts of this folder (stdlib, pip and packaging of the given
// interpreter) with JSON on stdin and JSON on stdout. One process per batch of cases.
import { execa } from 'execa';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { InterpreterFacts } from '../../../src/standards/interpreter-facts.js';

const here = dirname(fileURLToPath(import.meta.url));

export const PYTHONS = { pyenv: 'python3', debian: '/usr/bin/python3' } as const;

export async function runOracle<T>(python: string, script: string, input: unknown): Promise<T> {
  const result = await execa(python, ['-I', join(here, script)], {
    input: JSON.stringify(input),
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
    extendEnv: false,
  });
  return JSON.parse(result.stdout) as T;
}

export async function interpreterFacts(python: string): Promise<InterpreterFacts> {
  return runOracle<InterpreterFacts>(python, 'interpreter_facts.py', null);
}

export interface PipDebugResult {
  count: number | null;
  tags: string[];
  exit: number;
  stderr: string;
}

export async function pipDebugTags(python: string, argLists: string[][]): Promise<PipDebugResult[]> {
  return runOracle<PipDebugResult[]>(python, 'pip_debug_tags.py', argLists);
}

export interface PackagingCall {
  fn: string;
  args?: unknown[];
  kwargs?: Record<string, unknown>;
  linux?: { platform: string; is64bit: boolean; glibc?: string | null; musl?: string | null };
  config?: Record<string, unknown>;
}

export async function packagingTags(calls: PackagingCall[]): Promise<{ packaging: string; results: string[][] }> {
  return runOracle(PYTHONS.pyenv, 'packaging_tags.py', calls);
}
