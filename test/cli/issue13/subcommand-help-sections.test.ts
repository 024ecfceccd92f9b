// Issue 13 item 4: the help of fetch, setup, teardown, init, doctor and demo (each printed by its
// own module) has the sections the pages in src/cli/help-command.ts have: options, environment
// and exit status, each exit code one that safe-pip really uses (src/exit-codes.ts).
import { describe, expect, it } from 'vitest';
import { runCommand } from '../../helpers/run-cli.js';
import { SAFE_PIP } from '../../policy/vector-world.js';
import { fetchUsage } from '../../../src/cli/fetch/report.js';
import { INIT_USAGE, SETUP_USAGE, TEARDOWN_USAGE } from '../../../src/setup/command-options.js';
import { DOCTOR_USAGE } from '../../../src/doctor/run-doctor.js';
import { DEMO_USAGE } from '../../../src/demo/run-demo.js';
import * as exitCodes from '../../../src/exit-codes.js';

const PAGES: [string, string][] = [
  ['fetch', fetchUsage()],
  ['setup', SETUP_USAGE],
  ['teardown', TEARDOWN_USAGE],
  ['init', INIT_USAGE],
  ['doctor', DOCTOR_USAGE],
  ['demo', DEMO_USAGE],
];

const KNOWN_CODES = new Set<number>(Object.values(exitCodes));

/** The codes an "Exit status" section names: a list (`  42  …`) or a sentence (`0 when …, 1 when …`). */
function exitCodesOf(page: string): number[] {
  const section = page.slice(page.search(/^Exit status/m)).split('\n\n')[0]!;
  const listed = [...section.matchAll(/^ {2}(\d+)\b/gm)].map((m) => Number(m[1]));
  if (listed.length > 0) return listed;
  return [...section.matchAll(/\b(\d+) (?:when|for)\b/g)].map((m) => Number(m[1]));
}

describe('the help pages of the other subcommands: options, environment, exit status', () => {
  for (const [name, page] of PAGES) {
    it(`${name}: has the three sections, with real exit codes`, () => {
      expect(page).toMatch(/^Options:$/m);
      expect(page).toMatch(/^Environment:/m);
      expect(page).toMatch(/^Exit status/m);
      expect(page).toMatch(/-h, --help/);
      const codes = exitCodesOf(page);
      expect(codes, 'exit 0 and the usage error are always listed').toEqual(expect.arrayContaining([exitCodes.EXIT_OK, exitCodes.EXIT_USAGE, exitCodes.EXIT_INTERNAL]));
      for (const code of codes) expect(KNOWN_CODES, `exit ${code}`).toContain(code);
    });
  }

  it('each page is what `safe-pip <command> --help` prints', async () => {
    for (const [name, page] of PAGES) {
      const result = await runCommand(SAFE_PIP, [name, '--help'], { env: { SAFE_PIP_REAL_PIP: '/nonexistent/pip' } });
      expect({ exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr }, name).toEqual({ exitCode: 0, stdout: page, stderr: '' });
    }
  });

  it('the environment sections name the variables the code reads', () => {
    const names = (page: string): string => page.slice(page.search(/^Environment:/m), page.search(/^Exit status/m));
    expect(names(fetchUsage())).toMatch(/SAFE_PIP_REAL_PIP[\s\S]*PIP_\*[\s\S]*SAFE_PIP_MIN_AGE[\s\S]*SAFE_PIP_CACHE_DIR[\s\S]*NO_COLOR/);
    expect(names(SETUP_USAGE)).toMatch(/SHELL[\s\S]*ZDOTDIR[\s\S]*XDG_CONFIG_HOME[\s\S]*XDG_DATA_HOME[\s\S]*GITHUB_PATH/);
    expect(names(TEARDOWN_USAGE)).toMatch(/ZDOTDIR[\s\S]*XDG_CONFIG_HOME[\s\S]*XDG_DATA_HOME/);
    expect(names(DOCTOR_USAGE)).toMatch(/SAFE_PIP_SHELL_STATE[\s\S]*SAFE_PIP_REAL_PIP[\s\S]*SAFE_PIP_DISABLE[\s\S]*PIP_CONFIG_FILE/);
    expect(names(DEMO_USAGE)).toMatch(/SAFE_PIP_REAL_PIP[\s\S]*TMPDIR/);
  });
});
