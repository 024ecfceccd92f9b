// Canary projects: sdists, directories and git repos whose code leaves a marker file in
// $CANARY_DIR as soon as any of it runs (setup.py, the build backend's import and every PEP 517 /
// PEP 660 hook, the installed package's import). How plain pip was shown to run such code is in
// shared/reference/pip-behaviour.md §9; test/helpers-selftest/canary.test.ts re-proves it here.
//
// Styles:
// - `setuptools`: setup.py only, no pyproject.toml. pip 23.x then asks for `setuptools>=40.8.0`
//   and `wheel` in an isolated build env, so the index (or a find-links dir) must offer
//   `buildDependencyWheels()`: the setuptools wheel bundled with ensurepip and a stand-in `wheel`.
// - `pep517`: pyproject.toml with `requires = []`, `build-backend = "canary_backend"`,
//   `backend-path = ["."]`: needs nothing from any index.
// Without CANARY_DIR (or `fallbackDir`) the canary code exits with an error instead of running
// unseen, so a forgotten variable fails a "plain pip fires" test rather than passing anything.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sha256Hex, type BuiltDistribution } from './archives.js';
import { buildSdist } from './sdist-builder.js';
import { makeTempDir } from './temp-dir.js';
import { buildWheel, escapeWheelName } from './wheel-builder.js';

export const CANARY_ENV = 'CANARY_DIR';

export type CanaryStyle = 'setuptools' | 'pep517';

export interface CanaryOptions {
  style: CanaryStyle;
  /** Project name, default `canary`. */
  name?: string;
  /** Default `1.0`. */
  version?: string;
  /** Dependencies the built distribution declares. */
  requiresDist?: string[];
  /** sdist format, default `tar.gz`. */
  format?: 'tar.gz' | 'zip';
  /** Directory baked into the code, used when CANARY_DIR is unset. */
  fallbackDir?: string;
}

const pythonDir = join(dirname(fileURLToPath(import.meta.url)), 'canary-python');

function template(file: string): string {
  return readFileSync(join(pythonDir, file), 'utf8');
}

/** A Python string/list literal (JSON of strings is valid Python). */
function py(value: string | string[]): string {
  return JSON.stringify(value);
}

function fill(text: string, values: Record<string, string>): string {
  return text.replace(/@([A-Z_]+)@/g, (whole, key: string) => values[key] ?? whole);
}

/** The import package the canary ships (`canary` -> `canary`, `my-canary` -> `my_canary`). */
export function canaryPackageName(name = 'canary'): string {
  return escapeWheelName(name);
}

/** The files of the canary project, relative to its root. */
export function canaryProjectFiles(options: CanaryOptions): Record<string, string> {
  const name = options.name ?? 'canary';
  const version = options.version ?? '1.0';
  const pkg = canaryPackageName(name);
  const mark = fill(template('mark.py'), {
    NAME: name,
    STYLE: options.style,
    FALLBACK_DIR: options.fallbackDir === undefined ? 'None' : py(options.fallbackDir),
  });
  const values = {
    MARK: mark,
    NAME_PY: py(name),
    VERSION_PY: py(version),
    PACKAGE_PY: py(pkg),
    REQUIRES_PY: py(options.requiresDist ?? []),
    ESCAPED_PY: py(escapeWheelName(name)),
  };
  const files: Record<string, string> = { [`${pkg}/__init__.py`]: fill(template('package_init.py'), values) };
  if (options.style === 'setuptools') {
    files['setup.py'] = fill(template('setup.py'), values);
  } else {
    files['pyproject.toml'] = [
      '[build-system]',
      'requires = []',
      'build-backend = "canary_backend"',
      'backend-path = ["."]',
      '',
    ].join('\n');
    files['canary_backend.py'] = fill(template('canary_backend.py'), values);
  }
  return files;
}

/** The canary as an sdist (`canary-1.0.tar.gz` / `.zip`) with a PKG-INFO. */
export async function buildCanarySdist(options: CanaryOptions): Promise<BuiltDistribution> {
  return buildSdist({
    name: options.name ?? 'canary',
    version: options.version ?? '1.0',
    format: options.format ?? 'tar.gz',
    requiresDist: options.requiresDist ?? [],
    files: canaryProjectFiles(options),
  });
}

