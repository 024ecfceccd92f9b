// The world the protection vectors (issue 4 §4) run in: one loopback index holding canary sdists
// (whose code leaves a marker in $CANARY_DIR when any of it runs) next to ordinary wheels, and two
// ways to run a pip command line against it — plain pip (the canary must fire, or the vector proves
// nothing) and the same command line through safe-pip (it must not, unless the policy says the
// user's own project builds). Each run gets its own marker directory and destination directory.
//
// Projects on the index (all version 1.0 unless said):
//   canary      PEP 517 canary, sdist only (tar.gz)
//   zipcanary   PEP 517 canary, sdist only (.zip)
//   stcanary    setuptools canary (setup.py only), sdist only; setuptools + stand-in wheel served
//   app         wheel, Requires-Dist: canary
//   host        wheel, Requires-Dist: canary; extra == "build"
//   newer       1.0 wheel, 2.0 PEP 517 canary sdist (the newest version has no wheel)
//   both        1.0 wheel and 1.0 PEP 517 canary sdist (format control decides)
//   tiny        wheel, no dependencies
//   dropper     wheel, Requires-Dist: canary @ <this index's canary-1.0.tar.gz> (§9.3 case o)
import { afterAll, beforeAll } from 'vitest';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { expect } from 'vitest';
import type { BuiltDistribution } from '../helpers/archives.js';
import { buildCanarySdist, buildDependencyWheels, buildDropperWheel, canaryEnv, canaryMarkers } from '../helpers/canary.js';
import { startIndexServer, type IndexServer } from '../helpers/index-server.js';
import { PLAIN_PIP_ENV, runCommand, runPlainPip, type RunResult } from '../helpers/run-cli.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { buildWheel } from '../helpers/wheel-builder.js';

export const SAFE_PIP = join(process.cwd(), 'bin', 'safe-pip');
export const PIP3_LAUNCHER = join(process.cwd(), 'bin', 'pip3');
export const PIP_LAUNCHER = join(process.cwd(), 'bin', 'pip');
export const EXIT_REFUSED = 42;

/** The pip the machine's `python3` runs (pyenv), which safe-pip is pointed at. */
export const REAL_PIP = execFileSync('python3', ['-c', 'import sys,os;print(os.path.join(os.path.dirname(sys.executable),"pip"))'], {
  encoding: 'utf8',
}).trim();

export type Command = 'download' | 'install' | 'wheel';
export const COMMANDS: readonly Command[] = ['download', 'install', 'wheel'];

export interface VectorWorld {
  server: IndexServer;
  index: string;
  dists: Record<string, BuiltDistribution>;
  close(): Promise<void>;
}

export async function startVectorWorld(): Promise<VectorWorld> {
  const dists: Record<string, BuiltDistribution> = {
    canary: await buildCanarySdist({ style: 'pep517' }),
    zipcanary: await buildCanarySdist({ style: 'pep517', name: 'zipcanary', format: 'zip' }),
    stcanary: await buildCanarySdist({ style: 'setuptools', name: 'stcanary' }),
    app: await buildWheel({ name: 'app', version: '1.0', requiresDist: ['canary'] }),
    host: await buildWheel({ name: 'host', version: '1.0', requiresDist: ['canary; extra == "build"'] }),
    newerWheel: await buildWheel({ name: 'newer', version: '1.0' }),
    newerSdist: await buildCanarySdist({ style: 'pep517', name: 'newer', version: '2.0' }),
    bothWheel: await buildWheel({ name: 'both', version: '1.0' }),
    bothSdist: await buildCanarySdist({ style: 'pep517', name: 'both' }),
    tiny: await buildWheel({ name: 'tiny', version: '1.0' }),
  };
  const [setuptools, wheel] = await buildDependencyWheels();
  const server = await startIndexServer({
    projects: {
      canary: [dists.canary!],
      zipcanary: [dists.zipcanary!],
      stcanary: [dists.stcanary!],
      app: [dists.app!],
      host: [dists.host!],
      newer: [dists.newerWheel!, dists.newerSdist!],
      both: [dists.bothWheel!, dists.bothSdist!],
      tiny: [dists.tiny!],
      setuptools: [setuptools!],
      wheel: [wheel!],
    },
  });
  dists.dropper = await buildDropperWheel(server.fileUrl(dists.canary!.filename));
  server.addFile('dropper', dists.dropper);
  return { server, index: server.indexUrl(), dists, close: () => server.close() };
}

/** The pip arguments that name the command and its destination. */
/**
 * One world per test file: started before its tests and closed after them. The object returned
 * reads through to the started world, so a test file can hold it at module level.
 */
export function useVectorWorld(): VectorWorld {
  let started: VectorWorld | undefined;
  beforeAll(async () => {
    started = await startVectorWorld();
  });
  afterAll(async () => {
    await started?.close();
  });
  const current = (): VectorWorld => {
    if (started === undefined) throw new Error('the vector world is used before it started');
    return started;
  };
  return {
    get server() {
      return current().server;
    },
    get index() {
      return current().index;
    },
    get dists() {
      return current().dists;
    },
    close: () => current().close(),
  };
}

export function commandArgs(command: Command, dest: string): string[] {
  switch (command) {
    case 'download':
      return ['download', '-d', dest];
    case 'install':
      return ['install', '--target', dest];
    case 'wheel':
      return ['wheel', '-w', dest];
  }
}

export interface Outcome {
  result: RunResult;
  /** Canary markers written during the run (`<name>-<style>-<event>`). */
  markers: string[];
  /** Names of the canary projects whose code ran. */
  fired: string[];
  dest: string;
  /** Top-level names in the destination, sorted. */
  files: string[];
}

