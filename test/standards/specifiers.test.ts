// Differential tests: src/standards/specifiers.ts against packaging 26's SpecifierSet
// (parse, normalized text, implied pre-releases, contains, filter with prereleases None/True/False).
import { beforeAll, describe, expect, it } from 'vitest';
import {
  InvalidSpecifier,
  SpecifierSet,
  filterVersions,
  impliesPrereleases,
} from '../../src/standards/specifiers.js';
import { parseVersion } from '../../src/standards/versions.js';
import { askPackaging, isOracleError } from './oracle/packaging-oracle.js';
import { chance, pick, seededRandom, smallVersion } from './case-generators.js';

const OPS = ['==', '!=', '<=', '>=', '<', '>', '~=', '==='];

const HAND_SPECS = [
  '', ' ', ',', '>=1.0', '>= 1.0', '>=1.0,', ',>=1.0', '>=1.0,,<2', '>=1.0, <2.0, !=1.5', '==1.*', '==1.0.*', '!=1.*',
  '==1.*.*', '>=1.0.*', '<1.0+local', '==1.0+local', '!=1.0+local', '~=1', '~=1.0', '~=1.0.0', '~=1.0a1', '~=1.0.post1',
  '~=1.0.dev1', '~=V1.0', '~=1.0.RC1', '~=1.0rc1', '~=1!2.0', '==1.0a1.*', '===1.0', '===foo', '=== foo', '===',
  '=1.0', '>>1', '<=>1', '==v1.0', '>=V1.0', '>=1.0.0,>=1.0', '==1.0,==1.0.0', '~=2.2,~=2.2.0', '>=2.0b1', '<=3.0.dev0',
  '<2.0', '<2.0rc1', '>1.0', '>1.0.post1', '>1.0a1', '<1!1.0', '==1.0-1', '==1.0_rc1', '~=1.0-1', '==1.0.*+x', '==1.0 .*',
  '>= 1.0 ; x', '(>=1.0)', '>=1.0\u00a0', '\u3000>=1.0', '==1.0\n', '!=1.0a1', '!=2.0b1', '===1.0,===1.0', '===1.0,>=1',
  '==01.0', '>=1.0a', '>=1.0.post', '>1!0', '<0', '==0.*', '~=0.0', '~=1.0,!=1.0.5', '==2.*,!=2.1.*', '===1.0+local',
];

const VERSIONS_FIXED = [
  '1.0', '1.0.0', '1.0+local', '1.0.post1', '1.0a1', '1.0.dev0', '1.0rc1', '1.1', '1.5', '2.0', '2.0b1', '2.0a1', '2.0rc1',
  '2.0.post1', '2.0+x', '2.1', '2.1a1', '3.0', '3.0.dev0', '1!1.0', '1!2.0a1', '0.9', '0.9.post1', '1.0.post1.dev1',
  '1.0a1.post1', '1.0-1', 'V1.0', 'foo', 'FOO', '1.0 ', ' 1.0', '', '1.0.dev1+local', '0', '0.0.1', '1.0.5', '2.1.3',
  '2.2', '2.2.0', '2.2.post1', '2.3a1', '1.0.post0', '0!1.0',
];

const random = seededRandom(508);

function generatedSpecifier(): string {
  const count = 1 + Math.floor(random() * 3);
  const parts: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const op = pick(random, OPS);
    let version = smallVersion(random, op === '==' || op === '!=' || op === '===' || chance(random, 0.05));
    if ((op === '==' || op === '!=') && chance(random, 0.25)) version = `${version.replace(/[a-z+].*$/, '')}.*`;
    if (op === '~=' && chance(random, 0.8) && !version.includes('.')) version = `${version}.0`;
    if (op === '===' && chance(random, 0.3)) version = pick(random, ['foo', '1.0', 'FOO', 'V1.0']);
    parts.push(`${op}${chance(random, 0.1) ? ' ' : ''}${version}`);
  }
  return parts.join(chance(random, 0.2) ? ', ' : ',');
}

const SPECS = [...HAND_SPECS, ...Array.from({ length: 600 }, generatedSpecifier)];
const VALID_SPECS = SPECS.filter((s) => {
  try {
    SpecifierSet.parse(s);
    return true;
  } catch {
    return false;
  }
});
const VERSIONS = [...VERSIONS_FIXED, ...Array.from({ length: 40 }, () => smallVersion(random, true))];
const PRERELEASE_OPTIONS = [null, true, false] as const;

