// Unit tests of src/resolve/finder.ts without a network: every RejectionReason with its detail
// (the link-level ones compared with pip 23.2.1's LinkEvaluator.evaluate_link, the others with
// pip's rules as pip-behaviour.md §8.3–§8.5 state them), the sort key component by component, the
// tie order between sources, and packaging 21.3's specifier filter against pip's vendored copy.
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { type IndexFile } from '../../src/standards/simple-api.js';
import { parseProjectPage } from '../../src/standards/simple-api/project-page.js';
import { SpecifierSet } from '../../src/standards/specifiers.js';
import { filterVersionStrings, findCandidates, type FinderContext, type RejectionReason } from '../../src/resolve/finder.js';
import { isLegacyVersion } from '../../src/standards/legacy-version.js';
import { runCommand, PLAIN_PIP_ENV } from '../helpers/run-cli.js';
import { finderContext, targetEnvironment, type TargetEnvironment } from './harness/loopback.js';

const PAGE = 'https://example.test/simple/proj/';

interface Anchor {
  href: string;
  requiresPython?: string;
  yanked?: string;
}

/** Index files exactly as the HTML parser makes them from anchors on a project page. */
function page(anchors: readonly Anchor[]): IndexFile[] {
  const escape = (s: string): string => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  const body = anchors
    .map((a) => {
      const rp = a.requiresPython === undefined ? '' : ` data-requires-python="${escape(a.requiresPython)}"`;
      const yanked = a.yanked === undefined ? '' : ` data-yanked="${escape(a.yanked)}"`;
      return `<a href="${escape(a.href)}"${rp}${yanked}>x</a>`;
    })
    .join('\n');
  return parseProjectPage({ body: new TextEncoder().encode(`<html><body>${body}</body></html>`), contentType: 'text/html', url: PAGE }).files;
}

const entries = (anchors: readonly Anchor[]): Array<{ file: IndexFile }> => page(anchors).map((file) => ({ file }));

let env: TargetEnvironment;
beforeAll(async () => {
  env = await targetEnvironment();
});

function context(more: Partial<FinderContext> = {}): FinderContext {
  return { ...finderContext(env), ...more };
}

const PIP_KIND: Record<RejectionReason, string> = {
  'not-a-file': 'format_unsupported',
  'unsupported-archive-format': 'format_unsupported',
  'no-binaries-permitted': 'format_unsupported',
  'no-sources-permitted': 'format_unsupported',
  macosx10: 'format_unsupported',
  'invalid-wheel-filename': 'format_invalid',
  'missing-version': 'format_invalid',
  'wrong-project-name': 'different_project',
  'incompatible-tags': 'platform_mismatch',
  'python-version-mismatch': 'platform_mismatch',
  'requires-python': 'requires_python_mismatch',
  'invalid-version': 'candidate',
  specifier: '',
  'hash-mismatch': '',
  yanked: '',
  // pip 26.0+ (LinkType.upload_time_missing / upload_too_late); tested against pip 26 in test/cli/intercept/uploaded-prior-to.test.ts.
  'upload-time-missing': 'upload_time_missing',
  'upload-too-late': 'upload_too_late',
};

