// readSdistMetadata on sdists built here (tar-stream/yazl through test/helpers/archives.ts):
// the PKG-INFO / pyproject decision, hostile member paths, links, compression bombs, truncation.
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ArchiveError } from '../../src/resolve/random-access.js';
import { readSdistMetadata } from '../../src/resolve/sdist-metadata.js';
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

  it('stops a gzip that expands past the cap (compression bomb)', async () => {
    const bomb = await sdist({ 'demo-1.0/PKG-INFO': pkgInfo('2.2'), 'demo-1.0/zeros.bin': Buffer.alloc(8 * 1024 * 1024) });
    expect(bomb.length).toBeLessThan(64 * 1024);
    const limits = { maxTotalBytes: 1024 * 1024, maxMembers: 1000, maxFileBytes: 1024 * 1024 };
    const error = await readSdistMetadata(bomb, 'demo-1.0.tar.gz', limits).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArchiveError);
    expect((error as Error).message).toMatch(/"demo-1\.0\.tar\.gz".*more than 1048576 bytes/);
  });

  it('caps the size of PKG-INFO and the number of members', async () => {
    const limits = { maxTotalBytes: 1 << 30, maxMembers: 10, maxFileBytes: 1000 };
    const big = await sdist({ 'demo-1.0/PKG-INFO': pkgInfo('2.2') + 'x'.repeat(5000) });
    const error = (await readSdistMetadata(big, 'demo-1.0.tar.gz', limits).catch((e: unknown) => e)) as ArchiveError;
    expect(error).toBeInstanceOf(ArchiveError);
    expect(error.member).toBe('demo-1.0/PKG-INFO');
    const many: ArchiveEntries = {};
    for (let i = 0; i < 20; i++) many[`demo-1.0/f${i}`] = '';
    await expect(readSdistMetadata(await sdist(many), 'demo-1.0.tar.gz', limits)).rejects.toThrow(/more than 10 members/);
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
