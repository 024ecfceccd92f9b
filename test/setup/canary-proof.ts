// The canary proof of the shell integration (issue 5 §5): one loopback index serving the PEP 517
// canary sdist (its build backend leaves a marker in $CANARY_DIR as soon as pip imports it, which
// plain `pip download` does to read its metadata — pip-behaviour.md §9), and a way to run many
// `<command> download canary -d DIR` lines in ONE shell process, each with its own marker
// directory and destination, so a test can prove in the same shell that the plain command (the
// real pip, `command pip`) runs the canary and the same words through the integration do not.
//
// The shells run asynchronously (execa): the index server lives in this test process, so a
// spawnSync would block it and the pip inside the shell would wait for it forever.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import type { BuiltDistribution } from '../helpers/archives.js';
import { buildCanarySdist, canaryMarkers } from '../helpers/canary.js';
import { startIndexServer, type IndexServer } from '../helpers/index-server.js';
import { PLAIN_PIP_ENV } from '../helpers/run-cli.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { quoteSh } from '../../src/setup/shell-quote.js';

/** The directory of the machine's `python3` (pyenv): its pip, pip3, python and python3 are real. */
export const REAL_PYTHON_BIN = dirname(
  execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim(),
);

export interface CanaryWorld {
  server: IndexServer;
  index: string;
  sdist: BuiltDistribution;
  close(): Promise<void>;
}

export async function startCanaryWorld(): Promise<CanaryWorld> {
  const sdist = await buildCanarySdist({ style: 'pep517' });
  const server = await startIndexServer({ projects: { canary: [sdist] } });
  return { server, index: server.indexUrl(), sdist, close: () => server.close() };
}

/** Variables every proof shell gets: the loopback index, no cache (a cached build hides the next). */
export function canaryWorldEnv(world: CanaryWorld): Record<string, string> {
  return { ...PLAIN_PIP_ENV, PIP_INDEX_URL: world.index };
}

export type ProofShell = 'bash' | 'zsh' | 'fish' | 'sh';

export interface ProofRun {
  /** The words typed before ` download canary -d DIR` (e.g. `command pip`, `python3 -m pip`). */
  command: string;
  markerDir: string;
  dest: string;
}

export interface ProofOutcome extends ProofRun {
  /** The command's exit status as the shell saw it (null: the line never ran). */
  status: number | null;
  markers: string[];
  files: string[];
}

export interface ProofSession {
  runs: ProofOutcome[];
  stdout: string;
  stderr: string;
}

function quoteFor(shell: ProofShell, text: string): string {
  // Single quotes without ' or \ inside mean the same in fish and sh (temp paths have neither).
  if (/['\\]/.test(text)) throw new Error(`cannot quote ${text} for ${shell}`);
  return `'${text}'`;
}

/** The script line of run `i`: its CANARY_DIR, the command, and a status line on stdout. */
function runLine(shell: ProofShell, run: ProofRun, i: number): string {
  const status = shell === 'fish' ? '$status' : '$?';
  const setDir = shell === 'fish' ? `set -gx CANARY_DIR ${quoteFor(shell, run.markerDir)}` : `export CANARY_DIR=${quoteSh(run.markerDir)}`;
  return `${setDir}; ${run.command} download canary -d ${quoteFor(shell, run.dest)}; echo "@@run ${i} ${status}"`;
}

export function proofRuns(commands: readonly string[]): ProofRun[] {
  return commands.map((command) => ({ command, markerDir: makeTempDir('canary-marks-'), dest: makeTempDir('canary-dest-') }));
}

/**
 * Runs `before` (activation, setup output...), then every run, in one `shell` process: `-i -c`
 * for bash/zsh/fish (the rc file is read, as in a terminal), `-c` for sh.
 */
export async function runProofSession(
  shell: ProofShell,
  runs: readonly ProofRun[],
  env: NodeJS.ProcessEnv,
  options: { before?: string; after?: string } = {},
): Promise<ProofSession> {
  const lines = [options.before ?? '', ...runs.map((run, i) => runLine(shell, run, i)), options.after ?? ''].filter((l) => l !== '');
  const args = shell === 'sh' ? ['-c', lines.join('\n')] : ['-i', '-c', lines.join('\n')];
  const result = await execa(shell, args, { env, extendEnv: false, input: '', reject: false, timeout: 180_000 });
  const stdout = String(result.stdout ?? '');
  const statuses = new Map<number, number>();
  for (const m of stdout.matchAll(/^@@run (\d+) (\d+)$/gm)) statuses.set(Number(m[1]), Number(m[2]));
  return {
    stdout,
    stderr: String(result.stderr ?? ''),
    runs: runs.map((run, i) => ({
      ...run,
      status: statuses.get(i) ?? null,
      markers: canaryMarkers(run.markerDir),
      files: existsSync(run.dest) ? readdirSync(run.dest).sort() : [],
    })),
  };
}

export function describeSession(session: ProofSession, run?: ProofOutcome): string {
  const head =
    run === undefined
      ? ''
      : `\`${run.command} download canary\`: status ${run.status}, markers [${run.markers.join(', ')}], files [${run.files.join(', ')}]\n`;
  return `${head}--- stdout\n${session.stdout}\n--- stderr\n${session.stderr}`;
}

/** The files `run` left in its destination are exactly the served sdist, byte for byte. */
export function holdsRawSdist(run: ProofOutcome, sdist: BuiltDistribution): boolean {
  return (
    run.files.length === 1 &&
    run.files[0] === sdist.filename &&
    readFileSync(join(run.dest, sdist.filename)).equals(sdist.data)
  );
}
