// `pip install` through safe-pip sees what is installed, as pip does (issue 4 §2): in a venv where
// `canary` is installed (from a wheel), the index offering canary only as a canary sdist, plain pip
// says "Requirement already satisfied" and builds nothing, so safe-pip must not refuse; once the
// index gains a newer sdist-only canary, `pip install -U canary` would build it (plain pip runs the
// canary's code); through safe-pip the installed 1.0 stays, and safe-pip says so (the installed
// counterpart of "an older wheel is used"). The real pip is the venv's, named by SAFE_PIP_REAL_PIP.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BuiltDistribution } from '../helpers/archives.js';
import { buildCanarySdist, canaryEnv, canaryMarkers } from '../helpers/canary.js';
import { startIndexServer, type IndexServer } from '../helpers/index-server.js';
import { PLAIN_PIP_ENV, runCommand, type RunResult } from '../helpers/run-cli.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { buildWheel } from '../helpers/wheel-builder.js';
import { EXIT_REFUSED, PIP_LAUNCHER } from './vector-world.js';

let server: IndexServer;
let venv: string;
let canary2: BuiltDistribution;

interface Run {
  result: RunResult;
  fired: string[];
}

function describeRun(run: Run): string {
  return `exit ${run.result.exitCode}\n--- stdout\n${run.result.stdout}\n--- stderr\n${run.result.stderr}\n--- markers ${run.fired.join(', ')}`;
}

/** `pip <args>` through the safe-pip launcher, with the venv's pip as the real pip. */
async function safePip(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const markers = makeTempDir('canary-dir-');
  const result = await runCommand(PIP_LAUNCHER, args, {
    env: { ...PLAIN_PIP_ENV, SAFE_PIP_REAL_PIP: join(venv, 'bin', 'pip'), ...canaryEnv(markers), ...env },
    timeoutMs: 120_000,
  });
  return { result, fired: canaryMarkers(markers) };
}

/** The venv's own pip, untouched. */
async function plainPip(args: string[]): Promise<Run> {
  const markers = makeTempDir('canary-dir-');
  const result = await runCommand(join(venv, 'bin', 'python'), ['-m', 'pip', ...args], { env: { ...PLAIN_PIP_ENV, ...canaryEnv(markers) }, timeoutMs: 120_000 });
  return { result, fired: canaryMarkers(markers) };
}

async function installedVersion(name: string): Promise<string> {
  const result = await runCommand(join(venv, 'bin', 'python'), ['-c', `import importlib.metadata as m; print(m.version(${JSON.stringify(name)}))`]);
  return result.stdout.trim();
}

beforeAll(async () => {
  const root = makeTempDir('installed-vectors-');
  venv = join(root, 'venv');
  const created = await runCommand('python3', ['-m', 'venv', venv], { timeoutMs: 240_000 });
  if (created.exitCode !== 0) throw new Error(created.stderr);
  // canary 1.0 installed from a wheel (as if it had once been built and allowed).
  const wheels = join(root, 'wheels');
  mkdirSync(wheels);
  const canaryWheel = await buildWheel({ name: 'canary', version: '1.0' });
  writeFileSync(join(wheels, canaryWheel.filename), canaryWheel.data);
  const installed = await runCommand(join(venv, 'bin', 'python'), ['-m', 'pip', 'install', '--no-index', '-f', wheels, 'canary==1.0'], { env: { ...PLAIN_PIP_ENV } });
  if (installed.exitCode !== 0) throw new Error(installed.stderr);
  canary2 = await buildCanarySdist({ style: 'pep517', version: '2.0' });
  server = await startIndexServer({
    projects: {
      canary: [await buildCanarySdist({ style: 'pep517' })],
      app: [await buildWheel({ name: 'app', version: '1.0', requiresDist: ['canary'] })],
    },
    // The index changes during the tests: pages are revalidated on every request.
    pageCacheControl: 'no-cache',
  });
}, 300_000);

afterAll(async () => {
  await server?.close();
});

