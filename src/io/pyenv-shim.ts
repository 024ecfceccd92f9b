// Resolving a pyenv shim (https://github.com/pyenv/pyenv, libexec/pyenv-version-name,
// pyenv-version-file, pyenv-which, pyenv-exec) to the program it would run, without starting
// bash or pyenv: that costs about 0.3 s per call, and safe-pip needs the answer on every
// intercepted command.
//
// Supported, as pyenv does it: PYENV_VERSION (`:`-separated, `python-` prefix dropped), else the
// first `.python-version` from PYENV_DIR then the working directory upwards, else
// `$PYENV_ROOT/version`; each version's `versions/<v>/bin/<program>`, then `system` (PATH without
// the shims directory). Not supported, so the caller falls back to asking the pip itself: version
// prefixes that pyenv completes with `pyenv latest` (`3.11` for 3.11.7), versions with `/` or
// `..`, and any `version-name` or unknown `which` hook (pyenv-virtualenv's own `which` hooks act
// only when no version has the program, a case we also leave to pyenv).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';

export interface PyenvShim {
  /** PYENV_ROOT as the shim exports it. */
  root: string;
  /** The program the shim stands for (the name it was invoked as: pip, pip3, pip3.11). */
  program: string;
}

export interface PyenvSelection {
  /** The versions pyenv would try, as selected (e.g. "3.11.7", "3.12.1:system"). */
  versions: string;
  /** Where the selection came from: "PYENV_VERSION", a version file's path, or "default". */
  origin: string;
  /** The program pyenv would exec. */
  program: string;
  /** The directory pyenv-exec puts first on PATH (a version's bin), or null for `system`. */
  binPath: string | null;
}

/** pyenv's shim script, recognised by the exec line pyenv-rehash writes into every shim. */
export function parsePyenvShim(head: string, invokedAs: string): PyenvShim | undefined {
  if (!head.startsWith('#!')) return undefined;
  const exec = /^exec "([^"]+)\/libexec\/pyenv" exec "\$program" "\$@"\s*$/m.exec(head);
  const root = /^export PYENV_ROOT="([^"]+)"\s*$/m.exec(head)?.[1];
  if (exec === null || root === undefined) return undefined;
  return { root, program: invokedAs.slice(invokedAs.lastIndexOf('/') + 1) };
}

/**
 * The program the shim would run for this environment and working directory, or undefined when
 * the selection needs something only pyenv itself can answer (see the header).
 */
export function resolvePyenvShim(shim: PyenvShim, env: NodeJS.ProcessEnv, cwd: string): PyenvSelection | undefined {
  if (hasUnknownHooks(shim.root, env)) return undefined;
  const selected = selectVersions(shim.root, env, cwd);
  if (selected === undefined) return undefined;
  const versions = selected.versions === '' ? ['system'] : selected.versions.split(':');
  for (const version of versions) {
    if (version === 'system') {
      const program = onSystemPath(shim, env);
      if (program !== undefined) return { ...selected, program, binPath: null };
      continue;
    }
    let dir = join(shim.root, 'versions', version);
    if (!isDirectory(dir)) {
      dir = join(shim.root, 'versions', version.replace(/^python-/, ''));
      if (!isDirectory(dir)) return undefined;
    }
    const program = join(dir, 'bin', shim.program);
    if (isExecutable(program)) return { ...selected, program, binPath: join(dir, 'bin') };
  }
  // pyenv-which always ends with `system`.
  const program = onSystemPath(shim, env);
  return program === undefined ? undefined : { ...selected, program, binPath: null };
}

/** `system`: the program on PATH without pyenv's shims directories. */
function onSystemPath(shim: PyenvShim, env: NodeJS.ProcessEnv): string | undefined {
  const custom = env[`_PYENV_SHIM_PATHS_${shim.program.toUpperCase().replace(/[^A-Z0-9_]/g, '_')}`] ?? '';
  const shims = new Set([join(shim.root, 'shims'), ...custom.split(':').filter(Boolean)]);
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (shims.has(dir)) continue;
    const program = join(dir === '' ? '.' : dir, shim.program);
    if (isExecutable(program)) return program;
  }
  return undefined;
}

function selectVersions(root: string, env: NodeJS.ProcessEnv, cwd: string): { versions: string; origin: string } | undefined {
  if (env.PYENV_VERSION) return { versions: env.PYENV_VERSION, origin: 'PYENV_VERSION' };
  const pyenvDir = env.PYENV_DIR || cwd;
  const file = findVersionFile(pyenvDir) ?? (pyenvDir !== cwd ? findVersionFile(cwd) : undefined) ?? join(root, 'version');
  const versions = readVersionFile(file);
  if (versions === undefined) return undefined;
  return { versions, origin: file };
}

function findVersionFile(start: string): string | undefined {
  for (let dir = start; ; dir = dirname(dir)) {
    const file = join(dir, '.python-version');
    if (isFile(file)) return file;
    if (dir === dirname(dir)) return undefined;
  }
}

/** pyenv-version-file-read: first word of each line, comments and blank lines skipped. */
function readVersionFile(file: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return ''; // no file: `system`
  }
  const versions: string[] = [];
  for (const line of text.split('\n')) {
    const word = line.replace(/\r/g, '').trim().split(/\s+/)[0] ?? '';
    if (word === '' || word.startsWith('#')) continue;
    if (word === '..' || word.includes('/')) return undefined;
    versions.push(word);
  }
  return versions.join(':');
}

/** pyenv's hook path (libexec/pyenv): hooks we do not model make us defer to pyenv. */
function hasUnknownHooks(root: string, env: NodeJS.ProcessEnv): boolean {
  const dirs = [...(env.PYENV_HOOK_PATH ?? '').split(':'), join(root, 'pyenv.d'), '/usr/etc/pyenv.d', '/usr/local/etc/pyenv.d', '/etc/pyenv.d', '/usr/lib/pyenv/hooks'];
  for (const plugin of listDir(join(root, 'plugins'))) dirs.push(join(root, 'plugins', plugin, 'etc', 'pyenv.d'));
  const knownWhichHooks = new Set(['conda.bash', 'python-config.bash', 'system-site-packages.bash']);
  for (const dir of dirs.filter(Boolean)) {
    if (listDir(join(dir, 'version-name')).some((f) => f.endsWith('.bash'))) return true;
    if (listDir(join(dir, 'which')).some((f) => f.endsWith('.bash') && !knownWhichHooks.has(f))) return true;
  }
  return false;
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function isDirectory(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

function isFile(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
}

function isExecutable(path: string): boolean {
  const stats = statSync(path, { throwIfNoEntry: false });
  return stats !== undefined && stats.isFile() && (stats.mode & 0o111) !== 0;
}
