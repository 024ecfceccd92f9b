// Probing the interpreter the real pip runs under (issue 2 §2, pip-behaviour.md §4.2 and §7):
// which Python it is, its version, marker environment, tag inputs and pip's own version.
//
// Which Python: from the pip script's shebang when it is a Python script (`#!/path/python`,
// `#!/usr/bin/env python3` looked up on PATH, or the `'''exec' "/path/python"` form pip's own
// script launcher writes for long paths); otherwise (e.g. a pyenv shim, a bash script) the pip
// itself is asked (`pip debug`, the `sys.executable:` line). Not supported: a PIP_PYTHON / config
// `python=` re-exec for a shebang-readable pip (the shebang's Python is reported).
// The facts come from ONE run of that Python with `-I -c <PROBE_SCRIPT>` and are cached as JSON
// under the safe-pip cache dir, keyed on the pip and interpreter paths, mtimes and sizes; a cache
// entry that is unreadable or malformed is ignored and rewritten (temp file + rename).
import { isPythonInterpreterName, realPipCommand } from './real-pip-command.js';
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { accessSync, constants as fsConstants, statSync } from 'node:fs';
import { mkdir, open, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { delimiter, isAbsolute, join } from 'node:path';
import { SafePipError } from '../errors.js';
import { EXIT_NO_REAL_PIP } from '../exit-codes.js';
import { probeFailed } from '../report/messages.js';
import type { InterpreterFacts } from '../standards/interpreter-facts.js';
import { PROBE_SCRIPT } from './interpreter-probe-script.js';
import { guardedEnvironment } from './real-pip-guard.js';

const CACHE_FORMAT = 1;
const PROBE_TIMEOUT_MS = 120_000;

export interface ProbeOptions {
  env?: NodeJS.ProcessEnv;
  /** Default: safePipCacheDir(env). */
  cacheDir?: string;
}

export interface ProbeResult {
  facts: InterpreterFacts;
  /** 'cache' when the facts came from a valid cache entry, 'probe' when Python was run. */
  source: 'cache' | 'probe';
  cacheFile: string;
}

/** `$SAFE_PIP_CACHE_DIR`, else `$XDG_CACHE_HOME/safe-pip`, else `~/.cache/safe-pip`. */
export function safePipCacheDir(env: NodeJS.ProcessEnv): string {
  if (env.SAFE_PIP_CACHE_DIR) return env.SAFE_PIP_CACHE_DIR;
  if (env.XDG_CACHE_HOME && isAbsolute(env.XDG_CACHE_HOME)) return join(env.XDG_CACHE_HOME, 'safe-pip');
  return join(homedir(), '.cache', 'safe-pip');
}

/** The interpreter facts for the real pip (from the cache when still valid). */
export async function probeInterpreter(realPip: string, options: ProbeOptions = {}): Promise<InterpreterFacts> {
  return (await probeInterpreterWithSource(realPip, options)).facts;
}

export async function probeInterpreterWithSource(realPip: string, options: ProbeOptions = {}): Promise<ProbeResult> {
  const env = options.env ?? process.env;
  const python = await findPipInterpreter(realPip, env);
  const key = { format: CACHE_FORMAT, pip: await fileIdentity(realPip), python: await fileIdentity(python) };
  const keyText = JSON.stringify(key);
  const cacheFile = join(
    options.cacheDir ?? safePipCacheDir(env),
    'interpreters',
    `${createHash('sha256').update(keyText).digest('hex').slice(0, 32)}.json`,
  );
  const cached = await readCacheEntry(cacheFile, keyText);
  if (cached !== undefined) return { facts: cached, source: 'cache', cacheFile };
  const facts = await runProbe(python, realPip, env);
  await writeAtomically(cacheFile, JSON.stringify({ key, facts }, null, 1));
  return { facts, source: 'probe', cacheFile };
}

/** The Python executable the real pip runs under (see the header for how it is found). */
export async function findPipInterpreter(realPip: string, env: NodeJS.ProcessEnv): Promise<string> {
  if (isPythonInterpreterName(realPip)) return realPip;
  const fromScript = interpreterFromScript(await readHead(realPip), env);
  if (fromScript !== undefined) return fromScript;
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

async function readHead(path: string): Promise<string> {
  const handle = await open(path, 'r').catch((error: unknown) => {
    throw new SafePipError(probeFailed.message(`reading ${path}`, String(error)), { hint: probeFailed.hint, exitCode: EXIT_NO_REAL_PIP });
  });
  try {
    const buffer = Buffer.alloc(1024);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}

async function fileIdentity(path: string): Promise<{ path: string; mtimeMs: number; size: number }> {
  try {
    const stats = await stat(path);
    return { path, mtimeMs: stats.mtimeMs, size: stats.size };
  } catch (error) {
    throw new SafePipError(probeFailed.message(`looking at ${path}`, String(error)), { hint: probeFailed.hint, exitCode: EXIT_NO_REAL_PIP });
  }
}

async function readCacheEntry(file: string, keyText: string): Promise<InterpreterFacts | undefined> {
  try {
    const entry = JSON.parse(await readFile(file, 'utf8')) as { key?: unknown; facts?: unknown };
    if (JSON.stringify(entry.key) !== keyText || !isInterpreterFacts(entry.facts)) return undefined;
    return entry.facts;
  } catch {
    return undefined;
  }
}

async function writeAtomically(file: string, text: string): Promise<void> {
  const dir = file.slice(0, file.lastIndexOf('/'));
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(temp, text);
    await rename(temp, file);
  } catch {
    // A cache that cannot be written only costs a probe next time.
    await unlink(temp).catch(() => undefined);
  }
}

async function runProbe(python: string, realPip: string, env: NodeJS.ProcessEnv): Promise<InterpreterFacts> {
  const { stdout } = await capture(python, ['-I', '-c', PROBE_SCRIPT], env).catch((error: unknown) => {
    throw new SafePipError(probeFailed.message(`running ${python}`, String(error)), { hint: probeFailed.hint, exitCode: EXIT_NO_REAL_PIP });
  });
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(stdout) as Record<string, unknown>;
  } catch {
    throw new SafePipError(probeFailed.message(`running ${python}`, `it printed no JSON: ${JSON.stringify(stdout.slice(0, 200))}`), {
      hint: probeFailed.hint,
      exitCode: EXIT_NO_REAL_PIP,
    });
  }
  // pip installed where `-I` does not look (the user site): ask the pip itself.
  if (parsed.pipVersion === null) parsed.pipVersion = await pipVersionFromPip(realPip, env);
  if (!isInterpreterFacts(parsed)) {
    throw new SafePipError(probeFailed.message(`running ${python}`, 'its answer is incomplete'), { hint: probeFailed.hint, exitCode: EXIT_NO_REAL_PIP });
  }
  return parsed;
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
