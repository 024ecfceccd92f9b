// The ordered tag list pip matches wheels against: pip `utils/compatibility_tags.py:get_supported`
// and `models/target_python.py:TargetPython.get_tags` (what `pip debug --verbose` prints), built on
// packaging.tags: https://packaging.python.org/en/latest/specifications/platform-compatibility-tags/
//
// CPython: cpython_tags then compatible_tags(interpreter=cpXY). Anything else (PyPy, GraalPy, or
// `--implementation pp|py|…`): generic_tags(interpreter=<impl><ver>) then compatible_tags — pip's
// own list has `<impl><ver>-none-any`, not sys_tags' `pp3-none-any`.
// `--platform` replaces the platform list; pip expands only manylinux2014/2010 (to 2010/1),
// macosx_<maj>_<min>_<arch> (the mac chain), ios_… and android_… (pip versions whose packaging
// has them). The order and details follow the packaging release the given pip vendors
// (pip-packaging-versions.ts): linux_ last before packaging 26.3, first from it on.
// Not supported: iOS/Android/Emscripten as the *running* platform (generic sysconfig platform is
// used), pip's variant-wheel experiments.
import type { InterpreterFacts } from '../interpreter-facts.js';
import { androidPlatforms } from './android.js';
import { iosPlatforms, macArch, macPlatforms } from './apple.js';
import { compatibleTags, cpythonTags, genericTags, normalizeTagString, type AbiFacts } from './interpreter-tags.js';
import { linuxPlatforms } from './linux.js';
import { tagRulesForPip, type TagRules } from './pip-packaging-versions.js';
import { parsePythonVersionOption } from './python-version-option.js';

export interface TargetOptions {
  /** `--platform` values (repeatable). */
  platforms?: string[];
  /** `--python-version` as typed ("3", "38", "3.8", "3.12.1"). */
  pythonVersion?: string;
  /** `--implementation` ("cp", "pp", "py", …). */
  implementation?: string;
  /** `--abi` values (repeatable). */
  abis?: string[];
}

const INTERPRETER_SHORT_NAMES: Record<string, string> = {
  python: 'py',
  cpython: 'cp',
  pypy: 'pp',
  ironpython: 'ip',
  jython: 'jy',
};

/** packaging `interpreter_name()`. */
export function interpreterName(facts: Pick<InterpreterFacts, 'implementationName'>): string {
  return INTERPRETER_SHORT_NAMES[facts.implementationName] ?? facts.implementationName;
}

function abiFacts(facts: InterpreterFacts): AbiFacts {
  return {
    pythonVersion: facts.pythonVersion,
    debugBuild: facts.debugBuild,
    freeThreaded: facts.freeThreaded,
    extSuffix: facts.extSuffix,
    soabi: facts.soabi,
  };
}

/** packaging `platform_tags()` for the interpreter pip runs under. */
export function runningPlatforms(facts: InterpreterFacts, rules: TagRules): string[] {
  const system = facts.markers.platform_system;
  if (system === 'Darwin' && facts.macVersion) {
    const [major = 0, minor = 0] = facts.macVersion.split('.').map((part) => Number.parseInt(part, 10) || 0);
    return macPlatforms([major, minor], macArch(facts.markers.platform_machine, facts.is64bit));
  }
  if (system === 'Linux') return linuxPlatforms(facts, rules);
  return [normalizeTagString(facts.sysconfigPlatform, rules)];
}

const APPLE_PLATFORM = /^(.+)_(\d+)_(\d+)_(.+)$/s;

function expandApple(platform: string, prefix: string, chain: (version: [number, number], arch: string) => string[]): string[] {
  const match = APPLE_PLATFORM.exec(platform);
  if (!match) return [platform];
  const [, name, major, minor, arch] = match as unknown as [string, string, string, string, string];
  // pip keeps whatever the user wrote before the version ("macosxcustom_…") as the prefix.
  return chain([Number(major), Number(minor)], arch).map((each) => `${name}_${each.slice(prefix.length)}`);
}

