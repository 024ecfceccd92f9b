// What `safe-pip pip download` does with an sdist's dependencies, end to end through bin/safe-pip on a
// loopback index (issue 10 item 3, issue 11 item 7):
// - setup.py-only sdists shaped like pip's own test data (require_simple, requiresupper,
//   TopoRequires4: PKG-INFO 1.0, setup.py, and the `<name>.egg-info/` setuptools puts in an sdist)
//   give the same files as plain pip, which runs their setup.py; safe-pip reads requires.txt;
// - an sdist whose dependencies stay unknown is never silent: one stderr line each, and
//   `explain --json` says "unknown";
// - an sdist too big to read (an 11 MiB PKG-INFO) is still saved; only its dependencies are unknown.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BuiltDistribution } from '../helpers/archives.js';
import { buildDependencyWheels } from '../helpers/canary.js';
import { startIndexServer, type IndexServer } from '../helpers/index-server.js';
import { PLAIN_PIP_ENV, runCommand, runPlainPip, type RunResult } from '../helpers/run-cli.js';
import { buildSdist } from '../helpers/sdist-builder.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import type { ExplainDoc } from '../cli/intercept/explain-doc.js';

const SAFE_PIP = join(process.cwd(), 'bin', 'safe-pip');

/** An sdist as `python setup.py sdist` made them: PKG-INFO 1.0, setup.py, `<name>.egg-info/`. */
async function setuptoolsSdist(name: string, version: string, installRequires: string[] | null): Promise<BuiltDistribution> {
  const eggInfo = `${name.replace(/[^A-Za-z0-9.]+/g, '_')}.egg-info`;
  const pkgInfo = `Metadata-Version: 1.0\nName: ${name}\nVersion: ${version}\nSummary: UNKNOWN\nHome-page: UNKNOWN\nAuthor: UNKNOWN\nAuthor-email: UNKNOWN\nLicense: UNKNOWN\nDescription: UNKNOWN\nPlatform: UNKNOWN\n`;
  const requires = installRequires ?? [];
  const files: Record<string, string> = {
    'setup.py': `from setuptools import setup\n\nsetup(\n    name=${JSON.stringify(name)},\n    version=${JSON.stringify(version)},\n    install_requires=${JSON.stringify(requires)},\n)\n`,
    'setup.cfg': '[egg_info]\ntag_build = \ntag_date = 0\n\n',
    [`${eggInfo}/PKG-INFO`]: pkgInfo,
    [`${eggInfo}/SOURCES.txt`]: `setup.cfg\nsetup.py\n${eggInfo}/PKG-INFO\n${eggInfo}/SOURCES.txt\n${eggInfo}/dependency_links.txt\n${eggInfo}/top_level.txt\n`,
    [`${eggInfo}/dependency_links.txt`]: '\n',
    [`${eggInfo}/top_level.txt`]: '\n',
  };
  // setuptools writes requires.txt only when there are requirements; `null` leaves the egg-info out
  // altogether (a hand-made sdist: setup.py alone decides).
  if (requires.length > 0) files[`${eggInfo}/requires.txt`] = `${requires.join('\n')}\n`;
  if (installRequires === null) for (const key of Object.keys(files)) if (key.startsWith(eggInfo)) delete files[key];
  return buildSdist({ name, version, pkgInfo, files, filename: `${name}-${version}.tar.gz`, topDir: `${name}-${version}` });
}

let server: IndexServer;
let bigSdist: BuiltDistribution;

beforeAll(async () => {
  const setuptoolsForPlainPip = await buildDependencyWheels();
  // 11 MiB of description: more than the 10 MiB safe-pip reads of one member.
  bigSdist = await buildSdist({ name: 'big', version: '1.0', metadataVersion: '2.2', requiresDist: ['simple'], metadataExtra: { Description: 'x'.repeat(11 * 1024 * 1024) } });
  server = await startIndexServer({
    projects: {
      require_simple: [await setuptoolsSdist('require_simple', '1.0', ['simple==3.0'])],
      simple: await Promise.all(['1.0', '2.0', '3.0'].map((v) => setuptoolsSdist('simple', v, []))),
      requiresupper: [await setuptoolsSdist('requiresupper', '1.0', ['Upper'])],
      Upper: await Promise.all(['1.0', '2.0'].map((v) => setuptoolsSdist('Upper', v, []))),
      TopoRequires: [await setuptoolsSdist('TopoRequires', '0.0.1', [])],
      TopoRequires2: [await setuptoolsSdist('TopoRequires2', '0.0.1', ['TopoRequires'])],
      TopoRequires3: [await setuptoolsSdist('TopoRequires3', '0.0.1', ['TopoRequires'])],
      TopoRequires4: [await setuptoolsSdist('TopoRequires4', '0.0.1', ['TopoRequires2', 'TopoRequires3', 'TopoRequires4'])],
      setuponly: [await setuptoolsSdist('setuponly', '1.0', null)],
      big: [bigSdist],
      setuptools: [setuptoolsForPlainPip[0]!],
      wheel: [setuptoolsForPlainPip[1]!],
    },
  });
}, 120_000);
afterAll(async () => server?.close());

