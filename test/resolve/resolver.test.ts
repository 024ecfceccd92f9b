// Resolver behaviour that pip cannot be asked about safely (pip would build or fetch it), with an
// in-memory ProjectSource: `name @ url` dependencies reported and never followed, unknown sdist
// dependencies, the shape of the result (extras, requiredBy, dependencies), pip's "discard the
// inconsistent file, try the next file of that version", and the messages of failures.
import { describe, expect, it } from 'vitest';
import { type IndexFile } from '../../src/standards/simple-api.js';
import { parseProjectPage } from '../../src/standards/simple-api/project-page.js';
import { parseRequirement } from '../../src/standards/pep508/requirement.js';
import { SpecifierSet } from '../../src/standards/specifiers.js';
import type { FileEntry, FinderContext } from '../../src/resolve/finder.js';
import { MetadataInconsistent } from '../../src/resolve/metadata-source.js';
import { PipWouldCrash, resolve, ResolutionImpossible, type CandidateMetadata, type ProjectSource } from '../../src/resolve/resolver.js';
import { CPYTHON_311_LINUX } from './harness/environment.js';

const MARKERS = CPYTHON_311_LINUX;

const FINDER: FinderContext = {
  supportedTags: ['cp311-cp311-manylinux_2_17_x86_64', 'py3-none-any'],
  pythonVersion: [3, 11, 7],
  allowedFormats: () => new Set(['binary', 'source']),
  wheelFilenameParser: 'legacy',
  ignoreRequiresPython: false,
  preferBinary: false,
  prereleases: () => null,
  versionRules: 'legacy',
};

type Meta = Partial<CandidateMetadata> | 'inconsistent';

/** files: filename -> metadata (Requires-Dist etc.), grouped by project from the filename. */
function memorySource(files: Record<string, Meta>): ProjectSource<FileEntry> & { reads: string[] } {
  const reads: string[] = [];
  const byProject = new Map<string, IndexFile[]>();
  for (const filename of Object.keys(files)) {
    const project = filename.split('-')[0]!;
    const page = parseProjectPage({ body: new TextEncoder().encode(`<a href="${filename}">x</a>`), contentType: 'text/html', url: `https://example.test/simple/${project}/` });
    byProject.set(project, [...(byProject.get(project) ?? []), ...page.files]);
  }
  return {
    reads,
    files: async (name) => (byProject.get(name) ?? []).map((file) => ({ file })),
    metadata: async (_name, candidate) => {
      const meta = files[candidate.entry.file.filename]!;
      reads.push(candidate.entry.file.filename);
      if (meta === 'inconsistent') throw new MetadataInconsistent(`${candidate.entry.file.filename} is inconsistent`);
      return { requiresDist: [], requiresPython: null, providesExtra: [], ...meta };
    },
  };
}

function run(files: Record<string, Meta>, roots: string[], more: { constraints?: Record<string, string>; noDeps?: boolean } = {}) {
  const source = memorySource(files);
  const constraints = new Map(Object.entries(more.constraints ?? {}).map(([k, v]) => [k, [{ specifier: SpecifierSet.parse(v), origin: 'c.txt' }]]));
  return { source, result: resolve({ pipVersion: '23.2.1', roots: roots.map((r) => ({ requirement: parseRequirement(r), origin: 'command line' })), constraints, finder: FINDER, markers: MARKERS, source, noDeps: more.noDeps ?? false }) };
}

