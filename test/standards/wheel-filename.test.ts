// Differential tests: src/standards/wheel-filename.ts against packaging 26's
// parse_wheel_filename (strict) and pip 23.2.1's Wheel regex (legacy).
import { beforeAll, describe, expect, it } from 'vitest';
import { InvalidWheelFilename, type WheelFilename, parseWheelFilename } from '../../src/standards/wheel-filename.js';
import { askPackaging, isOracleError } from './oracle/packaging-oracle.js';
import { chance, pick, seededRandom } from './case-generators.js';

const NAMES = ['foo', 'Foo_Bar', 'foo.bar', 'foo__bar', 'foo-bar', 'é', '', 'a1', 'Foo.Bar_baz', 'a b', 'x+y'];
const VERSIONS = ['1.0', '1.0_dev0', 'v1', '1.0+local', 'bad', '1.0_rc1', '1.0.post1', '2!1.0', '1.0+Ubuntu_1', '', '1.0 '];
const BUILDS = ['', '', '', '-1', '-1abc', '-abc', '-01', '-1_2', '-', '-1.2'];
const TAGS = ['py3-none-any', 'py2.py3-none-any', 'cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64',
  'CP311-ABI3-Linux_X86_64', 'py3-none', 'py3..-none-any', '-none-any', 'py3.py2-none-any', 'py3-none-any-extra',
  'cp39.cp310-abi3-macosx_11_0_arm64.macosx_10_9_x86_64', 'py3-none-win_amd64.win32'];
const EXTS = ['.whl', '.whl', '.whl', '.WHL', '.zip', ''];

const random = seededRandom(427);
const HAND = ['foo-bar-1.0-py3-none-any.whl', 'foo-1.0_dev0-py3-none-any.whl', 'foo-1.2.3.whl', 'foo-1.0-py3-none-any.whl',
  'foo\n-1.0-py3-none-any.whl', 'Foo-1.0-1-py3-none-any.whl', 'foo-1.0-1\n2-py3-none-any.whl'];
const FILENAMES = [
  ...HAND,
  ...Array.from({ length: 1500 }, () => {
    let text = `${pick(random, NAMES)}-${pick(random, VERSIONS)}${pick(random, BUILDS)}-${pick(random, TAGS)}${pick(random, EXTS)}`;
    if (chance(random, 0.1)) text = text.replace(/-/, chance(random, 0.5) ? '--' : '');
    return text;
  }),
];
const STRICT_CASES = FILENAMES.flatMap((f) => [[f, false], [f, true]] as const);

let strict: unknown[];
let legacy: unknown[];
beforeAll(() => {
  [strict, legacy] = askPackaging([
    { op: 'wheel', cases: STRICT_CASES },
    { op: 'legacy_wheel', cases: FILENAMES },
  ]) as [unknown[], unknown[]];
});

function attempt(fn: () => WheelFilename): WheelFilename | 'invalid' {
  try {
    return fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidWheelFilename);
    return 'invalid';
  }
}

describe('parseWheelFilename', () => {
  it(`strict: agrees with packaging.utils.parse_wheel_filename on ${STRICT_CASES.length} cases`, () => {
    const mismatches: unknown[] = [];
    STRICT_CASES.forEach(([filename, validateOrder], i) => {
      const ours = attempt(() => parseWheelFilename(filename, { validateOrder }));
      const expected = isOracleError(strict[i]) ? 'invalid' : strict[i];
      const got =
        ours === 'invalid'
          ? 'invalid'
          : { name: ours.name, version: ours.version, build: ours.build, tags: [...ours.tags].sort() };
      if (JSON.stringify(got) !== JSON.stringify(expected)) mismatches.push({ filename, validateOrder, expected, got });
    });
    expect(mismatches).toEqual([]);
    expect(strict.filter((a) => !isOracleError(a)).length).toBeGreaterThan(300);
    expect(strict.filter(isOracleError).length).toBeGreaterThan(300);
  });

  it(`legacy: agrees with pip 23.2.1's Wheel regex on ${FILENAMES.length} names`, () => {
    const mismatches: unknown[] = [];
    FILENAMES.forEach((filename, i) => {
      const ours = attempt(() => parseWheelFilename(filename, { parser: 'legacy' }));
      const answer = legacy[i] as { name: string; version: string; build: string | null; tags: string[] } | { error: string };
      let expected: unknown = 'invalid';
      if (!isOracleError(answer)) {
        const build = answer.build === null ? null : /^(\d+)([^\n]*)/.exec(answer.build);
        expected = {
          name: answer.name,
          version: answer.version,
          build: build === null ? null : [Number(build[1]), build[2]],
          tags: answer.tags,
        };
      }
      const got =
        ours === 'invalid' ? 'invalid' : { name: ours.name, version: ours.version, build: ours.build, tags: [...ours.tags].sort() };
      if (JSON.stringify(got) !== JSON.stringify(expected)) mismatches.push({ filename, expected, got });
    });
    expect(mismatches).toEqual([]);
  });

  it('strict-or-legacy falls back to the regex and says so', () => {
    const parsed = parseWheelFilename('foo-1.0.x-py3-none-any.whl', { parser: 'strict-or-legacy' });
    expect(parsed.parsedBy).toBe('legacy');
    expect(parsed.version).toBe('1.0.x');
    expect(() => parseWheelFilename('foo-1.0.x-py3-none-any.whl')).toThrow(InvalidWheelFilename);
    expect(parseWheelFilename('foo-1.0-py3-none-any.whl', { parser: 'strict-or-legacy' }).parsedBy).toBe('strict');
  });

  it('messages quote the filename and the reason', () => {
    expect(() => parseWheelFilename('foo-1.2.3.whl')).toThrow(
      'The wheel filename "foo-1.2.3.whl" is invalid: wrong number of parts (expected name-version[-build]-python-abi-platform)',
    );
  });
});
