// Differential tests: the tag lists safe-pip computes against what the real pip prints with
// `pip debug --verbose [--platform …] [--python-version …] [--implementation …] [--abi …]`, for the
// two pips on this machine (23.2.1 under pyenv's python3, 23.0.1 under Debian's /usr/bin/python3).
import { beforeAll, describe, expect, it } from 'vitest';
import type { InterpreterFacts } from '../../src/standards/interpreter-facts.js';
import { parsePythonVersionOption, PythonVersionOptionError, supportedTags, tagPriority, targetTags, type TargetOptions } from '../../src/standards/tags.js';
import { interpreterFacts, pipDebugTags, PYTHONS, runOracle } from './oracle-tags/run.js';

const PLATFORM_SETS: string[][] = [
  ['manylinux2014_x86_64'],
  ['manylinux_2_28_aarch64'],
  ['musllinux_1_2_x86_64'],
  ['macosx_11_0_arm64'],
  ['macosx_10_9_x86_64'],
  ['win_amd64'],
  ['linux_x86_64'],
  ['manylinux2014_x86_64', 'musllinux_1_2_x86_64', 'linux_x86_64'],
  ['manylinux2010_x86_64', 'manylinux2014_x86_64', 'manylinux1_x86_64'],
  ['macosx_14_0_arm64', 'macosx_10_9_x86_64', 'macosx_12_0_arm64'],
  ['manylinux2010_i686'],
  ['manylinux2014_aarch64'],
  ['Win_AMD64'],
  ['macosx_10_16_x86_64'],
  ['macosxcustom_10_9_x86_64'],
  ['ios_17_0_arm64_iphoneos'],
  ['android_24_arm64_v8a'],
];
const PYTHON_VERSIONS = ['3', '3.8', '38', '310', '3.12.1', '3.13', '3.7', '3.1', '2.7', '3.0', ''];
const IMPLEMENTATIONS = ['cp', 'pp', 'py'];
const ABI_SETS: string[][] = [['cp38'], ['abi3'], ['none'], ['cp313t'], ['cp38', 'abi3', 'none'], ['CP39']];

function toArgs(options: TargetOptions): string[] {
  const args: string[] = [];
  for (const platform of options.platforms ?? []) args.push('--platform', platform);
  if (options.pythonVersion !== undefined) args.push('--python-version', options.pythonVersion);
  if (options.implementation !== undefined) args.push('--implementation', options.implementation);
  for (const abi of options.abis ?? []) args.push('--abi', abi);
  return args;
}

function optionMatrix(): TargetOptions[] {
  const cases: TargetOptions[] = [{}];
  for (const platforms of PLATFORM_SETS) cases.push({ platforms });
  for (const pythonVersion of PYTHON_VERSIONS) cases.push({ pythonVersion });
  for (const implementation of IMPLEMENTATIONS) cases.push({ implementation });
  for (const abis of ABI_SETS) cases.push({ abis });
  // Combinations, each with a small platform list so the lists stay readable in a failure diff.
  for (const pythonVersion of ['3', '38', '3.13', '310']) {
    for (const implementation of IMPLEMENTATIONS) {
      cases.push({ pythonVersion, implementation, platforms: ['manylinux2014_x86_64'] });
      for (const abis of ABI_SETS) cases.push({ pythonVersion, implementation, abis, platforms: ['win_amd64'] });
    }
  }
  cases.push({ pythonVersion: '3.13', abis: ['cp313t'], platforms: ['macosx_11_0_arm64', 'linux_x86_64'] });
  cases.push({ pythonVersion: '3.12.1', implementation: 'pp', platforms: ['musllinux_1_2_x86_64', 'macosx_10_9_x86_64'] });
  return cases;
}

for (const [label, python] of Object.entries(PYTHONS)) {
  describe(`tags against ${python} -m pip debug --verbose`, () => {
    let facts: InterpreterFacts;
    const cases = optionMatrix();
    let results: Awaited<ReturnType<typeof pipDebugTags>>;

    beforeAll(async () => {
      facts = await interpreterFacts(python);
      results = await pipDebugTags(python, cases.map(toArgs));
    });

    it(`${label}: the running interpreter's list matches exactly (order and count)`, () => {
      const pip = results[0]!;
      expect(pip.exit).toBe(0);
      expect(pip.count).toBe(pip.tags.length);
      const ours = supportedTags(facts, facts.pipVersion);
      expect(ours).toEqual(pip.tags);
      // The machine facts the reference records (§7.1): glibc 2.36 x86_64, linux_ last, 914 tags.
      expect(ours.length).toBe(914);
      expect(ours[35]).toBe('cp311-cp311-linux_x86_64');
    });

    it(`${label}: ${cases.length - 1} combinations of --platform/--python-version/--implementation/--abi`, () => {
      expect(results.length).toBe(cases.length);
      const mismatches: string[] = [];
      cases.forEach((options, i) => {
        const pip = results[i]!;
        expect(pip.exit, `pip failed for ${toArgs(options).join(' ')}: ${pip.stderr}`).toBe(0);
        expect(pip.count).toBe(pip.tags.length);
        const ours = targetTags(options, facts, facts.pipVersion);
        if (JSON.stringify(ours) !== JSON.stringify(pip.tags)) {
          mismatches.push(`${toArgs(options).join(' ')}: ours ${ours.length} [${ours.slice(0, 4).join(', ')} …], pip ${pip.count} [${pip.tags.slice(0, 4).join(', ')} …]`);
        }
      });
      expect(mismatches).toEqual([]);
    });
  });
}

