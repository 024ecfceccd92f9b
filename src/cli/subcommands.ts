// safe-pip's own subcommands, as data: adding one (fetch, explain, setup, doctor, demo) is one
// entry here. `run` imports its module lazily so a pass-through through Node loads only what
// the `pip` subcommand needs.
import type { CliContext } from './context.js';

export interface Subcommand {
  name: string;
  /** One line for `safe-pip --help`. */
  summary: string;
  usage: string;
  /**
   * `-h`/`--help` as the first argument: this command's help, printed by dispatch. Absent for
   * `pip` (its --help is pip's own) and for commands that parse and print their own help.
   */
  help?: () => Promise<string>;
  run(args: readonly string[], context: CliContext): Promise<number>;
}

export const SUBCOMMANDS: readonly Subcommand[] = [
  {
    name: 'pip',
    summary: 'run pip through safe-pip (exactly what the pip and pip3 launchers do)',
    usage: 'safe-pip pip <pip arguments>',
    run: async (args, context) => (await import('./pip-command.js')).runPipSubcommand(args, context),
  },
  {
    name: 'explain',
    summary: 'show what safe-pip would do with a pip command line, without doing anything',
    usage: 'safe-pip explain [--json] <pip arguments>',
    help: async () => (await import('./help-command.js')).explainHelp(),
    run: async (args, context) => (await import('./explain-command.js')).runExplain(args, context),
  },
  {
    name: 'fetch',
    summary: 'download the files pip download would choose (sdists raw), without pip or package code',
    usage: 'safe-pip fetch <requirement>... [-r FILE] [-d DIR] [-i URL] [--sdist] [--json] …',
    run: async (args, context) => (await import('./fetch/index.js')).runFetch(args, context),
  },
  {
    name: 'setup',
    summary: 'make pip, pip3, pip3.X and python -m pip go through safe-pip in your shells (--ci: PATH shims)',
    usage: 'safe-pip setup [--shell bash|zsh|fish]... [--ci [--dir DIR]] [--dry-run]',
    run: async (args, context) => (await import('../setup/setup-command.js')).runSetup(args, shellIo(context)),
  },
  {
    name: 'teardown',
    summary: 'remove exactly what setup added (rc files restored byte for byte, shims removed)',
    usage: 'safe-pip teardown [--shell bash|zsh|fish]... [--ci [--dir DIR]]',
    run: async (args, context) => (await import('../setup/teardown-command.js')).runTeardown(args, shellIo(context)),
  },
  {
    name: 'init',
    summary: 'print the shell code setup adds, for eval "$(safe-pip init bash)"',
    usage: 'safe-pip init <bash|zsh|fish>',
    run: async (args, context) => (await import('../setup/init-command.js')).runInit(args, shellIo(context)),
  },
  {
    name: 'doctor',
    summary: 'check that pip, pip3 and python -m pip reach safe-pip, and show the real pip, config and index',
    usage: 'safe-pip doctor [--json]',
    run: async (args, context) => (await import('../doctor/run-doctor.js')).runDoctor(args, context),
  },
  {
    name: 'demo',
    summary: 'show, offline, a package whose code plain pip runs and safe-pip does not',
    usage: 'safe-pip demo [--keep]',
    run: async (args, context) => (await import('../demo/run-demo.js')).runDemo(args, context),
  },
  {
    name: 'update-advisories',
    summary: 'refresh the offline list of known malicious PyPI releases (OSV MAL- records) that pip commands are checked against',
    usage: 'safe-pip update-advisories [--file PATH | --url URL] [--status] [--json]',
    run: async (args, context) => (await import('./advisories-command.js')).runUpdateAdvisories(args, context),
  },
  {
    name: 'version',
    summary: "show safe-pip's version and the real pip it runs (also --version, -V)",
    usage: 'safe-pip version',
    help: async () => (await import('./help-command.js')).versionHelp(),
    run: async (_args, context) => (await import('./version-command.js')).runVersionCommand(context),
  },
  {
    name: 'help',
    summary: 'show this help, or the help of one command: safe-pip help <command>',
    usage: 'safe-pip help [command]',
    help: async () => (await import('./help-command.js')).helpCommandHelp(),
    run: async (args, context) => (await import('./dispatch.js')).runHelp(args, context),
  },
];

function shellIo(context: CliContext): { env: NodeJS.ProcessEnv; stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream } {
  return { env: context.env, stdout: process.stdout, stderr: process.stderr };
}

export function findSubcommand(name: string): Subcommand | undefined {
  return SUBCOMMANDS.find((command) => command.name === name);
}
