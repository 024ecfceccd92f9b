// Differential tests: src/standards/pep508 (requirements and markers) against packaging 26's
// Requirement and Marker: the same strings accepted and rejected, with the same error wording and
// caret position, the same parts and printed form, and the same marker evaluation results.
import { beforeAll, describe, expect, it } from 'vitest';
import type { MarkerEnvironment } from '../../src/standards/interpreter-facts.js';
import {
  type Marker,
  type MarkerEvaluationEnvironment,
  MarkerEvaluationError,
  evaluateMarker,
  formatMarker,
  parseMarker,
} from '../../src/standards/pep508/markers.js';
import {
  type Requirement,
  RequirementParseError,
  formatRequirement,
  parseRequirement,
} from '../../src/standards/pep508/requirement.js';
import { comparePyStrings } from '../../src/standards/python-text.js';
import { askPackaging, isOracleError } from './oracle/packaging-oracle.js';
import { type Random, chance, pick, seededRandom } from './case-generators.js';

// ---------------------------------------------------------------------------------------------
// Cases

const VERSION_VARS = ['python_version', 'python_full_version', 'implementation_version', 'platform_release'];
const STRING_VARS = [
  'os_name', 'os.name', 'sys_platform', 'sys.platform', 'platform_machine', 'platform.machine', 'platform_system',
  'platform_version', 'platform.version', 'platform_python_implementation', 'python_implementation',
  'platform.python_implementation', 'implementation_name', 'extra',
];
const VALUES: Record<string, string[]> = {
  version: ['3', '3.8', '3.11', '3.11.7', '3.12', '3.*', '3.11.*', '2.7', '3.13.0rc1', '6.1', '23.1.0', '7.3', 'foo', '', '3.11.7+local'],
  string: ['posix', 'nt', 'linux', 'win32', 'darwin', 'Linux', 'Windows', 'x86_64', 'CPython', 'PyPy', 'cpython', 'pypy',
    'Foo_Bar', 'foo-bar', 'test', 'tests', 'lin', 'i', '', '#1 SMP', 'a b'],
};
const OPS = ['==', '!=', '<', '<=', '>', '>=', '~=', '===', 'in', 'not in'];

function quote(random: Random, value: string): string {
  return chance(random, 0.5) ? `"${value}"` : `'${value}'`;
}

function markerAtom(random: Random): string {
  const isVersion = chance(random, 0.4);
  const variable = isVersion ? pick(random, VERSION_VARS) : pick(random, STRING_VARS);
  const value = quote(random, pick(random, isVersion ? VALUES['version']! : VALUES['string']!));
  const op = pick(random, OPS);
  const sp = (): string => pick(random, ['', ' ', ' ', '  ', '\t']);
  const spaced = op === 'in' || op === 'not in' ? ` ${op} ` : `${sp()}${op}${sp()}`;
  return chance(random, 0.8) ? `${variable}${spaced}${value}` : `${value}${spaced}${variable}`;
}

function markerText(random: Random, depth = 0): string {
  const atoms = 1 + Math.floor(random() * (depth === 0 ? 4 : 2));
  const parts: string[] = [];
  for (let i = 0; i < atoms; i += 1) {
    if (i > 0) parts.push(pick(random, [' and ', ' or ', ' and ', ' or ']));
    if (depth < 2 && chance(random, 0.25)) parts.push(`(${pick(random, ['', ' '])}${markerText(random, depth + 1)})`);
    else parts.push(markerAtom(random));
  }
  return parts.join('');
}

const SETS_MARKERS = [
  '"a" in extras', '"A_b" in extras', '"a" not in extras', '"g" in dependency_groups', 'extras == "a"',
  '"a" == extras', '"a" != extras', '"a" <= extras', '"a" ~= extras',
];

