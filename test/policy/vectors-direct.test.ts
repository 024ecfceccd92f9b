// Protection vectors (issue 4 §4) that point pip at source directly: a local sdist file, a local
// directory, `-e dir`, `name @ url`, a bare URL and a VCS URL. pip builds every one of them even
// under --only-binary=:all: (pip-behaviour.md §9.4). download: archives are copied / fetched raw,
// directories and VCS checkouts skipped with a note. install/wheel: remote and VCS sources are
// refused; the user's own local project builds as asked (its canary fires by design) while its
// dependencies stay binary-only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { canaryProjectFiles, makeCanaryGitRepo, writeCanaryProject } from '../helpers/canary.js';
import { buildSdist } from '../helpers/sdist-builder.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import {
  describeRun,
  expectNoCode,
  expectRefusal,
  expectSameDownload,
  fileBytes,
  runBoth,
  runSafe,
  startVectorWorld,
  type VectorWorld,
} from './vector-world.js';

let world: VectorWorld;
let sdistPath: string;
beforeAll(async () => {
  world = await startVectorWorld();
  sdistPath = join(makeTempDir('local-sdist-'), world.dists.canary!.filename);
  writeFileSync(sdistPath, world.dists.canary!.data);
});
afterAll(async () => {
  await world?.close();
});
const idx = (): string[] => ['-i', world.index];
const canaryUrl = (): string => world.server.fileUrl(world.dists.canary!.filename);

describe('a local sdist file', () => {
  it('download: copied unbuilt, as plain pip saves it', async () => {
    const { plain, safe } = await runBoth('download', { args: [...idx(), sdistPath] }, ['canary']);
    expectSameDownload(safe, plain);
    expect(fileBytes(safe.dest, world.dists.canary!.filename).equals(world.dists.canary!.data)).toBe(true);
    expect(safe.result.stderr).toMatch(/copied unbuilt/);
  });
  it('install: your own project, built as asked (canary fires by design)', async () => {
    const { safe } = await runBoth('install', { args: [...idx(), sdistPath] }, ['canary']);
    expect(safe.result.exitCode, describeRun(safe)).toBe(0);
    expect(safe.fired).toEqual(['canary']);
    expect(safe.files).toContain('canary');
  });
  it('wheel: built as asked', async () => {
    const { safe } = await runBoth('wheel', { args: [...idx(), sdistPath] }, ['canary']);
    expect(safe.result.exitCode, describeRun(safe)).toBe(0);
    expect(safe.files).toEqual(['canary-1.0-py3-none-any.whl']);
  });
});