const CONTAINS: [string, string, boolean | null][] = [];
for (const spec of VALID_SPECS.slice(0, 260)) {
  for (const version of VERSIONS) CONTAINS.push([spec, version, pick(random, PRERELEASE_OPTIONS)]);
}
const FILTERS: [string, string[], boolean | null][] = [];
for (const spec of VALID_SPECS) {
  for (const prereleases of PRERELEASE_OPTIONS) {
    const size = 1 + Math.floor(random() * 8);
    FILTERS.push([spec, Array.from({ length: size }, () => pick(random, VERSIONS)), prereleases]);
  }
}
// pip-behaviour.md §8.3 examples.
FILTERS.push(
  ['>=1.0', ['1.0', '2.0b1'], null],
  ['>=1.0', ['2.0b1'], null],
  ['', ['1.0', '1.1a1'], null],
  ['<=2.0', ['2.0a1'], null],
  ['!=2.0b1', ['2.0b1'], null],
  ['>=2.0b1', ['2.0', '2.1rc1'], null],
);

let specInfo: unknown[];
let containsAnswers: unknown[];
let filterAnswers: unknown[];

beforeAll(() => {
  [specInfo, containsAnswers, filterAnswers] = askPackaging([
    { op: 'specifier', cases: SPECS },
    { op: 'contains', cases: CONTAINS },
    { op: 'filter', cases: FILTERS },
  ]) as [unknown[], unknown[], unknown[]];
});

describe('SpecifierSet.parse vs packaging.specifiers.SpecifierSet', () => {
  it(`accepts the same ${SPECS.length} specifier sets, prints them the same, implies pre-releases the same`, () => {
    const mismatches: unknown[] = [];
    SPECS.forEach((text, i) => {
      const expected = specInfo[i] as { str: string; prereleases: boolean | null } | { error: string };
      let got: { str: string; prereleases: boolean | null } | 'invalid';
      try {
        const set = SpecifierSet.parse(text);
        got = { str: set.toString(), prereleases: set.prereleases };
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidSpecifier);
        got = 'invalid';
      }
      const want = isOracleError(expected) ? 'invalid' : expected;
      if (JSON.stringify(got) !== JSON.stringify(want)) mismatches.push({ text, want, got });
    });
    expect(mismatches).toEqual([]);
    expect(VALID_SPECS.length).toBeGreaterThan(400);
    expect(SPECS.length - VALID_SPECS.length).toBeGreaterThan(20);
  });

  it('names the input and the offending clause', () => {
    try {
      SpecifierSet.parse('>=1.0, =>2');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidSpecifier);
      expect((error as InvalidSpecifier).input).toBe('>=1.0, =>2');
      expect((error as InvalidSpecifier).position).toBe(6);
      expect((error as Error).message).toContain('"=>2"');
    }
  });
});

describe('contains and filter vs packaging', () => {
  it(`contains: ${CONTAINS.length} (specifier, version, prereleases) cases`, () => {
    const mismatches: unknown[] = [];
    CONTAINS.forEach(([spec, version, prereleases], i) => {
      const got = SpecifierSet.parse(spec).contains(version, prereleases);
      if (got !== containsAnswers[i]) mismatches.push({ spec, version, prereleases, expected: containsAnswers[i], got });
    });
    expect(mismatches).toEqual([]);
    const trues = containsAnswers.filter((a) => a === true).length;
    expect(trues).toBeGreaterThan(CONTAINS.length / 10);
    expect(CONTAINS.length - trues).toBeGreaterThan(CONTAINS.length / 10);
  });

  it(`filter: ${FILTERS.length} (specifier, versions, prereleases) cases, order kept`, () => {
    const mismatches: unknown[] = [];
    FILTERS.forEach(([spec, versions, prereleases], i) => {
      const got = filterVersions(spec, versions, prereleases);
      if (JSON.stringify(got) !== JSON.stringify(filterAnswers[i])) {
        mismatches.push({ spec, versions, prereleases, expected: filterAnswers[i], got });
      }
    });
    expect(mismatches).toEqual([]);
  });

  it('filters arbitrary objects through a key, and Version objects', () => {
    const set = SpecifierSet.parse('>=1.0');
    const items = [{ v: '0.9' }, { v: '1.0' }, { v: '2.0b1' }];
    expect(set.filter(items, null, (item) => item.v)).toEqual([{ v: '1.0' }]);
    expect(set.filter([parseVersion('2.0b1')], null).map(String)).toEqual(['2.0b1']);
  });

  it('intersect keeps every clause (packaging `&`)', () => {
    const both = SpecifierSet.parse('>=1.0,!=1.0.1').intersect(SpecifierSet.parse('<=2.0.0,!=2.0.1'));
    expect(both.toString()).toBe('!=1.0.1,!=2.0.1,<=2.0.0,>=1.0');
    expect(impliesPrereleases(SpecifierSet.parse('>=1').intersect(SpecifierSet.parse('<2.0b1')))).toBe(true);
  });
});
