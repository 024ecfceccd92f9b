// What pip 23.2.1 counts as installed for `pip install` (resolvelib factory.py `_installed_dists`):
// pip/_internal/metadata/importlib/_envs.py (Environment over sys.path, _DistributionFinder.find /
// find_linked, first name on sys.path wins), base.py (iter_installed_distributions(local_only=False)
// skipping stdlib_pkgs, `_add_egg_info_requires`), importlib/_dists.py (canonical_name from the
// info directory's name, version and Requires-Dist from the metadata) and CPython 3.11's
// importlib.metadata (FastPath/Lookup: `*.dist-info` / `*.egg-info` children grouped by their
// normalized name in directory order, then `EGG-INFO` of a `.egg` path entry; METADATA, else
// PKG-INFO, else the `.egg-info` file itself). Read in Node: nothing is imported or executed.
//
// The sys.path comes from the target interpreter, run once as `python -c` (not -I: pip itself sees
// PYTHONPATH and the user site) in the environment pip gets. The code it runs imports nothing, so
// nothing in the working directory can be picked up. sys.path[0] (pip's script directory, or the
// working directory under `python -m pip`) is left out.
// Not supported: zip files on sys.path (pip looks inside them; a stdlib zip holds no metadata),
// `.egg` files and directories inside a path entry (pip's deprecated pkg_resources fallback), the
// pkg_resources backend pip uses on Python < 3.11 (same sys.path walk, but it orders two infos of
// one project in a directory by version, importlib by directory order), versions that are not
// PEP 440 (pip 23.2.1 keeps them as LegacyVersion, which no specifier selects; here they are left
// out), `.dist-info` directories whose metadata is not UTF-8 (pip stops with an error).
import { execFile } from 'node:child_process';
import { opendir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, extname, isAbsolute, join } from 'node:path';
import { SafePipError } from '../errors.js';
import { headerValues, parseCoreMetadata, type CoreMetadata } from '../standards/core-metadata.js';
import { normalizeName } from '../standards/names.js';
import type { InstalledDistribution, InstalledDistributions } from '../resolve/resolver.js';

/** pip's utils/compat.py stdlib_pkgs: never reported as installed. */
const STDLIB_PACKAGES = new Set(['python', 'wsgiref', 'argparse']);

const SYS_PATH_SCRIPT = "import sys\nsys.stdout.write('\\0'.join(sys.path[1:]))";
const SYS_PATH_TIMEOUT_MS = 60_000;

export class InstalledDistributionsError extends SafePipError {
  readonly python: string;
  constructor(python: string, detail: string) {
    super(`Could not list the sys.path of ${python}: ${detail}`);
    this.name = 'InstalledDistributionsError';
    this.python = python;
  }
}

/** The interpreter's sys.path as pip run from it sees it, without sys.path[0]. */
export function interpreterSysPath(python: string, env: NodeJS.ProcessEnv, cwd?: string): Promise<string[]> {
  return new Promise((resolvePaths, reject) => {
    execFile(
      python,
      ['-c', SYS_PATH_SCRIPT],
      { env, encoding: 'utf8', timeout: SYS_PATH_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024, ...(cwd === undefined ? {} : { cwd }) },
      (error, stdout, stderr) => {
        if (error !== null) reject(new InstalledDistributionsError(python, `${error.message}${stderr ? `\n${stderr}` : ''}`));
        else resolvePaths(stdout === '' ? [] : stdout.split('\0'));
      },
    );
  });
}

/** importlib.metadata's Prepared.normalize: PEP 503 with underscores. */
function preparedNormalize(name: string): string {
  return name.replace(/[-_.]+/g, '-').toLowerCase().replace(/-/g, '_');
}

/** os.listdir order (opendir reads the directory as the OS gives it; readdir sorts). */
async function listDirectory(path: string): Promise<string[] | null> {
  let dir;
  try {
    dir = await opendir(path);
  } catch {
    return null;
  }
  const names: string[] = [];
  for await (const entry of dir) names.push(entry.name);
  return names;
}

