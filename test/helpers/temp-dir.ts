// Temporary directories for tests, removed when the test that made them finishes.
//
// Inside a running test the directory is removed by vitest's `onTestFinished`; made outside a
// test (in `beforeAll`, at module level) it is removed when the worker process exits.
// `KEEP_TEST_TMP=1 npx vitest run ...` keeps them for a post-mortem (each path is printed).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';

const keep = process.env.KEEP_TEST_TMP === '1';
const leftForExit = new Set<string>();
let exitHookInstalled = false;

function removeAtExit(dir: string): void {
  leftForExit.add(dir);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const d of leftForExit) rmSync(d, { recursive: true, force: true });
  });
}

/** A fresh empty directory under the OS temp dir, removed after the current test (or at exit). */
export function makeTempDir(prefix = 'safe-pip-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  if (keep) {
    process.stderr.write(`keeping temp dir ${dir}\n`);
    return dir;
  }
  try {
    onTestFinished(() => {
      rmSync(dir, { recursive: true, force: true });
    });
  } catch {
    // Not inside a test (beforeAll, module scope): fall back to removal at process exit.
    removeAtExit(dir);
  }
  return dir;
}