describe('--python-version parsing against pip', () => {
  const VALUES = ['3', '37', '3.7', '310', '3.7.3', '3.10', '', '3.x', '3.7.3.1', 'x', '3.', '.7', ' 3.7', '3. 7', '1_0', '3.1_1', '+3.7', '-3', '3.-1', '٣', '3..7', '10', '3.7.3.'];

  it('agrees with cmdoptions._convert_python_version on every value (both pips)', async () => {
    for (const python of Object.values(PYTHONS)) {
      const pip = await runOracle<{ versions: { info: number[] | null; error: string | null }[] }>(python, 'pip_wheel_priority.py', {
        versions: VALUES,
      });
      VALUES.forEach((value, i) => {
        const expected = pip.versions[i]!;
        if (value === '٣') return; // Python's int() takes any Unicode digit; we deliberately do not.
        if (expected.error !== null) {
          let thrown: unknown;
          try {
            parsePythonVersionOption(value);
          } catch (error) {
            thrown = error;
          }
          expect(thrown, `value ${JSON.stringify(value)}`).toBeInstanceOf(PythonVersionOptionError);
          expect((thrown as PythonVersionOptionError).pipMessage).toContain(expected.error);
        } else {
          expect(parsePythonVersionOption(value), `value ${JSON.stringify(value)}`).toEqual(expected.info);
        }
      });
    }
  });

  it("reproduces pip's error text", async () => {
    const bad = ['3.x', '3.7.3.1', "3'7"];
    const results = await pipDebugTags(PYTHONS.pyenv, bad.map((value) => ['--python-version', value]));
    bad.forEach((value, i) => {
      const pip = results[i]!;
      expect(pip.exit).toBe(2);
      const pipText = pip.stderr.replace(/\s+/g, ' ');
      let message = '';
      try {
        parsePythonVersionOption(value);
      } catch (error) {
        message = (error as PythonVersionOptionError).pipMessage;
      }
      expect(pipText).toContain(`--python-version error: ${message}`);
      expect(message).not.toBe('');
    });
  });
});

describe('tagPriority against pip models/wheel.py', () => {
  it("gives pip's support_index_min for compatible wheels and null for the rest", async () => {
    const facts = await interpreterFacts(PYTHONS.pyenv);
    const supported = supportedTags(facts, facts.pipVersion);
    const filenames = [
      'a-1.0-py3-none-any.whl',
      'a-1.0-py2.py3-none-any.whl',
      'a-1.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl',
      'a-1.0-cp311-cp311-linux_x86_64.whl',
      'a-1.0-cp39-abi3-manylinux_2_28_x86_64.whl',
      'a-1.0-cp312-cp312-manylinux_2_17_x86_64.whl',
      'a-1.0-cp311-cp311-win_amd64.whl',
      'a-1.0-cp311-cp311-musllinux_1_1_x86_64.whl',
      'a-1.0-py2-none-any.whl',
      'a-1.0-1-cp311-none-any.whl',
      'a-1.0-CP311-CP311-MANYLINUX1_X86_64.whl',
      'a-1.0-cp36.cp311-abi3.cp311-manylinux_2_5_x86_64.manylinux1_x86_64.whl',
    ];
    const pip = await runOracle<{ priorities: (number | null)[] }>(PYTHONS.pyenv, 'pip_wheel_priority.py', { supported, filenames });
    const ours = filenames.map((filename) => {
      const parts = filename.slice(0, -'.whl'.length).split('-');
      return tagPriority([parts.slice(-3).join('-')], supported);
    });
    expect(ours).toEqual(pip.priorities);
    expect(ours.filter((p) => p === null).length).toBeGreaterThanOrEqual(3);
  });

  it('expands compressed tag sets and takes the best of several tags', () => {
    const supported = ['cp311-cp311-linux_x86_64', 'py3-none-any', 'py2-none-any'];
    expect(tagPriority(['py2.py3-none-any'], supported)).toBe(1);
    expect(tagPriority(['py2-none-any', 'cp311-cp311-linux_x86_64'], supported)).toBe(0);
    expect(tagPriority(['cp310-cp310-linux_x86_64'], supported)).toBeNull();
    expect(tagPriority([], supported)).toBeNull();
  });
});
