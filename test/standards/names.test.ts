// Differential tests: src/standards/names.ts against packaging.utils.canonicalize_name,
// canonicalize_name(validate=True) and is_normalized_name.
import { beforeAll, describe, expect, it } from 'vitest';
import { isNormalizedName, isValidName, normalizeExtra, normalizeName } from '../../src/standards/names.js';
import { askPackaging } from './oracle/packaging-oracle.js';
import { pick, seededRandom } from './case-generators.js';

const HAND_WRITTEN = [
  'requests', 'Django', 'oslo.concurrency', 'Foo__Bar', 'foo-_-bar', 'foo.', '.foo', '-foo', 'foo-', '_', '', 'a', 'A', '9',
  'zope.interface', 'Sphinx_RTD-Theme', 'foo--bar', 'foo---bar', 'foo bar', 'foé', 'ſ', 'K', 'İstanbul', 'ΣΑΣ',
  'foo\n', '\nfoo', 'a.b_c-d', 'A.B_C-D', 'a-', 'a1-2', '1-a', 'foo_', 'typing_extensions', 'ruamel.yaml.clib',
];
const ALPHABET = ['a', 'b', 'Z', '0', '9', '.', '_', '-', '-', '.', '_', ' ', 'é', '+'];
const random = seededRandom(503);
const EDGE = ['a', 'B', '7', 'x', 'Q'];
const GENERATED = Array.from({ length: 1500 }, (_, i) => {
  const middle = Array.from({ length: Math.floor(random() * 8) }, () => pick(random, ALPHABET)).join('');
  // Every other name is framed by alphanumerics, so that both valid and invalid names are common.
  return i % 2 === 0 ? `${pick(random, EDGE)}${middle}${pick(random, EDGE)}` : middle;
});
const ALL = [...HAND_WRITTEN, ...GENERATED];

let answers: { norm: string; valid: boolean; normalized: boolean }[];
beforeAll(() => {
  [answers] = askPackaging([{ op: 'name', cases: ALL }]) as [typeof answers];
});

describe('names vs packaging.utils', () => {
  it(`normalizes, validates and recognises normalized forms of ${ALL.length} names like packaging`, () => {
    const mismatches: unknown[] = [];
    ALL.forEach((name, i) => {
      const got = { norm: normalizeName(name), valid: isValidName(name), normalized: isNormalizedName(name) };
      if (JSON.stringify(got) !== JSON.stringify(answers[i])) mismatches.push({ name, expected: answers[i], got });
    });
    expect(mismatches).toEqual([]);
    expect(answers.filter((a) => a.valid).length).toBeGreaterThan(300);
    expect(answers.filter((a) => !a.valid).length).toBeGreaterThan(300);
  });

  it('normalizes extras with the same rule (PEP 685)', () => {
    expect(normalizeExtra('Sec_Urity')).toBe(normalizeName('Sec_Urity'));
    expect(normalizeExtra('Foo..Bar')).toBe('foo-bar');
  });
});
