// `safe-pip --help`, `safe-pip help [command]`, and the help of the subcommands whose help lives
// here (pip, explain, version, help): usage, options, environment variables and exit status.
// The other subcommands (fetch, setup, teardown, init, doctor, demo) print their own.
import { safePipVersion } from './package-info.js';
import { SUBCOMMANDS } from './subcommands.js';

const EXIT_STATUS_OF_PIP_COMMANDS = [
  'Exit status:',
  "  0, 1, 2, 3, 23  pip's own exit code (safe-pip passes it on unchanged)",
  '  42              safe-pip refused: the command would run package code nobody allowed',
  '  43              no real pip was found or it could not be started',
  '  70              a bug in safe-pip (SAFE_PIP_DEBUG=1 shows the stack trace)',
];

const COMMON_ENVIRONMENT = [
  '  SAFE_PIP_REAL_PIP=/path/to/pip  the real pip to run (default: the next pip on PATH)',
  '  SAFE_PIP_ALLOW_BUILD="a b"      projects allowed to build from source (also --safe-pip-allow-build=NAME,',
  '                                  or allow-build = ["a"] in ~/.config/safe-pip/config.toml)',
  '  SAFE_PIP_MIN_AGE=3d             skip releases uploaded less than 3 days ago (also --safe-pip-min-age=3d,',
  '                                  which wins, or min-age = "3d" in ~/.config/safe-pip/config.toml)',
  '  SAFE_PIP_DISABLE=1              pass everything to pip unchecked (one warning line)',
  '  SAFE_PIP_CACHE_DIR=DIR          safe-pip\'s cache (default $XDG_CACHE_HOME/safe-pip)',
  '  SAFE_PIP_DEBUG=1                show stack traces of internal errors',
  "  PIP_*, pip's config files       read exactly as the real pip reads them",
];

export function helpText(): string {
  const width = Math.max(...SUBCOMMANDS.map((command) => command.name.length)) + 2;
  return [
    `safe-pip ${safePipVersion()}: a drop-in pip that never runs a package's build code behind your back`,
    '',
    'Usage:',
    '  pip <pip arguments>          (the launcher safe-pip puts first on PATH)',
    '  safe-pip <command> [arguments]',
    '  safe-pip <command> --help    (or safe-pip help <command>) for a command\'s own help',
    '',
    'Commands:',
    ...SUBCOMMANDS.map((command) => `  ${command.name.padEnd(width)}${command.summary}`),
    '',
    'Options:',
    '  -h, --help     show this help',
    '  -V, --version  show safe-pip\'s version and the real pip it runs',
    '',
    'Environment:',
    ...COMMON_ENVIRONMENT,
    '',
    ...EXIT_STATUS_OF_PIP_COMMANDS,
    '',
  ].join('\n');
}

export function pipSubcommandHelp(): string {
  return [
    'usage: safe-pip pip <pip arguments>',
    '',
    'Runs pip exactly as the pip and pip3 launchers do. Commands that cannot build anything run the',
    'real pip unchanged; install, download, wheel and lock are checked first: download never runs',
    'package code, and install, wheel and lock build nothing from an index or a remote URL unless',
    'the project is allowed by name. `safe-pip pip --help` is pip\'s own help.',
    '',
    'Options: all of pip\'s, plus',
    '  --safe-pip-allow-build=NAME     allow NAME to build from source (removed before pip sees it)',
    '  --safe-pip-min-age=DURATION     skip releases uploaded less than DURATION ago (3d, 12h, 90m, 2w;',
    '                                  0 turns min-age off for this command; removed before pip sees it)',
    '',
    'Environment:',
    ...COMMON_ENVIRONMENT,
    '',
    ...EXIT_STATUS_OF_PIP_COMMANDS,
    '',
  ].join('\n');
}

export function explainHelp(): string {
  return [
    'usage: safe-pip explain [--json] <pip command> [pip arguments]',
    '',
    'Shows what safe-pip would do with a pip command line, without doing any of it: no file is',
    'written and pip is not run. It reads what pip would read (the command line, pip\'s config files,',
    'PIP_* variables, requirements files, the indexes) and prints each target, each package and how',
    'it would come (pip, fetched raw, skipped, built, refused), and the exact pip command line.',
    '',
    'Options:',
    '  --json      print the plan as one JSON object on stdout (stable keys: see DESIGN.md)',
    '  -h, --help  show this help',
    '  --safe-pip-allow-build=NAME  plan as if NAME were allowed to build from source',
    '  --safe-pip-min-age=DURATION  plan with this minimum release age (0: none), over SAFE_PIP_MIN_AGE',
    '',
    'Environment:',
    ...COMMON_ENVIRONMENT.filter((line) => !line.includes('SAFE_PIP_DISABLE')),
    '',
    'Exit status (the code the command itself would exit with):',
    '  0     the plan runs (or pip runs the command unchanged)',
    '  1, 2  pip would reject the command line (pip\'s own message on stderr)',
    '  42    safe-pip would refuse the command (the plan says which package, why, and how to allow it)',
    '  43    no real pip was found (the plan is made for the real pip\'s version and Python)',
    '  70    a bug in safe-pip',
    '',
  ].join('\n');
}

export function versionHelp(): string {
  return [
    'usage: safe-pip version   (or safe-pip --version, -V)',
    '',
    "Prints safe-pip's version, the real pip it runs and that pip's own `pip --version` line.",
    '',
    'Options:',
    '  -h, --help  show this help',
    '',
    'Environment:',
    '  SAFE_PIP_REAL_PIP=/path/to/pip  the real pip to report (default: the next pip on PATH)',
    '',
    'Exit status:',
    '  0  always (a missing real pip is reported on the `real pip:` line)',
    '',
  ].join('\n');
}

export function helpCommandHelp(): string {
  return [
    'usage: safe-pip help [command]',
    '',
    "Prints safe-pip's help, or the help of one command (the same as `safe-pip <command> --help`).",
    '',
    'Exit status:',
    '  0  help printed',
    '  2  unknown command',
    '',
  ].join('\n');
}
