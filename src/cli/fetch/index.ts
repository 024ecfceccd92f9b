// `safe-pip fetch`: download the distribution files `pip download` would choose — wheels where pip
// would take a wheel, the raw sdist where pip would take (and build) an sdist — for the
// requirements and, unless --no-deps, their dependencies. Never runs pip or any package code.
// The target interpreter is the real pip's (probed once, cached) when one is found, otherwise it
// is described from Node and --python-version. pip's configuration and PIP_* variables apply as
// they would to `pip download`.
// On an interactive terminal a spinner shows the resolution and then `downloading k/n files`, the
// bytes written and the rate (src/report/spinner.ts, download-progress.ts); in pipes, in CI, with --json or -q there is none. Downloads run a few
// at a time (the transport bounds the connections); the summary keeps the plan's order.
import { mkdir } from 'node:fs/promises';
import { resolve as resolvePath } from 'node:path';
import { parseOptparse, OptparseError } from '../../pip/optparse.js';
import type { OptionSpec } from '../../pip/option-spec.js';
import { PipUsageError } from '../../pip/pip-usage-error.js';
import { findRealPip } from '../../io/real-pip.js';
import { probeInterpreter } from '../../io/interpreter-probe.js';
import { preloadIndexClient } from '../../io/index-client.js';
import { SafePipError } from '../../errors.js';
import { EXIT_USAGE } from '../../exit-codes.js';
import type { InterpreterFacts } from '../../standards/interpreter-facts.js';
import { SpecifierSet } from '../../standards/specifiers.js';
import { findCandidates } from '../../resolve/finder.js';
import type { SourcedFile } from '../../resolve/index-reader.js';
import { linkFromUrl } from '../../standards/simple-api.js';
import { redactUrl } from '../../io/redact-url.js';
import type { CliContext } from '../context.js';
import { analyze, parseForPip, userFormatControl, type Analysis } from '../intercept/analyze.js';
import { stripMinAgeFlag } from '../intercept/cooldown-settings.js';
import { finderContextFor } from '../../resolve/resolution-session.js';
import { nodeInterpreterFacts } from './node-facts.js';
import { fetchUsage, fetchSummary, type FetchedFile } from './report.js';
import { startProgress, type Progress } from '../../report/spinner.js';
import { trackDownloads } from './download-progress.js';

/** Files written at the same time: enough to overlap network and disk, few enough for file handles. */
const DOWNLOAD_WORKERS = 8;

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

const PASS_AS_PIP_OPTION = new Set(['requirement', 'constraint', 'index-url', 'extra-index-url', 'find-links', 'no-index', 'no-deps', 'pre', 'prefer-binary', 'uploaded-prior-to', 'platform', 'python-version', 'implementation', 'abi', 'timeout', 'retries', 'cert', 'client-cert', 'trusted-host']);

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

interface FetchRun {
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
  const { context, dest, quiet, progress } = run;
  const env = context.env;
  const cwd = process.cwd();
  const facts = await targetFacts(context, run.pythonVersion, occurrences.some((o) => o.spec.dest === 'platform'), !occurrences.some((o) => o.spec.dest === 'no-index'));

  // The same request as `pip download`, so pip's own option grammar, config and env apply.
  const pipArgv = ['download', '-d', dest];
  for (const occurrence of occurrences) {
    if (!PASS_AS_PIP_OPTION.has(occurrence.spec.dest)) continue;
    const long = occurrence.spec.names.find((n) => n.startsWith('--'))!;
    pipArgv.push(occurrence.value === null ? long : `${long}=${occurrence.value}`);
  }
  pipArgv.push('--', ...requirements);

  let pip;
  try {
    pip = await parseForPip({ argv: pipArgv, facts, env, cwd, prog: 'safe-pip fetch' });
  } catch (error) {
    if (error instanceof PipUsageError) throw new SafePipError(`fetch: ${error.message}`, { exitCode: error.exitCode });
    throw error;
  }
  const analysis = await analyze({ argv: pipArgv, facts, env, cwd, prog: 'safe-pip fetch', flagAllowBuild: [], flagMinAge: run.minAge, warn: (m) => quiet || progress.line(`safe-pip: ${m}`) }, pip);
  try {
    await mkdir(dest, { recursive: true });
    const fetched = await fetchAll(analysis, dest, run.sdist, quiet, progress);
    progress.stop();
    process[run.json ? 'stdout' : 'stderr'].write(fetchSummary(fetched, dest, analysis.plan.notes, run.json));
    return 0;
  } finally {
    await analysis.reader.close();
  }
}