describe('resolve', () => {
  it('reports `name @ url` dependencies and never follows them', async () => {
    const { result, source } = run(
      { 'a-1.0-py3-none-any.whl': { requiresDist: ['b @ https://evil.test/b-1.0.tar.gz', 'c', 'd @ https://x.test/d.whl ; sys_platform == "win32"'] }, 'c-1.0-py3-none-any.whl': {}, 'b-9.0-py3-none-any.whl': {} },
      ['a'],
    );
    const resolution = await result;
    expect(resolution.packages.map((p) => p.name)).toEqual(['a', 'c']);
    expect(resolution.directUrlDependencies).toEqual([{ requiredBy: 'a==1.0', requirement: 'b @ https://evil.test/b-1.0.tar.gz', name: 'b', url: 'https://evil.test/b-1.0.tar.gz' }]);
    expect(source.reads).not.toContain('b-9.0-py3-none-any.whl');
  });

  it('keeps unknown sdist dependencies as unknown, with the note', async () => {
    const { result } = run({ 'a-1.0.tar.gz': { requiresDist: 'unknown', note: 'Requires-Dist is dynamic' } }, ['a']);
    const [pkg] = (await result).packages;
    expect(pkg!.dependencies).toBe('unknown');
    expect(pkg!.metadata.note).toBe('Requires-Dist is dynamic');
  });

  it('reports extras, who required each package, and each package dependencies', async () => {
    const { result } = run(
      {
        'app-1.0-py3-none-any.whl': { requiresDist: ['lib[fast]>=1', 'util'] },
        'lib-1.0-py3-none-any.whl': { requiresDist: ['speed ; extra == "fast"', 'util'], providesExtra: ['fast'] },
        'util-2.0-py3-none-any.whl': {},
        'speed-1.0-py3-none-any.whl': {},
      },
      ['app'],
    );
    const packages = new Map((await result).packages.map((p) => [p.name, p]));
    expect([...packages.keys()].sort()).toEqual(['app', 'lib', 'speed', 'util']);
    expect(packages.get('lib')!.extras).toEqual(['fast']);
    expect(packages.get('lib')!.requiredBy).toEqual(['app==1.0']);
    expect(packages.get('util')!.requiredBy.sort()).toEqual(['app==1.0', 'lib==1.0']);
    expect(packages.get('app')!.requiredBy).toEqual(['<user>']);
    expect([...(packages.get('app')!.dependencies as string[])].sort()).toEqual(['lib', 'util']);
    expect([...(packages.get('lib')!.dependencies as string[])].sort()).toEqual(['speed', 'util']);
  });

  it('discards a file whose metadata is inconsistent and uses the next file of the same version', async () => {
    const { result, source } = run({ 'a-2.0-cp311-cp311-manylinux_2_17_x86_64.whl': 'inconsistent', 'a-2.0-py3-none-any.whl': {}, 'a-1.0-py3-none-any.whl': {} }, ['a']);
    expect((await result).packages[0]!.candidate.entry.file.filename).toBe('a-2.0-py3-none-any.whl');
    expect(source.reads).toEqual(['a-2.0-cp311-cp311-manylinux_2_17_x86_64.whl', 'a-2.0-py3-none-any.whl']);
  });

  it('tries one file per version: a conflict moves to the next version, not the next file', async () => {
    const { result, source } = run(
      {
        'a-2.0-cp311-cp311-manylinux_2_17_x86_64.whl': { requiresDist: ['b<1'] },
        'a-2.0-py3-none-any.whl': { requiresDist: [] },
        'a-1.0-py3-none-any.whl': {},
        'b-1.0-py3-none-any.whl': {},
      },
      ['a', 'b'],
    );
    expect((await result).packages.map((p) => p.candidate.entry.file.filename).sort()).toEqual(['a-1.0-py3-none-any.whl', 'b-1.0-py3-none-any.whl']);
    expect(source.reads).not.toContain('a-2.0-py3-none-any.whl');
  });

  it('skips root requirements whose markers do not match, and URL roots (the policy handles those)', async () => {
    const { result } = run({ 'a-1.0-py3-none-any.whl': {} }, ['a', 'b ; sys_platform == "win32"', 'c @ https://x.test/c-1.0.tar.gz']);
    expect((await result).packages.map((p) => p.name)).toEqual(['a']);
  });

  it('--no-deps resolves the roots only', async () => {
    const { result } = run({ 'a-1.0-py3-none-any.whl': { requiresDist: ['missing'] } }, ['a'], { noDeps: true });
    expect((await result).packages.map((p) => p.name)).toEqual(['a']);
  });

  it('says which requirement has no version, and which versions exist', async () => {
    const { result } = run({ 'a-1.0-py3-none-any.whl': {}, 'a-2.0-cp27-cp27m-win32.whl': {} }, ['a>=2']);
    const error = await result.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResolutionImpossible);
    expect((error as ResolutionImpossible).message).toBe('Could not find a version that satisfies the requirement a>=2 (from versions: 1.0); files skipped: 1 incompatible-tags, 1 specifier');
    expect((error as ResolutionImpossible).chains).toEqual(['a>=2 (required by <user>)']);
  });

  it('names both sides of a conflict', async () => {
    const { result } = run({ 'a-1.0-py3-none-any.whl': { requiresDist: ['c<2'] }, 'b-1.0-py3-none-any.whl': { requiresDist: ['c>=2'] }, 'c-1.0-py3-none-any.whl': {}, 'c-2.0-py3-none-any.whl': {} }, ['a', 'b']);
    const error = (await result.catch((e: unknown) => e)) as ResolutionImpossible;
    expect(error).toBeInstanceOf(ResolutionImpossible);
    expect(error.chains.sort()).toEqual(['c<2 (required by a==1.0)', 'c>=2 (required by b==1.0)']);
  });

  it('applies Requires-Python from metadata as pip does (and not with --ignore-requires-python)', async () => {
    const files = { 'a-2.0-py3-none-any.whl': { requiresPython: '>=3.12' }, 'a-1.0-py3-none-any.whl': { requiresPython: '>=3.8' } };
    expect((await run(files, ['a']).result).packages[0]!.candidate.version.toString()).toBe('1.0');
    const source = memorySource(files);
    const ignored = await resolve({ pipVersion: '23.2.1', roots: [{ requirement: parseRequirement('a'), origin: 'x' }], constraints: new Map(), finder: { ...FINDER, ignoreRequiresPython: true }, markers: MARKERS, source, noDeps: false });
    expect(ignored.packages[0]!.candidate.version.toString()).toBe('2.0');
  });
});

