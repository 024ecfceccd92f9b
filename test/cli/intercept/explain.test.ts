// `safe-pip explain [--json] <pip arguments>`: the whole plan, in DESIGN.md's JSON shape, without
// doing anything (no file written to the destination, pip never called — checked with a recording
// stand-in for pip).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeCanaryGitRepo, writeCanaryProject } from '../../helpers/canary.js';
import { runCommand, PLAIN_PIP_ENV, type RunResult } from '../../helpers/run-cli.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { SAFE_PIP, startVectorWorld, type VectorWorld } from '../../policy/vector-world.js';
import { createRecordingPip, type RecordingPip } from './recording-pip.js';
import type { ExplainDoc } from './explain-doc.js';
import { plannedStagingArgs, withoutStagingArgs } from '../../helpers/staging-options.js';

let world: VectorWorld;
let pip: RecordingPip;
beforeAll(async () => {
  world = await startVectorWorld();
  pip = createRecordingPip();
});
afterAll(async () => {
  await world?.close();
});
beforeEach(() => {
  writeFileSync(pip.logFile, '');
});


async function explain(args: string[], json = true): Promise<RunResult> {
  const result = await runCommand(SAFE_PIP, ['explain', ...(json ? ['--json'] : []), ...args], {
    env: { ...PLAIN_PIP_ENV, SAFE_PIP_REAL_PIP: pip.path },
  });
  expect(pip.calls(), 'explain never runs pip').toEqual([]);
  return result;
}

async function explainJson(args: string[]): Promise<ExplainDoc> {
  const result = await explain(args);
  const doc = JSON.parse(result.stdout) as ExplainDoc;
  // explain exits as the command would: 42 for a refused plan, 0 otherwise.
  expect(result.exitCode, result.stderr).toBe(doc.refused ? 42 : 0);
  return doc;
}

describe('explain --json', () => {
  it('download of a wheel with an sdist-only dependency: fetch then pip, and nothing written', async () => {
    const dest = makeTempDir('dest-');
    const doc = await explainJson(['download', '-d', dest, '-i', world.index, 'app']);
    expect(doc.command).toBe('download');
    expect(doc.actions).toEqual(['fetch', 'pip']);
    expect(doc.refused).toBe(false);
    expect(doc.pipArgs?.slice(0, 6)).toEqual(['download', '-d', dest, '-i', world.index, '-r']);
    expect(doc.pipArgs?.slice(7)).toEqual(['--no-deps', '--only-binary=:all:']);
    expect(doc.targets).toEqual([expect.objectContaining({ requirement: 'app', kind: 'named', action: 'pip' })]);
    const byName = Object.fromEntries(doc.packages.map((p) => [p.name, p]));
    expect(byName.app).toMatchObject({ version: '1.0', filename: world.dists.app!.filename, kind: 'wheel', via: 'pip', dependencies: ['canary'] });
    expect(byName.canary).toMatchObject({ version: '1.0', filename: world.dists.canary!.filename, kind: 'sdist', via: 'fetch', dependencies: 'unknown' });
    expect(byName.canary!.requiredBy.join(' ')).toMatch(/app/);
    expect(readdirSync(dest)).toEqual([]);
  });
  it('install of an sdist-only project: refused, no actions, no pipArgs', async () => {
    const doc = await explainJson(['install', '-i', world.index, 'canary']);
    expect(doc).toMatchObject({ command: 'install', actions: [], pipArgs: null, refused: true });
  });
  it('install that uses an older wheel: pip with --only-binary=:all: last, finding the wheel safe-pip staged', async () => {
    const doc = await explainJson(['install', '-i', world.index, 'newer']);
    expect(doc.actions).toEqual(['pip']);
    expect(doc.pipArgs).toEqual(['install', '-i', world.index, 'newer', ...plannedStagingArgs(), '--only-binary=:all:']);
    expect(doc.packages).toEqual([expect.objectContaining({ name: 'newer', version: '1.0', kind: 'wheel', via: 'pip' })]);
  });
  it('every target kind is classified', async () => {
    const sdist = join(makeTempDir('sdist-'), world.dists.canary!.filename);
    writeFileSync(sdist, world.dists.canary!.data);
    const dir = writeCanaryProject({ style: 'pep517' });
    const vcs = `${makeCanaryGitRepo({ style: 'pep517' }).url}#egg=canary`;
    const remote = `canary @ ${world.server.fileUrl(world.dists.canary!.filename)}`;
    const wheelUrl = world.server.fileUrl(world.dists.tiny!.filename);
    const doc = await explainJson(['download', '-d', makeTempDir('dest-'), '-i', world.index, 'tiny', wheelUrl, sdist, remote, dir, vcs]);
    expect(doc.targets.map((t) => [t.requirement, t.kind, t.action])).toEqual([
      ['tiny', 'named', 'pip'],
      [wheelUrl, 'wheel', 'pip'],
      [sdist, 'local-archive', 'copy'],
      [remote, 'remote-archive', 'fetch'],
      [dir, 'local-dir', 'skip'],
      [vcs, 'vcs', 'skip'],
    ]);
    const editable = await explainJson(['install', '-i', world.index, '-e', writeCanaryProject({ style: 'pep517' })]);
    expect(editable.targets.map((t) => [t.kind, t.action])).toEqual([['editable', 'pip']]);
  });
  it('a command that builds nothing: pip runs it unchanged', async () => {
    const doc = await explainJson(['list', '--format', 'json']);
    expect(doc.pipArgs).toEqual(['list', '--format', 'json']);
    expect(doc.refused).toBe(false);
  });
  it('credentials in an index URL are never printed', async () => {
    const withCredentials = world.index.replace('http://', 'http://someone:s3cr3t@');
    const result = await explain(['download', '-d', makeTempDir('dest-'), '-i', withCredentials, 'tiny']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout + result.stderr).not.toContain('s3cr3t');
    expect((JSON.parse(result.stdout) as ExplainDoc).pipArgs).not.toBeNull();
  });
});