const HAND_MARKERS = [
  'python_version < "3.7"', '"3.10" < python_version', 'python_version == "3.*"', 'python_version >= "3.11.0rc1"',
  'platform_release >= "6"', 'platform_release == "6.1.0-18-amd64"', 'platform_release < "6"', 'os_name ~= "posix"',
  'os_name === "posix"', 'python_version === "3.11"', 'python_version ~= "3"', 'python_version ~= "3.8"',
  'extra == "Foo_Bar"', '"Foo_Bar" == extra', '(extra == "Foo_Bar")', 'os_name == "x" or (extra == "Foo_Bar")',
  '((os_name == "a" or os_name == "b")) and os_name == "c"', '(os_name == "a") and (os_name == "b")',
  'os_name == "posix" and sys_platform == "linux" or python_version < "3"', 'os_name in "posix nt"',
  '"posix" in os_name', '"os_name" == "posix"', '"posix" == "os_name"', 'os_name == sys_platform',
  'python_full_version > "3.11.7"', 'python_full_version <= "3.11.7"', 'implementation_version > "3.11.7"',
  'python_version != "3.11.*"', 'platform_version == "#1 SMP"', 'platform_version < "1"', 'os_name<"posix"',
  'os_name>="posix"', 'os_name<="posix"', 'python_version in "3.10 3.11"', 'python_version not in "3.11"',
  'os_name == "a\\x41"', "os_name == 'a\\'", 'os_name == "tab\\there"', 
  'os_name == "\\u00e9"', 'os_name == "\\101"', 'os_name == "\\q"', 'os_name == "\\\\"', 'os_name == "é"',
  'os_name == "a\nb"', 'os_name not  in "x"', 'os_name notin "x"', 'os_name not"in" "x"', 'os_namex == "x"',
  'xos_name == "x"', 'os_name == "x" and', 'or os_name == "x"', '(os_name == "x"', 'os_name == "x")',
  'os_name == "x" andos_name == "y"', 'os_name == "x"and os_name == "y"', 'os_name = "x"', 'os_name == x',
  '', ' ', 'os_name == "x" \n', 'os_name == "x"\n', 'os_name == "x"\n\n', 'extras', 'python_version < "3.7" ;',
  'python_version >= "3" or python_version < "3" and os_name == "nope"', 'platform_release > "6.1"',
  'implementation_name == "cpython" and implementation_version >= "3.11"', 'platform.version == "x"',
  'sys.platform == "linux"', 'python_implementation == "CPython"', 'os.name == "posix"', '"3.11" in python_version',
  'python_full_version == "3.12.0+local"', 'python_full_version == "3.12.0+"',
];

const NAMES = ['foo', 'Foo.Bar', 'foo_bar', 'a', 'requests', 'zope.interface', 'x1', 'A-B_C.d', '9'];
const EXTRAS = ['', '', '', '[]', '[a]', '[a,b]', '[ a , b ]', '[Sec_Urity, tests]', '[a,a]', '[b,a]', '[a b]', '[a,]',
  '[', '[a', '[,a]', '[a.b]', '[a-]', '[ ]'];
const SPECS = ['', '', '>=1.0', '>= 1.0, <2', '(>=1.0)', '( >=1.0 , )', '==1.*', '==1.0+local', '>=1.0+local',
  '>=1.0.*', '~=1', '~=1.0', '===foo', '==1.0,', '>=1,,<2', '(>=1', '>=1)', '!=1.5 , >=1', '< 2.0 ,> 1.0',
  '==v1.0', '>=1.0,>=1.0.0', '===1.0,>=2', '>=1.0a', '==1.0 .*', '()', '( )', '>=1.0 <2', '>=1.0;'];
const URLS = ['https://example.com/foo-1.0.tar.gz', 'file:///tmp/foo', 'git+https://g/x.git@v1#egg=foo',
  'https://x/y;z', 'https://x/a b', 'https://x/(paren)'];

function requirementText(random: Random): string {
  let text = pick(random, ['', '', ' ', '\t']) + pick(random, NAMES) + pick(random, ['', '', ' ']) + pick(random, EXTRAS);
  if (chance(random, 0.15)) {
    text += pick(random, [' @ ', '@', ' @', '@ ']) + pick(random, URLS);
    text += pick(random, ['', ' ', ` ; ${markerText(random)}`, `;${markerText(random)}`, ` ;${markerText(random)}`]);
  } else {
    text += pick(random, ['', ' ']) + pick(random, SPECS);
    if (chance(random, 0.4)) text += pick(random, [';', '; ', ' ; ', ' ;']) + markerText(random);
  }
  text += pick(random, ['', '', '', ' ', '\n', '\t']);
  if (chance(random, 0.15)) {
    const at = Math.floor(random() * (text.length + 1));
    text = text.slice(0, at) + pick(random, ['(', ')', '[', ']', ',', ';', '@', '"', "'", ' ', '=', '.', '*', 'é']) + text.slice(at + (chance(random, 0.5) ? 1 : 0));
  }
  return text;
}