describe('link checks agree with pip 23.2.1 LinkEvaluator.evaluate_link', () => {
  const cases: Array<{ anchor: Anchor; formats: Array<'binary' | 'source'>; ignoreRequiresPython?: boolean; expect: RejectionReason | 'candidate' }> = [
    { anchor: { href: 'proj' }, formats: ['binary', 'source'], expect: 'not-a-file' },
    { anchor: { href: '../proj/' }, formats: ['binary', 'source'], expect: 'not-a-file' },
    { anchor: { href: 'proj-1.0.exe' }, formats: ['binary', 'source'], expect: 'unsupported-archive-format' },
    { anchor: { href: 'Proj-1.0.TAR.GZ' }, formats: ['binary', 'source'], expect: 'unsupported-archive-format' },
    { anchor: { href: 'proj-1.0-py3-none-any.whl' }, formats: ['source'], expect: 'no-binaries-permitted' },
    { anchor: { href: 'proj-1.0.tar.gz' }, formats: ['binary'], expect: 'no-sources-permitted' },
    { anchor: { href: 'proj-1.0-macosx10.zip' }, formats: ['binary', 'source'], expect: 'macosx10' },
    { anchor: { href: 'proj.whl' }, formats: ['binary', 'source'], expect: 'invalid-wheel-filename' },
    { anchor: { href: 'proj-1.0.whl' }, formats: ['binary', 'source'], expect: 'invalid-wheel-filename' },
    { anchor: { href: 'other-1.0-py3-none-any.whl' }, formats: ['binary', 'source'], expect: 'wrong-project-name' },
    { anchor: { href: 'proj-1.0-cp27-cp27m-win32.whl' }, formats: ['binary', 'source'], expect: 'incompatible-tags' },
    { anchor: { href: 'proj-1.0-py2.py4-none-win32.macosx_10_9_x86_64.whl' }, formats: ['binary', 'source'], expect: 'incompatible-tags' },
    { anchor: { href: 'other-1.0.tar.gz' }, formats: ['binary', 'source'], expect: 'missing-version' },
    { anchor: { href: 'proj_1.0.tar.gz' }, formats: ['binary', 'source'], expect: 'missing-version' },
    { anchor: { href: 'proj-1.0-py2.7.tar.gz' }, formats: ['binary', 'source'], expect: 'python-version-mismatch' },
    { anchor: { href: 'proj-1.0-py3.tar.gz' }, formats: ['binary', 'source'], expect: 'python-version-mismatch' },
    { anchor: { href: 'proj-1.0.tar.gz', requiresPython: '>=3.12' }, formats: ['binary', 'source'], expect: 'requires-python' },
    { anchor: { href: 'proj-1.0-py3-none-any.whl', requiresPython: '<3.11.7' }, formats: ['binary', 'source'], expect: 'requires-python' },
    { anchor: { href: 'proj-1.0.tar.gz', requiresPython: '>=3.12' }, formats: ['binary', 'source'], ignoreRequiresPython: true, expect: 'candidate' },
    { anchor: { href: 'proj-1.0.tar.gz', requiresPython: 'garbage' }, formats: ['binary', 'source'], expect: 'candidate' },
    { anchor: { href: 'proj-notaversion.tar.gz' }, formats: ['binary', 'source'], expect: 'invalid-version' },
    { anchor: { href: 'proj-1.0-py3.11.tar.gz' }, formats: ['binary', 'source'], expect: 'invalid-version' },
    { anchor: { href: 'proj-1.0.zip#egg=proj-2.0' }, formats: ['binary', 'source'], expect: 'candidate' },
    { anchor: { href: 'proj-1.0-1-py3-none-any.whl' }, formats: ['binary', 'source'], expect: 'candidate' },
    { anchor: { href: 'proj-1.0%2Blocal-py3-none-any.whl' }, formats: ['binary', 'source'], expect: 'candidate' },
    { anchor: { href: 'Proj.Name-1.0.tar.bz2' }, formats: ['binary', 'source'], expect: 'missing-version' },
    { anchor: { href: 'proj-1.0.tbz' }, formats: ['binary', 'source'], expect: 'candidate' },
    { anchor: { href: 'proj-2.0rc1.tar.xz' }, formats: ['binary', 'source'], expect: 'candidate' },
    { anchor: { href: 'proj-1.0.tar' }, formats: ['source'], expect: 'candidate' },
  ];

  it('gives the same verdict and the same detail text', async () => {
    const files = cases.map((c) => page([c.anchor])[0]!);
    const request = {
      links: cases.map((c, i) => ({ url: files[i]!.url, requiresPython: c.anchor.requiresPython ?? null, project: 'proj', formats: c.formats, ignoreRequiresPython: c.ignoreRequiresPython ?? false })),
      filters: [],
    };
    const answer = await finderOracle(request);
    const seen = new Set<string>();
    cases.forEach((c, i) => {
      const formats = new Set(c.formats);
      const [kind, detail, legacy] = answer.links[i]!;
      const label = c.anchor.href;
      const more = { allowedFormats: () => formats, ignoreRequiresPython: c.ignoreRequiresPython ?? false };
      // pip 23.2.1 keeps a non-PEP 440 version as a LegacyVersion candidate (rules `legacy`);
      // pip >= 24.1 skips the file (rules `strict`: 'invalid-version').
      const asLegacy = findCandidates('proj', [{ file: files[i]! }], { specifier: new SpecifierSet([], null, undefined, 'legacy'), hashes: null }, context({ ...more, versionRules: 'legacy' }));
      expect(asLegacy.found.map((x) => [isLegacyVersion(x.version), x.version.toString()]), label).toEqual(kind === 'candidate' ? [[legacy, legacy ? detail : normalizedVersion(detail)]] : []);
      const result = findCandidates('proj', [{ file: files[i]! }], { specifier: new SpecifierSet([]), hashes: null }, context({ ...more, versionRules: 'strict' }));
      if (result.found.length === 1) {
        expect(c.expect, label).toBe('candidate');
        expect([kind, legacy], label).toEqual(['candidate', false]);
        expect(result.found[0]!.version.toString(), label).toBe(normalizedVersion(detail));
        return;
      }
      const rejection = result.rejected[0]!;
      seen.add(rejection.reason);
      expect(rejection.reason, label).toBe(c.expect);
      expect(kind, label).toBe(PIP_KIND[rejection.reason]);
      if (rejection.reason === 'invalid-version') expect(legacy, label).toBe(true);
      else expect(rejection.detail, label).toBe(detail);
    });
    expect(seen.size).toBe(12);
  });
});

