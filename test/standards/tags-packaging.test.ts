// The branches `pip debug` on this Linux machine cannot show (macOS, iOS, Android, Windows, musl,
// other glibc versions and arches, 32-bit, free-threaded, debug, PyPy) and the newer packaging
// rules (abi3t, EXT_SUFFIX generic ABI), checked against the installed packaging (26.2) called
// with explicit arguments, and the 26.3 ordering derived from it.
import { beforeAll, describe, expect, it } from 'vitest';
import type { InterpreterFacts } from '../../src/standards/interpreter-facts.js';
import { supportedTags, tagRulesForPackaging, tagRulesForPip, vendoredPackagingFor } from '../../src/standards/tags.js';
import { androidPlatforms } from '../../src/standards/tags/android.js';
import { iosPlatforms, macPlatforms } from '../../src/standards/tags/apple.js';
import { compatibleTags, cpythonTags, genericTags, type AbiFacts } from '../../src/standards/tags/interpreter-tags.js';
import { linuxPlatforms, type LinuxFacts } from '../../src/standards/tags/linux.js';
import { interpreterFacts, packagingTags, PYTHONS, type PackagingCall } from './oracle-tags/run.js';

const RULES = tagRulesForPackaging('26.2');

/** Runs every call in one Python process and pairs each answer with ours. */
async function compareAll(cases: { call: PackagingCall; ours: () => string[] }[]): Promise<void> {
  const { packaging, results } = await packagingTags(cases.map((c) => c.call));
  expect(packaging).toBe('26.2');
  const mismatches: string[] = [];
  cases.forEach((c, i) => {
    const expected = results[i]!;
    const ours = c.ours();
    if (JSON.stringify(ours) !== JSON.stringify(expected)) {
      mismatches.push(`${JSON.stringify(c.call)}\n  ours (${ours.length}): ${ours.slice(0, 6).join(' ')}\n  packaging (${expected.length}): ${expected.slice(0, 6).join(' ')}`);
    }
  });
  expect(mismatches).toEqual([]);
  expect(results.every((r) => Array.isArray(r))).toBe(true);
}

describe('macOS, iOS and Android platform chains', () => {
  it('match mac_platforms / ios_platforms / android_platforms', async () => {
    const mac: [[number, number], string][] = [
      [[14, 0], 'arm64'], [[15, 2], 'x86_64'], [[11, 0], 'x86_64'], [[11, 3], 'arm64'], [[10, 15], 'x86_64'],
      [[10, 9], 'i386'], [[10, 5], 'ppc64'], [[10, 4], 'ppc64'], [[10, 6], 'ppc'], [[10, 3], 'x86_64'],
      [[10, 16], 'x86_64'], [[10, 0], 'universal2'], [[12, 0], 'intel'], [[9, 0], 'x86_64'],
    ];
    const ios: [[number, number], string][] = [[[17, 2], 'arm64-iphoneos'], [[12, 0], 'x86_64_iphonesimulator'], [[13, 4], 'arm64_iphonesimulator'], [[11, 0], 'arm64_iphoneos']];
    const android: [number, string][] = [[33, 'arm64_v8a'], [21, 'x86-64'], [16, 'armeabi_v7a'], [15, 'x86']];
    await compareAll([
      ...mac.map(([version, arch]) => ({ call: { fn: 'mac_platforms', args: [version, arch] }, ours: () => macPlatforms(version, arch) })),
      ...ios.map(([version, arch]) => ({ call: { fn: 'ios_platforms', args: [version, arch] }, ours: () => iosPlatforms(version, arch) })),
      ...android.map(([api, abi]) => ({ call: { fn: 'android_platforms', args: [api, abi] }, ours: () => androidPlatforms(api, abi) })),
    ]);
  });
});

