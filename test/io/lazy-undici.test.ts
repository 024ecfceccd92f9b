// Issue 12 §2: undici (the part safe-pip uses, src/io/http/undici-parts.ts) is imported on the first HTTP request only, so an
// intercepted command that makes none (`--no-index` with a local wheel) does not load it. Two
// views: a module hook (node:module register) logs every undici module tsc's unbundled CLI
// imports (dist/main.js); in the bundle the launchers run (one file, whose
// lazily imported modules run on first import), undici's running shows in the Node built-ins it
// loads: node:assert, which nothing else of an intercepted command loads (the bundle gives undici
// no node:http, scripts/undici-without-http.cjs).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../helpers/temp-dir.js';
import { withEmptyIndex } from '../helpers/empty-index.js';
import { builtinModuleLogger, moduleLoadLogger } from '../helpers/module-load-logger.js';
import { BIN, distIsBundled, ensureBuilt, envWith, run, start, unbundledProgram } from '../launcher/harness.js';

const REAL_PYTHON = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();

beforeAll(() => ensureBuilt());

function tinyWheel(dir: string): string {
  const wheel = join(dir, 'tiny-1.0-py3-none-any.whl');
  execFileSync(REAL_PYTHON, ['-c', `import zipfile\nwith zipfile.ZipFile(${JSON.stringify(wheel)}, "w") as z:\n    z.writestr("tiny/__init__.py", "")\n    z.writestr("tiny-1.0.dist-info/METADATA", "Metadata-Version: 2.1\\nName: tiny\\nVersion: 1.0\\n")\n    z.writestr("tiny-1.0.dist-info/WHEEL", "Wheel-Version: 1.0\\nGenerator: test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n")\n    z.writestr("tiny-1.0.dist-info/RECORD", "")\n`]);
  return wheel;
}

/**
 * `explain install tiny` against a loopback index that answers 404 to everything, with the
 * preload `preload` (NODE_OPTIONS=--import), through the launcher or with `program` (an unbundled
 * CLI) run directly; checks the request really went out through undici (its exports found,
 * whatever the module form).
 */
async function explainAgainstEmptyIndex(dir: string, preload: string, program?: string): Promise<void> {
  const requests = await withEmptyIndex(async (index) => {
    const env = envWith({ NODE_OPTIONS: `--import=${preload}`, SAFE_PIP_CACHE_DIR: join(dir, 'cache') });
    const args = ['explain', 'install', '--retries', '0', '--target', join(dir, 'target'), '-i', index, 'tiny'];
    const result = await (program === undefined ? start(join(BIN, 'safe-pip'), args, env) : start(process.execPath, [program, ...args], env)).done;
    expect(result.stderr).not.toMatch(/not a function|undefined|HTTP\/2/);
  });
  expect(requests).toBeGreaterThan(0);
}

/** `explain install --no-index` of a local wheel, which asks no index; through the launcher unless `program` is given. */
function explainLocalWheel(dir: string, preload: string, program?: string): void {
  const env = envWith({ NODE_OPTIONS: `--import=${preload}`, SAFE_PIP_CACHE_DIR: join(dir, 'cache') });
  const args = ['explain', 'install', '--no-index', '--target', join(dir, 'target'), tinyWheel(dir)];
  const result = program === undefined ? run(join(BIN, 'safe-pip'), args, env) : run(process.execPath, [program, ...args], env);
  expect(result.stderr).not.toMatch(/error/i);
  expect(result.exitCode).toBe(0);
}

describe('undici is loaded lazily', () => {
  it("tsc's CLI: not imported by `explain install --no-index` of a local wheel", () => {
    const dir = makeTempDir();
    const log = join(dir, 'undici.log');
    writeFileSync(log, '');
    explainLocalWheel(dir, moduleLoadLogger(dir, log, 'undici'), unbundledProgram());
    expect(readFileSync(log, 'utf8')).toBe('');
  });

  it("tsc's CLI: imported by a command that asks an index (the logger sees it)", async () => {
    const dir = makeTempDir();
    const log = join(dir, 'undici.log');
    writeFileSync(log, '');
    await explainAgainstEmptyIndex(dir, moduleLoadLogger(dir, log, 'undici'), unbundledProgram());
    expect(existsSync(log)).toBe(true);
    expect(readFileSync(log, 'utf8')).toMatch(/undici/);
  });

  it('the CLI the launcher runs: node:assert is loaded by a command that asks an index, not by one that asks none; node:http by neither', async () => {
    const dir = makeTempDir();
    const [none, asked] = [join(dir, 'none.log'), join(dir, 'asked.log')];
    explainLocalWheel(dir, builtinModuleLogger(dir, none));
    await explainAgainstEmptyIndex(dir, builtinModuleLogger(dir, asked));
    const loaded = (log: string) => readFileSync(log, 'utf8').split('\n');
    expect(loaded(asked)).toContain('assert');
    expect(loaded(none)).not.toContain('assert');
    if (distIsBundled()) for (const log of [none, asked]) expect(loaded(log)).not.toContain('http');
    // Both ran the interpreter probe's Python, which loads node:net: the logger saw them.
    expect(loaded(none)).toContain('net');
  });

  // scripts/bundle.mjs leaves undici's HTTP/2 client out (scripts/undici-without-h2.cjs); tsc's
  // unbundled dist/main.js still has it.
  const bundled = distIsBundled();
  it.skipIf(!bundled)('the bundle does not load node:http2 for a command that asks an index (skipped when dist/ is not the bundle)', async () => {
    const dir = makeTempDir();
    const log = join(dir, 'builtins.log');
    await explainAgainstEmptyIndex(dir, builtinModuleLogger(dir, log));
    const loaded = readFileSync(log, 'utf8').split('\n');
    // The logger sees what the request did load (undici's connection goes through node:net).
    expect(loaded).toContain('net');
    expect(loaded).not.toContain('http2');
  });
});