/**
 * The interpreter the fetch resolves for. With --python-version and --platform both given, the
 * options describe the target (its tags and Requires-Python), so no Python is started at all
 * (issue 12 §3) and the rest comes from Node, as on a machine without Python. Otherwise the real
 * pip's interpreter (probed once, then cached), and Node only when there is none.
 */
async function targetFacts(context: CliContext, pythonVersion: string | undefined, platformGiven: boolean, asksIndex: boolean): Promise<InterpreterFacts> {
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
      return await probeInterpreter(realPip, { env: context.env, ...(asksIndex ? { whileProbing: preloadIndexClient } : {}) });
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

interface Download {
  name: string;
  version: string | null;
  entry: () => Promise<SourcedFile>;
}

async function fetchAll(analysis: Analysis, dest: string, sdist: boolean, quiet: boolean, progress: Progress): Promise<FetchedFile[]> {
  const downloads: Download[] = [];
  for (const pkg of analysis.plan.packages) {
    downloads.push({
      name: pkg.name,
      version: pkg.version,
      entry: async () => {
        const files = (await analysis.reader.projectFiles(pkg.name)).files;
        const entry = sdist && pkg.kind === 'wheel' ? sdistOf(analysis, pkg.name, pkg.version, files) : files.find((f) => f.file.url === pkg.url);
        if (entry === undefined) throw new SafePipError(`${pkg.name} ${pkg.version}: the index no longer lists ${pkg.filename}`);
        return entry;
      },
    });
  }
  for (const fetch of analysis.plan.fetches) {
    if (analysis.plan.packages.some((p) => p.url === fetch.url)) continue;
    const entry: SourcedFile = { file: linkFromUrl(fetch.url), origin: { kind: 'find-links-file', location: redactUrl(fetch.url), page: null } };
    downloads.push({ name: fetch.name, version: null, entry: async () => entry });
  }

  const fetched: Array<FetchedFile | undefined> = new Array(downloads.length);
  const tracker = trackDownloads(progress, dest, downloads.length);
  const save = async (download: Download, index: number): Promise<void> => {
    const entry = await download.entry();
    const result = await analysis.reader.downloadFile(entry, dest, analysis.userHashes.get(download.name));
    fetched[index] = { name: download.name, version: download.version, filename: entry.file.filename, path: result.path, sha256: result.sha256, size: result.size, via: result.via, url: redactUrl(entry.file.url) };
    tracker.fileDone(result.size, result.via !== 'existing');
    if (!quiet) progress.line(`safe-pip: saved ${result.path}`);
  };
  // A few workers over the list; after the first failure no new download starts, the ones under
  // way finish (each is complete or removed: file-download.ts), then the failure is reported.
  let next = 0;
  let failure: { error: unknown } | null = null;
  const worker = async (): Promise<void> => {
    while (failure === null && next < downloads.length) {
      const index = next++;
      try {
        await save(downloads[index]!, index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(DOWNLOAD_WORKERS, downloads.length) }, worker)).finally(() => tracker.stop());
  if (failure !== null) throw (failure as { error: unknown }).error;
  return fetched.filter((f): f is FetchedFile => f !== undefined);
}

/** The chosen version's sdist, chosen among that version's sdists as pip's finder would order them. */
function sdistOf(analysis: Analysis, name: string, version: string, files: readonly SourcedFile[]): SourcedFile {
  const formats = userFormatControl(analysis.settings, analysis.fileEvents).clone();
  formats.apply('no_binary', ':all:', { kind: 'default' });
  const context = finderContextFor({
    facts: analysis.facts,
    pipVersion: analysis.facts.pipVersion,
    targetPython: analysis.settings.targetPython,
    formatControl: formats,
    preferBinary: false,
    ignoreRequiresPython: false,
    prereleases: () => true,
  });
  const best = findCandidates(name, files, { specifier: SpecifierSet.parse(`==${version}`, null, context.versionRules), hashes: null }, context).ordered[0];
  if (best === undefined) {
    throw new SafePipError(`${name} ${version} has no source archive on the index`, { hint: 'drop --sdist to fetch the wheel instead' });
  }
  return best.entry;
}

