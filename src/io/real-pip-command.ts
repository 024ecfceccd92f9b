// The real pip is either a pip executable or, for `python -m pip` routed through the shell
// integration (SAFE_PIP_REAL_PYTHON), a Python interpreter that must be run as `python -m pip`.
// One convention for every place that starts it: a real pip whose name is a Python interpreter's.
export const REAL_PYTHON_VAR = 'SAFE_PIP_REAL_PYTHON';

export function isPythonInterpreterName(path: string): boolean {
  const base = path.slice(path.lastIndexOf('/') + 1);
  return /^(python|pypy|graalpy)[0-9.]*[a-z]?(\.exe)?$/.test(base);
}

/** The program and leading arguments that run the real pip. */
export function realPipCommand(realPip: string): { file: string; prefix: string[] } {
  return isPythonInterpreterName(realPip) ? { file: realPip, prefix: ['-m', 'pip'] } : { file: realPip, prefix: [] };
}
