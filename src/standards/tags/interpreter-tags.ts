// PEP 425 interpreter/ABI tag sequences, as packaging.tags builds them:
// https://packaging.python.org/en/latest/specifications/platform-compatibility-tags/
// Reproduces cpython_tags, generic_tags, compatible_tags, _cpython_abis and _generic_abi of
// packaging 21.3 … 26.3 (the differences are switched by TagRules). Tags are "interp-abi-platform"
// strings, lower-cased like packaging's Tag. Duplicates are kept: pip keeps them too (e.g.
// `--implementation py` yields `py311-none-any` twice), and `pip debug` counts them.
//
// Config variables the running interpreter would supply (Py_DEBUG, Py_GIL_DISABLED, EXT_SUFFIX,
// SOABI) come from InterpreterFacts; WITH_PYMALLOC (< 3.8 only) is assumed on and Py_UNICODE_SIZE
// (< 3.3 only) unknown, i.e. UCS4 — which is what packaging concludes on every supported Python.
import type { TagRules } from './pip-packaging-versions.js';

export type PythonVersion = readonly number[];

/** The ABI-related facts of the interpreter pip runs under (packaging reads them via sysconfig). */
export interface AbiFacts {
  pythonVersion: readonly [number, number, ...number[]];
  debugBuild: boolean;
  freeThreaded: boolean;
  extSuffix: string | null;
  soabi: string | null;
}

function tag(interpreter: string, abi: string, platform: string): string {
  return `${interpreter}-${abi}-${platform}`.toLowerCase();
}

export function versionNodot(version: PythonVersion): string {
  return version.join('');
}

export function normalizeTagString(text: string, rules?: TagRules): string {
  const replaced = text.replace(/[.-]/g, '_');
  // packaging ≥ 22 also replaces spaces (sysconfig platforms such as "macosx-10.9-universal 2" do not exist, but be exact).
  return rules && rules.genericAbiFrom === 'EXT_SUFFIX' ? replaced.replace(/ /g, '_') : replaced;
}

function atLeast(version: PythonVersion, major: number, minor: number): boolean {
  const [a = 0, b = 0] = version;
  return a > major || (a === major && b >= minor);
}

/** packaging `_cpython_abis(py_version)`, with the running interpreter's debug / free-threaded flags. */
export function cpythonAbis(pyVersion: PythonVersion, facts: AbiFacts, rules: TagRules): string[] {
  const version = versionNodot(pyVersion.slice(0, 2));
  const debug = facts.debugBuild ? 'd' : '';
  const threading = rules.freeThreading && atLeast(pyVersion, 3, 13) && facts.freeThreaded ? 't' : '';
  let pymalloc = '';
  let ucs4 = '';
  const abis: string[] = [];
  if (!atLeast(pyVersion, 3, 8)) {
    pymalloc = 'm';
    if (!atLeast(pyVersion, 3, 3)) ucs4 = 'u';
  } else if (debug) {
    abis.push(`cp${version}${threading}`);
  }
  abis.unshift(`cp${version}${threading}${debug}${pymalloc}${ucs4}`);
  return abis;
}

function isThreadedCpython(abis: readonly string[]): boolean {
  const first = abis[0];
  if (first === undefined) return false;
  const match = /^cp\d+(.*)$/s.exec(first);
  return match !== null && match[1]!.includes('t');
}

