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

const PIP_FIRST_VAR = 'SAFE_PIP_LAUNCHER_PIP_FIRST';

export interface PipFirstHandOff {
  /** The pip script the parent will run. */
  realPip: string;
  /** The environment the parent was started with (Node's, less the hand-off). */
  env: NodeJS.ProcessEnv;
  cwd: string;
  decisionFd: number;
  statusFd: number;
  stdoutFd: number;
}

let handOff: PipFirstHandOff | null = null;

/** Removes the hand-off variable from env and keeps what it names (see the header). */
export function takePipFirstHandOff(env: NodeJS.ProcessEnv): void {
  const value = env[PIP_FIRST_VAR];
  delete env[PIP_FIRST_VAR];
  const parsed = value === undefined ? null : /^([0-9]+) ([0-9]+) ([0-9]+) (.+)$/s.exec(value);
  if (parsed === null) return;
  handOff = {
    realPip: parsed[4]!,
    env: { ...env },
    cwd: process.cwd(),
    decisionFd: Number(parsed[1]),
    statusFd: Number(parsed[2]),
    stdoutFd: Number(parsed[3]),
  };
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
