// Differential tests: src/standards/versions.ts against packaging 26's Version.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  InvalidVersion,
  canonicalizeVersion,
  compareVersions,
  isValidVersion,
  parseVersion,
  sortVersions,
  tryParseVersion,
} from '../../src/standards/versions.js';
import { askPackaging, isOracleError } from './oracle/packaging-oracle.js';
import { seededRandom, smallVersion, versionText } from './case-generators.js';

const HAND_WRITTEN = [
  '1.0-1', '1.0_rc1', 'v1.0', 'V1.0', '1.0.0-dev', '1.0a', '01.0', '1.0.post', '1.0-alpha.1', '1.0+Ubuntu-1',
  '1.0', '1.0.0', '1!1.0', '1.0.dev', '1.0c1', '1.0pre1', '1.0preview', '1.0-r1', '1.0rev2', '1.0.post1.dev2',
  '1.0a1.post1.dev1', '1.0+', '1.0+abc.', '1.0..1', '', ' ', '.1', '1.', 'abc', '1.0 ', ' 1.0', '\t1.0\n',
  '1.0\u00a0', '1.0\u1680', '1.0\ufeff', '1.0\x1c', '1.0a-1', '1.0a.post1', '1.0a_dev', '1.0-1-1', '1.0.post-1',
  '1.0-', '1.0a-', '1.0_', '1.0-dev', '1.0+1.2.3', '1.0+ABC-def_1', '1.0+01', '1!', '!1.0', '1!2!3', 'v', 'vv1',
  '1.0.a1', '1.0-a1', '1.0_a1', '1.0a.1', '1.0rc.1', '1.0.alpha.1', '1.0-post', '1.0dev-1', '1.2.3.4.5.6.7',
  '0', '0.0', '00', '1.0.0.0', '99999999999999999999999', '1.0POST1', '1.0Dev1', '1.0RC1', '1.0+UBUNTU',
  '١.٠', '1.0é', '1.0\n', '1.0\r\n', '1.0.dev1+local', '1.0a1+local', '2.0.post1+x.y.z',
];

const random = seededRandom(440);
const GENERATED = Array.from({ length: 3000 }, () => versionText(random));
const ALL = [...HAND_WRITTEN, ...GENERATED];

const orderRandom = seededRandom(7);
const POOL = [
  ...new Set(
    [...Array.from({ length: 250 }, () => smallVersion(orderRandom, true)), ...HAND_WRITTEN, ...GENERATED.slice(0, 300)].filter(
      (v) => isValidVersion(v),
    ),
  ),
];
const PAIRS: [string, string][] = [];
for (let i = 0; i < 20000; i += 1) PAIRS.push([POOL[Math.floor(orderRandom() * POOL.length)] as string, POOL[Math.floor(orderRandom() * POOL.length)] as string]);

let parsed: unknown[];
let compared: unknown[];

beforeAll(() => {
  [parsed, compared] = askPackaging([
    { op: 'version', cases: ALL },
    { op: 'compare', cases: PAIRS },
  ]) as [unknown[], unknown[]];
});

describe('parseVersion vs packaging.version.Version', () => {
  it(`accepts and rejects the same ${ALL.length} strings, with the same normalized parts`, () => {
    const mismatches: unknown[] = [];
    ALL.forEach((text, i) => {
      const expected = parsed[i] as Record<string, unknown>;
      const version = tryParseVersion(text);
      if (isOracleError(expected)) {
        if (version !== null) mismatches.push({ text, expected: 'invalid', got: version.toString() });
        return;
      }
      const got =
        version === null
          ? null
          : {
              str: version.toString(),
              public: version.public,
              base: version.baseVersion,
              epoch: version.epoch,
              release: version.release,
              pre: version.pre,
              post: version.post,
              dev: version.dev,
              local: version.local,
              is_pre: version.isPrerelease,
              is_post: version.isPostrelease,
              is_dev: version.isDevrelease,
            };
      // Python ints are exact; compare the exact text, and the numbers only where they are safe.
      if (got === null || got.str !== expected['str'] || got.public !== expected['public'] || got.base !== expected['base']) {
        mismatches.push({ text, expected, got });
      } else if (!got.str.includes('12345678901234567890') && JSON.stringify(got) !== JSON.stringify(expected)) {
        mismatches.push({ text, expected, got });
      }
    });
    expect(mismatches).toEqual([]);
    // The generator must produce both kinds, or the test proves little.
    expect(parsed.filter(isOracleError).length).toBeGreaterThan(200);
    expect(parsed.filter((p) => !isOracleError(p)).length).toBeGreaterThan(1500);
  });

  it('throws InvalidVersion with the input', () => {
    expect(() => parseVersion('1.0+')).toThrow(InvalidVersion);
    try {
      parseVersion('nope');
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidVersion);
      expect((error as InvalidVersion).input).toBe('nope');
      expect((error as InvalidVersion).message).toContain('"nope"');
    }
  });

  it('keeps segments exact beyond 2**53', () => {
    const a = parseVersion('1.99999999999999999');
    const b = parseVersion('1.99999999999999998');
    expect(a.toString()).toBe('1.99999999999999999');
    expect(compareVersions(a, b)).toBeGreaterThan(0);
  });
});

describe('compareVersions vs packaging ordering', () => {
  it(`orders ${PAIRS.length} random pairs like packaging`, () => {
    const mismatches: unknown[] = [];
    PAIRS.forEach(([a, b], i) => {
      const got = Math.sign(compareVersions(parseVersion(a), parseVersion(b)));
      if (got !== compared[i]) mismatches.push({ a, b, expected: compared[i], got });
    });
    expect(mismatches).toEqual([]);
    expect(new Set(compared)).toEqual(new Set([-1, 0, 1]));
  });

  it('sorts a pool consistently with pairwise comparison', () => {
    const sorted = sortVersions(POOL.map(parseVersion));
    for (let i = 1; i < sorted.length; i += 1) {
      expect(compareVersions(sorted[i - 1]!, sorted[i]!)).toBeLessThanOrEqual(0);
    }
  });

  it('canonicalizeVersion strips trailing zeros like packaging.utils.canonicalize_version', () => {
    expect(canonicalizeVersion('1.0.0')).toBe('1');
    expect(canonicalizeVersion('1.0.0', false)).toBe('1.0.0');
    expect(canonicalizeVersion('0.0')).toBe('0');
    expect(canonicalizeVersion('1.4.0.0.0')).toBe('1.4');
    expect(canonicalizeVersion('foo bar baz')).toBe('foo bar baz');
  });
});