describe('non-PEP 440 versions under pip <= 24.0 (packaging 21.3)', () => {
  const legacyRun = (files: Record<string, Meta>, roots: string[]) => {
    const source = memorySource(files);
    const requirement = (r: string) => ({ requirement: parseRequirement(r, { rules: 'legacy' }), origin: 'command line' });
    return { source, result: resolve({ pipVersion: '23.2.1', roots: roots.map(requirement), constraints: new Map(), finder: FINDER, markers: MARKERS, source, noDeps: false }) };
  };

  it('a legacy pin selects the legacy sdist', async () => {
    const { result } = legacyRun({ 'a-1.0.tar.gz': {}, 'a-2010i.tar.gz': {} }, ['a==2010i']);
    expect((await result).packages.map((p) => p.candidate.entry.file.filename)).toEqual(['a-2010i.tar.gz']);
  });

  it('a legacy wheel pip comes to try stops the run as pip stops (InvalidVersion, exit 2)', async () => {
    const { result, source } = legacyRun({ 'a-2.0a1-py3-none-any.whl': { requiresDist: ['missing'] }, 'a-2010i-py3-none-any.whl': {} }, ['a<=2010i']);
    const error = await result.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PipWouldCrash);
    expect((error as PipWouldCrash).exitCode).toBe(2);
    expect((error as Error).message).toMatch(/a-2010i-py3-none-any\.whl: its version "2010i" is not a PEP 440 version.*InvalidVersion/);
    // Its metadata is never asked for: pip fails before it gets that far.
    expect(source.reads).toEqual(['a-2.0a1-py3-none-any.whl']);
  });

  it('legacy specifiers in Requires-Dist are followed', async () => {
    const { result } = legacyRun({ 'a-1.0-py3-none-any.whl': { requiresDist: ['b>=>1'] }, 'b-1.0-py3-none-any.whl': {} }, ['a']);
    expect((await result).packages.map((p) => p.name)).toEqual(['a', 'b']);
  });

  it('"from versions:" lists legacy versions first, as pip sorts them', async () => {
    const { result } = legacyRun({ 'a-1.0-py3-none-any.whl': {}, 'a-2.0a1-py3-none-any.whl': {}, 'a-2010i.tar.gz': {}, 'a-1.0.0.tar.gz': {} }, ['a==9']);
    const error = await result.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResolutionImpossible);
    expect((error as Error).message).toContain('(from versions: 2010i, 1.0, 2.0a1)');
  });
});

