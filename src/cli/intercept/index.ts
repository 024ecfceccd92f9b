// The protection, end to end, for one pip command line that may build something: parse it as the
// real pip would, read what pip would read, decide, then carry it out — or, for `explain`, print
// the plan and touch nothing. A command line pip would reject is reported in pip's own words and
// never handed to the real pip.
import { probeInterpreter } from '../../io/interpreter-probe.js';
import { runPip } from '../../io/run-pip.js';
import { PipUsageError } from '../../pip/pip-usage-error.js';
import { pipRunCheck } from '../../pip/run-checks.js';
import { explainJson, explainText } from '../../report/plan-report.js';
import type { CliContext } from '../context.js';
import { stripAllowFlags } from './allow-list.js';
import { analyze, parseForPip, type StepResults } from './analyze.js';
import { carryOut } from './execute.js';
import { pipInvocation } from './pip-invocation.js';
import { EXIT_REFUSED } from '../../exit-codes.js';
import { startProgress } from '../../report/spinner.js';

export const DISABLE_ENV = 'SAFE_PIP_DISABLE';

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
  const stripped = stripAllowFlags(argv);
  const facts = await probeInterpreter(realPip, { env });
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
      process.stdout.write(options.explain.json ? `${JSON.stringify({ command: model.command, actions: ['pip'], pipArgs: stripped.argv, refused: false, targets: [], packages: [] }, null, 2)}\n` : 'pip runs unchanged: this command cannot build anything.\n');
      return 0;
    }
    return runPip(realPip, stripped.argv, { env });
  }
  const quiet = settings.quiet > 0 && settings.verbosity < 0;
  const progress = await startProgress('safe-pip: checking what pip would build…', { env, silent: quiet || options.explain !== null });
  const warn = (m: string): void => {
    if (!quiet) progress.line(`safe-pip: ${m}`);
  };
  const input = { argv: stripped.argv, facts, env, cwd, prog: 'pip', flagAllowBuild: stripped.names, warn };
  const analysis = await analyze(input, parsed).finally(() => progress.stop());
  try {
    if (options.explain !== null) {
      const invocation = analysis.plan.refused ? null : pipInvocation(analysis, '<temp>');
      const shown = { plan: analysis.plan, pipArgs: invocation?.args ?? null, pipEnv: invocation?.envChanges ?? {} };
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
