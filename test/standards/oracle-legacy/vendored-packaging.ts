// Asks the packaging a given pip vendors (pip._vendor.packaging, run by that pip's venv python)
// many questions in one process. See vendored_packaging.py for the operations.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('./vendored_packaging.py', import.meta.url));

export interface VendoredBatch {
  readonly op: 'sort' | 'legacy_key' | 'kind' | 'compare' | 'specifier' | 'filter' | 'contains' | 'requirement';
  readonly cases: readonly unknown[];
}

export interface VendoredAnswers {
  /** The vendored packaging's version (21.3 for pip <= 24.0). */
  packaging: string;
  results: unknown[][];
}

export function askVendoredPackaging(python: string, batches: readonly VendoredBatch[]): VendoredAnswers {
  const result = spawnSync(python, [SCRIPT], {
    input: JSON.stringify({ batches }),
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', PYTHONIOENCODING: 'utf-8', PYTHONDONTWRITEBYTECODE: '1' },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`vendored packaging oracle (${python}) failed (${String(result.status)}): ${result.stderr}`);
  return JSON.parse(result.stdout) as VendoredAnswers;
}

export function isVendoredError(value: unknown): value is { error: string } {
  return typeof value === 'object' && value !== null && 'error' in value;
}