describe('install with an sdist-only project already installed', () => {
  it('plain pip: the installed canary satisfies the request, nothing is built', async () => {
    const plain = await plainPip(['install', '-i', server.indexUrl(), 'canary']);
    expect(plain.result.exitCode, describeRun(plain)).toBe(0);
    expect(plain.result.stdout).toMatch(/Requirement already satisfied: canary/);
    expect(plain.fired).toEqual([]);
  });

  it('safe-pip: pip install canary passes through, "Requirement already satisfied", no refusal', async () => {
    const safe = await safePip(['install', '-i', server.indexUrl(), 'canary']);
    expect(safe.result.exitCode, describeRun(safe)).toBe(0);
    expect(safe.result.stdout, describeRun(safe)).toMatch(/Requirement already satisfied: canary/);
    expect(safe.result.stderr).not.toMatch(/refused/);
    expect(safe.fired).toEqual([]);
  });

  it('safe-pip: a wheel that depends on the installed canary installs', async () => {
    const safe = await safePip(['install', '-i', server.indexUrl(), 'app']);
    expect(safe.result.exitCode, describeRun(safe)).toBe(0);
    expect(safe.result.stdout, describeRun(safe)).toMatch(/Requirement already satisfied: canary/);
    expect(safe.fired).toEqual([]);
    expect(await installedVersion('app')).toBe('1.0');
  });

  it('safe-pip: -I ignores what is installed, so canary is refused again', async () => {
    const safe = await safePip(['install', '-I', '-i', server.indexUrl(), 'canary']);
    expect(safe.result.exitCode, describeRun(safe)).toBe(EXIT_REFUSED);
    expect(safe.result.stderr).toMatch(/^safe-pip: refused/m);
    expect(safe.fired).toEqual([]);
  });

  describe('after the index gains canary 2.0, as an sdist only', () => {
    beforeAll(() => {
      server.addFile('canary', canary2);
    });

    it('plain pip install -U canary builds it (the canary fires)', async () => {
      const plain = await plainPip(['install', '--dry-run', '-U', '-i', server.indexUrl(), 'canary']);
      expect(plain.fired.length, describeRun(plain)).toBeGreaterThan(0);
    });

    it('safe-pip: pip install -U canary keeps canary 1.0, says why and how to allow the build, runs no canary code', async () => {
      const safe = await safePip(['install', '-U', '-i', server.indexUrl(), 'canary']);
      expect(safe.result.exitCode, describeRun(safe)).toBe(0);
      expect(safe.result.stderr).toMatch(/^safe-pip: canary 2\.0 exists only as a source archive; keeping the installed canary 1\.0/m);
      expect(safe.result.stderr).toContain('SAFE_PIP_ALLOW_BUILD=canary');
      expect(safe.result.stdout).toMatch(/Requirement already satisfied: canary/);
      expect(safe.fired).toEqual([]);
      expect(await installedVersion('canary')).toBe('1.0');
    });

    it('safe-pip: without -U the installed canary still satisfies', async () => {
      const safe = await safePip(['install', '-i', server.indexUrl(), 'canary']);
      expect(safe.result.exitCode, describeRun(safe)).toBe(0);
      expect(safe.result.stdout).toMatch(/Requirement already satisfied: canary/);
      expect(safe.fired).toEqual([]);
    });

    it('safe-pip: -U app (only-if-needed) keeps the installed canary', async () => {
      const safe = await safePip(['install', '-U', '-i', server.indexUrl(), 'app']);
      expect(safe.result.exitCode, describeRun(safe)).toBe(0);
      expect(safe.fired).toEqual([]);
    });

    it('safe-pip: -U --upgrade-strategy eager app keeps the installed canary and says so', async () => {
      const safe = await safePip(['install', '-U', '--upgrade-strategy', 'eager', '-i', server.indexUrl(), 'app']);
      expect(safe.result.exitCode, describeRun(safe)).toBe(0);
      expect(safe.result.stderr).toMatch(/keeping the installed canary/);
      expect(safe.fired).toEqual([]);
    });

    // Last: it upgrades the venv's canary to 2.0.
    it('safe-pip: -U canary with canary allowed builds 2.0 in its own step and installs it', async () => {
      const safe = await safePip(['install', '-U', '-i', server.indexUrl(), 'canary'], { SAFE_PIP_ALLOW_BUILD: 'canary' });
      expect(safe.result.exitCode, describeRun(safe)).toBe(0);
      expect(safe.result.stderr).toMatch(/building canary==2\.0 on its own/);
      expect(safe.fired.length, describeRun(safe)).toBeGreaterThan(0);
      expect(await installedVersion('canary')).toBe('2.0');
    });
  });
});
