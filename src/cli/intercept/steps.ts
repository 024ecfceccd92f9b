// The two steps that may run before the main pip run (policy/plan.ts): `build` (an allowed
// project that only has a source archive, built alone with `pip wheel --no-deps` into a private
// wheel directory, build dependencies binary-only) and `prepare` (pip prepares the metadata of a
// project it will build anyway, with `pip install --dry-run --no-deps --report`, so that its
// dependencies can be checked before the main run). Both run the real pip with the user's index
// settings and the requirement sources of the user's command switched off, and write nothing
// on stdout (that belongs to the main run: `pip lock -o -`, `--report -`).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runPip } from '../../io/run-pip.js';
import { SafePipError } from '../../errors.js';
import { parseWheelFilename } from '../../standards/wheel-filename.js';
import { normalizeName } from '../../standards/names.js';
import { wheelParserFor } from '../../resolve/resolution-session.js';
import type { Plan } from '../../policy/plan.js';
import type { Analysis, PreparedMetadata } from './analyze.js';
import { preparationKey } from './analyze.js';
import { ONLY_BINARY_ALL } from './configured-files.js';

export interface StepContext {
  realPip: string;
  env: NodeJS.ProcessEnv;
  cwd: string;
  quiet: boolean;
  stderr: NodeJS.WritableStream;
}

/** Requirement sources pip reads from the environment (and, through it, from config files). */
const SOURCE_VARIABLES = ['PIP_REQUIREMENT', 'PIP_CONSTRAINT', 'PIP_EDITABLE', 'PIP_GROUP', 'PIP_REQUIREMENTS_FROM_SCRIPT'];

/** Builds each allowed project into `wheelsDir`; returns the canonical names built. */
export async function runBuildStep(analysis: Analysis, builds: Plan['builds'], wheelsDir: string, context: StepContext): Promise<string[]> {
  const built: string[] = [];
  for (const build of builds) {
    const before = new Set(readdirSync(wheelsDir));
    if (!context.quiet) {
      context.stderr.write(`safe-pip: building ${build.requirement} on its own (allowed by name); its build dependencies stay binary-only\n`);
    }
    const args = ['wheel', '--no-deps', '--wheel-dir', wheelsDir, ...quietFlags(context), ...indexArguments(analysis), ONLY_BINARY_ALL, `--no-binary=${build.name}`, build.requirement];
    await runStep(args, `building ${build.requirement}`, context);
    const fresh = readdirSync(wheelsDir).filter((f) => !before.has(f) && f.endsWith('.whl'));
    const parser = wheelParserFor(analysis.facts.pipVersion);
    const match = fresh.find((f) => {
      try {
        return normalizeName(parseWheelFilename(f, { parser }).name) === build.name;
      } catch {
        return false;
      }
    });
    if (match === undefined) {
      throw new SafePipError(`pip built ${build.requirement} but left no wheel for ${build.name} in ${wheelsDir}; the main pip run did not start.`);
    }
    built.push(build.name);
  }
  return built;
}

/** Has pip prepare each project's metadata; returns it by preparationKey(). */
export async function runPrepareStep(
  analysis: Analysis,
  preparations: Plan['preparations'],
  tempDir: string,
  context: StepContext,
): Promise<Map<string, PreparedMetadata>> {
  const out = new Map<string, PreparedMetadata>();
  for (const [index, preparation] of preparations.entries()) {
    const shown = `${preparation.editable ? '-e ' : ''}${preparation.requirement}`;
    if (!context.quiet) context.stderr.write(`safe-pip: asking pip for the metadata of ${shown} before it is installed (${preparation.why})\n`);
    const report = join(tempDir, `prepare-${index}.json`);
    const target = preparation.editable ? ['-e', preparation.requirement] : [preparation.requirement];
    const args = [
      'install', '--dry-run', '--ignore-installed', '--no-deps', '--quiet', '--report', report,
      ...indexArguments(analysis), ONLY_BINARY_ALL, ...target,
    ];
    await runStep(args, `preparing the metadata of ${shown}`, context);
    out.set(preparationKey(preparation.requirement, preparation.editable), metadataFromReport(report, shown));
  }
  return out;
}