function expandManylinux(platform: string): string[] {
  const underscore = platform.indexOf('_');
  const prefix = underscore < 0 ? platform : platform.slice(0, underscore);
  const suffix = underscore < 0 ? '' : platform.slice(underscore + 1);
  const separator = underscore < 0 ? '' : '_';
  if (prefix === 'manylinux2014') {
    return suffix === 'i686' || suffix === 'x86_64'
      ? [platform, `manylinux2010${separator}${suffix}`, `manylinux1${separator}${suffix}`]
      : [platform];
  }
  if (prefix === 'manylinux2010') return [platform, `manylinux1${separator}${suffix}`];
  return [platform];
}

function expandAndroid(platform: string): string[] {
  const match = /^android_(\d+)_(.+)$/s.exec(platform);
  return match ? androidPlatforms(Number(match[1]), match[2]!) : [platform];
}

/** pip `_get_custom_platforms(arch)`: the platforms one `--platform` value stands for. */
export function expandPlatformOption(platform: string, rules: TagRules): string[] {
  if (platform.startsWith('macosx')) return expandApple(platform, 'macosx_', macPlatforms);
  if (rules.iosPlatformOption && platform.startsWith('ios')) return expandApple(platform, 'ios_', iosPlatforms);
  if (rules.androidPlatformOption && platform.startsWith('android')) return expandAndroid(platform);
  return expandManylinux(platform);
}

/** pip `_expand_allowed_platforms`: expansions in order, each platform once. */
export function expandPlatformOptions(platforms: readonly string[], rules: TagRules): string[] | null {
  if (platforms.length === 0) return null;
  const seen = new Set<string>();
  const result: string[] = [];
  for (const platform of platforms) {
    if (seen.has(platform)) continue;
    const additions = expandPlatformOption(platform, rules).filter((each) => !seen.has(each));
    for (const each of additions) seen.add(each);
    result.push(...additions);
  }
  return result;
}

/** pip `_get_python_version`: "310" → [3, 10], "3" → [3]. */
function pythonVersionFromNodot(nodot: string): number[] {
  return nodot.length > 1 ? [Number(nodot[0]), Number(nodot.slice(1))] : [Number(nodot)];
}

/**
 * pip's `get_supported()` for the target options (`--platform`, `--python-version`,
 * `--implementation`, `--abi`) on the interpreter described by `facts`, as `pipVersion` builds it.
 * Throws PythonVersionOptionError for a `--python-version` pip would reject.
 */
export function targetTags(options: TargetOptions, facts: InterpreterFacts, pipVersion: string): string[] {
  const rules = tagRulesForPip(pipVersion);
  const given = options.pythonVersion === undefined ? null : parsePythonVersionOption(options.pythonVersion);
  // TargetPython.get_tags joins the first two parts ("3.7.3" → "37") and get_supported splits them again.
  const nodot = given === null ? null : given.slice(0, 2).join('');
  const running = facts.pythonVersion;
  const pythonVersion = nodot === null ? [running[0], running[1]] : pythonVersionFromNodot(nodot);
  const implementation = options.implementation || null;
  const interpreter = `${implementation ?? interpreterName(facts)}${nodot ?? `${running[0]}${running[1]}`}`;
  const platforms = expandPlatformOptions(options.platforms ?? [], rules) ?? runningPlatforms(facts, rules);
  const abis = options.abis && options.abis.length > 0 ? options.abis : null;

  const isCpython = (implementation ?? interpreterName(facts)) === 'cp';
  const facts4abi = abiFacts(facts);
  const first = isCpython
    ? cpythonTags(pythonVersion, abis, platforms, facts4abi, rules)
    : genericTags(interpreter, abis, platforms, facts4abi, rules);
  return [...first, ...compatibleTags(pythonVersion, interpreter, platforms)];
}

/** The ordered list pip uses for the running interpreter (no target options): `pip debug --verbose`. */
export function supportedTags(facts: InterpreterFacts, pipVersion: string): string[] {
  return targetTags({}, facts, pipVersion);
}
