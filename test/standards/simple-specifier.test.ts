// src/standards/simple-specifier.ts answers for packaging's specifier expressions where a clause is
// an operator and a plain release. Wherever it answers, it must give what each of those
// expressions gives: the tokenizer's (packaging 22+'s SPECIFIER; packaging 21.3's specifier and
// LegacySpecifier, the longer winning) and the whole-clause ones behind Specifier.
import { describe, expect, it } from 'vitest';
import { LEGACY_SPECIFIER_PATTERN, PACKAGING21_SPECIFIER_PATTERN, isPackaging21Specifier } from '../../src/standards/legacy-specifier.js';
import { Tokenizer } from '../../src/standards/pep508/tokenizer.js';
import { PY_WHITESPACE_CHARS } from '../../src/standards/python-text.js';
import { isSimpleClause, simpleClauseAt } from '../../src/standards/simple-specifier.js';
import { SPECIFIER_PATTERN, Specifier } from '../../src/standards/specifiers.js';

const WS = `[${PY_WHITESPACE_CHARS}]`;
const TOKEN_RULES = {
  SPECIFIER: new RegExp(SPECIFIER_PATTERN, 'iy'),
  SPECIFIER_21: new RegExp(PACKAGING21_SPECIFIER_PATTERN, 'iy'),
  LEGACY_SPECIFIER: new RegExp(LEGACY_SPECIFIER_PATTERN, 'iy'),
};
const WHOLE_STRICT = new RegExp(`^${WS}*${SPECIFIER_PATTERN}${WS}*$`, 'i');

function tokenAt(rule: RegExp, text: string, position: number): string | null {
  rule.lastIndex = position;
  return rule.exec(text)?.[0] ?? null;
}

const OPERATORS = ['~=', '==', '!=', '<=', '>=', '<', '>', '===', '=', '~'];
const SPACES = ['', ' ', '\t', ' \t ', '\u00a0', '\n'];
const VERSIONS = ['1', '1.2', '10.20.30', '0', '01.002', '1.', '1.2a1', '1.2rc', '1.2.*', '1.2+local', 'v1.2', '1!2.0', '1.2.post1', '1.2-1', '1.2.dev3', '', 'x'];
const AFTER = ['', ' ', '\t', ',', ';', ')', ',<2', ' ; python_version < "3.8"', ')extra', 'a', '.', '.*', '*', '-1', '+x', '\n', '\u00a0', 'x', '!'];
const BEFORE = ['', 'name', 'name ', 'a>=1,'];

function* cases(): Generator<{ text: string; position: number; clause: string }> {
  for (const before of BEFORE) {
    for (const op of OPERATORS) {
      for (const space of SPACES) {
        for (const version of VERSIONS) {
          for (const after of AFTER) {
            const clause = `${op}${space}${version}`;
            yield { text: `${before}${clause}${after}`, position: before.length, clause };
          }
        }
      }
    }
  }
}

describe('simple specifier clauses (src/standards/simple-specifier.ts)', () => {
  it('answers at a position only as every tokenizer rule would', () => {
    let answered = 0;
    let total = 0;
    for (const { text, position } of cases()) {
      total++;
      const clause = simpleClauseAt(text, position);
      if (clause === null) continue;
      answered++;
      expect(tokenAt(TOKEN_RULES.SPECIFIER, text, position), text).toBe(clause);
      expect(tokenAt(TOKEN_RULES.SPECIFIER_21, text, position), text).toBe(clause);
      // packaging 21.3 takes the longer of the two, its specifier on a tie.
      const legacy = tokenAt(TOKEN_RULES.LEGACY_SPECIFIER, text, position);
      expect(legacy === null || legacy.length <= clause.length, text).toBe(true);
      expect(legacy, text).toBe(clause.startsWith('~=') ? null : clause);
    }
    // The usual clauses are answered, the rest left to the expressions.
    expect(answered).toBeGreaterThan(total / 20);
    expect(answered).toBeLessThan(total / 2);
  });

  it('answers for a whole clause only as Specifier would, under both grammars', () => {
    let answered = 0;
    for (const { text } of cases()) {
      if (!isSimpleClause(text)) continue;
      answered++;
      expect(WHOLE_STRICT.test(text), text).toBe(true);
      expect(isPackaging21Specifier(text), text).toBe(true);
    }
    expect(answered).toBeGreaterThan(100);
  });

  it('covers the clauses real metadata is made of, and leaves the others to the expressions', () => {
    for (const usual of ['>=2.1', '<3', '~=1.4', '!=1.5.0', '==2.0.0', '> 1', '>=\t3.8']) {
      expect(simpleClauseAt(usual, 0), usual).toBe(usual);
      expect(isSimpleClause(` ${usual} `), usual).toBe(true);
    }
    for (const other of ['~=1', '>=1.0rc1', '==1.*', '==1.0+local', '>=v1', '===1.0', '>=1!2', '>=1.0.']) {
      expect(simpleClauseAt(other, 0), other).toBeNull();
      expect(isSimpleClause(other), other).toBe(false);
    }
  });

  it('the tokenizer and Specifier give the same results with the shortcut as the expressions do', () => {
    const requirement = 'name>=1.0,<2 ; python_version >= "3.8"';
    const tokenizer = new Tokenizer(requirement, 'requirement');
    tokenizer.position = 4;
    expect(tokenizer.checkLongest(['SPECIFIER_21', 'LEGACY_SPECIFIER'])).toBe(true);
    expect(tokenizer.read()).toEqual({ name: 'SPECIFIER_21', text: '>=1.0', position: 4 });
    expect(new Specifier(' ~= 1.4 ').toString()).toBe('~=1.4');
    expect(new Specifier('<3', 'legacy').operator).toBe('<');
    expect(() => new Specifier('~=1')).toThrow();
  });
});