async function runStep(args: string[], what: string, context: StepContext): Promise<void> {
  const env: NodeJS.ProcessEnv = { ...context.env };
  for (const variable of SOURCE_VARIABLES) env[variable] = '';
  const code = await runPip(context.realPip, args, { env, cwd: context.cwd, stdout: 'stderr' });
  if (code !== 0) {
    throw new SafePipError(`pip failed while ${what} (exit code ${code}); the main pip run did not start.`, { exitCode: code });
  }
}

function quietFlags(context: StepContext): string[] {
  return context.quiet ? ['--quiet'] : [];
}

/**
 * The index settings a step's pip would not read by itself: those on the user's command line and
 * in requirements-file option lines (config files and PIP_* variables it reads as the main run
 * does), plus the private directory of wheels built so far.
 */
export function indexArguments(analysis: Analysis): string[] {
  const { settings, fileEvents, learnt } = analysis;
  const onCommandLine = (dest: string): boolean => settings.sourcesOf(dest).at(-1)?.kind === 'cli';
  const cliValues = (list: { value: string; source: { kind: string } }[]): string[] => list.filter((item) => item.source.kind === 'cli').map((item) => item.value);
  const out: string[] = [];
  if (onCommandLine('no_index') && settings.noIndex) out.push('--no-index');
  if (settings.indexUrl !== null && settings.indexUrl.source.kind === 'cli') out.push('--index-url', settings.indexUrl.value);
  for (const url of cliValues(settings.extraIndexUrls)) out.push('--extra-index-url', url);
  for (const location of cliValues(settings.findLinks)) out.push('--find-links', location);
  for (const host of cliValues(settings.trustedHosts)) out.push('--trusted-host', host);
  for (const [dest, option, value] of [
    ['cert', '--cert', settings.cert],
    ['client_cert', '--client-cert', settings.clientCert],
    ['proxy', '--proxy', settings.proxy],
    ['timeout', '--timeout', settings.timeout],
    ['retries', '--retries', settings.retries],
  ] as const) {
    if (value !== null && onCommandLine(dest)) out.push(option, String(value));
  }
  if (onCommandLine('pre') && settings.pre) out.push('--pre');
  for (const event of fileEvents) {
    if (event.kind === 'index-url') out.push('--index-url', event.value);
    else if (event.kind === 'extra-index-url') out.push('--extra-index-url', event.value);
    else if (event.kind === 'find-links') out.push('--find-links', event.value);
    else if (event.kind === 'trusted-host') out.push('--trusted-host', event.value);
    else if (event.kind === 'no-index') out.push('--no-index');
    else if (event.kind === 'pre') out.push('--pre');
  }
  if (learnt.builtWheelsDir !== null) out.push('--find-links', learnt.builtWheelsDir);
  return out;
}

/** The one project in a `--report` of `install --dry-run --no-deps`. */
function metadataFromReport(path: string, shown: string): PreparedMetadata {
  let item: { metadata?: { name?: unknown; version?: unknown; requires_dist?: unknown } } | undefined;
  try {
    const report = JSON.parse(readFileSync(path, 'utf8')) as { install?: typeof item[] };
    item = report.install?.[0];
  } catch (error) {
    throw new SafePipError(`could not read pip's report for ${shown}: ${(error as Error).message}`, { cause: error });
  }
  const metadata = item?.metadata;
  if (metadata === undefined || typeof metadata.name !== 'string' || typeof metadata.version !== 'string') {
    throw new SafePipError(`pip's report for ${shown} names no project; the main pip run did not start.`);
  }
  const requires = Array.isArray(metadata.requires_dist) ? metadata.requires_dist.filter((r): r is string => typeof r === 'string') : [];
  return { name: metadata.name, version: metadata.version, requiresDist: requires };
}
