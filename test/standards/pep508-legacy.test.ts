// Differential test: which requirement strings each pip of the matrix accepts, and the specifier it
// reads, against parseRequirement with that pip's rules (legacy-version.ts versionRulesForPip).
// pip <= 24.0 (packaging 21.3) accepts legacy specifiers (`flask>=>1`, `foo==2010i`); pip 24.1+ does not.
import { describe, expect, it } from 'vitest';
import { parseRequirement, RequirementParseError } from '../../src/standards/pep508/requirement.js';
import { versionRulesForPip } from '../../src/standards/legacy-version.js';
import { describeEachPip } from '../helpers/pip-matrix.js';
import { askVendoredPackaging, isVendoredError } from './oracle-legacy/vendored-packaging.js';

const CASES = [
  // PEP 440 specifiers every pip accepts.
  'foo', 'foo>=1.0', 'foo >= 1.0', 'foo>=1.0,<2', 'foo (>=1.0, <2)', 'foo[bar]>=1.0', 'foo==1.0.*', 'foo ==1.0.*',
  'foo~=1.0', 'foo===x', 'foo==1.0+local', "foo>=1.0;python_version>'3'", "foo>=1.0 ;python_version>'3'", 'foo==1.0a',
  'foo==v1.0', 'foo!=1.0a1',
  // Not here: 'foo>=1.0.0,>=1.0'. pip 24.1-26.0 print the first of equal clauses (`>=1.0.0`, a
  // frozenset), packaging 26.3 and specifiers.ts the first after sorting (`>=1.0`).
  // Legacy specifiers: packaging 21.3 only.
  'flask>=>1', 'foo==2010i', 'foo>=1.0.0-SNAPSHOT', 'foo==', 'foo>=', 'foo (==2010i)', 'foo>=1.0,<=2010i', 'foo==1.0.*.*',
  'foo<=1.0+local', 'foo<>1', 'foo>=1,>=', 'foo ==2010i', 'foo!=1.0+', 'foo>~1', 'foo>1+local', 'foo>=1.0.*',
  "foo==2010i;python_version>'3'", "foo==2010i ; python_version>'3'", 'foo[bar]==2010i', 'foo (>=1.0.0-SNAPSHOT)',
  'foo==2010i,==2010I', 'foo<2010i', 'foo>2010i', 'foo!=2010i', 'foo== 2010i', 'foo>= >1', 'foo==*', 'foo==1.0a1.*',
  'foo==1.0.post1.*', 'foo<=2010i,>=1', 'foo>=1.0,==2010i,<3',
  // Rejected by every pip.
  'foo~=1', 'foo ~=1', 'foo=>1', 'foo==2010i)', 'foo>=abc def', 'foo==(1)', 'foo~= 1.0.0-SNAPSHOT', 'foo>=1.0;',
  'foo (==2010i', 'foo==2010i 2011x', 'foo>=1 <2', 'foo>=1,,<2', 'foo=1.0', 'foo>=1.0,', 'foo (>=1.0,)',
];

function ours(text: string, pip: string): unknown {
  try {
    return { specifier: parseRequirement(text, { rules: versionRulesForPip(pip) }).specifier };
  } catch (error) {
    if (error instanceof RequirementParseError) return 'rejected';
    throw error;
  }
}

describe('requirement strings with legacy specifiers, per pip', () => {
  it('strict rules are the default', () => {
    expect(() => parseRequirement('flask>=>1')).toThrow(RequirementParseError);
    expect(parseRequirement('flask>=>1', { rules: 'legacy' }).specifier).toBe('>=>1');
    expect(parseRequirement('foo>=1.0,<=2010i', { rules: 'legacy' }).specifier).toBe('<=2010i,>=1.0');
  });

  describeEachPip('all', (pip) => {
    it(`accepts and reads the same requirements as pip ${pip.version}`, () => {
      const answers = askVendoredPackaging(pip.python, [{ op: 'requirement', cases: CASES }]).results[0] as unknown[];
      const expected = answers.map((answer) =>
        isVendoredError(answer) ? 'rejected' : { specifier: (answer as { specifier: string }).specifier },
      );
      const got = CASES.map((text) => ours(text, pip.version));
      const differences = CASES.flatMap((input, i) =>
        JSON.stringify(got[i]) === JSON.stringify(expected[i]) ? [] : [{ input, got: got[i], expected: expected[i] }],
      );
      expect(differences).toEqual([]);
    });
  });
});