describe('a local project whose dependency exists only as an sdist', () => {
  it('install ./dir: the project builds, the sdist-only dependency never does', async () => {
    const project = writeCanaryProject({ style: 'pep517', name: 'localproj', requiresDist: ['canary'] });
    const { plain, safe } = await runBoth('install', { args: [...idx(), project] }, ['localproj', 'canary']);
    expect(plain.result.exitCode).toBe(0);
    // The project's own metadata is prepared (its dependencies are not static), then the closure
    // is found to need canary's build: refused before the main pip run.
    expect(safe.fired, describeRun(safe)).toEqual(['localproj']);
    expect(safe.result.exitCode, describeRun(safe)).toBe(42);
    expect(safe.result.stderr).toMatch(/canary 1\.0: no version of canary that fits has a compatible wheel/);
    expect(safe.result.stderr).toMatch(/required by: canary \(a dependency of /);
  });
  it('install -e dir: its wheel-only dependency installs, the project builds as asked', async () => {
    const project = writeCanaryProject({ style: 'pep517', name: 'localproj', requiresDist: ['tiny'] });
    const safe = await runSafe('install', { args: [...idx(), '-e', project] });
    expect(safe.result.exitCode, describeRun(safe)).toBe(0);
    expect(safe.fired).toEqual(['localproj']);
    expect(safe.files).toContain('tiny');
  });
});

describe('a local sdist with static metadata (PKG-INFO 2.2) naming a dependency', () => {
  it('download: the archive copied unbuilt and its dependency downloaded, as plain pip does', async () => {
    const sdist = await buildSdist({
      name: 'statproj',
      version: '1.0',
      metadataVersion: '2.2',
      requiresDist: ['tiny'],
      files: canaryProjectFiles({ style: 'pep517', name: 'statproj', requiresDist: ['tiny'] }),
    });
    const path = join(makeTempDir('local-sdist-'), sdist.filename);
    writeFileSync(path, sdist.data);
    const { plain, safe } = await runBoth('download', { args: [...idx(), path] }, ['statproj']);
    expectSameDownload(safe, plain);
    expect(safe.files).toEqual([sdist.filename, world.dists.tiny!.filename]);
  });
});

describe('a wheel file or URL whose metadata depends on `canary @ url` (dropper)', () => {
  const dropperFile = (): string => {
    const path = join(makeTempDir('local-wheel-'), world.dists.dropper!.filename);
    writeFileSync(path, world.dists.dropper!.data);
    return path;
  };
  it('download of the file: the wheel, and the URL dependency fetched raw', async () => {
    const { plain, safe } = await runBoth('download', { args: [...idx(), dropperFile()] }, ['canary']);
    expectSameDownload(safe, plain);
    expect(safe.files).toEqual([world.dists.canary!.filename, world.dists.dropper!.filename].sort());
  });
  it('install of the file: refused', async () => {
    const { safe } = await runBoth('install', { args: [...idx(), dropperFile()] }, ['canary']);
    expectRefusal(safe, { project: 'canary', requiredBy: /dropper==1\.0/, why: /direct URL reference/ });
  });
  it('wheel of the URL: refused', async () => {
    const { safe } = await runBoth('wheel', { args: [...idx(), world.server.fileUrl(world.dists.dropper!.filename)] }, ['canary']);
    expectRefusal(safe, { project: 'canary', requiredBy: /dropper==1\.0/, why: /direct URL reference/ });
  });
  it('install of a wheel file depending on an sdist-only project: refused', async () => {
    const path = join(makeTempDir('local-wheel-'), world.dists.app!.filename);
    writeFileSync(path, world.dists.app!.data);
    const { safe } = await runBoth('install', { args: [...idx(), path] }, ['canary']);
    expectRefusal(safe, { project: 'canary', version: '1.0', requiredBy: /app-1\.0-py3-none-any\.whl/ });
  });
});

describe('a local directory', () => {
  it('download: skipped with an explanation; plain pip ran its code', async () => {
    const { safe } = await runBoth('download', { args: [...idx(), writeCanaryProject({ style: 'pep517' })] }, ['canary']);
    expectNoCode(safe);
    expect(safe.files).toEqual([]);
    expect(safe.result.stderr).toMatch(/safe-pip: skipped .*: a directory cannot be downloaded without running its build code/);
  });
  it('install: built as asked', async () => {
    const { safe } = await runBoth('install', { args: [...idx(), writeCanaryProject({ style: 'pep517' })] }, ['canary']);
    expect(safe.result.exitCode, describeRun(safe)).toBe(0);
    expect(safe.fired).toEqual(['canary']);
    expect(safe.files).toContain('canary');
  });
  it('wheel: built as asked', async () => {
    const { safe } = await runBoth('wheel', { args: [...idx(), writeCanaryProject({ style: 'pep517' })] }, ['canary']);
    expect(safe.result.exitCode, describeRun(safe)).toBe(0);
    expect(safe.files).toEqual(['canary-1.0-py3-none-any.whl']);
  });
});

describe('`name @ url`', () => {
  const req = (): string => `canary @ ${canaryUrl()}`;
  it('download: fetched raw', async () => {
    const { plain, safe } = await runBoth('download', { args: [...idx(), req()] }, ['canary']);
    expectSameDownload(safe, plain);
    expect(fileBytes(safe.dest, world.dists.canary!.filename).equals(world.dists.canary!.data)).toBe(true);
  });
  it('install: refused', async () => {
    const { safe } = await runBoth('install', { args: [...idx(), req()] }, ['canary']);
    expectRefusal(safe, { project: 'canary', requiredBy: 'command line', why: /remote source archive/ });
  });
  it('wheel: refused', async () => {
    const { safe } = await runBoth('wheel', { args: [...idx(), req()] }, ['canary']);
    expectRefusal(safe, { project: 'canary', requiredBy: 'command line', why: /remote source archive/ });
  });
});

describe('a bare URL', () => {
  it('download: fetched raw', async () => {
    const { plain, safe } = await runBoth('download', { args: [...idx(), canaryUrl()] }, ['canary']);
    expectSameDownload(safe, plain);
  });
  it('install --dry-run --ignore-installed: refused', async () => {
    const { safe } = await runBoth('install', { args: [...idx(), '--dry-run', '--ignore-installed', canaryUrl()] }, ['canary']);
    expectRefusal(safe, { project: 'canary', requiredBy: 'command line', why: /remote source archive/ });
  });
  it('wheel: refused', async () => {
    const { safe } = await runBoth('wheel', { args: [...idx(), canaryUrl()] }, ['canary']);
    expectRefusal(safe, { project: 'canary', requiredBy: 'command line', why: /remote source archive/ });
  });
});

describe('a VCS URL (git+file://…#egg=canary)', () => {
  const vcs = (): string => `${makeCanaryGitRepo({ style: 'pep517' }).url}#egg=canary`;
  it('download: skipped with an explanation', async () => {
    const { safe } = await runBoth('download', { args: [...idx(), vcs()] }, ['canary']);
    expectNoCode(safe);
    expect(safe.files).toEqual([]);
    expect(safe.result.stderr).toMatch(/safe-pip: skipped git\+file:.*: a VCS checkout is not downloaded/);
  });
  it('install: refused', async () => {
    const { safe } = await runBoth('install', { args: [...idx(), vcs()] }, ['canary']);
    expectRefusal(safe, { project: 'canary', requiredBy: 'command line', why: /VCS checkout/ });
  });
  it('wheel: refused', async () => {
    const { safe } = await runBoth('wheel', { args: [...idx(), vcs()] }, ['canary']);
    expectRefusal(safe, { project: 'canary', requiredBy: 'command line', why: /VCS checkout/ });
  });
  it('install -e git+file://…: refused (pip would clone and build it)', async () => {
    const cwd = makeTempDir('vcs-cwd-');
    const safe = await runSafe('install', { args: [...idx(), '-e', vcs()], cwd });
    expectRefusal(safe, { project: 'canary', requiredBy: /command-line option -e/, why: /VCS checkout/ });
    expect(readdirSync(cwd), 'nothing cloned into ./src').toEqual([]);
  });
});