/** Writes the canary project into a fresh temp dir (pip builds directories in place: one per test). */
export function writeCanaryProject(options: CanaryOptions, dir = makeTempDir('canary-project-')): string {
  for (const [path, content] of Object.entries(canaryProjectFiles(options))) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

export interface CanaryGitRepo {
  dir: string;
  /** `git+file:///...` (append `#egg=canary`, or use `canary @ <url>`). */
  url: string;
  commit: string;
}

/** A git repository (one commit on `main`) holding the canary project. */
export function makeCanaryGitRepo(options: CanaryOptions, dir = makeTempDir('canary-git-')): CanaryGitRepo {
  writeCanaryProject(options, dir);
  const env = {
    ...process.env,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_AUTHOR_NAME: 'canary',
    GIT_AUTHOR_EMAIL: 'canary@example.invalid',
    GIT_COMMITTER_NAME: 'canary',
    GIT_COMMITTER_EMAIL: 'canary@example.invalid',
  };
  const git = (...args: string[]): string => execFileSync('git', args, { cwd: dir, env, encoding: 'utf8' }).trim();
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'canary');
  return { dir, url: `git+file://${dir}`, commit: git('rev-parse', 'HEAD') };
}

/** Environment entries that point the canary at `dir`. */
export function canaryEnv(dir: string): Record<string, string> {
  return { [CANARY_ENV]: dir };
}

/** Marker files written so far (`<name>-<style>-<event>`), sorted. */
export function canaryMarkers(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

/** True when any canary code ran with CANARY_DIR=dir. */
export function canaryFired(dir: string): boolean {
  return canaryMarkers(dir).length > 0;
}

export interface DropperOptions {
  name?: string;
  version?: string;
  /** Name used before `@`, default `canary`. */
  dependencyName?: string;
  tags?: string;
}

/** A wheel whose METADATA says `Requires-Dist: canary @ <url>` (§9.3 case o). */
export async function buildDropperWheel(url: string, options: DropperOptions = {}): Promise<BuiltDistribution> {
  const spec = {
    name: options.name ?? 'dropper',
    version: options.version ?? '1.0',
    requiresDist: [`${options.dependencyName ?? 'canary'} @ ${url}`],
  };
  return buildWheel(options.tags === undefined ? spec : { ...spec, tags: options.tags });
}

const ensurepipDirs = new Map<string, string>();

function ensurepipBundledDir(python: string): string {
  let dir = ensurepipDirs.get(python);
  if (dir === undefined) {
    const script = 'import ensurepip, os; print(os.path.dirname(ensurepip.__file__))';
    dir = join(execFileSync(python, ['-c', script], { encoding: 'utf8' }).trim(), '_bundled');
    ensurepipDirs.set(python, dir);
  }
  return dir;
}

/** The stand-in `wheel` distribution (see canary-python/wheel_stand_in_bdist_wheel.py). */
export async function buildWheelStandIn(version = '0.0.1'): Promise<BuiltDistribution> {
  return buildWheel({
    name: 'wheel',
    version,
    files: {
      'wheel/__init__.py': `__version__ = ${py(version)}\n`,
      'wheel/bdist_wheel.py': template('wheel_stand_in_bdist_wheel.py'),
    },
    metadataExtra: { Summary: 'stand-in for the wheel project (safe-pip tests)' },
    entryPoints: '[distutils.commands]\nbdist_wheel = wheel.bdist_wheel:bdist_wheel\n',
  });
}

/**
 * What pip needs on the index to build a setuptools canary with build isolation: the setuptools
 * wheel bundled with `python`'s ensurepip, and the stand-in `wheel`.
 */
export async function buildDependencyWheels(python = 'python3'): Promise<BuiltDistribution[]> {
  const bundled = ensurepipBundledDir(python);
  const setuptools = readdirSync(bundled).find((f) => f.startsWith('setuptools-') && f.endsWith('.whl'));
  if (setuptools === undefined) throw new Error(`no setuptools wheel in ${bundled}`);
  const data = readFileSync(join(bundled, setuptools));
  return [{ filename: setuptools, data, sha256: sha256Hex(data) }, await buildWheelStandIn()];
}
