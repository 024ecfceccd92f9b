// readSdistMetadata on sdists built here (tar-stream/yazl through test/helpers/archives.ts):
// the PKG-INFO / pyproject decision, hostile member paths, links, compression bombs, truncation.
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ArchiveError } from '../../src/resolve/random-access.js';
import { DEFAULT_SDIST_LIMITS, readSdistMetadata } from '../../src/resolve/sdist-metadata.js';
import { tarBuffer, tarGzBuffer, zipBuffer, type ArchiveEntries } from '../helpers/archives.js';

function pkgInfo(version: string, lines: string[] = []): string {
  return [`Metadata-Version: ${version}`, 'Name: demo', 'Version: 1.0', ...lines, '', 'Long description.', ''].join('\n');
}

const REQUIRES = ['Requires-Dist: six>=1.0', 'Requires-Dist: idna; extra == "net"', 'Requires-Dist: rich; extra == \'Pretty_Out\' and python_version >= "3.8"', 'Provides-Extra: net', 'Provides-Extra: Pretty_Out', 'Requires-Python: >=3.8'];

const STATIC_PYPROJECT = `
[build-system]
requires = ["setuptools>=61"]
build-backend = "setuptools.build_meta"

[project]
name = "demo"
version = "1.0"
requires-python = ">=3.9"
dependencies = ["attrs>=22", "tomli; python_version < '3.11'"]

[project.optional-dependencies]
Test = ["pytest>=7"]
docs = ["sphinx"]
`;

const DYNAMIC_PYPROJECT = `
[project]
name = "demo"
dynamic = ["version", "dependencies"]
`;

async function sdist(entries: ArchiveEntries): Promise<Buffer> {
  return tarGzBuffer(entries);
}

