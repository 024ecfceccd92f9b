// The resolver with installed distributions (pip-behaviour.md §8.6) against the real pip 23.2.1:
// a venv (python3 -m venv, offline, with its bundled pip) gets wheels installed from a local
// directory, then for each scenario the venv's pip runs `install --dry-run --only-binary :all:
// --report` against a wheel-only loopback index (nothing is built, nothing is installed) and its
// "install" list (the files it would fetch; already-satisfied projects are not in it) must equal the
// files safe-pip's resolution chooses, with what is installed read by src/io/installed-distributions.ts
// and the flags read by src/cli/intercept/installed-environment.ts from the same command line.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseForPip } from '../../src/cli/intercept/analyze.js';
import { installedFor } from '../../src/cli/intercept/installed-environment.js';
import { probeInterpreter } from '../../src/io/interpreter-probe.js';
import { resolve, ResolutionImpossible, type Resolution } from '../../src/resolve/resolver.js';
import { parseRequirement } from '../../src/standards/pep508/requirement.js';
import type { InterpreterFacts } from '../../src/standards/interpreter-facts.js';
import { startIndexServer, type IndexServer } from '../helpers/index-server.js';
import { PLAIN_PIP_ENV, runCommand } from '../helpers/run-cli.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { buildWheel, type WheelSpec } from '../helpers/wheel-builder.js';
import { finderContext, loopbackSource, targetEnvironment, type LoopbackEntry, type TargetEnvironment } from './harness/loopback.js';
import { choices } from './harness/scenarios.js';
import type { PipRun } from './harness/pip-oracle.js';

const w = (name: string, version: string, requiresDist: string[] = []): WheelSpec => ({ name, version, requiresDist });

/** Installed in the venv (from a local directory, before any scenario runs). */
const INSTALLED: WheelSpec[] = [
  w('sat', '1.0'),
  w('lib', '1.0'),
  w('old', '1.0'),
  w('eg', '1.0', ['egdep']),
  w('egdep', '1.0'),
  w('xtr', '1.0', ['xdep ; extra == "x"']),
  w('onlyinst', '1.0'),
  w('pre', '2.0b1'),
  w('gone', '3.0'),
  w('rootdep', '1.0', ['lib>=1.0']),
];
/** Installed with --no-deps: its dependency is not installed. */
const INSTALLED_NO_DEPS: WheelSpec[] = [w('partial', '1.0', ['pdep'])];

/** The loopback index (wheels only). */
const INDEX: WheelSpec[] = [
  w('sat', '1.0'), w('sat', '2.0'),
  w('lib', '1.0'), w('lib', '1.5'),
  w('app', '1.0', ['lib']),
  w('old', '1.0'), w('old', '2.0'),
  w('appneeds', '1.0', ['old>=2']),
  w('eg', '1.0', ['egdep']), w('eg', '2.0', ['egdep']),
  w('egdep', '1.0'), w('egdep', '2.0'),
  w('xtr', '1.0', ['xdep ; extra == "x"']), w('xtr', '2.0', ['xdep ; extra == "x"']),
  w('xdep', '1.0'),
  w('needsonly', '1.0', ['onlyinst']),
  w('partial', '1.0', ['pdep']), w('pdep', '1.0'),
  w('pre', '1.0'),
  w('gone', '1.0'),
  w('conflictapp', '1.0', ['lib>=1.5']),
  w('rootdep', '1.0', ['lib>=1.0']), w('rootdep', '2.0', ['lib>=1.5']),
  w('legacy', '1.0'),
];

interface Scenario {
  name: string;
  /** Options and requirements after `install` (the index is added). */
  args: string[];
}

