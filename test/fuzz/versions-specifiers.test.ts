// Property-based tests of src/standards/versions.ts and specifiers.ts: parsing throws only
// InvalidVersion / InvalidSpecifier, normalization is idempotent, compareVersions is a total order
// consistent with sortVersions, str(SpecifierSet) parses back to an equivalent set, and a batch of
// near-valid strings is checked against packaging 26.2 in one python3 process.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidSpecifier, SpecifierSet } from '../../src/standards/specifiers.js';
import {
  InvalidVersion,
  type Version,
  compareVersions,
  normalizeVersion,
  parseVersion,
  sortVersions,
  tryParseVersion,
} from '../../src/standards/versions.js';
import { FUZZ_SEED, arbitraryText, assertWithinBudget, askPython, fuzzParams, fuzzSample, longRepeat, mutated, onlyThrows, show } from './fuzz-support.js';
import { SPECIFIER_FRAGMENTS, VERSION_FRAGMENTS, specifierSetArb, versionArb } from './grammar-arbitraries.js';

const versionInput = fc.oneof(
  { weight: 3, arbitrary: mutated(versionArb, VERSION_FRAGMENTS) },
  { weight: 2, arbitrary: versionArb },
  { weight: 1, arbitrary: arbitraryText(VERSION_FRAGMENTS, 40) },
);
const validVersion = versionArb.map(tryParseVersion).filter((v): v is Version => v !== null);
const specifierInput = fc.oneof(
  { weight: 3, arbitrary: mutated(specifierSetArb, SPECIFIER_FRAGMENTS) },
  { weight: 2, arbitrary: specifierSetArb },
  { weight: 1, arbitrary: arbitraryText(SPECIFIER_FRAGMENTS, 40) },
);

describe('versions (fast-check)', () => {
  it('parseVersion returns or throws only InvalidVersion; tryParseVersion never throws', () => {
    fc.assert(
      fc.property(versionInput, (input) => {
        const parsed = onlyThrows([InvalidVersion], input, () => parseVersion(input));
        const tried = onlyThrows([], input, () => tryParseVersion(input));
        expect(parsed === undefined).toBe(tried === null);
      }),
      fuzzParams(3000),
    );
  });

  it('normalization is idempotent: normalize(normalize(v)) == normalize(v)', () => {
    fc.assert(
      fc.property(versionInput, (input) => {
        const once = normalizeVersion(input);
        if (once === null) return;
        expect(normalizeVersion(once)).toBe(once);
        expect(compareVersions(parseVersion(once), parseVersion(input))).toBe(0);
      }),
      fuzzParams(3000),
    );
  });

  it('compareVersions is a total order (antisymmetric, transitive) and sortVersions agrees with it', () => {
    fc.assert(
      fc.property(fc.array(validVersion, { minLength: 3, maxLength: 12 }), (versions) => {
        const [a, b, c] = versions as [Version, Version, Version];
        expect(Math.sign(compareVersions(a, b))).toBe(-Math.sign(compareVersions(b, a)) || 0);
        expect(compareVersions(a, a)).toBe(0);
        if (compareVersions(a, b) <= 0 && compareVersions(b, c) <= 0) expect(compareVersions(a, c)).toBeLessThanOrEqual(0);
        if (compareVersions(a, b) === 0) expect(Math.sign(compareVersions(a, c))).toBe(Math.sign(compareVersions(b, c)));
        const sorted = sortVersions(versions);
        for (let i = 1; i < sorted.length; i += 1) expect(compareVersions(sorted[i - 1]!, sorted[i]!)).toBeLessThanOrEqual(0);
      }),
      fuzzParams(2000),
    );
  });

  it('survives long inputs (no catastrophic backtracking)', () => {
    const inputs = [
      longRepeat('1.', 20_000, '', 'x'),
      longRepeat('1', 50_000),
      longRepeat('.1', 20_000, '1', '+'),
      longRepeat('-1', 10_000, '1'),
      longRepeat('a', 20_000, '1'),
      longRepeat('.post', 5_000, '1'),
      longRepeat('_', 20_000, '1', 'a'),
      longRepeat('a.', 10_000, '1+'),
      longRepeat(' ', 20_000, '', '1'),
      longRepeat('\u3000', 20_000, '', '1!'),
      longRepeat(' ', 20_000, '1', 'x'),
    ];
    assertWithinBudget(inputs, (input) => void onlyThrows([InvalidVersion], input, () => parseVersion(input)));
  });
});