async function safePipDownload(args: string[]): Promise<{ dir: string; result: RunResult }> {
  const dir = makeTempDir('dest-');
  const result = await runCommand(SAFE_PIP, ['pip', 'download', '-d', dir, '-i', server.indexUrl(), ...args], { env: PLAIN_PIP_ENV });
  return { dir, result };
}

async function plainPipDownload(args: string[]): Promise<string[]> {
  const dir = makeTempDir('pip-dest-');
  const result = await runPlainPip(['download', '-d', dir, '-i', server.indexUrl(), ...args]);
  expect(result.exitCode, result.stderr).toBe(0);
  return readdirSync(dir).sort();
}

type ExplainPackages = { packages: (ExplainDoc['packages'][number] & { dependencyNote: string | null })[] };

async function explainJson(args: string[]): Promise<Omit<ExplainDoc, 'packages'> & ExplainPackages> {
  const result = await runCommand(SAFE_PIP, ['explain', '--json', 'download', '-d', makeTempDir('dest-'), '-i', server.indexUrl(), ...args], { env: PLAIN_PIP_ENV });
  expect(result.exitCode, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as Omit<ExplainDoc, 'packages'> & ExplainPackages;
}

/** The stderr lines safe-pip gives about NAME VERSION. */
function linesAbout(stderr: string, name: string, version: string): string[] {
  return stderr.split('\n').filter((line) => line.startsWith(`safe-pip: ${name} ${version}:`));
}

describe('setup.py-only sdists: dependencies from the egg-info requires.txt, as plain pip gets them', () => {
  for (const root of ['require_simple', 'requiresupper', 'TopoRequires4']) {
    it(`download ${root} saves what plain pip saves`, async () => {
      const expected = await plainPipDownload([root]);
      const { dir, result } = await safePipDownload([root]);
      expect(result.exitCode, result.stderr).toBe(0);
      expect(readdirSync(dir).sort()).toEqual(expected);
    });
  }

  it('explain --json and -v list the dependencies it read, and say where they came from', async () => {
    const doc = await explainJson(['require_simple']);
    const byName = Object.fromEntries(doc.packages.map((p) => [p.name, p]));
    expect(byName['require-simple']).toMatchObject({ version: '1.0', kind: 'sdist', via: 'fetch', dependencies: ['simple'] });
    expect(byName['require-simple']!.dependencyNote).toBe(
      'dependencies from require_simple-1.0.tar.gz: require_simple.egg-info/requires.txt (written by setuptools when the sdist was made; setup.py not executed)',
    );
    expect(byName['simple']).toMatchObject({ version: '3.0', requiredBy: ['require-simple==1.0'] });
    const { result } = await safePipDownload(['-v', 'require_simple']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/^safe-pip: +require-simple 1\.0 \(require_simple-1\.0\.tar\.gz\) -> fetch; dependencies from .*requires\.txt .*not executed\)$/m);
  });
});

describe('dependencies that stay unknown are never silent', () => {
  it('a setup.py with no egg-info: saved, one stderr line, "unknown" in explain --json', async () => {
    const { dir, result } = await safePipDownload(['setuponly']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(readdirSync(dir)).toEqual(['setuponly-1.0.tar.gz']);
    const lines = linesAbout(result.stderr, 'setuponly', '1.0');
    expect(lines, result.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/dependencies cannot be known without running its build code.*not followed/);
    const doc = await explainJson(['setuponly']);
    expect(doc.packages).toEqual([expect.objectContaining({ name: 'setuponly', dependencies: 'unknown' })]);
  });

  it('an sdist with an 11 MiB PKG-INFO is saved with --no-deps; its dependencies are unknown, said plainly', async () => {
    const { dir, result } = await safePipDownload(['--no-deps', 'big']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(readdirSync(dir)).toEqual([bigSdist.filename]);
    expect(readFileSync(join(dir, bigSdist.filename)).equals(bigSdist.data)).toBe(true);
    const lines = linesAbout(result.stderr, 'big', '1.0');
    expect(lines, result.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/dependencies cannot be known.*more than the limit of 10485760/);
    const doc = await explainJson(['--no-deps', 'big']);
    expect(doc.packages).toEqual([expect.objectContaining({ name: 'big', filename: bigSdist.filename, dependencies: 'unknown' })]);
  });
});