const HAND_REQUIREMENTS = [
  'requests [security,tests] >= 2.8.1, == 2.8.* ; python_version < "3.7"', 'foo', 'foo\n', 'foo\n\n', 'foo[]',
  'foo ( >=1 , )', 'foo==1.0+local', 'foo.', 'foo-', 'fooé', 'foo>=1;extra=="Foo_Bar"', 'foo @ http://x\n',
  'foo @ https://x/y.tar.gz; python_version > "3"', 'foo @ https://x/y.tar.gz ; python_version > "3"',
  'foo @ https://x/y.tar.gz ;python_version > "3"', 'foo @ ', 'foo @', '@ https://x', 'foo[a b]', 'foo[a,]', 'foo[',
  'foo >= 1.0 <2', 'foo>=1.0.*', 'foo<1.0+local', 'foo (>=1.0', 'foo >=1.0)', 'foo; os_name == "x" or', 'foo;',
  'foo ;', 'foo; ', '', ' ', 'Foo.Bar[Sec_Urity, tests]', 'foo===1.0,>=2', 'foo===a,b', 'foo (===1.0)', 'foo ===1.0 ;os_name=="x"',
  'foo[a,b]==1.0; (os_name == "a") and (extra == "X_Y")', 'name @ file:///a/b c', 'foo ; ((os_name == "a" or os_name == "b")) and os_name == "c"',
  'foo>=1,<2,', 'foo>=1, ,<2', 'foo >=1.0,, <2', 'foo==1.0 ; python_version == "3.11" and extra == "t"',
];

const random = seededRandom(508);
const MARKERS = [...HAND_MARKERS, ...SETS_MARKERS, ...Array.from({ length: 700 }, () => markerText(random))];
const REQUIREMENTS = [...HAND_REQUIREMENTS, ...Array.from({ length: 1500 }, () => requirementText(random))];

const BASE_ENV: MarkerEnvironment = {
  implementation_name: 'cpython',
  implementation_version: '3.11.7',
  os_name: 'posix',
  platform_machine: 'x86_64',
  platform_release: '6.1.0-18-amd64',
  platform_system: 'Linux',
  platform_version: '#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)',
  python_full_version: '3.11.7',
  platform_python_implementation: 'CPython',
  python_version: '3.11',
  sys_platform: 'linux',
};
const ENVIRONMENTS: MarkerEnvironment[] = [
  BASE_ENV,
  { ...BASE_ENV, os_name: 'nt', sys_platform: 'win32', platform_system: 'Windows', platform_release: '10', platform_machine: 'AMD64', platform_version: '10.0.19045' },
  { ...BASE_ENV, sys_platform: 'darwin', platform_system: 'Darwin', platform_release: '23.1.0', platform_machine: 'arm64', python_version: '3.8', python_full_version: '3.8.18', implementation_version: '3.8.18' },
  { ...BASE_ENV, python_version: '3.13', python_full_version: '3.13.0rc1', implementation_version: '3.13.0rc1', platform_release: '6.1' },
  { ...BASE_ENV, python_version: '3.12', python_full_version: '3.12.0+', implementation_version: '3.12.0' },
  { ...BASE_ENV, implementation_name: 'pypy', platform_python_implementation: 'PyPy', implementation_version: '7.3.13', python_version: '3.10', python_full_version: '3.10.13' },
];
const EXTRA_VALUES: (string | null)[] = [null, '', 'Foo_Bar', 'test', 'TESTS'];
const SET_ENVS = [
  { ...BASE_ENV, extras: ['a', 'B'], dependency_groups: ['g'] },
  { ...BASE_ENV, extras: [], dependency_groups: [] },
];

// ---------------------------------------------------------------------------------------------
// Our side, computed up front so the reparse questions can go in the same oracle run

type Parsed<T> = { ok: true; value: T } | { ok: false; error: unknown };

