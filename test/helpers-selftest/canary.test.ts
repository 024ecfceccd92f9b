// The canaries, checked against the real pip: plain pip must set them off wherever §9 of
// pip-behaviour.md says it builds, and must not where format control stops it. If these tests
// fail, every "safe-pip did not fire the canary" test elsewhere proves nothing.
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BuiltDistribution } from '../helpers/archives.js';
import {
  buildCanarySdist,
  buildDependencyWheels,
  buildDropperWheel,
  canaryEnv,
  canaryFired,
  canaryMarkers,
  makeCanaryGitRepo,
  writeCanaryProject,
} from '../helpers/canary.js';
import { startIndexServer, type IndexServer } from '../helpers/index-server.js';
import { runCommand, runPlainPip, type RunResult } from '../helpers/run-cli.js';
import { makeTempDir } from '../helpers/temp-dir.js';

let server: IndexServer;
let setuptoolsCanary: BuiltDistribution;
let pep517Canary: BuiltDistribution;
let zipCanary: BuiltDistribution;

beforeAll(async () => {
  setuptoolsCanary = await buildCanarySdist({ style: 'setuptools', requiresDist: ['dep-of-canary>=1'] });
  pep517Canary = await buildCanarySdist({ style: 'pep517', name: 'canary-pep517' });
  zipCanary = await buildCanarySdist({ style: 'pep517', name: 'canary-zip', format: 'zip' });
  const deps = await buildDependencyWheels();
  server = await startIndexServer({
    projects: {
      canary: [setuptoolsCanary],
      'canary-pep517': [pep517Canary],
      setuptools: deps.filter((d) => d.filename.startsWith('setuptools-')),
      wheel: deps.filter((d) => d.filename.startsWith('wheel-')),
    },
  });
  const dropper = await buildDropperWheel(server.fileUrl(pep517Canary.filename), { dependencyName: 'canary-pep517' });
  server.addFile('dropper', dropper);
});
afterAll(async () => {
  await server?.close();
});

/** Runs plain pip with a fresh CANARY_DIR; returns the result and that directory. */
async function pipWithCanary(args: string[], python = 'python3'): Promise<{ result: RunResult; canaryDir: string }> {
  const canaryDir = makeTempDir('canary-dir-');
  const result = await runPlainPip(args, { env: canaryEnv(canaryDir), python });
  return { result, canaryDir };
}

describe('canary code itself', () => {
  it('leaves a marker when setup.py runs, and refuses to run unseen without CANARY_DIR', async () => {
    const project = writeCanaryProject({ style: 'setuptools' });
    const canaryDir = makeTempDir();
    const withDir = await runCommand('python3', ['setup.py', '--version'], { cwd: project, env: canaryEnv(canaryDir) });
    expect(withDir.stdout.trim()).toBe('1.0');
    expect(canaryMarkers(canaryDir)).toEqual(['canary-setuptools-setup-py']);
    const without = await runCommand('python3', ['setup.py', '--version'], { cwd: project, env: { CANARY_DIR: undefined } });
    expect(without.exitCode).not.toBe(0);
    expect(without.stderr).toContain('canary canary ran (setup-py) but CANARY_DIR is not set');
  });
});