describe('specifiers (fast-check)', () => {
  it('SpecifierSet.parse returns or throws only InvalidSpecifier; contains/filter never throw', () => {
    fc.assert(
      fc.property(specifierInput, fc.array(versionInput, { maxLength: 4 }), fc.constantFrom(null, true, false), (input, versions, pre) => {
        const set = onlyThrows([InvalidSpecifier], input, () => SpecifierSet.parse(input));
        if (set === undefined) return;
        onlyThrows([], { input, versions }, () => set.filter(versions, pre));
        for (const v of versions) onlyThrows([], { input, v }, () => set.contains(v, pre));
      }),
      fuzzParams(3000),
    );
  });

  it('SpecifierSet.parse(str(s)) is the same set: same text, same verdict on versions', () => {
    fc.assert(
      fc.property(specifierInput, fc.array(validVersion, { maxLength: 6 }), (input, versions) => {
        const set = onlyThrows([InvalidSpecifier], input, () => SpecifierSet.parse(input));
        if (set === undefined) return;
        const text = set.toString();
        const again = onlyThrows([], text, () => SpecifierSet.parse(text))!;
        expect(again.toString()).toBe(text);
        for (const v of versions) {
          for (const pre of [null, true, false]) {
            expect(again.contains(v, pre), `${show(input)} -> ${show(text)} contains ${v.toString()} (pre ${String(pre)})`).toBe(set.contains(v, pre));
          }
        }
      }),
      fuzzParams(2000),
    );
  });

  it('survives long inputs', () => {
    const inputs = [
      longRepeat('>=1,', 20_000, '', '<2'),
      longRepeat('1.', 20_000, '==', '*'),
      longRepeat('0', 50_000, '~=1.'),
      longRepeat('.1a', 10_000, '<1'),
      longRepeat('-', 20_000, '==1'),
    ];
    assertWithinBudget(inputs, (input) => void onlyThrows([InvalidSpecifier], input, () => SpecifierSet.parse(input)));
  });

  // Regression (fails until fixed): pyStrip (src/standards/python-text.ts) strips trailing
  // whitespace with /[ws]+$/, which V8 runs in quadratic time when a long run of whitespace is
  // followed by anything else: "=== " + 20 000 spaces + "x" takes ~5 s, 50 000 spaces ~35 s.
  it('regression: a long whitespace run inside a specifier is handled in linear time', () => {
    assertWithinBudget([longRepeat(' ', 14_000, '===', 'x'), longRepeat(' ', 14_000, '>=1', ',<2')], (input) =>
      void onlyThrows([InvalidSpecifier], input, () => SpecifierSet.parse(input)),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Differential against packaging 26.2: accept/reject and normalized forms agree, and so do the
// order of consecutive versions and the `contains` verdicts.

const ORACLE = String.raw`
import json, sys
from packaging.version import Version
from packaging.specifiers import SpecifierSet
data = json.load(sys.stdin)
def ver(s):
    try:
        return str(Version(s))
    except Exception:
        return None
def spec(case):
    s, items = case
    try:
        ss = SpecifierSet(s)
    except Exception:
        return None
    return {"str": str(ss), "contains": [[ss.contains(v, prereleases=p) for p in (None, True, False)] for v in items]}
versions = [ver(s) for s in data["versions"]]
valid = [v for v in versions if v is not None]
order = [(-1 if Version(a) < Version(b) else 1 if Version(a) > Version(b) else 0) for a, b in zip(valid, valid[1:])]
print(json.dumps({"versions": versions, "order": order, "specifiers": [spec(c) for c in data["specifiers"]]}))
`;

describe('versions and specifiers: differential fuzz against packaging 26.2', () => {
  it('agree on accept/reject, normalized text, order and contains', () => {
    const versions = fuzzSample(fc.oneof(mutated(versionArb, VERSION_FRAGMENTS, 2), versionArb), 1500);
    const specifiers = fuzzSample(fc.tuple(fc.oneof(mutated(specifierSetArb, SPECIFIER_FRAGMENTS, 2), specifierSetArb), fc.array(versionArb.map((v) => v.trim()), { maxLength: 4 })), 600);
    const answer = askPython<{ versions: (string | null)[]; order: number[]; specifiers: ({ str: string; contains: boolean[][] } | null)[] }>(ORACLE, {
      versions,
      specifiers,
    });
    const mismatches: string[] = [];
    versions.forEach((input, i) => {
      const ours = normalizeVersion(input);
      if (ours !== answer.versions[i]) mismatches.push(`version ${show(input)}: ours ${show(ours)}, packaging ${show(answer.versions[i])}`);
    });
    const valid = versions.map((v) => tryParseVersion(v)).filter((v): v is Version => v !== null);
    answer.order.forEach((want, i) => {
      const got = Math.sign(compareVersions(valid[i]!, valid[i + 1]!));
      if (got !== want) mismatches.push(`compare ${valid[i]!.toString()} vs ${valid[i + 1]!.toString()}: ours ${got}, packaging ${want}`);
    });
    specifiers.forEach(([input, items], i) => {
      let set: SpecifierSet | null = null;
      try {
        set = SpecifierSet.parse(input);
      } catch (error) {
        if (!(error instanceof InvalidSpecifier)) throw error;
      }
      const theirs = answer.specifiers[i] ?? null;
      if ((set === null) !== (theirs === null)) {
        mismatches.push(`specifier ${show(input)}: ours ${set ? 'accepts' : 'rejects'}, packaging ${theirs ? 'accepts' : 'rejects'}`);
        return;
      }
      if (set === null || theirs === null) return;
      if (set.toString() !== theirs.str) mismatches.push(`specifier ${show(input)}: ours ${show(set.toString())}, packaging ${show(theirs.str)}`);
      items.forEach((item, j) => {
        const got = [null, true, false].map((pre) => set.contains(item, pre));
        if (JSON.stringify(got) !== JSON.stringify(theirs.contains[j])) {
          mismatches.push(`${show(input)} contains ${show(item)} (pre null/true/false): ours ${JSON.stringify(got)}, packaging ${JSON.stringify(theirs.contains[j])}`);
        }
      });
    });
    expect(mismatches, `FUZZ_SEED=${FUZZ_SEED}`).toEqual([]);
  });
});
