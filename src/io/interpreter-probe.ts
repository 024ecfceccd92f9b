// Probing the interpreter the real pip runs under (issue 2 §2, pip-behaviour.md §4.2 and §7):
// which Python it is, its version, marker environment, tag inputs and pip's own version.
//
// Which Python: from the pip script's shebang when it is a Python script (`#!/path/python`,
// `#!/usr/bin/env python3` looked up on PATH, or the `'''exec' "/path/python"` form pip's own
// script launcher writes for long paths); a pyenv shim is first resolved to the pip it would run
// by reading pyenv's selection ourselves (pyenv-shim.ts); otherwise (another wrapper script) the
// pip itself is asked (`pip debug`, the `sys.executable:` line). Not supported: a PIP_PYTHON /
// config `python=` re-exec for a shebang-readable pip (the shebang's Python is reported).
// The facts come from ONE run of that Python with `-I -S` on python/interpreter-probe.py (no
// `site`: no package's .pth file runs; the probe works out what `site` would have set) and are
// cached as JSON under the safe-pip cache dir, keyed on everything that can change them and is
// cheap to look at (issue 12): the real pip's and the interpreter's path, inode, mtime and size,
// pyvenv.cfg next to the interpreter, and for a pyenv shim the selection (PYENV_VERSION, the
// .python-version file or $PYENV_ROOT/version, and the pip it selects). pip's version is read on
// every run from its installed metadata (installed-pip-version.ts), so a pip upgrade needs no new
// probe. A warm run therefore starts no process at all. A cache entry that is unreadable or
// malformed is ignored and rewritten (temp file + rename).
//
// When the launcher started the real pip's Python first (pip-first.ts), that Python has already
// run the same probe in its own process, where `-I` would have changed none of the answers
// (python/early-pip-loader.py), and sent them on a pipe: a cold run then starts no second Python.
import { isPythonInterpreterName, realPipCommand } from './real-pip-command.js';
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { accessSync, closeSync, constants as fsConstants, openSync, readFile as readFd, readFileSync, readSync, statSync } from 'node:fs';
import { mkdir, rename, unlink, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { delimiter, dirname, join } from 'node:path';
import { SafePipError } from '../errors.js';
import { EXIT_NO_REAL_PIP } from '../exit-codes.js';
import { probeFailed } from '../report/messages.js';
import type { InterpreterFacts } from '../standards/interpreter-facts.js';
import { claimLauncherFacts, closeQuietly } from './pip-first.js';
import { guardedEnvironment } from './real-pip-guard.js';
import { installedPipVersion, pipImportDirectories, type PipImportPath } from './installed-pip-version.js';
import { parsePyenvShim, resolvePyenvShim } from './pyenv-shim.js';
import { safePipCacheDir } from './cache-dir.js';
import { takeEarlyProbe, takeLookUp } from './early-probe.js';

const CACHE_FORMAT = 2;
const PROBE_FILE = fileURLToPath(new URL('../../python/interpreter-probe.py', import.meta.url));
/**
 * Runs the probe file (argv[1]) as `__main__`, its code from Python's own bytecode cache
 * (python/__pycache__, kept as for an imported module: valid while the source's mtime and size
 * are): compiling its text took ~4 ms of the probe's ~16 on every cold start. Where that folder
 * cannot be written, the loader compiles the text as `-c` did.
 */
const PROBE_BOOTSTRAP =
  'import sys, _frozen_importlib_external as b; f = sys.argv[1]; exec(b.SourceFileLoader("__main__", f).get_code("__main__"), {"__name__": "__main__", "__file__": f})';
export const PROBE_TIMEOUT_MS = 120_000;

/** The arguments the interpreter runs the probe with. */
export function probeArguments(): string[] {
  return ['-I', '-S', '-c', PROBE_BOOTSTRAP, PROBE_FILE];
}

export interface ProbeOptions {
  env?: NodeJS.ProcessEnv;
  /** Default: safePipCacheDir(env). */
  cacheDir?: string;
  /** The directory pip will run in (pyenv reads .python-version files up from it). Default: process.cwd(). */
  cwd?: string;
  /** Work for Node to do while the probe's Python runs (a cache miss only); its failure is ignored. */
  whileProbing?: () => Promise<unknown>;
}

export interface ProbeResult {
  facts: InterpreterFacts;
  /** 'cache' when the facts came from a valid cache entry, 'probe' when Python was run. */
  source: 'cache' | 'probe';
  cacheFile: string;
}

/** How the real pip's interpreter was found (see the header). */
export interface PipInterpreter {
  python: string;
  /** For a pyenv shim: what pyenv would select and run. */
  pyenv: { root: string; versions: string; origin: string; program: string } | null;
  /** True when the pip had to be asked (`pip debug`): nothing cheaper could tell. */
  askedPip: boolean;
}

export interface CacheEntry {
  key: unknown;
  facts: InterpreterFacts;
  pipImportPath: PipImportPath | null;
}

/** The interpreter facts for the real pip (from the cache when still valid). */
export async function probeInterpreter(realPip: string, options: ProbeOptions = {}): Promise<InterpreterFacts> {
  return (await probeInterpreterWithSource(realPip, options)).facts;
}

export async function probeInterpreterWithSource(realPip: string, options: ProbeOptions = {}): Promise<ProbeResult> {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const cacheDir = options.cacheDir ?? safePipCacheDir(env);
  const { located, keyText, cacheFile, cached } = (takeLookUp(realPip, env, cwd, cacheDir) as LookedUp | undefined) ?? (await lookUp(realPip, env, cwd, cacheDir));
  const launched = claimLauncherFacts(realPip);
  if (cached !== undefined) {
    if (launched !== null) closeQuietly(launched);
    const installed = cached.pipImportPath === null ? undefined : installedPipVersion(pipImportDirectories(cached.pipImportPath, env));
    return { facts: installed === undefined ? cached.facts : { ...cached.facts, pipVersion: installed }, source: 'cache', cacheFile };
  }
  const probe = async (): Promise<ProbeAnswer> => (launched === null ? undefined : await launcherProbe(launched, located.python, realPip, env)) ?? runProbe(located.python, realPip, env);
  // The cache's folder is made while Python runs: on a cold cache, a few folders deep, that was
  // ~3 ms of the main thread after the answer.
  const folder = mkdir(dirname(cacheFile), { recursive: true }).then(
    () => true,
    () => false,
  );
  const [{ facts, pipImportPath }] = await Promise.all([probe(), options.whileProbing?.().catch(() => undefined)]);
  const entry: CacheEntry = { key: JSON.parse(keyText) as unknown, facts, pipImportPath };
  if (await folder) await writeAtomically(cacheFile, JSON.stringify(entry, null, 1));
  return { facts, source: 'probe', cacheFile };
}

/** The pip's interpreter, and its cache entry under a cache folder (`cached`: undefined when none is valid). */
export interface LookedUp {
  located: PipInterpreter;
  keyText: string;
  cacheFile: string;
  cached: CacheEntry | undefined;
}

async function lookUp(realPip: string, env: NodeJS.ProcessEnv, cwd: string, cacheDir: string): Promise<LookedUp> {
  return lookUpCachedFacts(realPip, await locatePipInterpreter(realPip, env, cwd), cacheDir);
}

/** The cache entry for this pip and its interpreter under a cache folder. */
export function lookUpCachedFacts(realPip: string, located: PipInterpreter, cacheDir: string): LookedUp {
  const keyText = JSON.stringify(interpreterCacheKey(realPip, located));
  const cacheFile = cacheFileFor(keyText, cacheDir);
  return { located, keyText, cacheFile, cached: readCacheEntry(cacheFile, keyText) };
}

/** The cache entry for a key (interpreterCacheKey's, as JSON) under a cache folder. */
function cacheFileFor(keyText: string, cacheDir: string): string {
  return join(cacheDir, 'interpreters', `${createHash('sha256').update(keyText).digest('hex').slice(0, 32)}.json`);
}

/**
 * What the cache entry is keyed on: every input that can change the interpreter's facts and is
 * cheap to look at. Exported for the tests, which check that each input changes it.
 */
export function interpreterCacheKey(realPip: string, located: PipInterpreter): unknown {
  const python = located.python;
  const bin = python.slice(0, python.lastIndexOf('/'));
  return {
    format: CACHE_FORMAT,
    pip: fileIdentity(realPip, true),
    pyenv: located.pyenv === null ? null : { ...located.pyenv, program: fileIdentity(located.pyenv.program, false) },
    python: fileIdentity(python, true),
    // A venv's pyvenv.cfg sits next to bin/ (PEP 405), or next to the interpreter.
    pyvenv: [fileIdentity(join(bin, '..', 'pyvenv.cfg'), false), fileIdentity(join(bin, 'pyvenv.cfg'), false)],
  };
}

/** The Python executable the real pip runs under, and how it was found (see the header). */
export async function locatePipInterpreter(realPip: string, env: NodeJS.ProcessEnv, cwd: string): Promise<PipInterpreter> {
  return locateByReading(realPip, env, cwd) ?? { python: await askInterpreter(realPip, env), pyenv: null, askedPip: true };
}

/** The pip's interpreter as its files (and pyenv's) tell; undefined when only running it can. */
export function locateByReading(realPip: string, env: NodeJS.ProcessEnv, cwd: string): PipInterpreter | undefined {
  const head = readHead(realPip);
  const shim = parsePyenvShim(head, realPip);
  if (shim !== undefined) {
    const selected = resolvePyenvShim(shim, env, cwd);
    if (selected === undefined) return undefined;
    // pyenv-exec puts the version's bin first on PATH, which an `env python3` shebang then finds.
    const execEnv = selected.binPath === null ? env : { ...env, PATH: `${selected.binPath}${delimiter}${env.PATH ?? ''}` };
    const python = isPythonInterpreterName(selected.program) ? selected.program : interpreterFromScript(readHead(selected.program), execEnv);
    // A selection only pyenv can make (the shim again): the shim is asked which interpreter it runs.
    if (python === undefined || python.startsWith(`${join(shim.root, 'shims')}/`)) return undefined;
    return { python, pyenv: { root: shim.root, versions: selected.versions, origin: selected.origin, program: selected.program }, askedPip: false };
  }
  if (isPythonInterpreterName(realPip)) return { python: realPip, pyenv: null, askedPip: false };
  const fromScript = interpreterFromScript(head, env);
  return fromScript === undefined ? undefined : { python: fromScript, pyenv: null, askedPip: false };
}

/** The Python executable the real pip runs under (see the header for how it is found). */
export async function findPipInterpreter(realPip: string, env: NodeJS.ProcessEnv, cwd: string = process.cwd()): Promise<string> {
  return (await locatePipInterpreter(realPip, env, cwd)).python;
}

/** `pip debug`'s `sys.executable:` line, or for an interpreter (a python shim) sys.executable. */
async function askInterpreter(realPip: string, env: NodeJS.ProcessEnv): Promise<string> {
  if (isPythonInterpreterName(realPip)) {
    const { stdout } = await capture(realPip, ['-I', '-c', 'import sys; print(sys.executable)'], env).catch((error: unknown) => {
      throw new SafePipError(probeFailed.message(`running ${realPip}`, String(error)), { hint: probeFailed.hint, exitCode: EXIT_NO_REAL_PIP });
    });
    return stdout.trim();
  }
  const { stdout } = await capture(realPip, ['debug'], guardedEnvironment(env)).catch((error: unknown) => {
    throw new SafePipError(probeFailed.message(`\`${realPip} debug\``, String(error)), { hint: probeFailed.hint, exitCode: EXIT_NO_REAL_PIP });
  });
  const match = /^sys\.executable: (.+)$/m.exec(stdout);
  if (match?.[1] === undefined) {
    throw new SafePipError(probeFailed.message(`\`${realPip} debug\``, 'its output has no "sys.executable:" line'), {
      hint: probeFailed.hint,
      exitCode: EXIT_NO_REAL_PIP,
    });
  }
  return match[1].trim();
}

/** The interpreter named by a script's first lines, when the script is plainly a Python script. */
export function interpreterFromScript(head: string, env: NodeJS.ProcessEnv): string | undefined {
  if (!head.startsWith('#!')) return undefined;
  const lines = head.split('\n');
  const words = (lines[0] ?? '').slice(2).trim().split(/\s+/);
  const program = words[0] ?? '';
  const base = program.slice(program.lastIndexOf('/') + 1);
  if (base === 'env') {
    const name = words.slice(1).find((word) => !word.startsWith('-') && !word.includes('='));
    if (name === undefined || !isPythonName(name)) return undefined;
    return name.includes('/') ? name : lookUpOnPath(name, env);
  }
  if (isPythonName(base)) return program;
  if (base === 'sh' || base === 'bash') {
    // pip/distlib's launcher for interpreter paths too long or with spaces for a shebang.
    const exec = /^'''exec' (?:"([^"]+)"|(\S+)) "\$0" "\$@"/.exec(lines[1] ?? '');
    const path = exec?.[1] ?? exec?.[2];
    if (path !== undefined && isPythonName(path.slice(path.lastIndexOf('/') + 1))) return path;
  }
  return undefined;
}

function isPythonName(base: string): boolean {
  return /^(python|pypy|graalpy)[0-9.]*[a-z]?(\.exe)?$/.test(base);
}

function lookUpOnPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  // The first PATH directory with an executable of that name wins, as env(1) does.
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir === '' ? '.' : dir, name);
    if (isExecutableSync(candidate)) return candidate;
  }
  return undefined;
}

function isExecutableSync(path: string): boolean {
  try {
    accessSync(path, fsConstants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function readHead(path: string): string {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw new SafePipError(probeFailed.message(`reading ${path}`, String(error)), { hint: probeFailed.hint, exitCode: EXIT_NO_REAL_PIP });
  }
  try {
    const buffer = Buffer.alloc(1024);
    return buffer.subarray(0, readSync(fd, buffer, 0, buffer.length, 0)).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** Path, inode, mtime and size (of the file a symlink leads to); null for a missing optional file. */
function fileIdentity(path: string, required: boolean): { path: string; dev: number; ino: number; mtimeMs: number; size: number } | null {
  let stats;
  try {
    stats = statSync(path);
  } catch (error) {
    if (!required) return null;
    throw new SafePipError(probeFailed.message(`looking at ${path}`, String(error)), { hint: probeFailed.hint, exitCode: EXIT_NO_REAL_PIP });
  }
  return { path, dev: stats.dev, ino: stats.ino, mtimeMs: stats.mtimeMs, size: stats.size };
}

function readCacheEntry(file: string, keyText: string): CacheEntry | undefined {
  try {
    // Looked for first: a cold cache has none, and a failed read costs an error object.
    if (statSync(file, { throwIfNoEntry: false }) === undefined) return undefined;
    const entry = JSON.parse(readFileSync(file, 'utf8')) as Partial<CacheEntry>;
    if (JSON.stringify(entry.key) !== keyText || !isInterpreterFacts(entry.facts)) return undefined;
    const pipImportPath = isPipImportPath(entry.pipImportPath) ? entry.pipImportPath : null;
    return { key: entry.key, facts: entry.facts, pipImportPath };
  } catch {
    return undefined;
  }
}

/** Writes `file`, whose folder exists, through a temporary file. */
async function writeAtomically(file: string, text: string): Promise<void> {
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temp, text);
    await rename(temp, file);
  } catch {
    // A cache that cannot be written only costs a probe next time.
    await unlink(temp).catch(() => undefined);
  }
}

interface ProbeAnswer {
  facts: InterpreterFacts;
  pipImportPath: PipImportPath | null;
}

async function runProbe(python: string, realPip: string, env: NodeJS.ProcessEnv): Promise<ProbeAnswer> {
  const failed = (error: unknown): never => {
    throw new SafePipError(probeFailed.message(`running ${python}`, String(error)), { hint: probeFailed.hint, exitCode: EXIT_NO_REAL_PIP });
  };
  // The same probe started before the bundle loaded (early-probe.ts), when it ran as this one
  // would; its failure is not reported: this one runs and says why. Without one, Python is
  // started before the first await, so that it runs while the caller's whileProbing holds the thread.
  const early = takeEarlyProbe(python, probeArguments(), env, process.cwd(), PROBE_TIMEOUT_MS);
  const stdout = (early === undefined ? undefined : await early) ?? (await capture(python, probeArguments(), env).catch(failed)).stdout;
  return probeAnswer(stdout, python, realPip, env);
}

/** The answer the launcher's Python sent on fd (see the header), or undefined when it sent none that holds. */
async function launcherProbe(fd: number, python: string, realPip: string, env: NodeJS.ProcessEnv): Promise<ProbeAnswer | undefined> {
  const text = await new Promise<string>((resolve) => {
    readFd(fd, 'utf8', (error, data) => {
      closeQuietly(fd);
      resolve(error === null ? data : '');
    });
  });
  return text === '' ? undefined : probeAnswer(text, python, realPip, env).catch(() => undefined);
}

/** The probe's printed answer, checked and completed with pip's version (see the header). */
async function probeAnswer(stdout: string, python: string, realPip: string, env: NodeJS.ProcessEnv): Promise<ProbeAnswer> {
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(stdout) as Record<string, unknown>;
  } catch {
    throw new SafePipError(probeFailed.message(`running ${python}`, `it printed no JSON: ${JSON.stringify(stdout.slice(0, 200))}`), {
      hint: probeFailed.hint,
      exitCode: EXIT_NO_REAL_PIP,
    });
  }
  const { pipImportPath: rawImportPath, ...facts } = parsed;
  const pipImportPath = isPipImportPath(rawImportPath) ? rawImportPath : null;
  // The metadata the real pip (run without -I) imports from wins; then what `-I` imported; then,
  // for a pip where neither looks (an egg, a .pth path), the pip itself.
  const installed = pipImportPath === null ? undefined : installedPipVersion(pipImportDirectories(pipImportPath, env));
  if (installed !== undefined) facts.pipVersion = installed;
  if (facts.pipVersion === null) facts.pipVersion = await pipVersionFromPip(realPip, env);
  if (!isInterpreterFacts(facts)) {
    throw new SafePipError(probeFailed.message(`running ${python}`, 'its answer is incomplete'), { hint: probeFailed.hint, exitCode: EXIT_NO_REAL_PIP });
  }
  return { facts, pipImportPath };
}

function isPipImportPath(value: unknown): value is PipImportPath {
  if (typeof value !== 'object' || value === null) return false;
  const path = value as Record<string, unknown>;
  return (
    (path.userSite === null || typeof path.userSite === 'string') &&
    Array.isArray(path.sitePackages) &&
    path.sitePackages.every((dir) => typeof dir === 'string') &&
    typeof path.pythonVersion === 'string'
  );
}

async function pipVersionFromPip(realPip: string, env: NodeJS.ProcessEnv): Promise<string | null> {
  const command = realPipCommand(realPip);
  const result = await capture(command.file, [...command.prefix, '--version'], guardedEnvironment(env)).catch(() => undefined);
  return /^pip (\S+)/.exec(result?.stdout ?? '')?.[1] ?? null;
}

function capture(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ stdout: string }> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { env, timeout: PROBE_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 }, (error, stdout) => {
      if (error === null) resolve({ stdout });
      else reject(error);
    });
  });
}

function isInterpreterFacts(value: unknown): value is InterpreterFacts {
  if (typeof value !== 'object' || value === null) return false;
  const facts = value as Record<string, unknown>;
  const strings = ['executable', 'implementationName', 'sysconfigPlatform', 'prefix', 'basePrefix', 'pipVersion'];
  const nullableStrings = ['extSuffix', 'soabi', 'glibcVersion', 'muslVersion', 'macVersion'];
  const booleans = ['freeThreaded', 'debugBuild', 'is64bit'];
  const markerKeys = [
    'implementation_name', 'implementation_version', 'os_name', 'platform_machine', 'platform_release',
    'platform_system', 'platform_version', 'python_full_version', 'platform_python_implementation',
    'python_version', 'sys_platform',
  ];
  const markers = facts.markers as Record<string, unknown> | null | undefined;
  return (
    strings.every((k) => typeof facts[k] === 'string') &&
    nullableStrings.every((k) => facts[k] === null || typeof facts[k] === 'string') &&
    booleans.every((k) => typeof facts[k] === 'boolean') &&
    Array.isArray(facts.pythonVersion) &&
    facts.pythonVersion.length === 3 &&
    facts.pythonVersion.every((n) => Number.isInteger(n)) &&
    typeof markers === 'object' &&
    markers !== null &&
    markerKeys.every((k) => typeof markers[k] === 'string')
  );
}