const scenarios: Scenario[] = [
  { name: 'satisfied root', args: ['sat'] },
  { name: 'satisfied root, -U', args: ['-U', 'sat'] },
  { name: 'satisfied pin, -U', args: ['-U', 'sat==1.0'] },
  { name: 'root too old', args: ['sat>=2'] },
  { name: 'satisfied dependency', args: ['app'] },
  { name: 'satisfied dependency, -U only-if-needed', args: ['-U', 'app'] },
  { name: 'satisfied dependency, -U eager', args: ['-U', '--upgrade-strategy', 'eager', 'app'] },
  { name: 'satisfied dependency, eager without -U', args: ['--upgrade-strategy', 'eager', 'app'] },
  { name: 'dependency too old', args: ['appneeds'] },
  { name: 'dependency conflicts with installed', args: ['conflictapp'] },
  { name: 'installed root, -U, its dependency kept', args: ['-U', 'eg'] },
  { name: 'installed root, -U eager', args: ['-U', '--upgrade-strategy=eager', 'eg'] },
  { name: 'installed with an extra not installed', args: ['xtr[x]'] },
  { name: 'installed with an extra, -U', args: ['-U', 'xtr[x]'] },
  { name: 'dependency installed but not on the index', args: ['needsonly'] },
  { name: 'installed, not on the index, -U', args: ['-U', 'onlyinst'] },
  { name: 'installed dependency missing its own dependency', args: ['partial'] },
  { name: 'installed pre-release satisfies', args: ['pre'] },
  { name: 'installed pre-release, -U', args: ['-U', 'pre'] },
  { name: 'installed newer than the specifier allows', args: ['gone<2'] },
  { name: 'two roots, -U', args: ['-U', 'sat', 'lib'] },
  { name: 'root and a dependency of it, -U on the root only', args: ['-U', 'rootdep'] },
  { name: '--force-reinstall', args: ['--force-reinstall', 'sat'] },
  { name: '--force-reinstall -U', args: ['--force-reinstall', '-U', 'app'] },
  { name: '-I', args: ['-I', 'sat', 'app'] },
  { name: '--ignore-installed', args: ['--ignore-installed', 'xtr[x]'] },
  { name: '--target ignores installed', args: ['--target', '@TARGET@', 'sat', 'app'] },
  { name: '--prefix still counts installed', args: ['--prefix', '@TARGET@', 'sat', 'app'] },
  { name: '--root still counts installed', args: ['--root', '@TARGET@', 'sat', 'app'] },
  { name: 'PIP_UPGRADE in the environment', args: ['app', 'sat'] },
  { name: 'egg-info installed with an extra', args: ['legacy[x]'] },
  { name: 'egg-info installed, -U', args: ['-U', 'legacy'] },
];

/** Extra environment per scenario (on top of the plain-pip settings). */
const scenarioEnv: Record<string, Record<string, string>> = {
  'PIP_UPGRADE in the environment': { PIP_UPGRADE: '1' },
};

let server: IndexServer;
let venvPython: string;
let facts: InterpreterFacts;
let target: TargetEnvironment;
let pip: PipRun[];
let targetDir: string;

async function run(file: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  const result = await runCommand(file, args, { env: { ...PLAIN_PIP_ENV, ...env }, timeoutMs: 240_000 });
  if (result.exitCode !== 0) throw new Error(`${file} ${args.join(' ')} failed:\n${result.stderr}`);
  return result.stdout;
}

function argsOf(scenario: Scenario): string[] {
  return ['install', '-i', server.indexUrl(), ...scenario.args.map((a) => a.replace('@TARGET@', targetDir))];
}

beforeAll(async () => {
  const root = makeTempDir('installed-venv-');
  targetDir = join(root, 'target');
  await run('python3', ['-m', 'venv', join(root, 'venv')]);
  venvPython = join(root, 'venv', 'bin', 'python');
  const wheels = join(root, 'wheels');
  mkdirSync(wheels);
  for (const spec of [...INSTALLED, ...INSTALLED_NO_DEPS]) {
    const built = await buildWheel(spec);
    writeFileSync(join(wheels, built.filename), built.data);
  }
  const pins = (specs: WheelSpec[]): string[] => specs.map((s) => `${s.name}==${s.version}`);
  await run(venvPython, ['-m', 'pip', 'install', '--no-index', '-f', wheels, ...pins(INSTALLED)]);
  await run(venvPython, ['-m', 'pip', 'install', '--no-index', '-f', wheels, '--no-deps', ...pins(INSTALLED_NO_DEPS)]);
  // An egg-info install (setup.py install style): PKG-INFO and requires.txt with an extra.
  const purelib = (await run(venvPython, ['-c', 'import sysconfig;print(sysconfig.get_paths()["purelib"])'])).trim();
  const egg = join(purelib, 'legacy-0.9-py3.11.egg-info');
  mkdirSync(egg);
  writeFileSync(join(egg, 'PKG-INFO'), 'Metadata-Version: 1.1\nName: legacy\nVersion: 0.9\n');
  writeFileSync(join(egg, 'requires.txt'), '[x]\nxdep\n');

  const indexFiles: Record<string, Awaited<ReturnType<typeof buildWheel>>[]> = {};
  for (const spec of INDEX) (indexFiles[spec.name] ??= []).push(await buildWheel(spec));
  server = await startIndexServer({ projects: indexFiles });

  facts = await probeInterpreter(join(root, 'venv', 'bin', 'pip'), { env: { ...process.env }, cacheDir: join(root, 'cache') });
  target = await targetEnvironment();
  const script = readFileSync(new URL('./harness/pip_dry_run.py', import.meta.url), 'utf8');
  // One interpreter per environment variant (pip reads PIP_* at the start of each main()).
  const results = new Map<number, PipRun>();
  const variants = [...new Set(scenarios.map((s) => JSON.stringify(scenarioEnv[s.name] ?? {})))];
  for (const variant of variants) {
    const members = scenarios.map((s, i) => [s, i] as const).filter(([s]) => JSON.stringify(scenarioEnv[s.name] ?? {}) === variant);
    const invocations = members.map(([s]) => ({ args: ['install', '--dry-run', '--only-binary', ':all:', '-q', ...argsOf(s).slice(1)], report: true }));
    const result = await runCommand(venvPython, ['-c', script], { input: JSON.stringify(invocations), env: { ...PLAIN_PIP_ENV, ...(JSON.parse(variant) as Record<string, string>) }, timeoutMs: 300_000 });
    if (result.exitCode !== 0) throw new Error(result.stderr);
    (JSON.parse(result.stdout) as PipRun[]).forEach((r, k) => results.set(members[k]![1], r));
  }
  pip = scenarios.map((_, i) => results.get(i)!);
}, 600_000);

