// `safe-pip doctor [--json]` (issue 5 §3): checks, says, and exits 0 when everything found routes
// through safe-pip, 1 (EXIT_ERROR) when something does not (each problem with its fix).
import type { CliContext } from '../cli/context.js';
import { SafePipError } from '../errors.js';
import { EXIT_ERROR, EXIT_OK, EXIT_USAGE } from '../exit-codes.js';
import { collectDoctorReport, type DoctorOptions } from './doctor-report.js';
import { renderDoctorReport } from './render-report.js';

export const DOCTOR_USAGE = `usage: safe-pip doctor [--json] [--offline]

Tells whether pip, pip3, python -m pip and python3 -m pip in this shell reach safe-pip; which
real pip and Python safe-pip runs and whether it knows that pip version; pip's config files and
PIP_* variables (credentials hidden); whether the index answers; safe-pip's own config files
and the projects allowed to build, each with where it was allowed; the cache directories.
Run it as \`safe-pip doctor\` in the shell you want checked: the shell integration then tells
doctor what pip, pip3, python and python3 are in that shell (a child process cannot see it).

Options:
  --json      print the findings as one JSON object (stdout)
  --offline   check no index (no network at all)
  -h, --help  show this help

Environment:
  PATH                          where pip, pip3, python and python3 are looked up
  SAFE_PIP_SHELL_STATE          what the shell's \`safe-pip\` function says it has loaded (set by it)
  SHELL, HOME, ZDOTDIR, XDG_CONFIG_HOME
                                which shells and rc files to look at
  SAFE_PIP_REAL_PIP=/path/to/pip  the real pip to report (default: the next pip on PATH)
  SAFE_PIP_DISABLE              reported as a problem when set
  SAFE_PIP_ALLOW_BUILD, SAFE_PIP_SYSTEM_CONFIG
                                the projects allowed to build, and where they come from
  SAFE_PIP_CACHE_DIR, XDG_CACHE_HOME
                                the cache directories shown
  PIP_CONFIG_FILE, PIP_*, XDG_CONFIG_DIRS
                                pip's config files and variables (credentials hidden)
  REQUESTS_CA_BUNDLE, HTTP_PROXY, HTTPS_PROXY, NO_PROXY
                                how the index is reached

Exit status: 0 when everything found is protected, 1 when something is not (each problem is
followed by how to fix it), 2 for a usage error, 70 for a bug in safe-pip. An unreachable index
is only a warning.
`;

interface DoctorIo {
  stdout: { write(text: string): unknown };
}

/** The CLI entry (same shape as the other subcommands in src/cli/subcommands.ts). */
export async function runDoctor(args: readonly string[], context: CliContext): Promise<number> {
  return doctorCommand(args, { env: context.env, realPipHandOff: context.realPipHandOff }, { stdout: process.stdout });
}

export async function doctorCommand(args: readonly string[], options: DoctorOptions, io: DoctorIo): Promise<number> {
  let json = false;
  let offline = false;
  for (const arg of args) {
    if (arg === '--json') json = true;
    else if (arg === '--offline') offline = true;
    else if (arg === '-h' || arg === '--help') {
      io.stdout.write(DOCTOR_USAGE);
      return EXIT_OK;
    } else {
      throw new SafePipError(`doctor: unknown argument "${arg}"`, { hint: 'usage: safe-pip doctor [--json] [--offline]', exitCode: EXIT_USAGE });
    }
  }
  const report = await collectDoctorReport(offline ? { ...options, skipIndexCheck: true } : options);
  io.stdout.write(json ? `${JSON.stringify(report, null, 2)}\n` : renderDoctorReport(report, options.env));
  return report.ok ? EXIT_OK : EXIT_ERROR;
}
