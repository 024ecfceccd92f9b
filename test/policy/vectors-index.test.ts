// Protection vectors (issue 4 §4) whose source code comes from the index: an sdist-only project
// (plain, --no-deps, zip, PEP 517 and setuptools), a wheel that depends on one, an extra that
// pulls one in, a newest version without a wheel, a wheel whose metadata names `canary @ url`,
// PIP_INDEX_URL and the pip3 launcher. For each: plain pip runs the canary, safe-pip does not;
// download gets the same files as plain pip (sdists fetched raw), install/wheel refuse (exit 42)
// or use wheels only.
import { describe, expect, it } from 'vitest';
import {
  expectRefusal,
  expectSameDownload,
  fileBytes,
  runBoth,
  useVectorWorld,
} from './vector-world.js';

const world = useVectorWorld();
const idx = (): string[] => ['-i', world.index];

describe('an sdist-only project named on the command line', () => {
  it('download: fetched raw, byte for byte the index file, same file as plain pip', async () => {
    const { plain, safe } = await runBoth('download', { args: [...idx(), 'canary'] }, ['canary']);
    expectSameDownload(safe, plain);
    expect(safe.files).toEqual([world.dists.canary!.filename]);
    expect(fileBytes(safe.dest, world.dists.canary!.filename).equals(world.dists.canary!.data)).toBe(true);
    expect(safe.result.stderr).toMatch(/safe-pip: canary 1\.0: only a source archive; fetched raw/);
  });
  it('install --target: refused, naming canary and how to allow it', async () => {
    const { safe } = await runBoth('install', { args: [...idx(), 'canary'] }, ['canary']);
    expectRefusal(safe, { project: 'canary', version: '1.0', requiredBy: 'command line' });
  });
  it('wheel: refused', async () => {
    const { safe } = await runBoth('wheel', { args: [...idx(), 'canary'] }, ['canary']);
    expectRefusal(safe, { project: 'canary', requiredBy: 'command line' });
  });
  it('install --dry-run --ignore-installed: refused', async () => {
    const { safe } = await runBoth('install', { args: [...idx(), '--dry-run', '--ignore-installed', 'canary'] }, ['canary']);
    expectRefusal(safe, { project: 'canary', requiredBy: 'command line' });
  });
});

describe('the --no-deps form', () => {
  it('download --no-deps: fetched raw', async () => {
    const { plain, safe } = await runBoth('download', { args: [...idx(), '--no-deps', 'canary'] }, ['canary']);
    expectSameDownload(safe, plain);
  });
  it('install --no-deps: refused', async () => {
    const { safe } = await runBoth('install', { args: [...idx(), '--no-deps', 'canary'] }, ['canary']);
    expectRefusal(safe, { project: 'canary', requiredBy: 'command line' });
  });
  it('wheel --no-deps: refused', async () => {
    const { safe } = await runBoth('wheel', { args: [...idx(), '--no-deps', 'canary'] }, ['canary']);
    expectRefusal(safe, { project: 'canary', requiredBy: 'command line' });
  });
});

describe('a zip sdist', () => {
  it('download: the .zip fetched raw', async () => {
    const { plain, safe } = await runBoth('download', { args: [...idx(), 'zipcanary'] }, ['zipcanary']);
    expectSameDownload(safe, plain);
    expect(safe.files).toEqual(['zipcanary-1.0.zip']);
  });
  it('install: refused', async () => {
    const { safe } = await runBoth('install', { args: [...idx(), 'zipcanary'] }, ['zipcanary']);
    expectRefusal(safe, { project: 'zipcanary', requiredBy: 'command line' });
  });
  it('wheel: refused', async () => {
    const { safe } = await runBoth('wheel', { args: [...idx(), 'zipcanary'] }, ['zipcanary']);
    expectRefusal(safe, { project: 'zipcanary', requiredBy: 'command line' });
  });
});

describe('a setuptools sdist (setup.py only)', () => {
  it('download: fetched raw; setup.py never runs', async () => {
    const { plain, safe } = await runBoth('download', { args: [...idx(), 'stcanary'] }, ['stcanary']);
    expectSameDownload(safe, plain);
    expect(plain.markers).toContain('stcanary-setuptools-setup-py');
  });
  it('install: refused', async () => {
    const { safe } = await runBoth('install', { args: [...idx(), 'stcanary'] }, ['stcanary']);
    expectRefusal(safe, { project: 'stcanary', requiredBy: 'command line' });
  });
});