afterAll(async () => {
  await server?.close();
});

async function resolveWithSafePip(scenario: Scenario): Promise<{ ok: true; resolution: Resolution<LoopbackEntry> } | { ok: false; error: ResolutionImpossible }> {
  const env = { ...process.env, ...PLAIN_PIP_ENV, ...scenarioEnv[scenario.name] };
  const { settings } = await parseForPip({ argv: argsOf(scenario), facts, env, cwd: process.cwd(), prog: 'pip' });
  const installed = await installedFor(settings, facts, 'install', env);
  const requirements = settings.args.map((text) => parseRequirement(text));
  try {
    const resolution = await resolve({
      pipVersion: target.pipVersion,
      roots: requirements.map((requirement) => ({ requirement, origin: 'command line' })),
      constraints: new Map(),
      finder: finderContext(target, { onlyBinary: true }),
      markers: target.markers,
      source: loopbackSource({ indexUrls: [server.indexUrl()] }),
      noDeps: false,
      installed: installed === null ? null : { distributions: installed.distributions, upgradeStrategy: installed.upgradeStrategy, forceReinstall: installed.forceReinstall },
    });
    return { ok: true, resolution };
  } catch (error) {
    if (error instanceof ResolutionImpossible) return { ok: false, error };
    throw error;
  }
}

describe('install with installed distributions, against pip 23.2.1 --dry-run --report', () => {
  scenarios.forEach((scenario, index) => {
    it(`${scenario.name}: ${scenario.args.join(' ')}`, async () => {
      const theirs = pip[index]!;
      const ours = await resolveWithSafePip(scenario);
      if (theirs.exit !== 0) {
        expect(ours.ok, `pip failed:\n${theirs.stderr}`).toBe(false);
        return;
      }
      expect(ours.ok, ours.ok ? '' : ours.error.message).toBe(true);
      if (!ours.ok) return;
      expect(choices(ours.resolution.packages.map((p) => ({ name: p.name, url: p.candidate.entry.file.url })))).toEqual(choices(theirs.installs));
    });
  });

  it('the scenarios exercise both sides: some keep everything installed, some upgrade', () => {
    const nothingToInstall = pip.filter((r) => r.exit === 0 && r.installs.length === 0).length;
    const somethingToInstall = pip.filter((r) => r.exit === 0 && r.installs.length > 0).length;
    expect(nothingToInstall).toBeGreaterThanOrEqual(5);
    expect(somethingToInstall).toBeGreaterThanOrEqual(10);
  });

  it('reports what it keeps as installed, with where it is and who needs it', async () => {
    const outcome = await resolveWithSafePip({ name: 'satisfied dependency', args: ['app'] });
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    const lib = outcome.resolution.installed.find((p) => p.name === 'lib');
    expect(lib).toMatchObject({ name: 'lib', version: '1.0', requiredBy: ['app==1.0'], upgradeEligible: false });
    expect(lib?.distribution.infoPath).toMatch(/lib-1\.0\.dist-info$/);
    expect(outcome.resolution.packages.map((p) => p.name)).toEqual(['app']);
  });
});