function normalizedVersion(text: string): string {
  return SpecifierSet.parse(`==${text}`).specifiers[0]!.specVersion!.toString();
}

describe('non-PEP 440 versions follow the real pip (versionRules)', () => {
  const files = (): Array<{ file: IndexFile }> =>
    entries([{ href: 'proj-1.0-py3-none-any.whl' }, { href: 'proj-2.0a1-py3-none-any.whl' }, { href: 'proj-2010i-py3-none-any.whl' }, { href: 'proj-2011.tar.gz' }]);
  const legacy = (specifier: string) =>
    findCandidates('proj', files(), { specifier: SpecifierSet.parse(specifier, null, 'legacy'), hashes: null }, context({ versionRules: 'legacy' }));

  it('pip <= 24.0: a LegacyVersion candidate, that an empty specifier drops', () => {
    const result = legacy('');
    expect(result.found.map((c) => [c.version.toString(), isLegacyVersion(c.version)])).toEqual([['1.0', false], ['2.0a1', false], ['2010i', true], ['2011', false]]);
    expect(result.ordered.map((c) => c.version.toString())).toEqual(['2011', '1.0']);
  });

  it('pip <= 24.0: a legacy clause keeps pre-releases, and legacy versions sort below every PEP 440 one', () => {
    expect(legacy('>=>1').ordered.map((c) => c.version.toString())).toEqual(['2011', '2.0a1', '1.0', '2010i']);
    expect(legacy('==2010i').ordered.map((c) => c.entry.file.filename)).toEqual(['proj-2010i-py3-none-any.whl']);
  });

  it('pip <= 24.0: a set parsed without the rules is read again under them', () => {
    const result = findCandidates('proj', files(), { specifier: SpecifierSet.parse('>=1.0'), hashes: null }, context({ versionRules: 'legacy' }));
    // packaging 21.3: no pre-release fallback, the legacy version is no match for a PEP 440 clause.
    expect(result.ordered.map((c) => c.version.toString())).toEqual(['2011', '1.0']);
  });

  it('pip <= 24.0: an all-yanked legacy pin is kept (is_pinned sees the LegacySpecifier)', () => {
    const yanked = entries([{ href: 'proj-2010i.tar.gz', yanked: '' }, { href: 'proj-1.0.tar.gz' }]);
    const result = findCandidates('proj', yanked, { specifier: SpecifierSet.parse('==2010i', null, 'legacy'), hashes: null }, context({ versionRules: 'legacy' }));
    expect(result.ordered.map((c) => c.entry.file.filename)).toEqual(['proj-2010i.tar.gz']);
  });

  it('pip >= 24.1: such files are skipped', () => {
    const result = findCandidates('proj', files(), { specifier: new SpecifierSet([]), hashes: null }, context({ versionRules: 'strict' }));
    expect(result.rejected.filter((r) => r.reason === 'invalid-version').map((r) => r.entry.file.filename)).toEqual(['proj-2010i-py3-none-any.whl']);
    expect(result.found.map((c) => c.version.toString())).toEqual(['1.0', '2.0a1', '2011']);
  });

  it('Requires-Python: pip <= 24.0 reads `>=3.6.*` as a legacy clause, later pips ignore it as invalid', () => {
    const python = entries([{ href: 'proj-1.0.tar.gz', requiresPython: '>=3.6.*' }, { href: 'proj-2.0.tar.gz', requiresPython: '<3.0.*' }]);
    const with21 = findCandidates('proj', python, { specifier: new SpecifierSet([], null, undefined, 'legacy'), hashes: null }, context({ versionRules: 'legacy', pythonVersion: [3, 11, 7] }));
    expect(with21.found.map((c) => c.version.toString())).toEqual(['1.0']);
    const strict = findCandidates('proj', python, { specifier: new SpecifierSet([]), hashes: null }, context({ versionRules: 'strict', pythonVersion: [3, 11, 7] }));
    expect(strict.found.map((c) => c.version.toString())).toEqual(['1.0', '2.0']);
  });

  it('Requires-Python: the same text is decided for each interpreter, however often it repeats', () => {
    const python = entries([{ href: 'proj-1.0.tar.gz', requiresPython: '>=3.12' }, { href: 'proj-1.1.tar.gz', requiresPython: '>=3.12' }, { href: 'proj-0.9.tar.gz', requiresPython: '>=3.8' }]);
    const anyVersion = { specifier: new SpecifierSet([]), hashes: null };
    const on311 = findCandidates('proj', python, anyVersion, context({ pythonVersion: [3, 11, 7] }));
    expect(on311.found.map((c) => c.version.toString())).toEqual(['0.9']);
    const on312 = findCandidates('proj', python, anyVersion, context({ pythonVersion: [3, 12, 0] }));
    expect(on312.found.map((c) => c.version.toString())).toEqual(['1.0', '1.1', '0.9']);
    expect(findCandidates('proj', python, anyVersion, context({ pythonVersion: [3, 11, 7] })).found.map((c) => c.version.toString())).toEqual(['0.9']);
  });
});

