// Carrying out a plan (the I/O half of policy/plan.ts): the prepare and build steps first, each
// round followed by a new plan made with what they taught (until a plan needs neither, or is
// refused); then fetch raw files, copy local archives, and run the real pip with the rewritten
// command line. Files are written to temporary names and
// renamed into place by the index client; temporary pip inputs live in a private temp directory
// that is removed afterwards.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runPip } from '../../io/run-pip.js';
import { combinedRules } from '../../io/line-rewriting-stream.js';
import { forgetOnInterrupt, removeOnInterrupt } from '../../io/file-download.js';
import { EXIT_REFUSED } from '../../exit-codes.js';
import { explainText, notesText, refusalText } from '../../report/plan-report.js';
import { preparationKey, type Analysis, type PreparedMetadata, type StepResults } from './analyze.js';
import { SafePipError } from '../../errors.js';
import { builtWheelsDir, pipInvocation } from './pip-invocation.js';
import { runBuildStep, runPrepareStep } from './steps.js';
import { saveDownloadFiles, stageWheels, verifyHandedOffWheels, type SavedDownloadFiles, type StagedWheels } from './download-step.js';
import { installsFromStaging, stagedWheelsDir } from './install-staging.js';
import { checkStagedWheelHashes } from './staged-hash-check.js';
import { indexesLine, pinsFileLines, stagedWheelLines, type StagedWheelOrigin } from '../../report/hand-off-lines.js';
import { downloadedStartupCode, wheelsSavedByDownload } from './downloaded-startup-code.js';

export interface ExecuteContext {
  realPip: string;
  env: NodeJS.ProcessEnv;
  cwd: string;
  quiet: boolean;
  /** -v: the plan and pip's exact command line are shown before pip runs. */
  verbose: boolean;
  stderr: NodeJS.WritableStream;
}

/** The plan made again with what the steps taught (execute.ts never parses or resolves itself). */
export type Reanalyze = (learnt: StepResults) => Promise<Analysis>;

/** More rounds than this means the steps keep asking for more: something is wrong, so stop. */
const MAX_STEP_ROUNDS = 10;

export async function carryOut(first: Analysis, context: ExecuteContext, reanalyze: Reanalyze): Promise<number> {
  const tempDir = await mkdtemp(join(tmpdir(), 'safe-pip-run-'));
  const later: Analysis[] = [];
  try {
    let analysis = first;
    const builtNames = new Set<string>();
    const prepared = new Map<string, PreparedMetadata>();
    const wheelsDir = builtWheelsDir(tempDir);
    for (let round = 0; ; round += 1) {
      const { plan } = analysis;
      if (plan.refused) {
        context.stderr.write(refusalText(plan.refusals));
        return EXIT_REFUSED;
      }
      if (plan.preparations.length === 0 && plan.builds.length === 0) break;
      // A step asked for twice would only repeat itself: stop and say which.
      const rebuilt = plan.builds.find((b) => builtNames.has(b.name));
      const reprepared = plan.preparations.find((p) => prepared.has(preparationKey(p.requirement, p.editable)));
      if (rebuilt !== undefined) {
        throw new SafePipError(`${rebuilt.name} was built from source, but the requirements still cannot be met from wheels; the main pip run did not start.`);
      }
      if (reprepared !== undefined || round >= MAX_STEP_ROUNDS) {
        throw new SafePipError(`the plan still needed the metadata of ${reprepared?.requirement ?? 'more projects'} after ${round} rounds of preparing; the main pip run did not start.`);
      }
      for (const [key, metadata] of await runPrepareStep(analysis, plan.preparations, tempDir, context)) prepared.set(key, metadata);
      if (plan.builds.length > 0) {
        await mkdir(wheelsDir, { recursive: true });
        for (const name of await runBuildStep(analysis, plan.builds, wheelsDir, context)) builtNames.add(name);
      }
      analysis = await reanalyze({ builtWheelsDir: builtNames.size > 0 ? wheelsDir : null, builtNames, prepared });
      later.push(analysis);
    }
    return await runMainPip(analysis, context, tempDir);
  } finally {
    for (const analysis of later) await analysis.reader.close();
    await rm(tempDir, { recursive: true, force: true });
  }
}

