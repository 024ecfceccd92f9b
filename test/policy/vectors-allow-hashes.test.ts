// Protection vectors (issue 4 §4) about the ways out and hash-checking mode: allowing a build by
// name (SAFE_PIP_ALLOW_BUILD, the --safe-pip-allow-build flag, allow-build in safe-pip's
// config.toml) builds that project and nothing else; SAFE_PIP_DISABLE=1 passes through with one
// warning line; `--require-hashes` keeps working for what pip fetches and what safe-pip fetches.
import { describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '../helpers/temp-dir.js';
import {
  describeRun,
  expectNoCode,
  expectRefusal,
  expectSameDownload,
  runBoth,
  runSafe,
  useVectorWorld,
} from './vector-world.js';

const world = useVectorWorld();
const idx = (): string[] => ['-i', world.index];

function configHomeAllowing(names: string[]): string {
  const home = makeTempDir('xdg-config-');
  mkdirSync(join(home, 'safe-pip'));
  writeFileSync(join(home, 'safe-pip', 'config.toml'), `allow-build = ${JSON.stringify(names)}\n`);
  return home;
}

describe('allowing a build by name', () => {
  it('SAFE_PIP_ALLOW_BUILD=canary, install app newer: canary builds; newer stays on its wheel', async () => {
    const { safe } = await runBoth('install', { args: [...idx(), 'app', 'newer'], env: { SAFE_PIP_ALLOW_BUILD: 'canary' } }, ['canary', 'newer']);
    expect(safe.result.exitCode, describeRun(safe)).toBe(0);
    expect(safe.fired).toEqual(['canary']);
    expect(safe.files).toEqual(expect.arrayContaining(['app', 'canary', 'newer', 'newer-1.0.dist-info']));
  });
  it('the --safe-pip-allow-build flag (stripped before pip sees it), wheel app', async () => {
    const safe = await runSafe('wheel', { args: [...idx(), '--safe-pip-allow-build=canary', 'app'] });
    expect(safe.result.exitCode, describeRun(safe)).toBe(0);
    expect(safe.fired).toEqual(['canary']);
    expect(safe.files).toEqual([world.dists.app!.filename, 'canary-1.0-py3-none-any.whl']);
    expect(safe.result.stderr).not.toMatch(/no such option/);
  });
  it('allow-build in $XDG_CONFIG_HOME/safe-pip/config.toml, install canary', async () => {
    const safe = await runSafe('install', { args: [...idx(), 'canary'], env: { XDG_CONFIG_HOME: configHomeAllowing(['Canary']) } });
    expect(safe.result.exitCode, describeRun(safe)).toBe(0);
    expect(safe.fired).toEqual(['canary']);
    expect(safe.files).toContain('canary');
  });
  it('allowing canary does not allow zipcanary: refused, and nothing ran', async () => {
    const safe = await runSafe('install', { args: [...idx(), 'app', 'zipcanary'], env: { SAFE_PIP_ALLOW_BUILD: 'canary' } });
    expectRefusal(safe, { project: 'zipcanary', requiredBy: 'command line' });
  });
  it('allowing a `name @ url` target by its name builds it', async () => {
    const safe = await runSafe('install', {
      args: [...idx(), `canary @ ${world.server.fileUrl(world.dists.canary!.filename)}`],
      env: { SAFE_PIP_ALLOW_BUILD: 'canary' },
    });
    expect(safe.result.exitCode, describeRun(safe)).toBe(0);
    expect(safe.fired).toEqual(['canary']);
  });
  it('download never builds, allowed or not: still fetched raw', async () => {
    const { plain, safe } = await runBoth('download', { args: [...idx(), 'app'], env: { SAFE_PIP_ALLOW_BUILD: 'canary' } }, ['canary']);
    expectSameDownload(safe, plain);
  });
  it('a requirements file cannot allow a build (the flag is not a requirements-file option)', async () => {
    const dir = makeTempDir('reqs-');
    writeFileSync(join(dir, 'requirements.txt'), '--safe-pip-allow-build=canary\ncanary\n');
    const safe = await runSafe('install', { args: [...idx(), '-r', join(dir, 'requirements.txt')] });
    expect(safe.fired).toEqual([]);
    expect(safe.result.exitCode, describeRun(safe)).not.toBe(0);
  });
});

describe('SAFE_PIP_DISABLE=1', () => {
  it('passes the command through untouched, with exactly one warning line', async () => {
    const safe = await runSafe('install', { args: [...idx(), 'canary'], env: { SAFE_PIP_DISABLE: '1' } });
    expect(safe.result.exitCode, describeRun(safe)).toBe(0);
    expect(safe.fired).toEqual(['canary']);
    expect(safe.files).toContain('canary');
    const ours = safe.result.stderr.split('\n').filter((line) => line.startsWith('safe-pip:'));
    expect(ours).toHaveLength(1);
    expect(ours[0]).toMatch(/SAFE_PIP_DISABLE=1/);
  });
});

describe('hash-checking mode', () => {
  const hashLine = (name: string, version: string, sha256: string): string => `${name}==${version} --hash=sha256:${sha256}\n`;
  function requirements(text: string): string {
    const dir = makeTempDir('reqs-');
    writeFileSync(join(dir, 'requirements.txt'), text);
    return join(dir, 'requirements.txt');
  }
  it('download --require-hashes: the wheel through pip, the sdist fetched by safe-pip, both checked', async () => {
    const file = requirements(hashLine('app', '1.0', world.dists.app!.sha256) + hashLine('canary', '1.0', world.dists.canary!.sha256));
    const { plain, safe } = await runBoth('download', { args: [...idx(), '--require-hashes', '-r', file] }, ['canary']);
    expectSameDownload(safe, plain);
    expect(safe.files).toEqual([world.dists.app!.filename, world.dists.canary!.filename].sort());
  });
  it('download: a wrong hash for the sdist safe-pip fetches fails, and nothing is saved under its name', async () => {
    const file = requirements(hashLine('canary', '1.0', '0'.repeat(64)));
    const safe = await runSafe('download', { args: [...idx(), '-r', file] });
    expect(safe.fired).toEqual([]);
    expect(safe.result.exitCode, describeRun(safe)).not.toBe(0);
    expect(safe.files).toEqual([]);
  });
  it('download: a wrong hash for a wheel pip fetches fails as pip fails it', async () => {
    const file = requirements(hashLine('tiny', '1.0', '0'.repeat(64)));
    const plain = await runSafe('download', { args: [...idx(), '-r', file], env: { SAFE_PIP_DISABLE: '1' } });
    const safe = await runSafe('download', { args: [...idx(), '-r', file] });
    expect(safe.result.exitCode, describeRun(safe)).toBe(plain.result.exitCode);
    expect(safe.result.exitCode).not.toBe(0);
    expect(safe.files).toEqual([]);
  });
  it('install --require-hashes: installed', async () => {
    const file = requirements(hashLine('tiny', '1.0', world.dists.tiny!.sha256));
    const safe = await runSafe('install', { args: [...idx(), '--require-hashes', '-r', file] });
    expectNoCode(safe);
    expect(safe.files).toContain('tiny');
  });
  it('install --require-hashes with a wrong hash: pip refuses it (exit 1)', async () => {
    const file = requirements(hashLine('tiny', '1.0', '0'.repeat(64)));
    const safe = await runSafe('install', { args: [...idx(), '--require-hashes', '-r', file] });
    expect(safe.result.exitCode, describeRun(safe)).toBe(1);
    expect(safe.result.stderr).toMatch(/THESE PACKAGES DO NOT MATCH THE HASHES/);
    expect(safe.files).toEqual([]);
  });
});