function attempt<T>(fn: () => T): Parsed<T> {
  try {
    return { ok: true, value: fn() };
  } catch (error) {
    return { ok: false, error };
  }
}

const OUR_REQUIREMENTS = REQUIREMENTS.map((text) => attempt(() => parseRequirement(text)));
const OUR_MARKERS = MARKERS.map((text) => attempt(() => parseMarker(text)));
const REPARSE: [string, string][] = [];
OUR_REQUIREMENTS.forEach((parsed, i) => {
  if (parsed.ok) REPARSE.push([REQUIREMENTS[i]!, formatRequirement(parsed.value)]);
});

const EVAL_CASES: { marker: string; env: MarkerEnvironment | (typeof SET_ENVS)[number]; extra: string | null }[] = [];
OUR_MARKERS.forEach((parsed, i) => {
  if (!parsed.ok) return;
  for (const env of ENVIRONMENTS) for (const extra of EXTRA_VALUES) EVAL_CASES.push({ marker: MARKERS[i]!, env, extra });
});
for (const marker of SETS_MARKERS) for (const env of SET_ENVS) EVAL_CASES.push({ marker, env, extra: null });

let requirementAnswers: unknown[];
let markerAnswers: unknown[];
let reparseAnswers: unknown[];
let evalAnswers: unknown[];

beforeAll(() => {
  [requirementAnswers, markerAnswers, reparseAnswers, evalAnswers] = askPackaging([
    { op: 'requirement', cases: REQUIREMENTS },
    { op: 'marker', cases: MARKERS },
    { op: 'reparse', cases: REPARSE },
    { op: 'marker_eval', cases: EVAL_CASES.map((c) => [c.marker, c.env, c.extra]) },
  ]) as [unknown[], unknown[], unknown[], unknown[]];
});

function packagingMessage(error: RequirementParseError): string {
  const caret = `${' '.repeat(error.position)}${'~'.repeat(error.spanEnd - error.position)}^`;
  return `${error.detail}\n    ${error.input}\n    ${caret}`;
}

/**
 * Where our printer differs from packaging's on purpose: packaging loses needed parentheses in
 * `((a or b)) and c`, and writes values holding a backslash or a quote so that they do not read
 * back. Those inputs are checked by reading our output back instead.
 */
