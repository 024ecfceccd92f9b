// The launcher's "pip first" hand-off (python/early-pip-loader.py): when the real pip is a script pip
// wrote, the launcher starts that pip's Python before Node, and that Python starts Node, naming in
// SAFE_PIP_LAUNCHER_PIP_FIRST three pipes it shares with it: the decision (Node writes the run it
// adopts the waiting pip for, or closes it), pip's exit status (Node reads) and pip's stdout (Node
// reads, when it asked for it). early-pip.ts adopts or discards it like a pip it started itself.
//
// This module only takes the hand-off, first thing in main() (before the environment is changed,
// so that what the waiting Python was started with is known): it loads nothing else.
//
// Node cannot mark inherited descriptors close-on-exec, so children Node starts before it lets the
// parent go (the interpreter probe) inherit the three pipes too. None of them reads or writes
// them, and the parent reads the decision up to end of file, which comes when Node and they have
// closed it; discardEarlyPip closes Node's ends before Node runs a pip of its own.
//
// The parent also names a fourth pipe (-1 when it sends nothing): the interpreter probe's answer,
// which it computes in its own process while Node starts (interpreter-probe.ts reads it on a cache
// miss, closes it on a hit).
//
// Behind a pyenv shim the launcher starts a Python that starts the shim (as early-pip.ts would,
// behind the placeholder) and Node at once, and names in SAFE_PIP_LAUNCHER_PYENV_FIRST the shim's
// decision pipe (its fd 3), the pipe on which it tells how the shim ended, the shim's stdout when
// that is a pipe to Node (-1 when it is the terminal) and the shim's pid. Node adopts the shim as
// it would a shim it started itself, or lets it go (its fd 3 then comes to an end).

import { closeSync } from 'node:fs';

const PIP_FIRST_VAR = 'SAFE_PIP_LAUNCHER_PIP_FIRST';
const PYENV_FIRST_VAR = 'SAFE_PIP_LAUNCHER_PYENV_FIRST';

export interface PipFirstHandOff {
  /** The pip script the parent will run, or the pyenv shim that was started. */
  realPip: string;
  /** The environment the launcher started Node with (less the hand-off). */
  env: NodeJS.ProcessEnv;
  cwd: string;
  decisionFd: number;
  statusFd: number;
  /** null: pip's stdout is the terminal (a pyenv shim's only). */
  stdoutFd: number | null;
  /** The pyenv shim's pid; null when pip waits in Node's parent. */
  shimPid: number | null;
}

let handOff: PipFirstHandOff | null = null;
let launcherFacts: { fd: number; realPip: string } | null = null;

/** Removes the hand-off variables from env and keeps what they name (see the header). */
export function takePipFirstHandOff(env: NodeJS.ProcessEnv): void {
  const parent = env[PIP_FIRST_VAR];
  const shim = env[PYENV_FIRST_VAR];
  delete env[PIP_FIRST_VAR];
  delete env[PYENV_FIRST_VAR];
  const common = { env: { ...env }, cwd: process.cwd() };
  const fromParent = parent === undefined ? null : /^([0-9]+) ([0-9]+) ([0-9]+) (-1|[0-9]+) (.+)$/s.exec(parent);
  if (fromParent !== null) {
    const realPip = fromParent[5]!;
    handOff = { ...common, realPip, decisionFd: Number(fromParent[1]), statusFd: Number(fromParent[2]), stdoutFd: Number(fromParent[3]), shimPid: null };
    const factsFd = Number(fromParent[4]);
    if (factsFd >= 0) launcherFacts = { fd: factsFd, realPip };
    return;
  }
  const fromShim = shim === undefined ? null : /^([0-9]+) ([0-9]+) (-1|[0-9]+) ([0-9]+) (.+)$/s.exec(shim);
  if (fromShim !== null) {
    const stdoutFd = Number(fromShim[3]);
    handOff = { ...common, realPip: fromShim[5]!, decisionFd: Number(fromShim[1]), statusFd: Number(fromShim[2]), stdoutFd: stdoutFd < 0 ? null : stdoutFd, shimPid: Number(fromShim[4]) };
  }
}

/** The hand-off, once: whoever takes it adopts or discards the waiting pip. */
export function claimPipFirst(): PipFirstHandOff | null {
  const taken = handOff;
  handOff = null;
  return taken;
}

/** Whether a parent pip is waiting for the decision (Node must not start another). */
export function pipFirstWaiting(): boolean {
  return handOff !== null;
}

/**
 * The descriptor on which the parent sends the interpreter probe's answer for realPip, once; null
 * when it sends none, or sends it for another pip (that descriptor is closed then). Whoever
 * claims it closes it.
 */
export function claimLauncherFacts(realPip: string): number | null {
  if (launcherFacts === null || launcherFacts.realPip !== realPip) {
    dropLauncherFacts();
    return null;
  }
  const { fd } = launcherFacts;
  launcherFacts = null;
  return fd;
}

/** Closes the probe's descriptor when nobody claimed it (before Node runs a pip of its own). */
export function dropLauncherFacts(): void {
  if (launcherFacts !== null) closeQuietly(launcherFacts.fd);
  launcherFacts = null;
}

export function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // Already closed.
  }
}
