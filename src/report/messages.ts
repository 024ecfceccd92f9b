// Wording of safe-pip's own messages about finding, probing and running the real pip, and of the
// top-level error report. Kept here so every user-facing sentence lives in src/report/.

/** `safe-pip: error: …` plus an optional `hint: …` line, as main.ts prints a SafePipError. */
export function formatError(message: string, hint: string | undefined): string {
  return `safe-pip: error: ${message}\n${hint === undefined ? '' : `hint: ${hint}\n`}`;
}

export function internalErrorMessage(error: unknown, showStack: boolean): string {
  const detail = error instanceof Error ? (showStack && error.stack ? error.stack : `${error.name}: ${error.message}`) : String(error);
  return (
    `safe-pip: error: this is a bug in safe-pip, not in pip or your command: ${detail}\n` +
    (showStack ? '' : 'hint: run again with SAFE_PIP_DEBUG=1 to see the stack trace, and report it\n')
  );
}

export const noRealPip = {
  message: (names: readonly string[], pathDirs: readonly string[]): string =>
    `no real pip found: looked for ${names.map((n) => `"${n}"`).join(' then ')} in every PATH directory ` +
    `(skipping safe-pip's own launchers):\n` +
    (pathDirs.length === 0 ? '  (PATH is empty)' : pathDirs.map((d) => `  ${d === '' ? '. (empty PATH entry)' : d}`).join('\n')),
  hint: 'install pip for your Python (e.g. `python3 -m ensurepip --upgrade`), or point safe-pip at one: SAFE_PIP_REAL_PIP=/path/to/pip',
};

export const badRealPipOverride = {
  message: (value: string, problem: string): string => `SAFE_PIP_REAL_PIP="${value}" ${problem}`,
  missing: 'does not exist',
  notFile: 'is not a file',
  notExecutable: 'is not executable',
  isLauncher: "is one of safe-pip's own launchers, not a real pip",
  hint: 'set SAFE_PIP_REAL_PIP to the path of the pip you want safe-pip to run (e.g. /usr/bin/pip), or unset it to search PATH',
};

export const recursionLimit = {
  message: (depth: number, realPip: string | undefined): string =>
    `safe-pip has been started ${depth} times inside itself and stops here: ` +
    (realPip === undefined
      ? 'the pip it runs leads back to safe-pip'
      : `the pip it runs ("${realPip}") probably leads back to safe-pip, e.g. a wrapper that calls \`pip\` from PATH`),
  hint: 'point safe-pip at the real pip directly: SAFE_PIP_REAL_PIP=/path/to/pip (if this nesting is intended, unset SAFE_PIP_DEPTH)',
};

export const cannotStartPip = {
  message: (realPip: string, reason: string): string => `could not start the real pip "${realPip}": ${reason}`,
  hint: 'check that the file is executable and its interpreter exists, or set SAFE_PIP_REAL_PIP=/path/to/pip',
};

export const probeFailed = {
  message: (what: string, reason: string): string => `could not learn about the Python that pip runs (${what}): ${reason}`,
  hint: 'check that `pip --version` works; safe-pip asks that Python for its version and platform without running any package code',
};

export const unknownSubcommand = {
  message: (name: string): string => `unknown command "${name}"`,
  hint: 'run `safe-pip --help` for the list of commands; to run pip, use `safe-pip pip <args>`',
};