function printsDifferentlyOnPurpose(text: string): boolean {
  return /\(\s*\(/.test(text) || text.includes('\\');
}

describe('parseRequirement vs packaging.requirements.Requirement', () => {
  it(`accepts and rejects the same ${REQUIREMENTS.length} strings, with packaging's message and caret`, () => {
    const mismatches: unknown[] = [];
    let rejected = 0;
    REQUIREMENTS.forEach((text, i) => {
      const expected = requirementAnswers[i] as Record<string, unknown> & { error?: string; message?: string };
      const ours = OUR_REQUIREMENTS[i]!;
      if (isOracleError(expected)) {
        rejected += 1;
        if (ours.ok) {
          mismatches.push({ text, expected: expected.message, got: formatRequirement(ours.value) });
        } else if (!(ours.error instanceof RequirementParseError)) {
          mismatches.push({ text, error: String(ours.error) });
        } else if (
          expected.error === 'InvalidRequirement' &&
          !ours.error.detail.startsWith('Invalid quoted string') &&
          packagingMessage(ours.error) !== expected.message
        ) {
          mismatches.push({ text, expected: expected.message, got: packagingMessage(ours.error) });
        }
        return;
      }
      if (!ours.ok) {
        mismatches.push({ text, expected, got: String(ours.error) });
        return;
      }
      const r: Requirement = ours.value;
      const got = {
        name: r.name,
        url: r.url,
        extras: [...r.extras].sort(comparePyStrings),
        specifier: r.specifier,
        marker: r.marker === null ? null : formatMarker(r.marker),
        str: formatRequirement(r),
      };
      if (JSON.stringify(got) !== JSON.stringify(expected) && !printsDifferentlyOnPurpose(text)) {
        mismatches.push({ text, expected, got });
      }
    });
    expect(mismatches).toEqual([]);
    expect(rejected).toBeGreaterThan(200);
    expect(REQUIREMENTS.length - rejected).toBeGreaterThan(500);
  });

  it('formatRequirement output reads back in packaging as the same requirement', () => {
    const answers = reparseAnswers as { same: boolean; self: boolean }[];
    const failures = REPARSE.map((pair, i) => ({ pair, answer: answers[i]! })).filter(
      // Where packaging's own printed form does not read back the same, ours need not either.
      ({ pair, answer }) => !answer.same && answer.self && !printsDifferentlyOnPurpose(pair[0]),
    );
    expect(failures).toEqual([]);
    expect(answers.filter((a) => a.same).length).toBeGreaterThan(500);
    expect(REPARSE.length).toBeGreaterThan(500);
  });

  it('reports the input and a caret under the bad column', () => {
    try {
      parseRequirement('foo >= 1.0 <2');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(RequirementParseError);
      const e = error as RequirementParseError;
      expect(e.input).toBe('foo >= 1.0 <2');
      expect(e.position).toBe(4);
      expect(e.message).toBe(
        'Invalid requirement "foo >= 1.0 <2": Expected comma (within version specifier), semicolon (after version specifier) or end\n' +
          '    foo >= 1.0 <2\n' +
          '        ~~~~~~~^',
      );
    }
  });

  it('rejects \\N{name} escapes in marker strings (packaging accepts them; not supported here)', () => {
    expect(() => parseMarker('os_name == "\\N{BULLET}"')).toThrow(RequirementParseError);
  });

  it('prints values with a backslash so that they read back', () => {
    const marker = parseMarker('os_name == "\\\\q"');
    expect(formatMarker(marker)).toBe("os_name == '\\\\q'");
    expect(parseMarker(formatMarker(marker))).toEqual(marker);
  });

  it('keeps parentheses packaging drops when printing ((a or b)) and c', () => {
    const marker = parseMarker('((os_name == "a" or os_name == "b")) and os_name == "c"');
    expect(formatMarker(marker)).toBe('(os_name == "a" or os_name == "b") and os_name == "c"');
  });
});

describe('parseMarker and evaluateMarker vs packaging.markers.Marker', () => {
  it(`parses ${MARKERS.length} markers like packaging and prints them the same`, () => {
    const mismatches: unknown[] = [];
    MARKERS.forEach((text, i) => {
      const expected = markerAnswers[i] as { str: string } | { error: string; message: string };
      const ours = OUR_MARKERS[i]!;
      if (isOracleError(expected)) {
        if (ours.ok) mismatches.push({ text, expected: expected.error, got: formatMarker(ours.value) });
        return;
      }
      if (!ours.ok) mismatches.push({ text, expected, got: String(ours.error) });
      else if (formatMarker(ours.value) !== expected.str && !printsDifferentlyOnPurpose(text)) {
        mismatches.push({ text, expected: expected.str, got: formatMarker(ours.value) });
      }
    });
    expect(mismatches).toEqual([]);
  });

  it(`evaluates ${EVAL_CASES.length} (marker, environment, extra) cases like packaging`, () => {
    const mismatches: unknown[] = [];
    const markers = new Map<string, Marker>();
    EVAL_CASES.forEach(({ marker, env, extra }, i) => {
      let parsed = markers.get(marker);
      if (parsed === undefined) {
        parsed = parseMarker(marker);
        markers.set(marker, parsed);
      }
      const full: MarkerEvaluationEnvironment =
        'extras' in env ? { ...env, extras: new Set(env.extras), dependency_groups: new Set(env.dependency_groups) } : env;
      let got: boolean | 'error';
      try {
        got = evaluateMarker(parsed, full, extra ?? undefined);
      } catch (error) {
        expect(error).toBeInstanceOf(MarkerEvaluationError);
        got = 'error';
      }
      const expected = isOracleError(evalAnswers[i]) ? 'error' : evalAnswers[i];
      if (got !== expected) mismatches.push({ marker, env: env.python_full_version, extra, expected, got });
    });
    expect(mismatches).toEqual([]);
    const trues = evalAnswers.filter((a) => a === true).length;
    const falses = evalAnswers.filter((a) => a === false).length;
    expect(trues).toBeGreaterThan(500);
    expect(falses).toBeGreaterThan(500);
    expect(evalAnswers.length - trues - falses).toBeGreaterThan(50);
  });
});
