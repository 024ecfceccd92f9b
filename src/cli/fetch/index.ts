// `safe-pip fetch`: download the distribution files `pip download` would choose — wheels where pip
// would take a wheel, the raw sdist where pip would take (and build) an sdist — for the
// requirements and, unless --no-deps, their dependencies. Never runs pip or any package code.
// The target interpreter is the real pip's (probed once, cached) when one is found, otherwise it
// is described from Node and --python-version. pip's configuration and PIP_* variables apply as
// they would to `pip download`.
// On an interactive terminal a spinner shows the resolution and then `downloading k/n files`, the
// bytes written and the rate (src/report/spinner.ts, download-progress.ts); in pipes, in CI, with
// --json or -q there is none. This module reads the command line and finds the target; the
// resolution and the downloads are resolve-and-save.ts's.
import { resolve as resolvePath } from 'node:path';
import { parseOptparse, OptparseError } from '../../pip/optparse.js';
import type { OptionSpec } from '../../pip/option-spec.js';
import { findRealPip } from '../../io/real-pip.js';
import { probeInterpreter } from '../../io/interpreter-probe.js';
import { SafePipError } from '../../errors.js';
import { EXIT_USAGE } from '../../exit-codes.js';
import type { InterpreterFacts } from '../../standards/interpreter-facts.js';
import type { CliContext } from '../context.js';
import { stripMinAgeFlag } from '../intercept/cooldown-settings.js';
import { nodeInterpreterFacts } from './node-facts.js';
import { fetchUsage } from './report.js';
import { startProgress, type Progress } from '../../report/spinner.js';

const spec = (names: string[], takesValue: boolean, dest: string, action: OptionSpec['action'] = takesValue ? 'store' : 'store_true'): OptionSpec => ({
  names,
  takesValue,
  action,
  dest,
  type: takesValue ? 'string' : null,
  choices: null,
  default: null,
});

/** safe-pip fetch's own options; each maps onto the `pip download` option of the same name. */
export const FETCH_OPTIONS: readonly OptionSpec[] = [
  spec(['-r', '--requirement'], true, 'requirement', 'append'),
  spec(['-c', '--constraint'], true, 'constraint', 'append'),
  spec(['-d', '--dest'], true, 'dest'),
  spec(['-i', '--index-url'], true, 'index-url'),
  spec(['--extra-index-url'], true, 'extra-index-url', 'append'),
  spec(['-f', '--find-links'], true, 'find-links', 'append'),
  spec(['--no-index'], false, 'no-index'),
  spec(['--no-deps'], false, 'no-deps'),
  spec(['--pre'], false, 'pre'),
  spec(['--prefer-binary'], false, 'prefer-binary'),
  spec(['--uploaded-prior-to'], true, 'uploaded-prior-to'),
  spec(['--sdist'], false, 'sdist'),
  spec(['--platform'], true, 'platform', 'append'),
  spec(['--python-version'], true, 'python-version'),
  spec(['--implementation'], true, 'implementation'),
  spec(['--abi'], true, 'abi', 'append'),
  spec(['--timeout'], true, 'timeout'),
  spec(['--retries'], true, 'retries'),
  spec(['--cert'], true, 'cert'),
  spec(['--client-cert'], true, 'client-cert'),
  spec(['--trusted-host'], true, 'trusted-host', 'append'),
  spec(['--json'], false, 'json'),
  spec(['-q', '--quiet'], false, 'quiet'),
  spec(['-h', '--help'], false, 'help'),
];