describe('Linux platforms for other machines', () => {
  it('match _linux_platforms with the glibc / musl / platform / bitness patched', async () => {
    const machines: LinuxFacts[] = [
      { sysconfigPlatform: 'linux-aarch64', is64bit: true, glibcVersion: '2.17', muslVersion: null },
      { sysconfigPlatform: 'linux-x86_64', is64bit: false, glibcVersion: '2.36', muslVersion: null },
      { sysconfigPlatform: 'linux-aarch64', is64bit: false, glibcVersion: '2.31', muslVersion: null },
      { sysconfigPlatform: 'linux-x86_64', is64bit: true, glibcVersion: null, muslVersion: '1.2' },
      { sysconfigPlatform: 'linux-aarch64', is64bit: true, glibcVersion: null, muslVersion: '1.1' },
      { sysconfigPlatform: 'linux-riscv64', is64bit: true, glibcVersion: '2.35', muslVersion: null },
      { sysconfigPlatform: 'linux-s390x', is64bit: true, glibcVersion: '2.28', muslVersion: null },
      { sysconfigPlatform: 'linux-x86_64', is64bit: true, glibcVersion: '2.5', muslVersion: null },
      { sysconfigPlatform: 'linux-ppc64le', is64bit: true, glibcVersion: '2.16', muslVersion: null },
      { sysconfigPlatform: 'linux-armv7l', is64bit: false, glibcVersion: '2.24', muslVersion: null },
      { sysconfigPlatform: 'linux-mips64', is64bit: true, glibcVersion: '2.30', muslVersion: null },
      { sysconfigPlatform: 'linux-x86_64', is64bit: true, glibcVersion: '3.1', muslVersion: null },
      { sysconfigPlatform: 'linux-x86_64', is64bit: true, glibcVersion: '2.40-2024.1', muslVersion: null },
    ];
    await compareAll(
      machines.map((m) => ({
        call: { fn: '_linux_platforms', linux: { platform: m.sysconfigPlatform, is64bit: m.is64bit, glibc: m.glibcVersion?.replace(/-.*/, '') ?? null, musl: m.muslVersion } },
        ours: () => linuxPlatforms(m, RULES),
      })),
    );
  });

  it('puts linux_<arch> first from packaging 26.3 on, and nothing else moves', () => {
    const machine: LinuxFacts = { sysconfigPlatform: 'linux-aarch64', is64bit: false, glibcVersion: '2.28', muslVersion: null };
    const old = linuxPlatforms(machine, RULES);
    const newer = linuxPlatforms(machine, tagRulesForPackaging('26.3'));
    expect(newer.slice(0, 2)).toEqual(['linux_armv8l', 'linux_armv7l']);
    expect(newer.slice(2)).toEqual(old.filter((p) => !p.startsWith('linux_')));
    expect(old.slice(-2)).toEqual(['linux_armv8l', 'linux_armv7l']);
  });
});