/** packaging `cpython_tags(python_version, abis, platforms)`; `abis` null means "computed". */
export function cpythonTags(
  pythonVersion: PythonVersion,
  abisOption: readonly string[] | null,
  platforms: readonly string[],
  facts: AbiFacts,
  rules: TagRules,
): string[] {
  const interpreter = `cp${versionNodot(pythonVersion.slice(0, 2))}`;
  const abis = (abisOption ?? (pythonVersion.length > 1 ? cpythonAbis(pythonVersion, facts, rules) : [])).slice();
  // list.remove drops only the first occurrence of each.
  for (const explicit of ['abi3', 'none']) {
    const at = abis.indexOf(explicit);
    if (at >= 0) abis.splice(at, 1);
  }
  const out: string[] = [];
  for (const abi of abis) for (const platform of platforms) out.push(tag(interpreter, abi, platform));

  const stableAbiApplies = pythonVersion.length > 1 && atLeast(pythonVersion, 3, 2);
  const threading = rules.freeThreading && isThreadedCpython(abis);
  const useAbi3 = stableAbiApplies && !threading;
  const useAbi3t = rules.abi3t && stableAbiApplies && threading;

  if (useAbi3) for (const platform of platforms) out.push(tag(interpreter, 'abi3', platform));
  if (useAbi3t) for (const platform of platforms) out.push(tag(interpreter, 'abi3t', platform));
  for (const platform of platforms) out.push(tag(interpreter, 'none', platform));

  if (useAbi3 || useAbi3t) {
    const major = pythonVersion[0]!;
    for (let minor = pythonVersion[1]! - 1; minor > 1; minor--) {
      const older = `cp${major}${minor}`;
      for (const platform of platforms) {
        if (useAbi3) out.push(tag(older, 'abi3', platform));
        if (useAbi3t) out.push(tag(older, 'abi3t', platform));
      }
    }
  }
  return out;
}

/** packaging `_generic_abi()`: SOABI (21.3) or EXT_SUFFIX (≥ 22) of the running interpreter. */
export function genericAbi(facts: AbiFacts, rules: TagRules): string[] {
  if (rules.genericAbiFrom === 'SOABI') {
    return facts.soabi ? [normalizeTagString(facts.soabi, rules)] : [];
  }
  const extSuffix = facts.extSuffix;
  // packaging raises SystemError here; an interpreter without EXT_SUFFIX cannot run pip anyway.
  if (!extSuffix || !extSuffix.startsWith('.')) return [];
  const parts = extSuffix.split('.');
  if (parts.length < 3) return cpythonAbis(facts.pythonVersion.slice(0, 2), facts, rules);
  const soabi = parts[1]!;
  let abi: string;
  if (soabi.startsWith('cpython')) abi = `cp${soabi.split('-')[1] ?? ''}`;
  else if (soabi.startsWith('cp')) abi = soabi.split('-')[0]!;
  else if (soabi.startsWith('pypy')) abi = soabi.split('-').slice(0, 2).join('-');
  else if (soabi.startsWith('graalpy')) abi = soabi.split('-').slice(0, 3).join('-');
  else if (soabi) abi = soabi;
  else return [];
  return [normalizeTagString(abi, rules)];
}

/** packaging `generic_tags(interpreter, abis, platforms)`; `none` is appended when missing. */
export function genericTags(
  interpreter: string,
  abisOption: readonly string[] | null,
  platforms: readonly string[],
  facts: AbiFacts,
  rules: TagRules,
): string[] {
  const abis = (abisOption ?? genericAbi(facts, rules)).slice();
  if (!abis.includes('none')) abis.push('none');
  const out: string[] = [];
  for (const abi of abis) for (const platform of platforms) out.push(tag(interpreter, abi, platform));
  return out;
}

function pyInterpreterRange(pyVersion: PythonVersion): string[] {
  const out: string[] = [];
  if (pyVersion.length > 1) out.push(`py${versionNodot(pyVersion.slice(0, 2))}`);
  out.push(`py${pyVersion[0]!}`);
  if (pyVersion.length > 1) {
    for (let minor = pyVersion[1]! - 1; minor >= 0; minor--) out.push(`py${pyVersion[0]!}${minor}`);
  }
  return out;
}

/** packaging `compatible_tags(python_version, interpreter, platforms)`. */
export function compatibleTags(pythonVersion: PythonVersion, interpreter: string | null, platforms: readonly string[]): string[] {
  const out: string[] = [];
  const range = pyInterpreterRange(pythonVersion);
  for (const version of range) for (const platform of platforms) out.push(tag(version, 'none', platform));
  if (interpreter) out.push(tag(interpreter, 'none', 'any'));
  for (const version of range) out.push(tag(version, 'none', 'any'));
  return out;
}
