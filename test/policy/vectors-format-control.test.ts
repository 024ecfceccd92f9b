// Protection vectors (issue 4 §4) that try to re-enable builds behind --only-binary=:all: (format
// control, pip-behaviour.md §1.4 and §9): `--no-binary` in a requirements file, in a nested one, in
// a constraints file; `name @ url` in a constraints file; `--only-binary :all: --no-binary X` on
// the command line; PIP_NO_BINARY; `no-binary` in a pip config file. The project `both` has a
// wheel and a canary sdist at the same version, so plain pip builds it only because of the option.
// download: pip's pick (the sdist) is fetched raw; install/wheel: the wheel is used.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '../helpers/temp-dir.js';
import {
  describeRun,
  expectNoCode,
  expectRefusal,
  expectSameDownload,
  runBoth,
  startVectorWorld,
  type Command,
  type RunSpec,
  type VectorWorld,
} from './vector-world.js';

let world: VectorWorld;
beforeAll(async () => {
  world = await startVectorWorld();
  // A requirements file served over http (pip reads -r URLs itself, §3).
  world.server.fault('/requirements/remote.txt', { status: 200, contentType: 'text/plain', body: '--no-binary both\nboth\n' });
});
afterAll(async () => {
  await world?.close();
});
const idx = (): string[] => ['-i', world.index];

/** Writes files (relative paths) into a fresh directory; returns it. */
function files(entries: Record<string, string>): string {
  const dir = makeTempDir('reqs-');
  for (const [path, text] of Object.entries(entries)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** The three commands for one vector that re-enables `both`'s sdist. */
function bothVector(name: string, spec: () => RunSpec, noteAbout?: RegExp): void {
  describe(name, () => {
    it('download: pip would pick the sdist; it is fetched raw', async () => {
      const { plain, safe } = await runBoth('download', spec(), ['both']);
      expectSameDownload(safe, plain);
      expect(safe.files).toEqual([world.dists.bothSdist!.filename]);
    });
    for (const command of ['install', 'wheel'] as Command[]) {
      it(`${command}: the wheel is used instead`, async () => {
        const { safe } = await runBoth(command, spec(), ['both']);
        expectNoCode(safe);
        if (command === 'install') expect(safe.files).toEqual(expect.arrayContaining(['both', 'both-1.0.dist-info']));
        else expect(safe.files).toEqual([world.dists.bothWheel!.filename]);
        if (noteAbout !== undefined) expect(safe.result.stderr, describeRun(safe)).toMatch(noteAbout);
      });
    }
  });
}

bothVector(
  'a requirements file with --no-binary',
  () => {
    const dir = files({ 'requirements.txt': '--no-binary both\nboth\n' });
    return { args: [...idx(), '-r', join(dir, 'requirements.txt')] };
  },
  /safe-pip: ignored .*requirements\.txt line 1 \(--no-binary both\)/,
);

bothVector(
  'nested requirements files (the --no-binary line two levels down, relative paths)',
  () => {
    const dir = files({
      'requirements.txt': '-r sub/middle.txt\nboth\n',
      'sub/middle.txt': '-r deeper/inner.txt\n',
      'sub/deeper/inner.txt': '--no-binary :all:\n',
    });
    // Relative -r paths are relative to the including file, not to the working directory.
    return { args: [...idx(), '-r', 'requirements.txt'], cwd: dir };
  },
  /safe-pip: ignored .*inner\.txt line 1 \(--no-binary :all:\)/,
);

bothVector(
  'a remote requirements file (http) with --no-binary',
  () => ({ args: [...idx(), '-r', `${world.server.url}/requirements/remote.txt`] }),
  /safe-pip: ignored .*remote\.txt line 1 \(--no-binary both\)/,
);

bothVector('a constraints file with --no-binary', () => {
  const dir = files({ 'constraints.txt': '--no-binary both\n' });
  return { args: [...idx(), '-c', join(dir, 'constraints.txt'), 'both'] };
});

bothVector('--only-binary :all: --no-binary both on the command line', () => ({
  args: [...idx(), '--only-binary', ':all:', '--no-binary', 'both', 'both'],
}));

bothVector('PIP_NO_BINARY', () => ({ args: [...idx(), 'both'], env: { PIP_NO_BINARY: 'both' } }));

bothVector('a pip config file with no-binary', () => {
  const dir = files({ 'pip.conf': '[global]\nno-binary = both\n' });
  return { args: [...idx(), 'both'], env: { PIP_CONFIG_FILE: join(dir, 'pip.conf') } };
});

describe('a constraints file with `canary @ url`', () => {
  const spec = (): RunSpec => {
    const dir = files({ 'constraints.txt': `canary @ ${world.server.fileUrl(world.dists.canary!.filename)}\n` });
    return { args: [...idx(), '-c', join(dir, 'constraints.txt'), 'canary'] };
  };
  it('download: the URL is fetched raw', async () => {
    const { plain, safe } = await runBoth('download', spec(), ['canary']);
    expectSameDownload(safe, plain);
  });
  it('install: refused, naming the constraint', async () => {
    const { safe } = await runBoth('install', spec(), ['canary']);
    expectRefusal(safe, { project: 'canary', requiredBy: /constraints\.txt/, why: /remote source archive/ });
  });
  it('wheel: refused', async () => {
    const { safe } = await runBoth('wheel', spec(), ['canary']);
    expectRefusal(safe, { project: 'canary', requiredBy: /constraints\.txt/, why: /remote source archive/ });
  });
  it('install, the constraints file named by PIP_CONSTRAINT: refused', async () => {
    const { args } = spec();
    const file = args[args.indexOf('-c') + 1]!;
    const { safe } = await runBoth('install', { args: [...idx(), 'canary'], env: { PIP_CONSTRAINT: file } }, ['canary']);
    expectRefusal(safe, { project: 'canary', requiredBy: /constraints\.txt/, why: /remote source archive/ });
  });
});
