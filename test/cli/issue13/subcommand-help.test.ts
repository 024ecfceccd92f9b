// Issue 13 item 4: every safe-pip subcommand answers -h/--help with its own usage (never "pip runs
// unchanged", never pip's help), and `safe-pip help <command>` shows the same. explain, version and
// help (whose help lives in src/cli/help-command.ts) also list options, environment and exit status.
import { describe, expect, it } from 'vitest';
import { runCommand } from '../../helpers/run-cli.js';
import { SAFE_PIP } from '../../policy/vector-world.js';
import { SUBCOMMANDS } from '../../../src/cli/subcommands.js';
import { explainHelp, helpCommandHelp, helpText, pipSubcommandHelp, versionHelp } from '../../../src/cli/help-command.js';

const run = (args: string[]) => runCommand(SAFE_PIP, args, { env: { SAFE_PIP_REAL_PIP: '/nonexistent/pip' } });

describe('-h and --help of each subcommand', () => {
  for (const command of SUBCOMMANDS.filter((c) => c.name !== 'pip')) {
    it(`${command.name}: its own usage, exit 0, nothing on stderr`, async () => {
      const outputs: string[] = [];
      for (const args of [[command.name, '--help'], [command.name, '-h'], ['help', command.name]]) {
        const result = await run(args);
        expect({ exitCode: result.exitCode, stderr: result.stderr }, args.join(' ')).toEqual({ exitCode: 0, stderr: '' });
        expect(result.stdout.split('\n')[0]!.toLowerCase(), args.join(' ')).toMatch(new RegExp(`^usage: safe-pip ${command.name}\\b`));
        outputs.push(result.stdout);
      }
      expect(new Set(outputs).size, 'the three spellings print the same text').toBe(1);
    });
  }
});

describe('the help written here: usage, options, environment, exit status', () => {
  const pages: [string, string[], string][] = [
    ['explain', ['explain', '--help'], explainHelp()],
    ['explain --json -h', ['explain', '--json', '-h'], explainHelp()],
    ['version', ['version', '-h'], versionHelp()],
    ['help', ['help', '--help'], helpCommandHelp()],
    ['help pip', ['help', 'pip'], pipSubcommandHelp()],
    ['safe-pip --help', ['--help'], helpText()],
  ];
  for (const [title, args, page] of pages) {
    it(`${title}: prints exactly its page`, async () => {
      const result = await run(args);
      expect({ exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr }).toEqual({ exitCode: 0, stdout: page, stderr: '' });
      expect(page).toMatch(/^Exit status/m);
      if (title !== 'help') expect(page).toMatch(/^Environment:/m);
    });
  }
  it('explain --help, the exact page', () => {
    expect(explainHelp()).toMatchInlineSnapshot(`
      "usage: safe-pip explain [--json] <pip command> [pip arguments]

      Shows what safe-pip would do with a pip command line, without doing any of it: no file is
      written and pip is not run. It reads what pip would read (the command line, pip's config files,
      PIP_* variables, requirements files, the indexes) and prints each target, each package and how
      it would come (pip, fetched raw, skipped, built, refused), and the exact pip command line.

      Options:
        --json      print the plan as one JSON object on stdout (stable keys: see DESIGN.md)
        -h, --help  show this help
        --safe-pip-allow-build=NAME  plan as if NAME were allowed to build from source
        --safe-pip-min-age=DURATION  plan with this minimum release age (0: none), over SAFE_PIP_MIN_AGE

      Environment:
        SAFE_PIP_REAL_PIP=/path/to/pip  the real pip to run (default: the next pip on PATH)
        SAFE_PIP_ALLOW_BUILD="a b"      projects allowed to build from source (also --safe-pip-allow-build=NAME,
                                        or allow-build = ["a"] in ~/.config/safe-pip/config.toml)
        SAFE_PIP_MIN_AGE=3d             skip releases uploaded less than 3 days ago (also --safe-pip-min-age=3d,
                                        which wins, or min-age = "3d" in ~/.config/safe-pip/config.toml)
        SAFE_PIP_CACHE_DIR=DIR          safe-pip's cache (default $XDG_CACHE_HOME/safe-pip)
        SAFE_PIP_DEBUG=1                show stack traces of internal errors
        PIP_*, pip's config files       read exactly as the real pip reads them

      Exit status (the code the command itself would exit with):
        0     the plan runs (or pip runs the command unchanged)
        1, 2  pip would reject the command line (pip's own message on stderr)
        42    safe-pip would refuse the command (the plan says which package, why, and how to allow it)
        43    no real pip was found (the plan is made for the real pip's version and Python)
        70    a bug in safe-pip
      "
    `);
  });
  it('`safe-pip version` is `safe-pip --version`', async () => {
    const [a, b] = [await run(['version']), await run(['--version'])];
    expect(a).toMatchObject({ exitCode: 0, stdout: b.stdout, stderr: b.stderr });
  });
  it('help for an unknown command: safe-pip\'s usage error, exit 2', async () => {
    const result = await run(['help', 'nope']);
    expect({ exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr }).toEqual({
      exitCode: 2,
      stdout: '',
      stderr: 'safe-pip: error: unknown command "nope"\nhint: run `safe-pip --help` for the list of commands; to run pip, use `safe-pip pip <args>`\n',
    });
  });
});