describe('which metadata is trusted', () => {
  it('uses PKG-INFO 2.2 without Dynamic', async () => {
    const result = await readSdistMetadata(await sdist({ 'demo-1.0/PKG-INFO': pkgInfo('2.2', REQUIRES), 'demo-1.0/setup.py': 'raise SystemExit' }), 'demo-1.0.tar.gz');
    expect(result).toEqual({
      name: 'demo',
      version: '1.0',
      requiresPython: '>=3.8',
      dependencies: ['six>=1.0', 'idna; extra == "net"', 'rich; extra == \'Pretty_Out\' and python_version >= "3.8"'],
      extras: { net: ['idna; extra == "net"'], 'pretty-out': ['rich; extra == \'Pretty_Out\' and python_version >= "3.8"'] },
      source: 'PKG-INFO',
    });
  });

  it('does not trust PKG-INFO 2.1 and, without a static pyproject, says why', async () => {
    const result = await readSdistMetadata(await sdist({ 'demo-1.0/PKG-INFO': pkgInfo('2.1', REQUIRES), 'demo-1.0/setup.py': '' }), 'demo-1.0.tar.gz');
    expect(result.dependencies).toBe('unknown');
    expect(result.extras).toBe('unknown');
    expect(result.reason).toMatch(/Metadata-Version 2\.1, older than 2\.2/);
    expect(result.reason).toMatch(/no pyproject\.toml/);
    expect(result.name).toBe('demo');
  });

  it('falls back to a static pyproject when PKG-INFO is 2.1 or lists Requires-Dist as Dynamic', async () => {
    for (const info of [pkgInfo('2.1', REQUIRES), pkgInfo('2.2', [...REQUIRES, 'Dynamic: Requires-Dist'])]) {
      const result = await readSdistMetadata(await sdist({ 'demo-1.0/PKG-INFO': info, 'demo-1.0/pyproject.toml': STATIC_PYPROJECT }), 'demo-1.0.tar.gz');
      expect(result).toEqual({
        name: 'demo',
        version: '1.0',
        requiresPython: '>=3.9',
        dependencies: ['attrs>=22', "tomli; python_version < '3.11'", 'pytest>=7; extra == "test"', 'sphinx; extra == "docs"'],
        extras: { test: ['pytest>=7'], docs: ['sphinx'] },
        source: 'pyproject.toml',
      });
    }
  });

  it('combines an extra with an existing marker', async () => {
    const pyproject = '[project]\nname = "demo"\nversion = "1"\ndependencies = []\n[project.optional-dependencies]\nwin = ["colorama; sys_platform == \'win32\' or os_name == \'nt\'"]\n';
    const result = await readSdistMetadata(await sdist({ 'demo-1/pyproject.toml': pyproject }), 'demo-1.tar.gz');
    expect(result.dependencies).toEqual(['colorama; (sys_platform == "win32" or os_name == "nt") and extra == "win"']);
  });

  it('reports dynamic dependencies in PKG-INFO and pyproject as unknown', async () => {
    const result = await readSdistMetadata(
      await sdist({ 'demo-1.0/PKG-INFO': pkgInfo('2.2', ['Dynamic: requires-dist']), 'demo-1.0/pyproject.toml': DYNAMIC_PYPROJECT }),
      'demo-1.0.tar.gz',
    );
    expect(result.dependencies).toBe('unknown');
    expect(result.reason).toMatch(/Requires-Dist as Dynamic.*"dependencies" in \[project\]\.dynamic/);
  });

  it('keeps known dependencies when only optional-dependencies are dynamic', async () => {
    const pyproject = '[project]\nname = "demo"\nversion = "1"\ndependencies = ["six"]\ndynamic = ["optional-dependencies"]\n';
    const result = await readSdistMetadata(await sdist({ 'demo-1/pyproject.toml': pyproject }), 'demo-1.tar.gz');
    expect(result.dependencies).toEqual(['six']);
    expect(result.extras).toBe('unknown');
  });

  it('treats a pyproject without [project], invalid TOML or invalid requirements as unknown', async () => {
    const cases: [string, RegExp][] = [
      ['[build-system]\nrequires = ["setuptools"]\n', /no \[project\] table/],
      ['[project\nname = ', /cannot be parsed/],
      ['[project]\nname = "demo"\ndependencies = ["six =="]\n', /invalid requirement "six =="/],
      ['[project]\nname = "demo"\ndependencies = "six"\n', /not a list of strings/],
    ];
    for (const [text, reason] of cases) {
      const result = await readSdistMetadata(await sdist({ 'demo-1/pyproject.toml': text }), 'demo-1.tar.gz');
      expect(result.dependencies).toBe('unknown');
      expect(result.reason).toMatch(reason);
    }
  });

  it('reads .zip and plain .tar sdists, and files at the root when there is no leading directory', async () => {
    const entries = { 'demo-1.0/PKG-INFO': pkgInfo('2.4', ['Requires-Dist: six']) };
    expect((await readSdistMetadata(await zipBuffer(entries), 'demo-1.0.zip')).dependencies).toEqual(['six']);
    expect((await readSdistMetadata(await tarBuffer(entries), 'demo-1.0.tar')).dependencies).toEqual(['six']);
    const flat = await sdist({ 'PKG-INFO': pkgInfo('2.2', ['Requires-Dist: attrs']), 'setup.py': '' });
    expect((await readSdistMetadata(flat, 'demo-1.0.tgz')).dependencies).toEqual(['attrs']);
    // Two top-level directories: pip keeps both, so only a root PKG-INFO would count.
    const two = await sdist({ 'a/PKG-INFO': pkgInfo('2.2'), 'b/setup.py': '' });
    expect((await readSdistMetadata(two, 'demo-1.0.tar.gz')).source).toBeNull();
  });

  it('says it cannot open .tar.bz2 and .tar.xz without new decompressors', async () => {
    const result = await readSdistMetadata(Buffer.from('BZh91AY&SY'), 'demo-1.0.tar.bz2');
    expect(result.dependencies).toBe('unknown');
    expect(result.reason).toMatch(/cannot open "demo-1\.0\.tar\.bz2"/);
  });
});

