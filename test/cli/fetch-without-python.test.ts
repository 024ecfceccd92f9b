// Issue 12 §3: `safe-pip fetch --python-version V --platform P` describes the target from the
// options and Node alone, so it starts no Python even where a real pip exists. The real pip
// (SAFE_PIP_REAL_PIP) and the `python`, `python3` and `pip` first on PATH are wrappers that log
// every start before running the real ones; a fetch without --platform is the control that the
// log sees a probe.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIndexServer, type IndexServer } from '../helpers/index-server.js';
import { buildWheel } from '../helpers/wheel-builder.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { runCommand } from '../helpers/run-cli.js';
import { writeExecutable } from '../launcher/harness.js';

const SAFE_PIP = join(process.cwd(), 'bin', 'safe-pip');
const REAL_PYTHON = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
let server: IndexServer;

beforeAll(async () => {
  const [app, lib] = await Promise.all([buildWheel({ name: 'app', version: '1.0', requiresDist: ['lib>=1'] }), buildWheel({ name: 'lib', version: '1.5' })]);
  server = await startIndexServer({ projects: { app: [app!], lib: [lib!] } });
});
afterAll(async () => server?.close());

/** A bin directory whose python, python3 and pip log `<name> <args>` to `log`, then run the real ones. */
function loggingPythons(dir: string, log: string): { bin: string; pip: string } {
  const bin = join(dir, 'bin');
  for (const name of ['python', 'python3']) writeExecutable(join(bin, name), `#!/bin/sh\necho "${name} $*" >>'${log}'\nexec '${REAL_PYTHON}' "$@"\n`);
  const pip = writeExecutable(join(bin, 'pip'), `#!/bin/sh\necho "pip $*" >>'${log}'\nexec '${REAL_PYTHON}' -m pip "$@"\n`);
  return { bin, pip };
}

async function fetchLogged(extra: string[]): Promise<{ exitCode: number; stderr: string; files: string[]; starts: string[] }> {
  const dir = makeTempDir();
  const log = join(dir, 'starts.log');
  writeFileSync(log, '');
  const { bin, pip } = loggingPythons(dir, log);
  const dest = join(dir, 'dest');
  const result = await runCommand(SAFE_PIP, ['fetch', '-d', dest, '-i', server.indexUrl(), ...extra, 'app'], {
    env: { PATH: `${bin}:${process.env.PATH ?? ''}`, SAFE_PIP_REAL_PIP: pip, SAFE_PIP_CACHE_DIR: join(dir, 'cache'), XDG_CACHE_HOME: join(dir, 'xdg-cache') },
  });
  let files: string[] = [];
  try {
    files = readdirSync(dest).sort();
  } catch {
    // nothing written
  }
  return { exitCode: result.exitCode, stderr: result.stderr, files, starts: readFileSync(log, 'utf8').split('\n').filter(Boolean) };
}

describe('safe-pip fetch with --python-version and --platform', () => {
  it('starts no Python and no pip, and fetches the closure', async () => {
    const run = await fetchLogged(['--python-version', '3.11', '--platform', 'manylinux2014_x86_64']);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.files).toEqual(['app-1.0-py3-none-any.whl', 'lib-1.5-py3-none-any.whl']);
    expect(run.starts).toEqual([]);
  });

  it('probes the real pip\'s interpreter when --platform is not given (the log sees it)', async () => {
    const run = await fetchLogged(['--python-version', '3.11']);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.starts.length).toBeGreaterThan(0);
  });
});
