// The protection, end to end, for one pip command line that may build something: parse it as the
// real pip would, read what pip would read, decide, then carry it out — or, for `explain`, print
// the plan and touch nothing. A command line pip would reject is reported in pip's own words and
// never handed to the real pip.
import { probeInterpreter } from '../../io/interpreter-probe.js';
import { preloadIndexClient } from '../../io/index-client.js';
import { runPip } from '../../io/run-pip.js';
import { PipUsageError } from '../../pip/pip-usage-error.js';
import { pipRunCheck } from '../../pip/run-checks.js';
import { explainJson, explainText } from '../../report/plan-report.js';
import type { CliContext } from '../context.js';
import { stripAllowFlags } from './allow-list.js';
import { stripMinAgeFlag } from './cooldown-settings.js';
import { analyze, parseForPip, type StepResults } from './analyze.js';
import { carryOut } from './execute.js';
import { pipInvocation } from './pip-invocation.js';
import { EXIT_ERROR, EXIT_REFUSED, EXIT_USAGE } from '../../exit-codes.js';
import { SafePipError } from '../../errors.js';
import { downloadDirNotDirectory, noRequirementsMessage } from '../../report/messages.js';
import { downloadDirBlockedBy, hasRequirementSource } from './command-preconditions.js';
import { cancelLikePip } from './cancellation.js';
import { startProgress } from '../../report/spinner.js';

export const DISABLE_ENV = 'SAFE_PIP_DISABLE';

/** pip lock's warning (pip 25.1+, unchanged through 26.3), printed before anything else it says. */
const LOCK_IS_EXPERIMENTAL = 'pip lock is currently an experimental command. It may be removed/changed in a future release without prior warning.';

export interface InterceptOptions {
  /** `safe-pip explain`: print the plan (JSON or text) instead of carrying it out. */
  explain: { json: boolean } | null;
  cwd?: string;
}

export async function interceptBuildingCommand(
  argv: readonly string[],
  realPip: string,
  context: CliContext,
  options: InterceptOptions = { explain: null },
): Promise<number> {
  const env = context.env;
  const cwd = options.cwd ?? process.cwd();
  if (options.explain === null && env[DISABLE_ENV] === '1') {
    process.stderr.write(`safe-pip: ${DISABLE_ENV}=1: running pip unchecked; it may run package build code\n`);
    return runPip(realPip, argv, { env });
  }
  // safe-pip's own flags, which pip would reject: min-age first, so that a flag left without its
  // value is reported as such rather than taken as the other flag's value.
  const withoutMinAge = stripMinAgeFlag(argv);
  const stripped = stripAllowFlags(withoutMinAge.argv);
  // A first run for this interpreter waits for its Python: time to load what asking an index takes
  // (not for a --no-index command line, which asks none; any abbreviation of it counts).
  const asksIndex = !stripped.argv.some((a) => a.startsWith('--no-i'));
  const facts = await probeInterpreter(realPip, { env, ...(asksIndex ? { whileProbing: preloadIndexClient } : {}) });
  let parsed;
  try {
    parsed = await parseForPip({ argv: stripped.argv, facts, env, cwd, prog: 'pip' });
    const refusedByPip = parsed.model.outcome === 'command' && !parsed.model.commandHelp && parsed.model.handling === 'intercept' ? pipRunCheck(parsed.model.command, parsed.settings, facts.pipVersion) : null;
    if (refusedByPip !== null) {
      throw new PipUsageError('command-error', refusedByPip, { exitCode: 1, stderr: `ERROR: ${refusedByPip}\n`, argv: stripped.argv, command: parsed.model.command });
    }
  } catch (error) {
    if (!(error instanceof PipUsageError)) throw error;
    process.stdout.write(error.stdout);
    process.stderr.write(error.stderr);
    return error.exitCode;
  }
  const { model, settings } = parsed;
  if (model.outcome !== 'command' || model.commandHelp || model.handling !== 'intercept') {
    if (options.explain !== null) {
      process.stdout.write(options.explain.json ? `${JSON.stringify({ command: model.command, actions: ['pip'], pipArgs: stripped.argv, refused: false, targets: [], packages: [] }, null, 2)}\n` : `pip runs unchanged: ${unchangedBecause(model)}.\n`);
      return 0;
    }
    return runPip(realPip, stripped.argv, { env });
  }
  // pip's own checks that come before it reads an index (command-preconditions.ts).
  const noRequirement = !hasRequirementSource(settings);
  // pip refuses the command before it could build anything: the real pip says it in its own words.
  if (noRequirement && options.explain === null) return runPip(realPip, stripped.argv, { env });
  // explain says what pip would: it reads the constraint files first (their errors come first).
  const noRequirementError = (): number => {
    if (model.command === 'lock' && settings.verbosity > -2) process.stderr.write(`WARNING: ${LOCK_IS_EXPERIMENTAL}\n`);
    process.stderr.write(noRequirementsMessage(model.command ?? 'install', settings.findLinks.map((f) => f.value)));
    return EXIT_ERROR;
  };
  if (noRequirement && settings.constraints.length === 0) return noRequirementError();
  if (model.command === 'download' && !noRequirement) {
    const blocked = downloadDirBlockedBy(settings, cwd);
    if (blocked !== null) throw new SafePipError(downloadDirNotDirectory.message(blocked.given, blocked.blocking), { hint: downloadDirNotDirectory.hint, exitCode: EXIT_USAGE });
  }
  // From here on safe-pip reads indexes and fetches files itself: Ctrl-C ends it as it ends pip.
  const stopCancelling = options.explain === null ? cancelLikePip() : () => undefined;
  try {
    return await interceptPlanned(parsed, stripped, { realPip, options, env, flagMinAge: withoutMinAge.minAge, cwd, facts, noRequirement, noRequirementError });
  } finally {
    stopCancelling();
  }
}