describe('rejections after the link checks', () => {
  it('specifier: the version and the merged specifier', () => {
    const result = findCandidates('proj', entries([{ href: 'proj-1.0.tar.gz' }, { href: 'proj-2.0.tar.gz' }]), { specifier: SpecifierSet.parse('>=1.5'), hashes: null }, context());
    expect(result.rejected.map((r) => [r.reason, r.detail, r.version])).toEqual([['specifier', '1.0 does not match >=1.5', '1.0']]);
    expect(result.ordered.map((c) => c.entry.file.filename)).toEqual(['proj-2.0.tar.gz']);
  });

  it('specifier: an empty specifier drops pre-releases when a final release exists', () => {
    const result = findCandidates('proj', entries([{ href: 'proj-1.0.tar.gz' }, { href: 'proj-2.0b1.tar.gz' }]), { specifier: new SpecifierSet([]), hashes: null }, context());
    expect(result.rejected.map((r) => [r.reason, r.detail])).toEqual([['specifier', '2.0b1 does not match the pre-release rules']]);
  });

  it('hash-mismatch: a file whose known hash differs, but only when some file matches', () => {
    const files = entries([{ href: `proj-1.0.tar.gz#sha256=${'a'.repeat(64)}` }, { href: `proj-2.0.tar.gz#sha256=${'b'.repeat(64)}` }, { href: 'proj-3.0.tar.gz' }]);
    const result = findCandidates('proj', files, { specifier: new SpecifierSet([]), hashes: { sha256: ['a'.repeat(64)] } }, context());
    expect(result.rejected.map((r) => [r.reason, r.detail, r.version])).toEqual([['hash-mismatch', 'its hash does not match the required --hash values', '2.0']]);
    // The matching file sorts first (has_allowed_hash), before the newer file without a hash.
    expect(result.ordered.map((c) => c.version.toString())).toEqual(['1.0', '3.0']);
    const none = findCandidates('proj', files, { specifier: new SpecifierSet([]), hashes: { sha256: ['c'.repeat(64)] } }, context());
    expect(none.rejected).toEqual([]);
    expect(none.ordered.map((c) => c.version.toString())).toEqual(['3.0', '2.0', '1.0']);
  });

  it('yanked: with and without a reason, kept for an exact pin of an all-yanked set', () => {
    const files = entries([{ href: 'proj-1.0.tar.gz', yanked: '' }, { href: 'proj-2.0.tar.gz', yanked: 'security hole' }, { href: 'proj-0.9.tar.gz' }]);
    const result = findCandidates('proj', files, { specifier: new SpecifierSet([]), hashes: null }, context());
    expect(result.rejected.map((r) => [r.reason, r.detail, r.version])).toEqual([
      ['yanked', 'yanked (reason: security hole)', '2.0'],
      ['yanked', 'yanked', '1.0'],
    ]);
    expect(result.ordered.map((c) => c.version.toString())).toEqual(['0.9']);
    const pinned = findCandidates('proj', files, { specifier: SpecifierSet.parse('==2.0'), hashes: null }, context());
    expect(pinned.ordered.map((c) => c.version.toString())).toEqual(['2.0']);
    const wildcard = findCandidates('proj', files, { specifier: SpecifierSet.parse('==2.*'), hashes: null }, context());
    expect(wildcard.ordered).toEqual([]);
  });

  it('duplicate URLs are evaluated once; #egg= links after the others', () => {
    const result = findCandidates('proj', entries([{ href: 'proj-1.0.zip#egg=proj-1.0' }, { href: 'proj-1.0.tar.gz' }, { href: 'proj-1.0.tar.gz' }]), { specifier: new SpecifierSet([]), hashes: null }, context());
    expect(result.found.map((c) => c.entry.file.filename)).toEqual(['proj-1.0.tar.gz', 'proj-1.0.zip']);
  });
});