describe('explain (text)', () => {
  it('says what is fetched raw and how pip is called', async () => {
    const result = await explain(['download', '-d', '/tmp/x', '-i', world.index, 'app'], false);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/fetch raw: .*canary-1\.0\.tar\.gz/);
    expect(result.stdout).toMatch(/then: pip download -d \/tmp\/x -i \S+ -r \S+ --no-deps --only-binary=:all:/);
  });
  it('a refusal names the package and how to allow it', async () => {
    const result = await explain(['wheel', '-i', world.index, 'app'], false);
    expect(result.exitCode, result.stderr).toBe(42);
    expect(result.stdout).toMatch(/canary 1\.0: /);
    expect(result.stdout).toMatch(/SAFE_PIP_ALLOW_BUILD=canary/);
  });
});

describe('the plan on stderr under -v, not otherwise', () => {
  const run = (args: string[]): Promise<RunResult> =>
    runCommand(SAFE_PIP, ['pip', ...args], { env: { ...PLAIN_PIP_ENV, SAFE_PIP_REAL_PIP: pip.path } });
  it('pip install -v: safe-pip shows the plan and the exact pip command line before pip runs', async () => {
    const result = await run(['install', '-v', '--dry-run', '-i', world.index, 'newer']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/^safe-pip: plan for `pip install`:/m);
    expect(result.stderr).toMatch(/^safe-pip: +newer 1\.0 \(newer-1\.0-py3-none-any\.whl\) -> pip$/m);
    const calls = pip.calls().map((c) => c.argv);
    expect(calls).toHaveLength(1);
    expect(withoutStagingArgs(calls[0]!).rest).toEqual(['install', '-v', '--dry-run', '-i', world.index, 'newer', '--only-binary=:all:']);
    const shown = /^safe-pip: +then: pip (.*)$/m.exec(result.stderr);
    expect(shown, result.stderr).not.toBeNull();
    expect(shown![1]).toBe(calls[0]!.join(' '));
  });
  it('without -v only the note that changed something is shown', async () => {
    const result = await run(['install', '--dry-run', '-i', world.index, 'newer']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).not.toMatch(/plan for/);
    expect(result.stderr.trim().split('\n')).toEqual(['safe-pip: newer 2.0 exists only as a source archive; using the newest wheel, newer 1.0']);
  });
});