async function readText(path: string): Promise<string | null> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch {
    return null; // FileNotFoundError, IsADirectoryError, NotADirectoryError, PermissionError
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/** importlib's Lookup: info directories grouped by normalized name in directory order, then eggs. */
async function infoPaths(location: string): Promise<string[]> {
  const children = await listDirectory(location);
  if (children === null) return [];
  const base = basename(location).toLowerCase();
  const infos = new Map<string, string[]>();
  const eggs: string[] = [];
  for (const child of children) {
    const low = child.toLowerCase();
    if (low.endsWith('.dist-info') || low.endsWith('.egg-info')) {
      const stem = low.slice(0, low.lastIndexOf('.'));
      const key = preparedNormalize(stem.split('-')[0]!);
      infos.set(key, [...(infos.get(key) ?? []), join(location, child)]);
    } else if (base.endsWith('.egg') && low === 'egg-info') {
      eggs.push(join(location, child));
    }
  }
  return [...[...infos.values()].flat(), ...eggs];
}

/** pip's `_iter_requires_txt_entries` + `_iter_egg_info_dependencies` / `_iter_egg_info_extras`. */
function eggInfoRequires(text: string): { requiresDist: string[]; providesExtra: string[] } {
  const requiresDist: string[] = [];
  const extras = new Set<string>(['']);
  const providesExtra: string[] = [];
  let extra = '';
  let marker = '';
  for (const raw of text.split(/\r\n|\r|\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('[') && line.endsWith(']')) {
      const section = line.replace(/^\[+|\]+$/g, '');
      const colon = section.indexOf(':');
      extra = colon < 0 ? section : section.slice(0, colon);
      marker = colon < 0 ? '' : section.slice(colon + 1);
      continue;
    }
    if (!extras.has(extra)) {
      extras.add(extra);
      providesExtra.push(extra);
    }
    const safe = safeExtra(extra);
    const full = extra !== '' && marker !== '' ? `(${marker}) and extra == "${safe}"` : extra !== '' ? `extra == "${safe}"` : marker;
    requiresDist.push(full === '' ? line : `${line} ; ${full}`);
  }
  return { requiresDist, providesExtra };
}

/**
 * importlib.metadata's `_adapters.Message._repair_headers` (CPython 3.11): a value with continuation
 * lines becomes `textwrap.dedent(' ' * 8 + value)`.
 */
function redent(value: string): string {
  if (!value.includes('\n')) return value;
  const text = `        ${value}`.replace(/^[ \t]+$/gm, '');
  let margin: string | null = null;
  for (const match of text.matchAll(/^([ \t]*)[^ \t\n]/gm)) {
    const indent = match[1]!;
    if (margin === null || margin.startsWith(indent)) margin = indent;
    else if (!indent.startsWith(margin)) {
      let i = 0;
      while (i < margin.length && i < indent.length && margin[i] === indent[i]) i += 1;
      margin = margin.slice(0, i);
    }
  }
  if (margin === null || margin === '') return text;
  const prefix = margin;
  return text.split('\n').map((line) => (line.startsWith(prefix) ? line.slice(prefix.length) : line)).join('\n');
}

/** pkg_resources.safe_extra. */
function safeExtra(extra: string): string {
  return extra.replace(/[^A-Za-z0-9.-]+/g, '_').toLowerCase();
}

interface Found {
  distribution: InstalledDistribution;
  /** canonicalize_name(metadata Name): the key of pip's "first one wins". */
  metadataName: string;
}

async function readDistribution(infoPath: string): Promise<Found | null> {
  const text = (await readText(join(infoPath, 'METADATA'))) || (await readText(join(infoPath, 'PKG-INFO'))) || (await readText(infoPath)) || '';
  let metadata: CoreMetadata;
  try {
    metadata = parseCoreMetadata(text);
  } catch {
    return null;
  }
  const values = (name: string): string[] => headerValues(metadata, name).map(redent);
  const rawName = values('Name')[0];
  if (rawName === undefined) return null; // BadMetadata: "invalid metadata entry 'name'"
  const version = values('Version')[0] ?? '';
  let requiresDist = values('Requires-Dist');
  let providesExtra = values('Provides-Extra');
  if (requiresDist.length === 0 || providesExtra.length === 0) {
    const requiresTxt = await readText(join(infoPath, 'requires.txt'));
    if (requiresTxt !== null) {
      const fromEgg = eggInfoRequires(requiresTxt);
      if (requiresDist.length === 0) requiresDist = fromEgg.requiresDist;
      if (providesExtra.length === 0) providesExtra = fromEgg.providesExtra;
    }
  }
  // _get_dist_name_from_location: the info directory's name before the first '-'.
  const file = basename(infoPath);
  const suffix = extname(file);
  const stem = suffix === '.dist-info' || suffix === '.egg-info' ? file.slice(0, -suffix.length).split('-')[0]! : rawName;
  return {
    metadataName: normalizeName(rawName),
    distribution: { name: normalizeName(stem), version, requiresDist, providesExtra: providesExtra.map(safeExtra), location: dirname(infoPath), infoPath },
  };
}

async function isWheelFile(location: string): Promise<boolean> {
  if (!location.endsWith('.whl')) return false;
  try {
    return (await stat(location)).isFile();
  } catch {
    return false;
  }
}

/** Every distribution pip would see on these sys.path entries, by canonical name. */
export async function readInstalledDistributions(sysPath: readonly string[]): Promise<InstalledDistributions> {
  const foundNames = new Set<string>();
  const out = new Map<string, InstalledDistribution>();
  const findImpl = async function* (location: string): AsyncGenerator<InstalledDistribution> {
    if (await isWheelFile(location)) return;
    // Read concurrently, then taken in importlib's order.
    for (const found of await Promise.all((await infoPaths(location)).map(readDistribution))) {
      if (found === null || foundNames.has(found.metadataName)) continue;
      foundNames.add(found.metadataName);
      yield found.distribution;
    }
  };
  const add = (distribution: InstalledDistribution): void => {
    // pip builds a dict from the iteration, so a later entry under the same name replaces it.
    if (!STDLIB_PACKAGES.has(distribution.name)) out.set(distribution.name, distribution);
  };
  for (const location of sysPath) {
    for await (const distribution of findImpl(location)) add(distribution);
    // find_linked: `.egg-link` files (setuptools develop installs), after the location itself.
    for (const child of (await listDirectory(location)) ?? []) {
      if (extname(child) !== '.egg-link') continue;
      const text = await readText(join(location, child));
      const target = text?.split(/\r\n|\r|\n/).map((l) => l.trim()).find((l) => l !== '') ?? '';
      if (target === '') continue;
      for await (const distribution of findImpl(isAbsolute(target) ? target : join(location, target))) add(distribution);
    }
  }
  return out;
}

/** What pip run from `python` counts as installed. */
export async function installedDistributionsOf(python: string, env: NodeJS.ProcessEnv, cwd?: string): Promise<InstalledDistributions> {
  return readInstalledDistributions(await interpreterSysPath(python, env, cwd));
}
