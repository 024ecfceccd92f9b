// Finding the real pip (issue 2 §2). The search is implemented once, in POSIX sh, in the
// launcher (bin/safe-pip, `safe_pip_find_real_pip`): SAFE_PIP_REAL_PIP if usable, else the first
// `pip`/`pip3` on PATH (pip3 first when invoked as pip3) that is not a safe-pip launcher — any
// file carrying the launcher marker on its second line, reached through symlinks or not.
// This module takes the launcher's answer (handed over in SAFE_PIP_LAUNCHER_REAL_PIP, removed
// from the environment at once so the real pip never sees it), or asks the same sh code
// (`sh bin/safe-pip --which-real-pip <name>`) when Node was started some other way, and turns
// "nothing found" into a message that names what was searched and how to fix it.
import { execFile } from 'node:child_process';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { delimiter } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SafePipError } from '../errors.js';
import { EXIT_NO_REAL_PIP } from '../exit-codes.js';
import { badRealPipOverride, noRealPip } from '../report/messages.js';
import { assertBelowDepthLimit } from './real-pip-guard.js';

export const LAUNCHER_HAND_OFF_VAR = 'SAFE_PIP_LAUNCHER_REAL_PIP';
export const REAL_PIP_OVERRIDE_VAR = 'SAFE_PIP_REAL_PIP';
/** The second line of every launcher; how the search recognises safe-pip in any copy. */
export const LAUNCHER_MARKER = '# safe-pip-launcher:';

const LAUNCHER = fileURLToPath(new URL('../../bin/safe-pip', import.meta.url));

export type PipName = 'pip' | 'pip3';

/**
 * Removes the launcher's hand-off from env and returns it: the real pip's path, '' when the
 * launcher searched and found none, undefined when Node was not started by the launcher.
 */
export function takeLauncherHandOff(env: NodeJS.ProcessEnv): string | undefined {
  const value = env[LAUNCHER_HAND_OFF_VAR];
  delete env[LAUNCHER_HAND_OFF_VAR];
  return value;
}

/** Asks the sh launcher's search: the real pip's path, or undefined when none is found. */
export function searchRealPip(name: PipName, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    execFile('/bin/sh', [LAUNCHER, '--which-real-pip', name], { env }, (error, stdout) => {
      if (error === null) resolve(stdout.replace(/\n$/, ''));
      else if (error.code === EXIT_NO_REAL_PIP) resolve(undefined);
      else reject(error);
    });
  });
}

export interface FindRealPipOptions {
  /** Which name to prefer (pip3 when the user typed pip3). */
  name?: PipName;
  env?: NodeJS.ProcessEnv;
  /** The launcher's answer (see takeLauncherHandOff); undefined to search now. */
  handOff?: string | undefined;
}

/** The real pip to run, or a SafePipError (EXIT_NO_REAL_PIP) that says why there is none. */
export async function findRealPip(options: FindRealPipOptions = {}): Promise<string> {
  const env = options.env ?? process.env;
  const name = options.name ?? 'pip';
  const found = options.handOff !== undefined ? options.handOff || undefined : await searchRealPip(name, env);
  assertBelowDepthLimit(env, found);
  if (found !== undefined) return found;
  const override = env[REAL_PIP_OVERRIDE_VAR];
  if (override !== undefined && override !== '') {
    throw new SafePipError(badRealPipOverride.message(override, overrideProblem(override)), {
      hint: badRealPipOverride.hint,
      exitCode: EXIT_NO_REAL_PIP,
    });
  }
  const names: PipName[] = name === 'pip3' ? ['pip3', 'pip'] : ['pip', 'pip3'];
  const dirs = (env.PATH ?? '').split(delimiter);
  throw new SafePipError(noRealPip.message(names, env.PATH === undefined || env.PATH === '' ? [] : dirs), {
    hint: noRealPip.hint,
    exitCode: EXIT_NO_REAL_PIP,
  });
}

function overrideProblem(path: string): string {
  let stats;
  try {
    stats = statSync(path);
  } catch {
    return badRealPipOverride.missing;
  }
  if (!stats.isFile()) return badRealPipOverride.notFile;
  if ((stats.mode & 0o111) === 0) return badRealPipOverride.notExecutable;
  if (isLauncher(path)) return badRealPipOverride.isLauncher;
  // The sh test failed for a reason stat does not show (e.g. no execute permission for this user).
  return badRealPipOverride.notExecutable;
}

/** True when the file is one of safe-pip's launchers (the marker on its second line). */
export function isLauncher(path: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const buffer = Buffer.alloc(512);
    const length = readSync(fd, buffer, 0, buffer.length, 0);
    const second = buffer.subarray(0, length).toString('latin1').split('\n')[1] ?? '';
    return second.startsWith(LAUNCHER_MARKER);
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