describe('hostile archives', () => {
  it('never trusts ../ or absolute member paths, and ignores links', async () => {
    const evil = pkgInfo('2.2', ['Requires-Dist: evil']);
    const cases: ArchiveEntries[] = [
      { '../PKG-INFO': evil, 'demo-1.0/setup.py': '' },
      { '/PKG-INFO': evil, 'demo-1.0/setup.py': '' },
      { 'demo-1.0/../PKG-INFO': evil, 'demo-1.0/setup.py': '' },
      { 'demo-1.0/PKG-INFO': { type: 'symlink', linkname: '/etc/passwd' }, 'demo-1.0/setup.py': '' },
      { 'demo-1.0\\PKG-INFO': evil, 'demo-1.0/setup.py': '' },
    ];
    for (const entries of cases) {
      const result = await readSdistMetadata(await sdist(entries), 'demo-1.0.tar.gz');
      expect(result.dependencies, JSON.stringify(Object.keys(entries))).toBe('unknown');
      expect(result.source).toBeNull();
    }
    // The hostile members do not hide a legitimate PKG-INFO either.
    const mixed = await sdist({ '../x': 'x', 'demo-1.0/PKG-INFO': pkgInfo('2.2', ['Requires-Dist: six']) });
    expect((await readSdistMetadata(mixed, 'demo-1.0.tar.gz')).dependencies).toEqual(['six']);
  });

  // Breaking a limit says nothing bad about the file (issue 11 item 7: an 11 MiB PKG-INFO stopped
  // the run): it is still handled, only its dependencies become unknown, with the reason.
  it('treats a gzip that expands past the cap (compression bomb) as dependencies unknown', async () => {
    const bomb = await sdist({ 'demo-1.0/PKG-INFO': pkgInfo('2.2'), 'demo-1.0/zeros.bin': Buffer.alloc(8 * 1024 * 1024) });
    expect(bomb.length).toBeLessThan(64 * 1024);
    const limits = { maxTotalBytes: 1024 * 1024, maxMembers: 1000, maxFileBytes: 1024 * 1024 };
    const result = await readSdistMetadata(bomb, 'demo-1.0.tar.gz', limits);
    expect(result).toMatchObject({ dependencies: 'unknown', extras: 'unknown', source: null });
    expect(result.reason).toMatch(/"demo-1\.0\.tar\.gz".*more than 1048576 bytes/);
  });

  it('treats an oversized PKG-INFO or too many members as dependencies unknown', async () => {
    const limits = { maxTotalBytes: 1 << 30, maxMembers: 10, maxFileBytes: 1000 };
    const big = await sdist({ 'demo-1.0/PKG-INFO': pkgInfo('2.2', ['Requires-Dist: six']) + 'x'.repeat(5000) });
    const result = await readSdistMetadata(big, 'demo-1.0.tar.gz', limits);
    expect(result).toMatchObject({ dependencies: 'unknown', extras: 'unknown' });
    expect(result.reason).toMatch(/"demo-1\.0\/PKG-INFO" in "demo-1\.0\.tar\.gz".*more than the limit of 1000/);
    const bigZip = await zipBuffer({ 'demo-1.0/PKG-INFO': pkgInfo('2.2') + 'x'.repeat(5000) });
    expect((await readSdistMetadata(bigZip, 'demo-1.0.zip', limits)).dependencies).toBe('unknown');
    const many: ArchiveEntries = {};
    for (let i = 0; i < 20; i++) many[`demo-1.0/f${i}`] = '';
    const crowded = await readSdistMetadata(await sdist(many), 'demo-1.0.tar.gz', limits);
    expect(crowded.dependencies).toBe('unknown');
    expect(crowded.reason).toMatch(/more than 10 members/);
  });

  it('rejects truncated and corrupt archives with ArchiveError', async () => {
    const good = await sdist({ 'demo-1.0/PKG-INFO': pkgInfo('2.2'), 'demo-1.0/big.txt': 'y'.repeat(100_000) });
    const inputs: [Buffer, string][] = [
      [good.subarray(0, Math.floor(good.length / 2)), 'demo-1.0.tar.gz'],
      [Buffer.from('definitely not gzip'), 'demo-1.0.tar.gz'],
      [gzipSync(Buffer.from('not a tar header, just text that is long enough '.repeat(20))), 'demo-1.0.tar.gz'],
      [Buffer.from('PK\x03\x04 broken zip'), 'demo-1.0.zip'],
    ];
    for (const [bytes, name] of inputs) {
      const error = await readSdistMetadata(bytes, name).catch((e: unknown) => e);
      expect(error, name).toBeInstanceOf(ArchiveError);
      expect((error as Error).message).toContain(`"${name}"`);
    }
  });
});