export async function runFetch(args: readonly string[], context: CliContext): Promise<number> {
  // The cooldown flag has the one spelling and the one grammar of the pip commands' (cooldown-settings.ts).
  const { argv: fetchArgs, minAge } = stripMinAgeFlag(args);
  let parsed;
  try {
    parsed = parseOptparse(fetchArgs, FETCH_OPTIONS, { interspersed: true });
  } catch (error) {
    if (error instanceof OptparseError) throw new SafePipError(`fetch: ${error.message}`, { hint: 'see safe-pip fetch --help', exitCode: EXIT_USAGE });
    throw error;
  }
  const has = (dest: string): boolean => parsed.occurrences.some((o) => o.spec.dest === dest);
  const value = (dest: string): string | undefined => parsed.occurrences.filter((o) => o.spec.dest === dest).at(-1)?.value ?? undefined;
  if (has('help')) {
    process.stdout.write(fetchUsage());
    return 0;
  }
  const requirements = parsed.positionals.map((p) => p.value).filter((v) => v.trim() !== '');
  if (requirements.length === 0 && !has('requirement')) {
    throw new SafePipError('fetch: give at least one requirement (or -r FILE)', { hint: 'e.g. safe-pip fetch requests==2.32.3 -d ./wheels', exitCode: EXIT_USAGE });
  }
  const env = context.env;
  const cwd = process.cwd();
  const dest = resolvePath(cwd, value('dest') ?? '.');
  const quiet = has('quiet') || has('json');
  const progress = await startProgress('safe-pip: resolving…', { env, silent: quiet });
  try {
    return await fetchWith(parsed.occurrences, requirements, { context, dest, quiet, json: has('json'), sdist: has('sdist'), pythonVersion: value('python-version'), minAge, progress });
  } finally {
    progress.stop();
  }
}

export interface FetchRun {
  context: CliContext;
  dest: string;
  quiet: boolean;
  json: boolean;
  sdist: boolean;
  pythonVersion: string | undefined;
  /** --safe-pip-min-age, or null. */
  minAge: string | null;
  progress: Progress;
}

async function fetchWith(occurrences: ReturnType<typeof parseOptparse>['occurrences'], requirements: readonly string[], run: FetchRun): Promise<number> {
  const asksIndex = !occurrences.some((o) => o.spec.dest === 'no-index');
  // The modules that resolve and save are made ready while the probe's Python runs (~5 ms of a
  // cold start), with the HTTP client when an index is asked.
  const whileProbing = (): Promise<unknown> => Promise.all([import('./resolve-and-save.js'), asksIndex ? import('../../io/index-client.js').then((m) => m.preloadIndexClient()) : undefined]);
  const facts = await targetFacts(run.context, run.pythonVersion, occurrences.some((o) => o.spec.dest === 'platform'), whileProbing);
  return (await import('./resolve-and-save.js')).resolveAndSave(occurrences, requirements, facts, run);
}

/**
 * The interpreter the fetch resolves for. With --python-version and --platform both given, the
 * options describe the target (its tags and Requires-Python), so no Python is started at all
 * (issue 12 §3) and the rest comes from Node, as on a machine without Python. Otherwise the real
 * pip's interpreter (probed once, then cached), and Node only when there is none.
 */
async function targetFacts(context: CliContext, pythonVersion: string | undefined, platformGiven: boolean, whileProbing: () => Promise<unknown>): Promise<InterpreterFacts> {
  const fromNode = (version: string): InterpreterFacts => {
    const parts = (version.includes('.') ? version.split('.') : [version[0] ?? '3', version.slice(1)]).map((n) => Number.parseInt(n, 10));
    return nodeInterpreterFacts(parts.filter((n) => Number.isFinite(n)));
  };
  if (pythonVersion !== undefined && platformGiven) return fromNode(pythonVersion);
  let realPip: string | null = null;
  try {
    realPip = await findRealPip({ env: context.env, handOff: context.realPipHandOff });
  } catch {
    realPip = null;
  }
  if (realPip !== null) {
    try {
      return await probeInterpreter(realPip, { env: context.env, whileProbing });
    } catch {
      // fall through to a Node-described target
    }
  }
  if (pythonVersion === undefined) {
    throw new SafePipError('fetch: no Python found to describe the target interpreter', {
      hint: 'give the target explicitly: --python-version 3.12 (and --platform / --implementation / --abi as needed)',
      exitCode: EXIT_USAGE,
    });
  }
  return fromNode(pythonVersion);
}
