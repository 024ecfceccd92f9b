// Issue 13 item 8: `download` under PIP_ONLY_BINARY=:all: (the Dev Container Feature's default).
// safe-pip's raw fetch runs no code whatever the format control says, so a project with no
// acceptable wheel is fetched raw (plain pip stops with "no matching distribution"), while pip's
// own wheel choice under the variable is kept for every project that has a wheel (`newer` stays on
// its 1.0 wheel instead of the 2.0 sdist plain pip would take without the variable).
import { describe, expect, it } from 'vitest';
import { runCommand, PLAIN_PIP_ENV } from '../helpers/run-cli.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { describeRun, REAL_PIP, runPlain, runSafe, SAFE_PIP, useVectorWorld } from './vector-world.js';

const world = useVectorWorld();
const ONLY_BINARY = { PIP_ONLY_BINARY: ':all:' };

interface Pkg {
  name: string;
  version: string;
  filename: string;
  via: string;
}

async function explainDownload(requirements: string[]): Promise<{ packages: Pkg[]; notes: string[]; exitCode: number; stderr: string }> {
  const dest = makeTempDir('dest-');
  const result = await runCommand(SAFE_PIP, ['explain', '--json', 'download', '-d', dest, '-i', world.index, ...requirements], {
    env: { ...PLAIN_PIP_ENV, ...ONLY_BINARY, SAFE_PIP_REAL_PIP: REAL_PIP },
  });
  const doc = JSON.parse(result.stdout === '' ? '{}' : result.stdout) as { packages?: Pkg[]; notes?: string[] };
  return { packages: doc.packages ?? [], notes: doc.notes ?? [], exitCode: result.exitCode, stderr: result.stderr };
}

const NOTE = (name: string, version: string): string =>
  `${name} ${version}: the --only-binary setting in force (e.g. PIP_ONLY_BINARY=:all:) leaves it no wheel, so plain pip would stop with "no matching distribution"; safe-pip fetches its source archive raw instead (fetching runs no code)`;

describe('download with PIP_ONLY_BINARY=:all:', () => {
  it('plain pip fails on an sdist-only project (the behaviour safe-pip departs from)', async () => {
    const plain = await runPlain('download', { args: ['-i', world.index, 'canary'], env: ONLY_BINARY });
    expect(plain.result.exitCode).toBe(1);
    expect(plain.result.stderr).toContain('ERROR: No matching distribution found for canary');
    expect(plain.fired).toEqual([]);
  });

  it('an sdist-only project is fetched raw: exit 0, the sdist saved, no code run, one note', async () => {
    const safe = await runSafe('download', { args: ['-i', world.index, 'canary'], env: ONLY_BINARY });
    expect(safe.result.exitCode, describeRun(safe)).toBe(0);
    expect(safe.files).toEqual([world.dists.canary!.filename]);
    expect(safe.fired).toEqual([]);
    expect(safe.result.stderr).toContain(`safe-pip: ${NOTE('canary', '1.0')}\n`);
    expect(safe.result.stderr).not.toContain('no-sources-permitted');
  });

  it('a wheel with an sdist-only dependency: the wheel through pip, the sdist fetched raw', async () => {
    const safe = await runSafe('download', { args: ['-i', world.index, 'app'], env: ONLY_BINARY });
    expect(safe.result.exitCode, describeRun(safe)).toBe(0);
    expect(safe.files).toEqual([world.dists.app!.filename, world.dists.canary!.filename].sort());
    expect(safe.fired).toEqual([]);
  });

  it("pip's own wheel choice is kept: newer stays on its 1.0 wheel, both takes its wheel", async () => {
    const explained = await explainDownload(['newer', 'both']);
    expect(explained.exitCode, explained.stderr).toBe(0);
    expect(explained.packages.map((p) => [p.name, p.version, p.filename, p.via])).toEqual([
      ['newer', '1.0', world.dists.newerWheel!.filename, 'pip'],
      ['both', '1.0', world.dists.bothWheel!.filename, 'pip'],
    ]);
    expect(explained.notes).toEqual([]);
  });

  it('explain says which project is fetched raw and why', async () => {
    const explained = await explainDownload(['canary', 'tiny']);
    expect(explained.exitCode, explained.stderr).toBe(0);
    expect(explained.packages.map((p) => [p.name, p.via])).toEqual([
      ['canary', 'fetch'],
      ['tiny', 'pip'],
    ]);
    expect(explained.notes).toContain(NOTE('canary', '1.0'));
  });
});
