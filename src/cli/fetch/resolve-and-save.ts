// `safe-pip fetch` once the target interpreter is known (index.ts): the same request as `pip
// download` analysed as pip would see it (its option grammar, config and environment), then the
// plan's files saved into the destination. Downloads run a few at a time (the transport bounds the
// connections); the summary keeps the plan's order. A module of its own so that loading it (the
// resolver, the index client, the finder) overlaps the interpreter probe.
import { mkdir } from 'node:fs/promises';
import type { parseOptparse } from '../../pip/optparse.js';
import { PipUsageError } from '../../pip/pip-usage-error.js';
import { SafePipError } from '../../errors.js';
import type { InterpreterFacts } from '../../standards/interpreter-facts.js';
import { SpecifierSet } from '../../standards/specifiers.js';
import { findCandidates } from '../../resolve/finder.js';
import type { SourcedFile } from '../../resolve/index-reader.js';
import { linkFromUrl } from '../../standards/simple-api.js';
import { redactUrl } from '../../io/redact-url.js';
import { analyze, parseForPip, userFormatControl, type Analysis } from '../intercept/analyze.js';
import { finderContextFor } from '../../resolve/resolution-session.js';
import { fetchSummary, type FetchedFile } from './report.js';
import type { Progress } from '../../report/spinner.js';
import { trackDownloads } from './download-progress.js';
import type { FetchRun } from './index.js';

/** Files written at the same time: enough to overlap network and disk, few enough for file handles. */
const DOWNLOAD_WORKERS = 8;

const PASS_AS_PIP_OPTION = new Set(['requirement', 'constraint', 'index-url', 'extra-index-url', 'find-links', 'no-index', 'no-deps', 'pre', 'prefer-binary', 'uploaded-prior-to', 'platform', 'python-version', 'implementation', 'abi', 'timeout', 'retries', 'cert', 'client-cert', 'trusted-host']);

/** Resolves the requirements for `facts` as `pip download` would, and saves the files it picks. */
export async function resolveAndSave(occurrences: ReturnType<typeof parseOptparse>['occurrences'], requirements: readonly string[], facts: InterpreterFacts, run: FetchRun): Promise<number> {
  const { context, dest, quiet, progress } = run;
  const env = context.env;
  const cwd = process.cwd();

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

