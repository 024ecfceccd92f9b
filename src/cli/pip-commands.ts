// Which pip commands can build a distribution (issue 2 §2, pip-behaviour.md §1.1). The same list
// is data in the sh launcher (bin/safe-pip: safe_pip_passthrough_commands); a test keeps the two
// equal. When src/pip/commands.ts (the full command table) lands, the lead points this module at it.

/** pip commands that cannot build anything: run the real pip unchanged. */
export const PASSTHROUGH_COMMANDS: readonly string[] = [
  'list', 'show', 'freeze', 'uninstall', 'config', 'cache', 'hash', 'check',
  'debug', 'inspect', 'index', 'search', 'completion', 'help',
];

/** pip commands that may build (or, for download, fetch) distributions: safe-pip decides. */
export const BUILDING_COMMANDS: readonly string[] = ['install', 'download', 'wheel', 'lock'];

/** General options that take no value, exact spellings only (pip-behaviour.md §1.3.1). */
export const GENERAL_FLAGS: readonly string[] = [
  '-v', '-vv', '-vvv', '-q', '-qq', '-qqq', '--verbose', '--quiet', '--isolated', '--no-input',
  '--no-color', '--disable-pip-version-check', '--require-virtualenv', '--require-venv', '--debug',
  '--no-cache-dir', '--no-python-version-warning',
];

/** General options that take a value (`--opt value` or `--opt=value`), exact spellings only. */
export const GENERAL_VALUE_OPTIONS: readonly string[] = [
  '--log', '--log-file', '--local-log', '--proxy', '--retries', '--timeout', '--default-timeout',
  '--exists-action', '--trusted-host', '--cert', '--client-cert', '--cache-dir', '--python',
  '--keyring-provider', '--use-feature', '--use-deprecated', '--resume-retries',
];

/**
 * True when pip's argv certainly runs a command that cannot build anything: the sh fast path's
 * rule (general options skipped by exact spelling, -h/--help/-V/--version end the parse). Anything
 * it does not recognise counts as possibly building; the full parser (src/pip/) decides those.
 */
export function isPassthroughArgv(argv: readonly string[], env: NodeJS.ProcessEnv): boolean {
  if (env.PIP_AUTO_COMPLETE !== undefined) return false;
  const scan = scanCommandWord(argv);
  return 'command' in scan ? PASSTHROUGH_COMMANDS.includes(scan.command) : scan.end === 'not-building';
}

/**
 * The building command pip's argv names by the same rule (e.g. `install` for `pip -q install x`),
 * or null when the rule finds none. A guess for warming pip up (early-pip.ts), never a decision.
 */
export function buildingCommandWord(argv: readonly string[]): string | null {
  const scan = scanCommandWord(argv);
  return 'command' in scan && BUILDING_COMMANDS.includes(scan.command) ? scan.command : null;
}

/** The first word after the general options, or how the scan ended without one. */
function scanCommandWord(argv: readonly string[]): { command: string } | { end: 'not-building' | 'unknown' } {
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] as string;
    if (['-h', '--help', '-V', '--version'].includes(token)) return { end: 'not-building' };
    if (token.startsWith('--') && token.includes('=')) {
      if (!GENERAL_VALUE_OPTIONS.includes(token.slice(0, token.indexOf('=')))) return { end: 'unknown' };
    } else if (token.startsWith('-')) {
      if (GENERAL_FLAGS.includes(token)) continue;
      if (GENERAL_VALUE_OPTIONS.includes(token) && i + 1 < argv.length) i++;
      else return { end: 'unknown' };
    } else {
      return { command: token };
    }
  }
  return { end: 'not-building' };
}
