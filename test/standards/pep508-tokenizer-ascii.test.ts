// The tokenizer reads a text of ASCII characters with rules whose word characters are [0-9A-Za-z_]
// (cheaper for V8 to compile) instead of Python's Unicode ones (src/standards/pep508/tokenizer.ts
// rulesFor). On ASCII text the two must match the same tokens at every position; the Unicode rules
// stay the oracle, as they are checked against packaging itself (test/standards/pep508.test.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rulesFor } from '../../src/standards/pep508/tokenizer.js';

const unicodeRules = rulesFor('\u00e9');
const asciiRules = rulesFor('ascii');
const names = Object.keys(unicodeRules) as (keyof typeof unicodeRules)[];

/** Each rule's match at each position of `text`, or null. */
function matches(rules: typeof unicodeRules, text: string): (string | null)[][] {
  return names.map((name) => {
    const rule = rules[name];
    return Array.from({ length: text.length + 1 }, (_, position) => {
      rule.lastIndex = position;
      return rule.exec(text)?.[0] ?? null;
    });
  });
}

describe('PEP 508 tokens in ASCII text', () => {
  it('a text with a character past ASCII gets the Unicode rules, an ASCII one other rules', () => {
    expect(asciiRules).not.toBe(unicodeRules);
    expect(rulesFor('name ; os_name == "x"')).toBe(asciiRules);
    expect(rulesFor('name ; os_name == "\u00ff"')).toBe(unicodeRules);
    expect(rulesFor('\u{1f600}')).toBe(unicodeRules);
  });

  it('are the tokens the Unicode rules find, at every position', () => {
    // Words, operators, quotes, brackets, separators and the characters around word boundaries.
    const pieces = ['or', 'and', 'in', 'not', 'extra', 'os_name', 'os.name', 'python_version', 'name', 'a1', '_', '-', '.', '==', '~=', '>=', '<', '!=', '===', '1.0', '2.*', '+local', ' ', '\t', ';', ',', '(', ')', '[', ']', '@', "'x'", '"y"', 'http://h/p', '\n', '\x00', '\x7f', '!', '#', '$', '\\'];
    const text = fc.array(fc.oneof(fc.constantFrom(...pieces), fc.string({ unit: fc.integer({ min: 0, max: 0x7f }).map((c) => String.fromCharCode(c)), maxLength: 4 })), { maxLength: 12 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(text, (t) => {
        expect(matches(asciiRules, t)).toEqual(matches(unicodeRules, t));
      }),
      { numRuns: 3000 },
    );
  });
});
