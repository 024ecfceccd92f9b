// candidateMetadata: PEP 658 file first, else the wheel's METADATA, else static sdist metadata;
// the name/version consistency check pip makes (pip-behaviour.md §8.5 "MetadataInconsistent").
import { describe, expect, it } from 'vitest';
import { buildWheel } from '../helpers/wheel-builder.js';
import { buildSdist } from '../helpers/sdist-builder.js';
import { parseProjectPage } from '../../src/standards/simple-api/project-page.js';
import { SpecifierSet } from '../../src/standards/specifiers.js';
import { findCandidates, type Candidate, type FileEntry } from '../../src/resolve/finder.js';
import { candidateMetadata, metadataDifference, MetadataInconsistent, type ArtifactAccess } from '../../src/resolve/metadata-source.js';
import { fromBytes } from '../../src/resolve/random-access.js';

const TAGS = ['py3-none-any'];

function candidate(filename: string, coreMetadata = false): Candidate<FileEntry> {
  const attr = coreMetadata ? ' data-core-metadata="true"' : '';
  const page = parseProjectPage({ body: new TextEncoder().encode(`<a href="${filename}"${attr}>x</a>`), contentType: 'text/html', url: 'https://example.test/simple/p/' });
  const result = findCandidates('p', page.files.map((file) => ({ file })), { specifier: new SpecifierSet([]), hashes: null }, {
    supportedTags: TAGS,
    pythonVersion: [3, 11, 7],
    allowedFormats: () => new Set(['binary', 'source']),
    wheelFilenameParser: 'legacy',
    ignoreRequiresPython: false,
    preferBinary: false,
    prereleases: () => null,
    versionRules: 'legacy',
  });
  expect(result.found).toHaveLength(1);
  return result.found[0]!;
}

function access(bytes: Uint8Array, metadataText?: string): ArtifactAccess<FileEntry> & { opened: number; metadataReads: number } {
  const counts = { opened: 0, metadataReads: 0 };
  return Object.assign(counts, {
    async metadataFile() {
      counts.metadataReads += 1;
      if (metadataText === undefined) throw new Error('no metadata file');
      return metadataText;
    },
    async open(entry: FileEntry) {
      counts.opened += 1;
      return fromBytes(bytes, entry.file.filename);
    },
  });
}

