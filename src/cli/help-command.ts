// `safe-pip --help`: usage and the subcommand table.
import { safePipVersion } from './package-info.js';
import { SUBCOMMANDS } from './subcommands.js';

export function helpText(): string {
  const width = Math.max(...SUBCOMMANDS.map((command) => command.name.length), 'pip'.length) + 2;
  return [
    `safe-pip ${safePipVersion()}: a drop-in pip that never runs a package's build code behind your back`,
    '',
    'Usage:',
    '  pip <pip arguments>          (the launcher safe-pip puts first on PATH)',
    '  safe-pip <command> [arguments]',
    '',
    'Commands:',
    ...SUBCOMMANDS.map((command) => `  ${command.name.padEnd(width)}${command.summary}`),
    '',
    'Options:',
    '  -h, --help     show this help',
    '  -V, --version  show safe-pip\'s version and the real pip it runs',
    '',
    'Environment:',
    '  SAFE_PIP_REAL_PIP=/path/to/pip   the real pip to run (default: the next pip on PATH)',
    '  SAFE_PIP_DEBUG=1                 show stack traces of internal errors',
    '',
  ].join('\n');
}