describe('interpreter and ABI tags', () => {
  let facts: InterpreterFacts;
  beforeAll(async () => {
    facts = await interpreterFacts(PYTHONS.pyenv);
  });

  function abiFacts(overrides: Partial<AbiFacts>): AbiFacts {
    return { pythonVersion: facts.pythonVersion, debugBuild: false, freeThreaded: false, extSuffix: facts.extSuffix, soabi: facts.soabi, ...overrides };
  }

  it('match cpython_tags / generic_tags / compatible_tags, incl. free-threaded (abi3t) and debug builds', async () => {
    const P = ['manylinux_2_17_x86_64', 'linux_x86_64'];
    const cases: { call: PackagingCall; ours: () => string[] }[] = [];
    const cp = (pythonVersion: number[], abis: string[] | null, config: Record<string, unknown>, over: Partial<AbiFacts>): void => {
      cases.push({
        call: { fn: 'cpython_tags', kwargs: { python_version: pythonVersion, abis, platforms: P }, config },
        ours: () => cpythonTags(pythonVersion, abis, P, abiFacts(over), RULES),
      });
    };
    cp([3, 13], ['cp313t'], {}, {});
    cp([3, 13], ['cp313t', 'cp313'], {}, {});
    cp([3, 13], ['abi3', 'cp313t'], {}, {});
    cp([3, 14], ['cp314', 'cp314t'], {}, {});
    cp([3, 13], null, { Py_GIL_DISABLED: 1 }, { freeThreaded: true });
    cp([3, 12], null, { Py_GIL_DISABLED: 1 }, { freeThreaded: true }); // t only from 3.13
    cp([3, 13], null, { Py_DEBUG: 1 }, { debugBuild: true });
    cp([3, 13], null, { Py_DEBUG: 1, Py_GIL_DISABLED: 1 }, { debugBuild: true, freeThreaded: true });
    cp([3, 7], null, { Py_DEBUG: 1 }, { debugBuild: true });
    cp([3, 7], null, {}, {});
    cp([3, 2], null, {}, {});
    cp([3, 1], null, {}, {});
    cp([2, 7], null, {}, {});
    cp([3], null, {}, {});
    cp([3], ['cp38', 'none'], {}, {});
    cp([3, 12], ['none', 'none', 'abi3'], {}, {});
    cp([3, 10], [], {}, {});

    const generic = (interpreter: string, abis: string[] | null, config: Record<string, unknown>, over: Partial<AbiFacts>): void => {
      cases.push({
        call: { fn: 'generic_tags', args: [interpreter, abis, P], config },
        ours: () => genericTags(interpreter, abis, P, abiFacts(over), RULES),
      });
    };
    generic('pp310', ['pypy310_pp73'], {}, {});
    generic('pp311', null, {}, {}); // the running CPython's EXT_SUFFIX → cp311
    generic('pp310', null, { EXT_SUFFIX: '.pypy310-pp73-x86_64-linux-gnu.so' }, { extSuffix: '.pypy310-pp73-x86_64-linux-gnu.so' });
    generic('graalpy311', null, { EXT_SUFFIX: '.graalpy-311-native-x86_64-linux.so' }, { extSuffix: '.graalpy-311-native-x86_64-linux.so' });
    generic('cp312', null, { EXT_SUFFIX: '.cp312-win_amd64.pyd' }, { extSuffix: '.cp312-win_amd64.pyd' });
    generic('cp313', null, { EXT_SUFFIX: '.cpython-313t-darwin.so' }, { extSuffix: '.cpython-313t-darwin.so' });
    generic('py311', ['none', 'abi3'], {}, {});

    const compat = (pythonVersion: number[], interpreter: string | null): void => {
      cases.push({
        call: { fn: 'compatible_tags', kwargs: { python_version: pythonVersion, interpreter, platforms: P } },
        ours: () => compatibleTags(pythonVersion, interpreter, P),
      });
    };
    compat([3, 13], 'cp313');
    compat([3], null);
    compat([3, 0], 'pp30');
    compat([2, 7], 'cp27');
    await compareAll(cases);
  });

  it("supportedTags with packaging 26.2's rules equals sys_tags() on this machine", async () => {
    const { results } = await packagingTags([{ fn: 'sys_tags' }]);
    expect(supportedTags(facts, '26.2')).toEqual(results[0]);
    expect(results[0]!.length).toBe(914);
  });

  it('puts linux_x86_64 first for pip ≥ 26.3 (packaging 26.3), matching cpython_tags over that platform order', async () => {
    const ours = supportedTags(facts, '26.3');
    const platforms = linuxPlatforms(facts, tagRulesForPackaging('26.2'));
    const reordered = ['linux_x86_64', ...platforms.filter((p) => p !== 'linux_x86_64')];
    const { results } = await packagingTags([
      { fn: 'cpython_tags', kwargs: { python_version: [3, 11], platforms: reordered } },
      { fn: 'compatible_tags', kwargs: { python_version: [3, 11], interpreter: 'cp311', platforms: reordered } },
    ]);
    expect(ours).toEqual([...results[0]!, ...results[1]!]);
    expect(ours[0]).toBe('cp311-cp311-linux_x86_64');
    expect(supportedTags(facts, '26.2.1')[35]).toBe('cp311-cp311-linux_x86_64');
    expect(supportedTags(facts, '26.3.dev0')[0]).toBe('cp311-cp311-linux_x86_64');
  });

  it('builds the running-interpreter list for macOS, Windows, free-threaded and PyPy facts like packaging', async () => {
    const mac: InterpreterFacts = {
      ...facts,
      pythonVersion: [3, 12, 4],
      markers: { ...facts.markers, platform_system: 'Darwin', platform_machine: 'arm64' },
      sysconfigPlatform: 'macosx-11.0-arm64',
      macVersion: '14.2.1',
      glibcVersion: null,
      extSuffix: '.cpython-312-darwin.so',
    };
    const win: InterpreterFacts = {
      ...facts,
      pythonVersion: [3, 12, 0],
      markers: { ...facts.markers, platform_system: 'Windows', platform_machine: 'AMD64' },
      sysconfigPlatform: 'win-amd64',
      glibcVersion: null,
      extSuffix: '.cp312-win_amd64.pyd',
    };
    const freeThreaded: InterpreterFacts = { ...facts, pythonVersion: [3, 13, 1], freeThreaded: true, extSuffix: '.cpython-313t-x86_64-linux-gnu.so' };
    const pypy: InterpreterFacts = {
      ...facts,
      implementationName: 'pypy',
      pythonVersion: [3, 10, 14],
      extSuffix: '.pypy310-pp73-x86_64-linux-gnu.so',
      soabi: 'pypy310-pp73',
    };
    const linuxP = linuxPlatforms(facts, RULES);
    const macP = macPlatforms([14, 2], 'arm64');
    const { results } = await packagingTags([
      { fn: 'cpython_tags', kwargs: { python_version: [3, 12], platforms: macP }, config: { Py_GIL_DISABLED: 0 } },
      { fn: 'compatible_tags', kwargs: { python_version: [3, 12], interpreter: 'cp312', platforms: macP } },
      { fn: 'cpython_tags', kwargs: { python_version: [3, 12], platforms: ['win_amd64'] } },
      { fn: 'compatible_tags', kwargs: { python_version: [3, 12], interpreter: 'cp312', platforms: ['win_amd64'] } },
      { fn: 'cpython_tags', kwargs: { python_version: [3, 13], platforms: linuxP }, config: { Py_GIL_DISABLED: 1 } },
      { fn: 'compatible_tags', kwargs: { python_version: [3, 13], interpreter: 'cp313', platforms: linuxP } },
      { fn: 'generic_tags', args: ['pp310', null, linuxP], config: { EXT_SUFFIX: '.pypy310-pp73-x86_64-linux-gnu.so' } },
      { fn: 'compatible_tags', kwargs: { python_version: [3, 10], interpreter: 'pp310', platforms: linuxP } },
    ]);
    const r = results;
    expect(supportedTags(mac, '26.2')).toEqual([...r[0]!, ...r[1]!]);
    expect(supportedTags(win, '26.2')).toEqual([...r[2]!, ...r[3]!]);
    expect(supportedTags(win, '26.2').length).toBe(42); // the reference's count (§7.2 item 4)
    expect(supportedTags(freeThreaded, '26.2')).toEqual([...r[4]!, ...r[5]!]);
    expect(supportedTags(pypy, '26.2')).toEqual([...r[6]!, ...r[7]!]);
    // packaging 21.3 (pip ≤ 24.0) reads PyPy's ABI from SOABI: the same tag, by another route.
    expect(supportedTags(pypy, '23.2.1')).toEqual([...r[6]!, ...r[7]!]);
    // …but knows no free-threading: cp313 (not cp313t) plus abi3.
    expect(supportedTags(freeThreaded, '23.2.1')[0]).toBe('cp313-cp313-manylinux_2_36_x86_64');
    expect(supportedTags(freeThreaded, '24.1')[0]).toBe('cp313-cp313t-manylinux_2_36_x86_64');
    expect(supportedTags(freeThreaded, '24.1').some((t) => t.includes('-abi3'))).toBe(false);
  });
});

describe('vendored packaging per pip release', () => {
  it('maps pip releases to the packaging they vendor', () => {
    expect(vendoredPackagingFor('23.2.1').packaging).toBe('21.3');
    expect(vendoredPackagingFor('23.0.1').packaging).toBe('21.3');
    expect(vendoredPackagingFor('24.0').packaging).toBe('21.3');
    expect(vendoredPackagingFor('24.1.2').packaging).toBe('24.1');
    expect(vendoredPackagingFor('26.3.dev0').packaging).toBe('26.3');
    expect(tagRulesForPip('26.2.1').linuxFirst).toBe(false);
    expect(tagRulesForPip('26.3').linuxFirst).toBe(true);
  });

  it("agrees with the machine's pips", async () => {
    const { execa } = await import('execa');
    for (const python of Object.values(PYTHONS)) {
      const { stdout } = await execa(python, ['-I', '-c', 'import pip, pip._vendor.packaging as p; print(pip.__version__, p.__version__)'], {
        env: { ...process.env },
        extendEnv: false,
      });
      const [pip, packaging] = stdout.trim().split(' ');
      expect(vendoredPackagingFor(pip!).packaging).toBe(packaging);
    }
  });
});