describe('candidateMetadata', () => {
  it('uses the PEP 658 file when the index offers one, and never opens the wheel', async () => {
    const wheel = await buildWheel({ name: 'p', version: '1.0', requiresDist: ['from-wheel'] });
    const io = access(wheel.data, 'Metadata-Version: 2.1\nName: p\nVersion: 1.0\nRequires-Dist: from-metadata-file\nRequires-Python: >=3.8\n\n');
    const metadata = await candidateMetadata('p', candidate(wheel.filename, true), io);
    expect(metadata.requiresDist).toEqual(['from-metadata-file']);
    expect(metadata.requiresPython).toBe('>=3.8');
    expect([io.metadataReads, io.opened]).toEqual([1, 0]);
    const without = access(wheel.data, 'unused');
    expect((await candidateMetadata('p', candidate(wheel.filename, true), without, { usePep658: false })).requiresDist).toEqual(['from-wheel']);
    expect([without.metadataReads, without.opened]).toEqual([0, 1]);
  });

  it("reads the wheel's METADATA: dependencies, extras, Requires-Python", async () => {
    const wheel = await buildWheel({ name: 'p', version: '1.0', requiresDist: ['a>=1', 'b ; extra == "x"'], requiresPython: '>=3.9' });
    const metadata = await candidateMetadata('p', candidate(wheel.filename), access(wheel.data));
    expect(metadata).toMatchObject({ requiresDist: ['a>=1', 'b ; extra == "x"'], requiresPython: '>=3.9', providesExtra: ['x'], note: 'wheel METADATA' });
  });

  it('accepts a version spelled differently but equal (1.0 vs 1.0.0), rejects another name or version', async () => {
    const wheel = await buildWheel({ name: 'p', version: '1.0', filename: 'p-1.0.0-py3-none-any.whl' });
    await expect(candidateMetadata('p', candidate('p-1.0.0-py3-none-any.whl'), access(wheel.data), { usePep658: false })).resolves.toBeDefined();
    const other = 'Metadata-Version: 2.1\nName: q\nVersion: 1.0\n\n';
    await expect(candidateMetadata('p', candidate(wheel.filename, true), access(wheel.data, other))).rejects.toThrow(MetadataInconsistent);
    const otherVersion = 'Metadata-Version: 2.1\nName: p\nVersion: 1.1\n\n';
    await expect(candidateMetadata('p', candidate(wheel.filename, true), access(wheel.data, otherVersion))).rejects.toThrow(/says version 1.1, the filename says 1.0.0/);
    const noName = 'Metadata-Version: 2.1\nVersion: 1.0\n\n';
    await expect(candidateMetadata('p', candidate(wheel.filename, true), access(wheel.data, noName))).rejects.toThrow(MetadataInconsistent);
  });

  it('sdist: static PKG-INFO (2.2, Requires-Dist not dynamic) is used', async () => {
    const sdist = await buildSdist({ name: 'p', version: '1.0', metadataVersion: '2.2', requiresDist: ['a', 'b ; extra == "x"'] });
    const metadata = await candidateMetadata('p', candidate(sdist.filename), access(sdist.data));
    expect(metadata.requiresDist).toEqual(['a', 'b ; extra == "x"']);
    expect(metadata.providesExtra).toEqual(['x']);
  });

  it('sdist: pyproject optional-dependencies appear once, under their extra', async () => {
    const pyproject = '[project]\nname = "p"\nversion = "1.0"\ndependencies = ["a"]\n[project.optional-dependencies]\nx = ["b>=1"]\n';
    const sdist = await buildSdist({ name: 'p', version: '1.0', pkgInfo: false, files: { 'pyproject.toml': pyproject } });
    const metadata = await candidateMetadata('p', candidate(sdist.filename), access(sdist.data));
    expect(metadata.requiresDist).toEqual(['a', 'b>=1; extra == "x"']);
    expect(metadata.providesExtra).toEqual(['x']);
  });

  it('sdist: dynamic dependencies are unknown, with the reason', async () => {
    const sdist = await buildSdist({ name: 'p', version: '1.0', dynamic: ['Requires-Dist'], requiresDist: ['a'] });
    const metadata = await candidateMetadata('p', candidate(sdist.filename), access(sdist.data));
    expect(metadata.requiresDist).toBe('unknown');
    expect(metadata.note).toMatch(/\S/);
  });

  it('sdist: static metadata of another project is inconsistent', async () => {
    const sdist = await buildSdist({ name: 'q', version: '1.0', metadataVersion: '2.2', filename: 'p-1.0.tar.gz' });
    await expect(candidateMetadata('p', candidate('p-1.0.tar.gz'), access(sdist.data))).rejects.toThrow(MetadataInconsistent);
  });
});

describe('metadataDifference (metadata used unverified vs. the verified file)', () => {
  const base = { name: 'Demo_Pkg', version: '1.0', requiresPython: '>=3.8', requiresDist: ["dep >= 1; extra == 'x'", 'Other'], providesExtra: ['X'] };
  it('agrees when only spelling, spacing, quotes and order differ', () => {
    expect(metadataDifference(base, { name: 'demo-pkg', version: '1.0.0', requiresPython: '>= 3.8', requiresDist: ['other', 'dep>=1;extra=="x"'], providesExtra: ['x'] })).toBeNull();
  });
  it('names the field that differs', () => {
    expect(metadataDifference(base, { ...base, name: 'other' })).toMatch(/^Name/);
    expect(metadataDifference(base, { ...base, version: '1.1' })).toMatch(/^Version/);
    expect(metadataDifference(base, { ...base, requiresPython: '>=3.9' })).toMatch(/^Requires-Python/);
    expect(metadataDifference({ ...base, requiresDist: [] }, base)).toMatch(/^Requires-Dist differs \(the file also requires dep>=1;extra=="x", other\)$/);
    expect(metadataDifference(base, { ...base, requiresDist: ['other'] })).toMatch(/the file does not require dep/);
    expect(metadataDifference(base, { ...base, providesExtra: [] })).toBe('Provides-Extra differs');
    expect(metadataDifference(base, { name: base.name, version: base.version, requiresPython: base.requiresPython, requiresDist: base.requiresDist })).toBeNull();
  });
});
