// Differential tests: legacy-version.ts, legacy-specifier.ts and SpecifierSet under rules `legacy`
// against packaging 21.3 as pip <= 24.0 vendors it (pip._vendor.packaging of the pip 23.2.1 and 24.0
// venvs): LegacyVersion keys and order, which clauses become LegacySpecifier, str(), contains, filter.
import { describe, expect, it } from 'vitest';
import { LegacyVersion, compareAnyVersions, parseAnyVersion, versionRulesForPip, type AnyVersion } from '../../src/standards/legacy-version.js';
import { LegacySpecifier } from '../../src/standards/legacy-specifier.js';
import { InvalidSpecifier, SpecifierSet } from '../../src/standards/specifiers.js';
import { tryParseVersion } from '../../src/standards/versions.js';
import { describeEachPip } from '../helpers/pip-matrix.js';
import { askVendoredPackaging, isVendoredError, type VendoredBatch } from './oracle-legacy/vendored-packaging.js';
import { chance, pick, seededRandom, versionText } from './case-generators.js';

const random = seededRandom(213);

const HAND_VERSIONS = [
  '2010i', '2011x', '1.0.0-SNAPSHOT', '1.0-SNAPSHOT', '1.0-beta-3', '1.0beta', '1.0-final', '1.0.final', '1.0-pre-1',
  '1.0-preview', '1.0rc', '1.0-dev', '1.0dev-r123', '1.0-r123', 'r123', 'foo', 'FOO', 'Foo-Bar', '', ' ', '1.0 ', ' 1.0',
  '>1', '=2010i', '*', '1.*', '1.0.*', 'x٣1', '٣', '1.0+', '1.0+local', '1.0_1', '1..0', '.1', '1.', '0.0.0.0', '00000001',
  '123456789', '99999999', '1.0.0.0-1', '1-2-3', 'a-b-c', '1.0a', '1.0.a.1', '1.0-a', 'dev', 'pre', 'rc1', 'final',
  '1.0@', '1.0--1', '1.0-c', '2.0', '1.0', '0.9', '2.0a1', '1!1.0', '1.0.post1', '1.0.dev0', 'V1.0', '1.0-1',
];
const GENERATED_VERSIONS = Array.from({ length: 300 }, () => {
  const text = versionText(random);
  return chance(random, 0.3) ? `${text}${pick(random, ['-SNAPSHOT', 'i', '-x-1', '.final', '-', '*', '+', ' beta'])}` : text;
});
const VERSIONS = [...new Set([...HAND_VERSIONS, ...GENERATED_VERSIONS])];

const HAND_SPECS = [
  '>=>1', '==2010i', '>=1.0.0-SNAPSHOT', '==', '>=', '<=2010i', '!=2010i', '>2010i', '<2010i', '==2010I', '==2010i,==2010I',
  '==1.0.*.*', '<=1.0+local', '>1+local', '<>1', '>~1', '!=1.0+', '>=1.0.*', '==1.0a1.*', '==1.0.post1.*', '!=1.0a1.*',
  '===2010i', '===1.0', '===x;y', '>=0.1,>=>1', '>=1.0,<=2010i', '==1.0.0,==1.0', '==1.0,==1.0.0', '~=1.0,~=1.0.0',
  '===1.0,===1.0.0', '==1.*,==1.0.*', '>=>1,>=>1', '<=1.0+local,<=1+local', '~=1', '=>1', '~=1.0-SNAPSHOT', '>=1.0a1',
  '<2.0', '>1.0a1', '<1.0.post1', '>1.0', '', '>=1.0,!=1.5', '==v1.0', '== 2010i', '>= >1', '==1.0-SNAPSHOT,>=0',
];
const VERSION_OPS = ['==', '!=', '<=', '>=', '<', '>'];
const GENERATED_SPECS = Array.from({ length: 150 }, () => {
  const count = 1 + Math.floor(random() * 2);
  return Array.from({ length: count }, () => `${pick(random, VERSION_OPS)}${pick(random, VERSIONS).replace(/[,;)\s]/g, '')}`).join(',');
});
const SPECS = [...new Set([...HAND_SPECS, ...GENERATED_SPECS])];
const FILTER_VERSIONS = ['2.0', '2.0a1', '1.0', '2010i', '1.0-beta-3', '0.9', '1.0.0-SNAPSHOT', '1.0.post1', '1.0+local', 'foo', '3.0.dev0'];
const PRERELEASES = [null, true, false] as const;

