// Asks Python's packaging 26 (and pip's own finder code) many questions in one process: the
// differential oracle for the src/standards tests. See packaging_oracle.py for the operations.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('./packaging_oracle.py', import.meta.url));

export interface OracleBatch {
  readonly op: string;
  readonly cases: readonly unknown[];
}

export interface OracleError {
  readonly error: string;
}

export function isOracleError(value: unknown): value is OracleError {
  return typeof value === 'object' && value !== null && 'error' in value;
}

/** Run every batch through one `python3` process; answers come back in the same order. */
export function askPackaging(batches: readonly OracleBatch[]): unknown[][] {
  const result = spawnSync('python3', [SCRIPT], {
    input: JSON.stringify({ batches }),
    env: { ...process.env, PYTHONIOENCODING: 'utf-8', PYTHONDONTWRITEBYTECODE: '1' },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (result.status !== 0) {
    throw new Error(`packaging oracle failed (${String(result.status)}): ${result.stderr}`);
  }
  const parsed = JSON.parse(result.stdout) as { packaging: string; results: unknown[][] };
  if (!parsed.packaging.startsWith('26.')) throw new Error(`expected packaging 26.x, got ${parsed.packaging}`);
  return parsed.results;
}