describe('sort key: (hash, -yanked, binary preference, version, tag priority, build tag), later source first on ties', () => {
  const order = (anchors: Anchor[], more: Partial<FinderContext> = {}, specifier = '', hashes: Record<string, string[]> | null = null): string[] =>
    findCandidates('proj', entries(anchors), { specifier: SpecifierSet.parse(specifier), hashes }, context(more)).ordered.map((c) => c.entry.file.url.replace(PAGE, '').replace(/#.*/, ''));

  it('version beats tag priority and binary-ness without --prefer-binary', () => {
    expect(order([{ href: 'proj-1.0-cp311-cp311-manylinux_2_17_x86_64.whl' }, { href: 'proj-2.0.tar.gz' }])).toEqual(['proj-2.0.tar.gz', 'proj-1.0-cp311-cp311-manylinux_2_17_x86_64.whl']);
  });

  it('--prefer-binary puts every wheel above every sdist', () => {
    expect(order([{ href: 'proj-1.0-py3-none-any.whl' }, { href: 'proj-2.0.tar.gz' }], { preferBinary: true })).toEqual(['proj-1.0-py3-none-any.whl', 'proj-2.0.tar.gz']);
  });

  it('for one version a compatible wheel beats the sdist, a better tag beats a worse one', () => {
    expect(order([{ href: 'proj-1.0.tar.gz' }, { href: 'proj-1.0-py3-none-any.whl' }, { href: 'proj-1.0-cp311-cp311-manylinux_2_17_x86_64.whl' }])).toEqual([
      'proj-1.0-cp311-cp311-manylinux_2_17_x86_64.whl',
      'proj-1.0-py3-none-any.whl',
      'proj-1.0.tar.gz',
    ]);
  });

  it('build tag only breaks ties between equal tags, numerically then by text', () => {
    expect(order([{ href: 'proj-1.0-9-py3-none-any.whl' }, { href: 'proj-1.0-10-py3-none-any.whl' }, { href: 'proj-1.0-10b-py3-none-any.whl' }, { href: 'proj-1.0-10a-py3-none-any.whl' }, { href: 'proj-1.0-py3-none-any.whl' }])).toEqual([
      'proj-1.0-10b-py3-none-any.whl',
      'proj-1.0-10a-py3-none-any.whl',
      'proj-1.0-10-py3-none-any.whl',
      'proj-1.0-9-py3-none-any.whl',
      'proj-1.0-py3-none-any.whl',
    ]);
    expect(order([{ href: 'proj-1.0-99-py3-none-any.whl' }, { href: 'proj-1.0-cp311-cp311-manylinux_2_17_x86_64.whl' }])[0]).toBe('proj-1.0-cp311-cp311-manylinux_2_17_x86_64.whl');
  });

  it('yanked files sort below every non-yanked file; a matching hash above everything', () => {
    const yanked = [{ href: 'proj-2.0.tar.gz', yanked: '' }, { href: 'proj-1.0.tar.gz' }];
    expect(order(yanked, {}, '>=1', null)).toEqual(['proj-1.0.tar.gz']);
    const hashed = [{ href: `proj-1.0.tar.gz#sha256=${'a'.repeat(64)}` }, { href: 'proj-2.0-py3-none-any.whl' }];
    expect(order(hashed, { preferBinary: true }, '', { sha256: ['a'.repeat(64)] })).toEqual(['proj-1.0.tar.gz', 'proj-2.0-py3-none-any.whl']);
    // A matching hash does not save a yanked file from the yanked rule (the resolver skips it).
    const yankedHashed = [{ href: `proj-1.0.tar.gz#sha256=${'a'.repeat(64)}`, yanked: 'x' }, { href: 'proj-2.0-py3-none-any.whl' }];
    expect(order(yankedHashed, {}, '', { sha256: ['a'.repeat(64)] })).toEqual(['proj-2.0-py3-none-any.whl']);
  });

  it('equal keys: the file from the later source is tried first', () => {
    const files = [
      { file: { ...page([{ href: 'https://first.test/proj-1.0-py3-none-any.whl' }])[0]! } },
      { file: { ...page([{ href: 'https://second.test/proj-1.0-py3-none-any.whl' }])[0]! } },
      { file: { ...page([{ href: 'https://third.test/proj-1.0-py3-none-any.whl' }])[0]! } },
    ];
    const result = findCandidates('proj', files, { specifier: new SpecifierSet([]), hashes: null }, context());
    expect(result.ordered.map((c) => new URL(c.entry.file.url).host)).toEqual(['third.test', 'second.test', 'first.test']);
  });
});

interface OracleAnswer {
  links: Array<[string, string, boolean]>;
  filters: string[][];
}

async function finderOracle(request: unknown): Promise<OracleAnswer> {
  const script = readFileSync(new URL('./harness/finder_unit_oracle.py', import.meta.url), 'utf8');
  const result = await runCommand('python3', ['-W', 'ignore', '-c', script], { input: JSON.stringify(request), env: { ...PLAIN_PIP_ENV } });
  if (result.exitCode !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout) as OracleAnswer;
}

describe('pre-release filtering as the vendored packaging does it', () => {
  it('packaging 21.3 (pip <= 24.0): agrees with pip 23.2.1 SpecifierSet.filter', async () => {
    const specifiers = ['', '>=1.0', '>=2.0b1', '<2.0b1', '>2.0b1', '<=2.0', '==2.0b1', '==2.*', '!=2.0b1', '~=2.0b1', '===2.0b1', '>=1.0,<3', '>=1.0,>=2.0b1', '<3,!=1.0', '>=>1', '==2010i', '<=2010i', '!=2010i', '>=1.0,==2010i'];
    const versionSets = [['1.0', '2.0b1'], ['2.0b1'], ['2.0a1', '2.0b2'], ['1.0', '1.1.dev1', '2.0rc1', '3.0'], ['2.0.dev0'], [], ['1.0.post1', '2.0b1.post1'], ['1.0', '3.0b1', '3.0'], ['1.0', '2.0a1', '2010i'], ['2010i', 'foo-bar']];
    const cases: Array<{ specifier: string; versions: string[]; prereleases: boolean | null }> = [];
    for (const specifier of specifiers) for (const versions of versionSets) for (const prereleases of [null, true]) cases.push({ specifier, versions, prereleases });
    const answer = await finderOracle({ links: [], filters: cases });
    const mismatches = cases
      .map((c, i) => ({ c, ours: filterVersionStrings(SpecifierSet.parse(c.specifier, null, 'legacy'), c.versions, c.prereleases), pip: answer.filters[i]! }))
      .filter(({ ours, pip }) => JSON.stringify(ours) !== JSON.stringify(pip))
      .map(({ c, ours, pip }) => `${JSON.stringify(c)}: ${JSON.stringify(ours)} vs ${JSON.stringify(pip)}`);
    expect(mismatches).toEqual([]);
    expect(cases.length).toBeGreaterThan(200);
  });

  it('later packaging keeps the PEP 440 fallback of specifiers.ts', () => {
    expect(filterVersionStrings(SpecifierSet.parse('>=1.0'), ['2.0b1'], null)).toEqual(['2.0b1']);
    expect(filterVersionStrings(SpecifierSet.parse('>=1.0', null, 'legacy'), ['2.0b1'], null)).toEqual([]);
  });
});