function specKinds(set: SpecifierSet): string[] {
  return [...set.specifiers.map(() => 'Specifier'), ...set.legacySpecifiers.map(() => 'LegacySpecifier')].sort();
}

function ours(spec: string): unknown {
  try {
    const set = SpecifierSet.parse(spec, null, 'legacy');
    return { str: set.toString(), kinds: specKinds(set), prereleases: set.prereleases21 };
  } catch (error) {
    if (error instanceof InvalidSpecifier) return { error: 'InvalidSpecifier' };
    throw error;
  }
}

/** The cases where we differ from the oracle, each with both answers (empty when all agree). */
function mismatches(cases: readonly unknown[], got: readonly unknown[], expected: readonly unknown[]): unknown[] {
  expect(got.length).toBe(expected.length);
  return cases.flatMap((input, i) => (JSON.stringify(got[i]) === JSON.stringify(expected[i]) ? [] : [{ input, got: got[i], expected: expected[i] }]));
}

const LEGACY_SPECS = SPECS.filter((s) => !('error' in (ours(s) as object)));

describe('versionRulesForPip', () => {
  it('allows legacy versions up to pip 24.0 and is strict from 24.1', () => {
    expect(versionRulesForPip('23.2.1')).toBe('legacy');
    expect(versionRulesForPip('24.0')).toBe('legacy');
    expect(versionRulesForPip('24.1')).toBe('strict');
    expect(versionRulesForPip('24.1.dev0')).toBe('strict');
    expect(versionRulesForPip('26.3')).toBe('strict');
  });
});

describe('LegacyVersion (hand-checked against packaging 21.3)', () => {
  it('keeps the setuptools key and sorts before every PEP 440 version', () => {
    expect(new LegacyVersion('1.0.0-SNAPSHOT').key).toEqual(['00000001', '*final-', '*snapshot', '*final']);
    expect(compareAnyVersions(new LegacyVersion('9999'), tryParseVersion('0')!)).toBe(-1);
    expect(compareAnyVersions(tryParseVersion('0.0.1')!, new LegacyVersion('2010i'))).toBe(1);
    expect(parseAnyVersion('2010i', 'strict')).toBeNull();
    expect(parseAnyVersion('2010i', 'legacy')).toBeInstanceOf(LegacyVersion);
  });

  it('compares every version as legacy inside a LegacySpecifier (a pre-release passes)', () => {
    const spec = new LegacySpecifier('>=>1');
    expect(spec.contains(tryParseVersion('2.0a1')!)).toBe(true);
    expect(SpecifierSet.parse('>=>1', null, 'legacy').filter(['2.0a1', '1.0'])).toEqual(['2.0a1', '1.0']);
    expect(SpecifierSet.parse('', null, 'legacy').filter(['2010i', '1.0'])).toEqual(['1.0']);
  });

  it('rejects legacy specifiers under strict rules', () => {
    expect(() => SpecifierSet.parse('>=>1')).toThrow(InvalidSpecifier);
    expect(() => SpecifierSet.parse('==2010i')).toThrow(InvalidSpecifier);
  });
});

