// pip's usage block, printed before every optparse error (pip/_internal/cli/parser.py:
// PrettyHelpFormatter.format_usage, ConfigOptionParser.error; Lib/optparse.py print_usage).
//
// The templates were read by scripts/extract-pip-options.py --usage from pip 23.0.1 and 23.2.1
// (identical). Releases we cannot run reuse 23.2.1's templates (pip has not changed them since),
// and `lock` (25.1+) comes from pip's source, src/pip/_internal/commands/lock.py at pypa/pip
// 00226a83: that is a reading of the source, not a measurement.
import usage2301 from './option-tables/usage-23.0.1.json' with { type: 'json' };
import usage2321 from './option-tables/usage-23.2.1.json' with { type: 'json' };

export interface UsageTable {
  /** Where the templates come from (a pip release we ran, or a reused one). */
  source: string;
  /** Template lines of the main parser (`%prog` unexpanded, already dedented). */
  main: string[];
  commands: Record<string, string[]>;
}

const LOCK_USAGE = [
  '',
  '%prog [options] [-e] <local project path> ...',
  '%prog [options] <requirement specifier> [package-index-options] ...',
  '%prog [options] -r <requirements file> [package-index-options] ...',
  '%prog [options] <archive url/path> ...',
];

export function usageTableFor(pipVersion: string): UsageTable {
  if (pipVersion === '23.0.1') return usage2301;
  if (pipVersion === '23.2.1') return usage2321;
  return {
    source: `pip 23.2.1's usage texts reused for pip ${pipVersion}; lock from pip's source`,
    main: usage2321.main,
    commands: { ...usage2321.commands, lock: LOCK_USAGE },
  };
}

/**
 * What optparse's print_usage writes: "\nUsage: " + the lines indented by two spaces, then a
 * newline from format_usage and one from print(). Empty when the parser has no usage text.
 */
export function renderUsage(lines: readonly string[], prog: string): string {
  if (lines.join('\n').length === 0) return '';
  const body = lines.map((line) => `  ${line.replaceAll('%prog', prog)}`).join('\n');
  return `\nUsage: ${body}\n\n`;
}