// setup.py-only sdists (pip's test data: require_simple, requiresupper, TopoRequires4): setuptools
// wrote `<name>.egg-info/requires.txt` when it made the sdist, so the file holds its dependencies
// as data; nothing is run to read them.
describe('egg-info requires.txt', () => {
  const readWithEggInfo = (bytes: Uint8Array, filename: string) => readSdistMetadata(bytes, filename, DEFAULT_SDIST_LIMITS, { eggInfoRequires: true });
  const setupPy = (name: string, requires: string[]) =>
    `from setuptools import setup\n\nsetup(\n    name='${name}',\n    version='1.0',\n    install_requires=${JSON.stringify(requires)},\n)\n`;
  const legacyPkgInfo = (name: string) => `Metadata-Version: 1.0\nName: ${name}\nVersion: 1.0\nSummary: UNKNOWN\nHome-page: UNKNOWN\nLicense: UNKNOWN\nPlatform: UNKNOWN\n`;
  const eggInfo = (top: string, dir: string, name: string, requires: string | null): ArchiveEntries => ({
    [`${top}/${dir}/PKG-INFO`]: legacyPkgInfo(name),
    [`${top}/${dir}/SOURCES.txt`]: `setup.py\n${dir}/PKG-INFO\n`,
    [`${top}/${dir}/dependency_links.txt`]: '\n',
    [`${top}/${dir}/top_level.txt`]: '\n',
    ...(requires === null ? {} : { [`${top}/${dir}/requires.txt`]: requires }),
  });

  it('reads require_simple-1.0: Metadata-Version 1.0 and setup.py, dependencies from requires.txt', async () => {
    const archive = await sdist({
      'require_simple-1.0/PKG-INFO': legacyPkgInfo('require_simple'),
      'require_simple-1.0/setup.py': setupPy('require_simple', ['simple==3.0']),
      'require_simple-1.0/setup.cfg': '[egg_info]\ntag_build = \ntag_date = 0\n',
      ...eggInfo('require_simple-1.0', 'require_simple.egg-info', 'require_simple', 'simple==3.0\n'),
    });
    expect(await readWithEggInfo(archive, 'require_simple-1.0.tar.gz')).toEqual({
      name: 'require_simple',
      version: '1.0',
      requiresPython: null,
      dependencies: ['simple==3.0'],
      extras: {},
      source: 'require_simple.egg-info/requires.txt',
    });
  });

  it('turns extra and marker sections into Requires-Dist markers, and lists the extras', async () => {
    const requires = 'six>=1.0\n\n[:python_version < "3.8"]\nimportlib-metadata\n\n[Fancy_Out]\nrich\n\n[socks:sys_platform == "win32"]\nwin-inet-pton\n';
    const archive = await sdist({
      'demo-1.0/PKG-INFO': pkgInfo('2.1'),
      'demo-1.0/setup.py': '',
      ...eggInfo('demo-1.0', 'demo.egg-info', 'demo', requires),
    });
    const result = await readWithEggInfo(archive, 'demo-1.0.tar.gz');
    expect(result.dependencies).toEqual([
      'six>=1.0',
      'importlib-metadata; python_version < "3.8"',
      'rich; extra == "Fancy_Out"',
      'win-inet-pton; (sys_platform == "win32") and extra == "socks"',
    ]);
    expect(result.extras).toEqual({ 'fancy-out': ['rich; extra == "Fancy_Out"'], socks: ['win-inet-pton; (sys_platform == "win32") and extra == "socks"'] });
  });

  it('finds the egg-info of a src layout and of a name spelled differently (TopoRequires4 / toporequires4)', async () => {
    const srcLayout = await sdist({
      'TopoRequires4-0.0.1/PKG-INFO': legacyPkgInfo('TopoRequires4').replace('Version: 1.0', 'Version: 0.0.1'),
      'TopoRequires4-0.0.1/setup.py': setupPy('TopoRequires4', ['TopoRequires2', 'TopoRequires3', 'TopoRequires4']),
      ...eggInfo('TopoRequires4-0.0.1/src', 'TopoRequires4.egg-info', 'TopoRequires4', 'TopoRequires2\nTopoRequires3\nTopoRequires4\n'),
    });
    const result = await readWithEggInfo(srcLayout, 'TopoRequires4-0.0.1.tar.gz');
    expect(result.dependencies).toEqual(['TopoRequires2', 'TopoRequires3', 'TopoRequires4']);
    expect(result.source).toBe('src/TopoRequires4.egg-info/requires.txt');
    const dotted = await sdist({
      'zope.thing-1.0/PKG-INFO': legacyPkgInfo('zope.thing'),
      ...eggInfo('zope.thing-1.0', 'zope.thing.egg-info', 'zope.thing', 'zope.interface\n'),
    });
    expect((await readWithEggInfo(dotted, 'zope.thing-1.0.tar.gz')).dependencies).toEqual(['zope.interface']);
  });

  it('prefers static PKG-INFO and pyproject over requires.txt', async () => {
    const archive = await sdist({
      'demo-1.0/PKG-INFO': pkgInfo('2.2', ['Requires-Dist: attrs']),
      ...eggInfo('demo-1.0', 'demo.egg-info', 'demo', 'other\n'),
    });
    expect(await readWithEggInfo(archive, 'demo-1.0.tar.gz')).toMatchObject({ dependencies: ['attrs'], source: 'PKG-INFO' });
    const withPyproject = await sdist({
      'demo-1.0/PKG-INFO': pkgInfo('2.1'),
      'demo-1.0/pyproject.toml': STATIC_PYPROJECT,
      ...eggInfo('demo-1.0', 'demo.egg-info', 'demo', 'other\n'),
    });
    expect((await readWithEggInfo(withPyproject, 'demo-1.0.tar.gz')).source).toBe('pyproject.toml');
  });

  it('uses requires.txt when PKG-INFO lists Requires-Dist as Dynamic (setuptools wrote it for this file)', async () => {
    const archive = await sdist({
      'demo-1.0/PKG-INFO': pkgInfo('2.2', ['Dynamic: Requires-Dist']),
      ...eggInfo('demo-1.0', 'demo.egg-info', 'demo', 'six\n'),
    });
    expect(await readWithEggInfo(archive, 'demo-1.0.tar.gz')).toMatchObject({ dependencies: ['six'], source: 'demo.egg-info/requires.txt' });
  });

  it('is read only when asked for (a PEP 658 file is checked against the core metadata alone)', async () => {
    const archive = await sdist({ 'demo-1.0/PKG-INFO': pkgInfo('2.1'), ...eggInfo('demo-1.0', 'demo.egg-info', 'demo', 'six\n') });
    expect((await readSdistMetadata(archive, 'demo-1.0.tar.gz')).dependencies).toBe('unknown');
  });

  it('stays unknown without requires.txt, for another project\'s egg-info, two candidates, or an invalid line', async () => {
    const cases: [ArchiveEntries, RegExp][] = [
      [{ 'demo-1.0/PKG-INFO': pkgInfo('2.1'), 'demo-1.0/setup.py': '' }, /no pyproject\.toml/],
      [{ 'demo-1.0/PKG-INFO': pkgInfo('2.1'), ...eggInfo('demo-1.0', 'demo.egg-info', 'demo', null) }, /no pyproject\.toml/],
      [{ 'demo-1.0/PKG-INFO': pkgInfo('2.1'), ...eggInfo('demo-1.0', 'vendored.egg-info', 'vendored', 'six\n') }, /no pyproject\.toml/],
      [{ 'demo-1.0/PKG-INFO': pkgInfo('2.1'), ...eggInfo('demo-1.0', 'demo.egg-info', 'demo', 'six\n'), ...eggInfo('demo-1.0/src', 'demo.egg-info', 'demo', 'attrs\n') }, /more than one/],
      [{ 'demo-1.0/PKG-INFO': pkgInfo('2.1'), ...eggInfo('demo-1.0', 'demo.egg-info', 'demo', '# comment\nsix\n') }, /demo\.egg-info\/requires\.txt has an invalid requirement "# comment"/],
      [{ 'demo-1.0/PKG-INFO': pkgInfo('2.1'), 'demo-1.0/demo.egg-info/requires.txt': Buffer.from([0x73, 0x69, 0x78, 0xff]) }, /not UTF-8/],
    ];
    for (const [entries, reason] of cases) {
      const result = await readWithEggInfo(await sdist(entries), 'demo-1.0.tar.gz');
      expect(result.dependencies, JSON.stringify(Object.keys(entries))).toBe('unknown');
      expect(result.reason).toMatch(reason);
    }
  });
});
