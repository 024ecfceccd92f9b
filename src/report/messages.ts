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

/**
 * pip's own words when a requirement command is given nothing to work on (pip's
 * `RequirementCommand.get_requirements`, a CommandError: `ERROR: …`, exit 1). pip adds the
 * find-links locations when there are any, joined with spaces.
 */
export function noRequirementsMessage(command: string, findLinks: readonly string[]): string {
  const tail = findLinks.length > 0 ? `(maybe you meant "pip ${command} ${findLinks.join(' ')}"?)` : `(see "pip help ${command}")`;
  return `ERROR: You must give at least one requirement to ${command} ${tail}\n`;
}

/** `-d` names something that is not a directory (pip itself crashes there with a traceback, exit 2). */
export const downloadDirNotDirectory = {
  message: (given: string, blocking: string): string =>
    blocking === given
      ? `the download directory "${given}" (-d) is a file, not a directory; nothing was downloaded`
      : `the download directory "${given}" (-d) cannot be created: "${blocking}" is a file, not a directory; nothing was downloaded`,
  hint: 'give -d a directory (it is created when missing), or move the file out of the way',
};

/** Why the finder skipped a file (src/resolve/finder.ts RejectionReason), in words. */
const SKIPPED_FILE_REASONS: Record<string, string> = {
  'not-a-file': 'not a distribution file',
  'unsupported-archive-format': 'an archive format pip does not use',
  'no-binaries-permitted': 'a wheel, excluded by --no-binary',
  'no-sources-permitted': 'a source archive, excluded by --only-binary',
  macosx10: 'a macOS 10 wheel this Python cannot use',
  'invalid-wheel-filename': 'an invalid wheel file name',
  'wrong-project-name': 'a file of another project',
  'incompatible-tags': 'a wheel for another Python or platform',
  'missing-version': 'no version in the file name',
  'python-version-mismatch': 'built for another Python version',
  'requires-python': 'requires another Python version (Requires-Python)',
  'invalid-version': 'an invalid version',
  specifier: 'a version the requirement excludes',
  'hash-mismatch': 'does not match the --hash values',
  yanked: 'yanked',
  'upload-time-missing': 'no upload time, which --uploaded-prior-to needs',
  'upload-too-late': 'uploaded after the --uploaded-prior-to date',
};

/**
 * safe-pip's resolution found no version (ResolutionImpossible): pip's own two lines (pip's
 * resolver: `Could not find a version …` then DistributionNotFound's `No matching distribution
 * found for <req>`), then, as safe-pip's line, the files that were skipped and why, in words.
 * Null when the message is not pip's "not found" (other failures keep their message).
 */
export function distributionNotFoundText(message: string): string | null {
  // Files whose metadata contradicted them follow on lines of their own (`Discarded <why>`); pip
  // warns of each ("Discarding …") before its error.
  const [first = '', ...more] = message.split('\n');
  const match = /^Could not find a version that satisfies the requirement (.+) \(from versions: ([^)]*)\)(?:; files skipped: (.+))?$/.exec(first);
  if (match === null || more.some((line) => !line.startsWith('Discarded '))) return null;
  const discarded = more.map((line) => `safe-pip: discarded ${line.slice('Discarded '.length)}`);
  const requirementShown = match[1]!;
  const requirement = requirementShown.replace(/ \(from [^()]+\)$/, '');
  const lines = [
    ...discarded,
    `ERROR: Could not find a version that satisfies the requirement ${requirementShown} (from versions: ${match[2]})`,
    `ERROR: No matching distribution found for ${requirement}`,
  ];
  if (match[3] !== undefined) {
    const parts = match[3].split(', ').map((part) => {
      const counted = /^(\d+) (.+)$/.exec(part);
      return counted === null ? part : `${SKIPPED_FILE_REASONS[counted[2]!] ?? counted[2]!} (${counted[1]} ${counted[1] === '1' ? 'file' : 'files'})`;
    });
    lines.push(`safe-pip: files skipped: ${parts.join('; ')}`);
  }
  return `${lines.join('\n')}\n`;
}
