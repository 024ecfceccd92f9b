// Projects pip builds anyway — the user's own local projects, and direct references the user
// allowed — can declare dependencies that are themselves direct references, which pip would
// build behind --only-binary=:all: (pip-behaviour.md §9.4). Static metadata (pyproject
// `[project]`) is read without running anything; otherwise pip prepares the project's metadata
// first (`install --dry-run --no-deps --report`) and safe-pip checks it before the main run.
// Each case shows plain pip running the code safe-pip stops.
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeCanaryProject } from '../helpers/canary.js';
import { describeRun, expectNoCode, expectRefusal, runBoth, runSafe, useVectorWorld } from './vector-world.js';

const world = useVectorWorld();
const idx = (): string[] => ['-i', world.index];
const canaryUrl = (): string => world.server.fileUrl(world.dists.canary!.filename);

/** A local project whose pyproject.toml also states its dependencies statically. */
function staticProject(dependencies: string[]): string {
  const dir = writeCanaryProject({ style: 'pep517', name: 'localproj', requiresDist: dependencies });
  appendFileSync(join(dir, 'pyproject.toml'), `[project]\nname = "localproj"\nversion = "1.0"\ndependencies = ${JSON.stringify(dependencies)}\n`);
  return dir;
}

describe('a local project whose dynamic metadata names a `name @ url` dependency', () => {
  it('install ./dir: plain pip builds the URL dependency; safe-pip prepares the project, then refuses canary', async () => {
    const project = writeCanaryProject({ style: 'pep517', name: 'localproj', requiresDist: [`canary @ ${canaryUrl()}`] });
    const { safe } = await runBoth('install', { args: [...idx(), project] }, ['localproj', 'canary']);
    expect(safe.result.stderr).toMatch(/asking pip for the metadata of .*canary-project-/);
    // Only the user's own project ran (its metadata hook); canary never did.
    expect(safe.fired, describeRun(safe)).toEqual(['localproj']);
    expect(safe.result.exitCode, describeRun(safe)).toBe(42);
    expect(safe.result.stderr).toMatch(/^safe-pip: +canary: localproj==1\.0 depends on canary @ /m);
    expect(safe.result.stderr).toContain('SAFE_PIP_ALLOW_BUILD=canary');
  });
  it('install -e dir: the same for an editable project', async () => {
    const project = writeCanaryProject({ style: 'pep517', name: 'localproj', requiresDist: [`canary @ ${canaryUrl()}`] });
    const { safe } = await runBoth('install', { args: [...idx(), '-e', project] }, ['localproj', 'canary']);
    expect(safe.fired, describeRun(safe)).toEqual(['localproj']);
    expect(safe.result.exitCode, describeRun(safe)).toBe(42);
  });
  it('with canary allowed, pip builds both, as asked', async () => {
    const project = writeCanaryProject({ style: 'pep517', name: 'localproj', requiresDist: [`canary @ ${canaryUrl()}`] });
    const safe = await runSafe('install', { args: [...idx(), project], env: { SAFE_PIP_ALLOW_BUILD: 'canary' } });
    expect(safe.result.exitCode, describeRun(safe)).toBe(0);
    expect(safe.fired).toEqual(['canary', 'localproj']);
    expect(safe.files).toEqual(expect.arrayContaining(['canary', 'localproj']));
  });
  it('--no-deps: nothing to check, so no metadata step', async () => {
    const project = writeCanaryProject({ style: 'pep517', name: 'localproj', requiresDist: [`canary @ ${canaryUrl()}`] });
    const safe = await runSafe('install', { args: [...idx(), '--no-deps', project] });
    expect(safe.result.exitCode, describeRun(safe)).toBe(0);
    expect(safe.result.stderr).not.toMatch(/asking pip for the metadata/);
    expect(safe.fired).toEqual(['localproj']);
  });
});

describe('a local project with static pyproject dependencies', () => {
  it('install: read without running anything; its sdist-only dependency refused before any code runs', async () => {
    const project = staticProject(['canary']);
    const { safe } = await runBoth('install', { args: [...idx(), project] }, ['localproj', 'canary']);
    expect(safe.result.stderr).not.toMatch(/asking pip for the metadata/);
    expectRefusal(safe, { project: 'canary', requiredBy: /a dependency of .*canary-project-/ });
  });
  it('install: a wheel-only dependency installs; only the project itself builds', async () => {
    const project = staticProject(['tiny']);
    const safe = await runSafe('install', { args: [...idx(), project] });
    expect(safe.result.exitCode, describeRun(safe)).toBe(0);
    expect(safe.fired).toEqual(['localproj']);
    expect(safe.files).toEqual(expect.arrayContaining(['localproj', 'tiny']));
  });
  it("download ./dir: skipped, and its dependencies downloaded as plain pip downloads them", async () => {
    const project = staticProject(['tiny']);
    const { plain, safe } = await runBoth('download', { args: [...idx(), project] }, ['localproj']);
    expectNoCode(safe);
    expect(plain.files).toEqual([world.dists.tiny!.filename]);
    expect(safe.files, describeRun(safe)).toEqual(plain.files);
    expect(safe.result.stderr).toMatch(/skipped .*canary-project-/);
  });
});

describe('an allowed `name @ url` dependency of a wheel', () => {
  it('install dropper with canary allowed: canary is prepared and checked, then pip builds it', async () => {
    const safe = await runSafe('install', { args: [...idx(), 'dropper'], env: { SAFE_PIP_ALLOW_BUILD: 'canary' } });
    expect(safe.result.exitCode, describeRun(safe)).toBe(0);
    expect(safe.result.stderr).toMatch(/asking pip for the metadata of canary @ /);
    expect(safe.fired).toEqual(['canary']);
    expect(safe.files).toEqual(expect.arrayContaining(['canary', 'dropper']));
  });
  it('install dropper without allowing canary: refused, nothing ran', async () => {
    const safe = await runSafe('install', { args: [...idx(), 'dropper'] });
    expectRefusal(safe, { project: 'canary', requiredBy: /dropper==1\.0/ });
  });
});