describe('legacy versions and specifiers against the vendored packaging 21.3', () => {
  describeEachPip(['23.2.1', '24.0'], (pip) => {
    const pairs = Array.from({ length: 400 }, () => [pick(random, VERSIONS), pick(random, VERSIONS)] as const);
    const sortLists = Array.from({ length: 30 }, () => Array.from({ length: 8 }, () => pick(random, VERSIONS)));
    const filterCases = LEGACY_SPECS.flatMap((spec) => PRERELEASES.map((pre) => [spec, FILTER_VERSIONS, pre] as const));
    const containsCases = LEGACY_SPECS.flatMap((spec) =>
      FILTER_VERSIONS.slice(0, 6).flatMap((version) => PRERELEASES.map((pre) => [spec, version, pre] as const)),
    );
    const batches: VendoredBatch[] = [
      { op: 'kind', cases: VERSIONS },
      { op: 'legacy_key', cases: VERSIONS },
      { op: 'compare', cases: pairs },
      { op: 'sort', cases: sortLists },
      { op: 'specifier', cases: SPECS },
      { op: 'filter', cases: filterCases },
      { op: 'contains', cases: containsCases },
    ];
    const answers = askVendoredPackaging(pip.python, batches);
    const [kinds, keys, compares, sorts, specs, filters, contains] = answers.results as [unknown[], unknown[], unknown[], unknown[], unknown[], unknown[], unknown[]];

    it('vendors packaging 21.3', () => {
      expect(answers.packaging).toBe('21.3');
    });

    it('parses the same strings as LegacyVersion, with the same keys', () => {
      const got = VERSIONS.map((v) => (tryParseVersion(v) === null ? 'LegacyVersion' : 'Version'));
      expect(got).toEqual(kinds);
      const gotKeys = VERSIONS.map((v) => (tryParseVersion(v) === null ? { kind: 'LegacyVersion', key: [...new LegacyVersion(v).key] } : { kind: 'Version', key: null }));
      expect(gotKeys).toEqual(keys);
    });

    it('orders legacy and PEP 440 versions the same way', () => {
      const parse = (s: string): AnyVersion => parseAnyVersion(s, 'legacy')!;
      expect(pairs.map(([a, b]) => Math.sign(compareAnyVersions(parse(a), parse(b))))).toEqual(compares);
      expect(sortLists.map((list) => [...list].sort((a, b) => compareAnyVersions(parse(a), parse(b))))).toEqual(sorts);
    });

    it('reads clauses as Specifier / LegacySpecifier / invalid, with the same str() and prereleases', () => {
      const expected = specs.map((answer) => (isVendoredError(answer) ? { error: answer.error } : answer));
      expect(mismatches(SPECS, SPECS.map(ours), expected)).toEqual([]);
    });

    it('filters with prereleases None / True / False the same way', () => {
      const got = filterCases.map(([spec, versions, pre]) => SpecifierSet.parse(spec, null, 'legacy').filter(versions, pre));
      expect(mismatches(filterCases, got, filters)).toEqual([]);
    });

    it('answers contains the same way', () => {
      const got = containsCases.map(([spec, version, pre]) => SpecifierSet.parse(spec, null, 'legacy').contains(version, pre));
      expect(mismatches(containsCases, got, contains)).toEqual([]);
    });
  });
});

// Measured end to end (pip download --no-deps from a loopback index) with pip 23.2.1 and 24.0: the
// project's files are 0.9, 1.0, 2.0a1, 2010i and 1.0.0-SNAPSHOT wheels and 1.0-beta-3 (1.0b3) and
// 2011x sdists. The finder filters the version strings, then takes the highest.
describe("the index versions pip <= 24.0 picks (finder.get_applicable_candidates, then the best)", () => {
  const INDEX = ['0.9', '1.0b3', '1.0', '2.0a1', '2010i', '2011x', '1.0.0-SNAPSHOT'];
  const best = (requirement: string): string | null => {
    const set = SpecifierSet.parse(requirement, null, 'legacy');
    const allowed = set.filter(INDEX, null).map((v) => parseAnyVersion(v, 'legacy')!);
    return allowed.sort(compareAnyVersions).pop()?.toString() ?? null;
  };

  it.each([
    ['', '1.0'],
    ['>=>1', '2.0a1'],
    ['>=1.0.0-SNAPSHOT', '2.0a1'],
    ['<=2011x', '2.0a1'],
    ['>=0', '1.0'],
    ['==2010i', '2010i'],
    ['===2011x', '2011x'],
    ['>2011x', null],
  ])('%j selects %j', (requirement, expected) => {
    expect(best(requirement)).toBe(expected);
  });

  it('lists legacy versions first in "from versions:"', () => {
    const listed = [...new Set(INDEX)].map((v) => parseAnyVersion(v, 'legacy')!).sort(compareAnyVersions).map(String);
    expect(listed).toEqual(['1.0.0-SNAPSHOT', '2010i', '2011x', '0.9', '1.0b3', '1.0', '2.0a1']);
  });
});
