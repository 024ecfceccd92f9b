// Protection vectors (issue 4 §4) where index source code comes in through the closure: a wheel
// that depends on an sdist-only project, an extra that pulls one in, a newest version without a
// wheel, a wheel whose metadata names `canary @ url`, PIP_INDEX_URL and the pip3 launcher. For
// each: plain pip runs the canary, safe-pip does not; download gets the same files as plain pip
// (sdists fetched raw), install/wheel refuse (exit 42) or use wheels only.
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
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

describe('a wheel that depends on an sdist-only project', () => {
  it('download: the wheel through pip, the sdist fetched raw', async () => {
    const { plain, safe } = await runBoth('download', { args: [...idx(), 'app'] }, ['canary']);
    expectSameDownload(safe, plain);
    expect(safe.files).toEqual([world.dists.app!.filename, world.dists.canary!.filename].sort());
  });
  it('install: refused, naming the dependency and the wheel that required it', async () => {
    const { safe } = await runBoth('install', { args: [...idx(), 'app'] }, ['canary']);
    expectRefusal(safe, { project: 'canary', version: '1.0', requiredBy: /app==1\.0/ });
  });
  it('wheel: refused', async () => {
    const { safe } = await runBoth('wheel', { args: [...idx(), 'app'] }, ['canary']);
    expectRefusal(safe, { project: 'canary', requiredBy: /app/ });
  });
});

describe('an extra that pulls in an sdist-only project', () => {
  it('download host[build]: same files as plain pip', async () => {
    const { plain, safe } = await runBoth('download', { args: [...idx(), 'host[build]'] }, ['canary']);
    expectSameDownload(safe, plain);
    expect(safe.files).toContain(world.dists.canary!.filename);
  });
  it('install host[build]: refused', async () => {
    const { safe } = await runBoth('install', { args: [...idx(), 'host[build]'] }, ['canary']);
    expectRefusal(safe, { project: 'canary', requiredBy: /host/ });
  });
  it('install host (no extra): installed, nothing refused', async () => {
    const safe = await runSafe('install', { args: [...idx(), 'host'] });
    expectNoCode(safe);
    expect(safe.files).toContain('host');
  });
  it('wheel host[build]: refused', async () => {
    const { safe } = await runBoth('wheel', { args: [...idx(), 'host[build]'] }, ['canary']);
    expectRefusal(safe, { project: 'canary', requiredBy: /host/ });
  });
});

describe('the newest version exists only as an sdist, an older one as a wheel', () => {
  it('download: the newest sdist fetched raw, as plain pip picks it', async () => {
    const { plain, safe } = await runBoth('download', { args: [...idx(), 'newer'] }, ['newer']);
    expectSameDownload(safe, plain);
    expect(safe.files).toEqual(['newer-2.0.tar.gz']);
  });
  it('install --target: the older wheel is installed, and safe-pip says so', async () => {
    const { safe } = await runBoth('install', { args: [...idx(), 'newer'] }, ['newer']);
    expectNoCode(safe);
    expect(safe.files).toEqual(expect.arrayContaining(['newer', 'newer-1.0.dist-info']));
    expect(safe.result.stderr).toMatch(/safe-pip: newer 2\.0 exists only as a source archive; using the newest wheel, newer 1\.0/);
  });
  it('wheel: the older wheel lands in the wheel dir', async () => {
    const { safe } = await runBoth('wheel', { args: [...idx(), 'newer'] }, ['newer']);
    expectNoCode(safe);
    expect(safe.files).toEqual([world.dists.newerWheel!.filename]);
    expect(safe.result.stderr).toMatch(/newer 2\.0 exists only as a source archive/);
  });
});

describe('a wheel whose metadata depends on `canary @ url` (dropper)', () => {
  it('download: the wheel, and the URL dependency fetched raw', async () => {
    const { plain, safe } = await runBoth('download', { args: [...idx(), 'dropper'] }, ['canary']);
    expectSameDownload(safe, plain);
    expect(safe.files).toEqual([world.dists.canary!.filename, world.dists.dropper!.filename].sort());
  });
  it('download --only-binary :all:: plain pip still builds it; safe-pip does not', async () => {
    const { plain, safe } = await runBoth('download', { args: [...idx(), '--only-binary', ':all:', 'dropper'] }, ['canary']);
    expectSameDownload(safe, plain);
  });
  it('install: refused, naming dropper as the requirer', async () => {
    const { safe } = await runBoth('install', { args: [...idx(), 'dropper'] }, ['canary']);
    expectRefusal(safe, { project: 'canary', requiredBy: /dropper/ });
  });
  it('wheel: refused', async () => {
    const { safe } = await runBoth('wheel', { args: [...idx(), 'dropper'] }, ['canary']);
    expectRefusal(safe, { project: 'canary', requiredBy: /dropper/ });
  });
});

describe('the index from PIP_INDEX_URL', () => {
  it('download app: same files as plain pip', async () => {
    const { plain, safe } = await runBoth('download', { args: ['app'], env: { PIP_INDEX_URL: world.index } }, ['canary']);
    expectSameDownload(safe, plain);
  });
  it('install app: refused', async () => {
    const { safe } = await runBoth('install', { args: ['app'], env: { PIP_INDEX_URL: world.index } }, ['canary']);
    expectRefusal(safe, { project: 'canary', requiredBy: /app/ });
  });
  it('install tiny: installed as plain pip would', async () => {
    const safe = await runSafe('install', { args: ['tiny'], env: { PIP_INDEX_URL: world.index } });
    expectNoCode(safe);
    expect(existsSync(join(safe.dest, 'tiny', '__init__.py'))).toBe(true);
  });
});

describe('through the pip3 launcher', () => {
  it('download app: same files as plain pip', async () => {
    const { plain, safe } = await runBoth('download', { args: [...idx(), 'app'], launcher: 'pip3' }, ['canary']);
    expectSameDownload(safe, plain);
  });
  it('install app: refused', async () => {
    const { safe } = await runBoth('install', { args: [...idx(), 'app'], launcher: 'pip3' }, ['canary']);
    expectRefusal(safe, { project: 'canary', requiredBy: /app/ });
  });
  it('wheel canary: refused', async () => {
    const { safe } = await runBoth('wheel', { args: [...idx(), 'canary'], launcher: 'pip3' }, ['canary']);
    expectRefusal(safe, { project: 'canary', requiredBy: 'command line' });
  });
  it('install tiny: pip output untouched, installed', async () => {
    const safe = await runSafe('install', { args: [...idx(), 'tiny'], launcher: 'pip3' });
    expectNoCode(safe);
    expect(safe.result.stdout, describeRun(safe)).toMatch(/Successfully installed tiny-1\.0/);
    expect(safe.result.stderr).not.toMatch(/safe-pip:/);
  });
});