describe('plain pip sets the canaries off', () => {
  it('setuptools canary from the index: pip download --no-deps FIRES (and succeeds with the stand-in wheel)', async () => {
    const dest = makeTempDir();
    const { result, canaryDir } = await pipWithCanary(['download', '--no-deps', '-d', dest, '-i', server.indexUrl(), 'canary']);
    expect(canaryMarkers(canaryDir)).toContain('canary-setuptools-setup-py');
    expect(result.exitCode, result.stderr).toBe(0);
    expect(readdirSync(dest)).toEqual([setuptoolsCanary.filename]);
    // The isolated build env came from the test index: ensurepip's setuptools and the stand-in wheel.
    expect(server.requestsTo(/^\/simple\/(setuptools|wheel)\/.+\.whl$/).length).toBeGreaterThanOrEqual(2);
  });

  it('setuptools canary: pip install --target builds and installs it (stand-in bdist_wheel)', async () => {
    const target = makeTempDir();
    const { result, canaryDir } = await pipWithCanary(['install', '--no-deps', '--target', target, '-i', server.indexUrl(), 'canary']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(canaryFired(canaryDir)).toBe(true);
    expect(existsSync(join(target, 'canary', '__init__.py'))).toBe(true);
    expect(readdirSync(target).filter((f) => f.endsWith('.dist-info'))).toEqual(['canary-1.0.dist-info']);
  });

  it('setuptools canary with pip 23.0.1 (/usr/bin/python3): install --dry-run --report shows its requirements', async () => {
    const { result, canaryDir } = await pipWithCanary(
      ['install', '--dry-run', '--ignore-installed', '--no-deps', '--quiet', '--report', '-', '-i', server.indexUrl(), 'canary'],
      '/usr/bin/python3',
    );
    expect(result.exitCode, result.stderr).toBe(0);
    expect(canaryMarkers(canaryDir)).toContain('canary-setuptools-setup-py');
    const report = JSON.parse(result.stdout) as { install: { metadata: { requires_dist?: string[] } }[] };
    expect(report.install[0]?.metadata.requires_dist).toEqual(['dep-of-canary>=1']);
  });

  it('PEP 517 canary from the index: pip download --no-deps FIRES', async () => {
    const dest = makeTempDir();
    const { result, canaryDir } = await pipWithCanary(['download', '--no-deps', '-d', dest, '-i', server.indexUrl(), 'canary-pep517']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(canaryMarkers(canaryDir)).toEqual(
      expect.arrayContaining(['canary-pep517-pep517-backend-import', 'canary-pep517-pep517-prepare_metadata_for_build_wheel']),
    );
    expect(readdirSync(dest)).toEqual([pep517Canary.filename]);
  });

  it('local sdist path (tar.gz and zip) under --only-binary :all: FIRES', async () => {
    const dir = makeTempDir();
    for (const sdist of [pep517Canary, zipCanary]) {
      writeFileSync(join(dir, sdist.filename), sdist.data);
      const { result, canaryDir } = await pipWithCanary(['download', '--only-binary', ':all:', '--no-deps', '-d', makeTempDir(), join(dir, sdist.filename)]);
      expect(canaryFired(canaryDir), `${sdist.filename}\n${result.stderr}`).toBe(true);
    }
  });

  it('git+file:// URL of the canary repo under --only-binary :all: FIRES', async () => {
    const repo = makeCanaryGitRepo({ style: 'pep517', name: 'canary-git' });
    const { result, canaryDir } = await pipWithCanary(['download', '--only-binary', ':all:', '--no-deps', '-d', makeTempDir(), `${repo.url}#egg=canary-git`]);
    expect(canaryMarkers(canaryDir), result.stderr).toContain('canary-git-pep517-backend-import');
    expect(repo.commit).toMatch(/^[0-9a-f]{40}$/);
  });

  it('local project directory under --only-binary :all: FIRES', async () => {
    const project = writeCanaryProject({ style: 'pep517', name: 'canary-dir' });
    const { result, canaryDir } = await pipWithCanary(['download', '--only-binary', ':all:', '--no-deps', '-d', makeTempDir(), project]);
    expect(canaryMarkers(canaryDir), result.stderr).toContain('canary-dir-pep517-backend-import');
  });

  it('a wheel that depends on `canary @ <sdist url>` under --only-binary :all: FIRES (the dropper)', async () => {
    const { result, canaryDir } = await pipWithCanary(['download', '--only-binary', ':all:', '-d', makeTempDir(), '-i', server.indexUrl(), 'dropper']);
    expect(canaryFired(canaryDir), result.stderr).toBe(true);
  });
});

describe('format control keeps the canaries quiet', () => {
  it.each(['canary', 'canary-pep517'])('pip download --only-binary :all: %s does not fire and finds nothing', async (name) => {
    const dest = makeTempDir();
    const { result, canaryDir } = await pipWithCanary(['download', '--only-binary', ':all:', '--no-deps', '-d', dest, '-i', server.indexUrl(), name]);
    expect(canaryFired(canaryDir)).toBe(false);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(`No matching distribution found for ${name}`);
    expect(readdirSync(dest)).toEqual([]);
  });
});