async function interceptPlanned(
  parsed: Awaited<ReturnType<typeof parseForPip>>,
  stripped: ReturnType<typeof stripAllowFlags>,
  run: {
    realPip: string;
    options: InterceptOptions;
    env: NodeJS.ProcessEnv;
    /** The --safe-pip-min-age flag's value (cooldown-settings.ts), or null. */
    flagMinAge: string | null;
    cwd: string;
    facts: Awaited<ReturnType<typeof probeInterpreter>>;
    noRequirement: boolean;
    noRequirementError: () => number;
  },
): Promise<number> {
  const { realPip, options, env, flagMinAge, cwd, facts, noRequirement, noRequirementError } = run;
  const { settings } = parsed;
  const quiet = settings.quiet > 0 && settings.verbosity < 0;
  const progress = await startProgress('safe-pip: checking what pip would build…', { env, silent: quiet || options.explain !== null });
  const warn = (m: string): void => {
    if (!quiet) progress.line(`safe-pip: ${m}`);
  };
  const input = { argv: stripped.argv, facts, env, cwd, prog: 'pip', flagAllowBuild: stripped.names, flagMinAge, warn };
  const analysis = await analyze(input, parsed).finally(() => progress.stop());
  if (noRequirement) {
    await analysis.reader.close();
    return noRequirementError();
  }
  try {
    if (options.explain !== null) {
      const invocation = analysis.plan.refused ? null : pipInvocation(analysis, '<temp>', new Map(), { asPlanned: true });
      const shown = { plan: analysis.plan, pipArgs: invocation?.args ?? null, pipEnv: invocation?.envChanges ?? {}, beyondPip: analysis.beyondPip };
      process.stdout.write(options.explain.json ? explainJson(shown) : explainText(shown));
      // The same code the command itself would exit with, so `explain` can gate a CI job.
      return analysis.plan.refused ? EXIT_REFUSED : 0;
    }
    const reanalyze = (learnt: StepResults) => analyze({ ...input, learnt }, parsed);
    return await carryOut(analysis, { realPip, env, cwd, quiet, verbose: settings.verbosity > 0, stderr: process.stderr }, reanalyze);
  } finally {
    await analysis.reader.close();
  }
}

/** Why `explain` hands a command line to pip unchanged, in the user's terms. */
function unchangedBecause(model: { outcome: string; command: string | null; commandHelp: boolean }): string {
  if (model.outcome === 'help' || model.commandHelp) return `it only prints pip's help${model.command === null ? '' : ` for \`pip ${model.command}\``}`;
  if (model.outcome === 'version') return "it only prints pip's version";
  return `\`pip ${model.command ?? ''}\` cannot build anything`;
}