async function runMainPip(analysis: Analysis, context: ExecuteContext, tempDir: string): Promise<number> {
  if (!context.quiet && !context.verbose) context.stderr.write(notesText(analysis.plan));
  let download: SavedDownloadFiles | null = null;
  let staged: StagedWheels = new Map<string, string>();
  if (analysis.plan.command === 'download' || installsFromStaging(analysis)) {
    // safe-pip downloads here itself: an interruption removes the run's private directory too.
    removeOnInterrupt(tempDir);
    try {
      if (analysis.plan.command === 'download') {
        download = await saveDownloadFiles(analysis, { ...context, tempDir });
        staged = download.staged;
      } else {
        staged = await stageInstall(analysis, tempDir);
      }
    } finally {
      forgetOnInterrupt(tempDir);
    }
  }
  const invocation = pipInvocation(analysis, tempDir, staged);
  if (context.verbose) {
    const plan = explainText({ plan: analysis.plan, pipArgs: invocation?.args ?? null, pipEnv: invocation?.envChanges ?? {} });
    context.stderr.write(plan.replace(/^safe-pip plan/, 'plan').replace(/^(?=.)/gm, 'safe-pip: '));
  }
  if (invocation === null) {
    if (download !== null) await reportStartupCode(analysis, download, context);
    return 0;
  }
  for (const file of invocation.files) {
    await mkdir(dirname(file.path), { recursive: true });
    await writeFile(file.path, file.bytes);
  }
  const env: NodeJS.ProcessEnv = { ...context.env };
  for (const [name, value] of Object.entries(invocation.envChanges)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  // pip names a staged wheel by its private path ("Processing /tmp/…"),
  // and a pin it fetches itself by safe-pip's pins file: both are said in the user's terms instead.
  const pinsRules = invocation.pinsFile === undefined ? null : pinsFileLines(invocation.pinsFile.path, invocation.pinsFile.origins);
  const locations = invocation.stagedAt === undefined ? null : { given: invocation.stagedAt, indexesLine: indexesLine(analysis.index.indexUrls, analysis.index.noIndex) };
  const stdoutRules = combinedRules([staged.size > 0 ? stagedWheelLines(stagedOrigins(analysis, staged), context.cwd, locations) : null, pinsRules]);
  const code = await runPip(context.realPip, invocation.args, {
    env,
    cwd: context.cwd,
    ...(stdoutRules === null ? {} : { rewriteStdout: stdoutRules }),
    ...(pinsRules === null || !invocation.pinsFile!.pipFetches ? {} : { rewriteStderr: pinsRules }),
  });
  if (code === 0 && download !== null) {
    await verifyHandedOffWheels(analysis, staged, context.cwd);
    await reportStartupCode(analysis, download, context);
  }
  return code;
}

/** download: start-up code in the wheels this run saved, one warning line each (downloaded-startup-code.ts). */
async function reportStartupCode(analysis: Analysis, download: SavedDownloadFiles, context: ExecuteContext): Promise<void> {
  if (context.quiet) return;
  const wheels = wheelsSavedByDownload(analysis, download.dest, download.staged, download.saved);
  for (const line of await downloadedStartupCode(wheels, context.env)) context.stderr.write(`safe-pip: ${line}\n`);
}

function stagedOrigins(analysis: Analysis, staged: StagedWheels): Map<string, StagedWheelOrigin> {
  const origins = new Map<string, StagedWheelOrigin>();
  for (const pkg of analysis.plan.packages) {
    const path = staged.get(pkg.name);
    if (path !== undefined) origins.set(path, { name: pkg.name, version: pkg.version, url: pkg.url });
  }
  return origins;
}

/**
 * install's wheels, staged for pip's --find-links (install-staging.ts): all of them, or none when
 * one could not be fetched (pip then fetches everything itself, as without staging). The user's
 * --hash values are checked here, so that a mismatch names the index URL, not the private copy.
 */
async function stageInstall(analysis: Analysis, tempDir: string): Promise<StagedWheels> {
  const { staged, complete } = await stageWheels(analysis, stagedWheelsDir(tempDir));
  if (!complete) return new Map<string, string>();
  if (analysis.hashChecking) await checkStagedWheelHashes(analysis, staged);
  return staged;
}