describe('prefetch (reading ahead, as uv does)', () => {
  /**
   * memorySource with the prefetch hooks, logging every call in order. The resolver's own reads
   * answer a timer tick later (as from a network), so the reads ahead, which answer at once, are
   * all done before it goes on.
   */
  function prefetchingSource(files: Record<string, Meta>, options: { failPrefetchOf?: string } = {}) {
    const base = memorySource(files);
    const log: string[] = [];
    const source: ProjectSource<FileEntry> = {
      files: async (name) => {
        log.push(`files ${name}`);
        await new Promise((resolve) => setTimeout(resolve, 0));
        return base.files(name);
      },
      metadata: async (name, candidate) => {
        log.push(`metadata ${candidate.entry.file.filename}`);
        return base.metadata(name, candidate);
      },
      prefetchFiles: async (name) => {
        log.push(`prefetch ${name}`);
        if (name === options.failPrefetchOf) throw new Error(`no page for ${name}`);
        return base.files(name);
      },
      prefetchMetadata: async (_name, candidate) => {
        log.push(`prefetch metadata ${candidate.entry.file.filename}`);
        const meta = files[candidate.entry.file.filename];
        const requiresDist = meta === 'inconsistent' ? undefined : meta?.requiresDist;
        return Array.isArray(requiresDist) ? requiresDist : null;
      },
    };
    return { source, log };
  }

  const resolveWith = (source: ProjectSource<FileEntry>, roots: string[], installed: Record<string, string> = {}) =>
    resolve({
      pipVersion: '23.2.1',
      roots: roots.map((r) => ({ requirement: parseRequirement(r), origin: 'command line' })),
      constraints: new Map([['c', [{ specifier: SpecifierSet.parse('<3'), origin: 'c.txt' }]]]),
      finder: FINDER,
      markers: MARKERS,
      source,
      noDeps: false,
      installed: {
        distributions: new Map(Object.entries(installed).map(([name, version]) => [name, { name, version, requiresDist: [], providesExtra: [], location: '/site', infoPath: `/site/${name}-${version}.dist-info` }])),
        upgradeStrategy: 'to-satisfy-only',
        forceReinstall: false,
      },
    });

  const FILES: Record<string, Meta> = {
    'a-1.0-py3-none-any.whl': { requiresDist: ['b>=1', 'c', 'd', 'e'] },
    'b-1.0-py3-none-any.whl': {},
    'b-2.0-py3-none-any.whl': { requiresDist: ['f'] },
    'f-1.0-py3-none-any.whl': {},
    'c-2.0-py3-none-any.whl': {},
    'c-3.0-py3-none-any.whl': {},
    'd-1.0-py3-none-any.whl': {},
    'e-1.0-py3-none-any.whl': {},
  };

  it('asks for all of a candidate’s dependencies, and theirs, before reading the first, with the file each would pick', async () => {
    const { source, log } = prefetchingSource(FILES);
    const resolution = await resolveWith(source, ['a'], { e: '1.0' });
    const firstRead = log.indexOf('files b');
    expect(firstRead).toBeGreaterThan(0);
    // b, c, d and b's own dependency f before b is read; e not at all: the installed e satisfies,
    // and pip reads no page for it.
    expect(log.slice(0, firstRead).filter((l) => /^prefetch [a-z]$/.test(l))).toEqual(['prefetch a', 'prefetch b', 'prefetch c', 'prefetch d', 'prefetch f']);
    expect(log).not.toContain('prefetch e');
    expect(log).not.toContain('files e');
    // Under its own specifier and the constraint (c<3): b-2.0, c-2.0, d-1.0.
    expect(log.filter((l) => l.startsWith('prefetch metadata')).sort()).toEqual(
      ['a-1.0-py3-none-any.whl', 'b-2.0-py3-none-any.whl', 'c-2.0-py3-none-any.whl', 'd-1.0-py3-none-any.whl', 'f-1.0-py3-none-any.whl'].map((f) => `prefetch metadata ${f}`),
    );
    // The reads themselves still come one after another, in pip's order, and the result is the one without prefetching.
    expect(log.filter((l) => l.startsWith('files '))).toEqual(['files a', 'files b', 'files c', 'files d', 'files f']);
    const plain = await resolveWith(memorySource(FILES), ['a'], { e: '1.0' });
    expect(resolution.packages.map((p) => `${p.name} ${p.candidate.version.toString()}`)).toEqual(plain.packages.map((p) => `${p.name} ${p.candidate.version.toString()}`));
  });

  it('a prefetch that fails changes nothing: the resolver reads the project as it would have', async () => {
    const { source, log } = prefetchingSource(FILES, { failPrefetchOf: 'c' });
    const resolution = await resolveWith(source, ['a']);
    expect(log).toContain('prefetch c');
    expect(log).toContain('files c');
    expect(resolution.packages.map((p) => p.name).sort()).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  });
});