export interface RunSpec {
  /** pip arguments after the command and its destination (`-i`, targets, flags). */
  args: string[];
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Arguments that go before the command (general options); default none. */
  before?: string[];
  /** The interpreter whose pip plain runs use (default python3); pair it with SafeRunSpec.realPip. */
  python?: string;
}

function outcome(result: RunResult, markerDir: string, dest: string): Outcome {
  const markers = canaryMarkers(markerDir);
  const fired = [...new Set(markers.map((m) => m.replace(/-(pep517|setuptools)-.*$/, '')))].sort();
  const files = existsSync(dest) ? readdirSync(dest).sort() : [];
  return { result, markers, fired, dest, files };
}

/** Plain `python3 -m pip` with a fresh marker dir and destination. */
export async function runPlain(command: Command, spec: RunSpec): Promise<Outcome> {
  const markerDir = makeTempDir('canary-dir-');
  const dest = makeTempDir('dest-plain-');
  const result = await runPlainPip([...(spec.before ?? []), ...commandArgs(command, dest), ...spec.args], {
    env: { ...canaryEnv(markerDir), ...spec.env },
    ...(spec.cwd === undefined ? {} : { cwd: spec.cwd }),
    ...(spec.python === undefined ? {} : { python: spec.python }),
  });
  return outcome(result, markerDir, dest);
}

export interface SafeRunSpec extends RunSpec {
  /** `safe-pip` runs `bin/safe-pip pip …`; `pip3`/`pip` run that launcher. Default `safe-pip`. */
  launcher?: 'safe-pip' | 'pip3' | 'pip';
  /** Whether to set SAFE_PIP_REAL_PIP (default true). */
  realPip?: string | null;
}

/** The same command line through safe-pip, pointed at the real pip. */
export async function runSafe(command: Command, spec: SafeRunSpec): Promise<Outcome> {
  const markerDir = makeTempDir('canary-dir-');
  const dest = makeTempDir('dest-safe-');
  const launcher = spec.launcher ?? 'safe-pip';
  const file = launcher === 'safe-pip' ? SAFE_PIP : launcher === 'pip3' ? PIP3_LAUNCHER : PIP_LAUNCHER;
  const prefix = launcher === 'safe-pip' ? ['pip'] : [];
  const realPip = spec.realPip === undefined ? REAL_PIP : spec.realPip;
  const result = await runCommand(file, [...prefix, ...(spec.before ?? []), ...commandArgs(command, dest), ...spec.args], {
    env: { ...PLAIN_PIP_ENV, ...(realPip === null ? {} : { SAFE_PIP_REAL_PIP: realPip }), ...canaryEnv(markerDir), ...spec.env },
    ...(spec.cwd === undefined ? {} : { cwd: spec.cwd }),
  });
  return outcome(result, markerDir, dest);
}

/** Plain pip first (its canary must fire), then safe-pip on the same command line. */
export async function runBoth(command: Command, spec: SafeRunSpec, firedByPlain: string[]): Promise<{ plain: Outcome; safe: Outcome }> {
  const plain = await runPlain(command, spec);
  expect(plain.fired, `plain pip ${command} ${spec.args.join(' ')} should run canary code\n${plain.result.stderr}`).toEqual(
    expect.arrayContaining(firedByPlain),
  );
  const safe = await runSafe(command, spec);
  return { plain, safe };
}

export function describeRun(o: Outcome): string {
  return `exit ${o.result.exitCode}\n--- stdout\n${o.result.stdout}\n--- stderr\n${o.result.stderr}\n--- markers ${o.markers.join(', ')}\n--- files ${o.files.join(', ')}`;
}

/** safe-pip ran no canary code and exited with `exitCode`. */
export function expectNoCode(o: Outcome, exitCode = 0): void {
  expect(o.fired, describeRun(o)).toEqual([]);
  expect(o.result.exitCode, describeRun(o)).toBe(exitCode);
}

/** A refusal: exit 42, nothing in the destination, the message names project, reason, requirer and the way to allow it. */
export function expectRefusal(o: Outcome, expected: { project: string; version?: string; requiredBy: RegExp | string; why?: RegExp }): void {
  expectNoCode(o, EXIT_REFUSED);
  const text = o.result.stderr;
  expect(text).toMatch(/^safe-pip: refused/m);
  expect(text).toMatch(new RegExp(`^safe-pip: +${expected.project}${expected.version === undefined ? '' : ` ${expected.version.replace(/\./g, '\\.')}`}\\b`, 'm'));
  expect(text).toMatch(expected.why ?? /run(s|ning)? (its|package) (build )?code|build code|running its code/);
  const requiredBy = /required by: (.*)$/m.exec(text)?.[1] ?? '';
  if (typeof expected.requiredBy === 'string') expect(requiredBy).toContain(expected.requiredBy);
  else expect(requiredBy).toMatch(expected.requiredBy);
  expect(text).toContain(`SAFE_PIP_ALLOW_BUILD=${expected.project}`);
  expect(text).toContain(`--safe-pip-allow-build=${expected.project}`);
  expect(o.files.filter((f) => !f.startsWith('.'))).toEqual([]);
  expect(o.result.stdout, 'pip never ran').toBe('');
}

/** A download that got the same file names as plain pip. */
export function expectSameDownload(safe: Outcome, plain: Outcome): void {
  expectNoCode(safe);
  expect(plain.result.exitCode, describeRun(plain)).toBe(0);
  expect(safe.files, describeRun(safe)).toEqual(plain.files);
}

export function fileBytes(dir: string, name: string): Buffer {
  return readFileSync(join(dir, name));
}
