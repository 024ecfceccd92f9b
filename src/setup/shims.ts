// `safe-pip setup --ci`: a directory of PATH shims (`pip`, `pip3`, `pip3.X`) for shells that read
// no rc file — CI jobs, `sh -c`, cron, devcontainer images (issue 5 §1).
//
// Each shim is a POSIX sh script carrying the launcher marker on its second line, so bin/safe-pip's
// real-pip search (and the shell functions) skip it. `pip`/`pip3` run the launcher bin/pip or
// bin/pip3, which finds the next real pip on PATH itself; `pip3.X` finds the next `pip3.X` on PATH
// that is not a launcher and hands it over as SAFE_PIP_REAL_PIP.
// Fallback: when safe-pip cannot start (the launcher is missing, or it exits 43/126 and Node or
// dist/main.js is indeed missing), the shim runs the real pip after one warning line. Any other exit
// is the answer: 127 is the command's own "not found" (pyenv's), and a 43 from a safe-pip that
// could start is its own stop (no real pip, or the recursion guard) — running the pip unprotected
// then would bypass the guard and, when the pip leads back to the shim, loop forever.
// Loops: version managers search PATH without their own shims directory when the selected
// Python lacks a command, and would find this shim (pyenv: `pip3.9` with no 3.9 selected). The shim
// puts its directory in pyenv's `_PYENV_SHIM_PATHS_<PROGRAM>`, the list of shim directories pyenv's
// `which` skips, so pyenv gives its own answer ("pyenv: pip3.9: command not found", exit 127);
// any other wrapper that leads back ends at safe-pip's recursion guard.
// Not covered: an activated virtualenv puts its own bin/ before the shims, and `python -m pip`
// is not a PATH lookup of `pip`; both need the shell integration (`setup` without `--ci`).
//
// The directory holds a `.safe-pip-shims` file listing the shims and the parent directories setup
// had to create, which is what `teardown` removes — nothing it did not make.
import { readdirSync, statSync } from 'node:fs';
import { isLauncher } from '../io/real-pip.js';
import { mkdir, readFile, readdir, rmdir, stat, unlink, writeFile } from 'node:fs/promises';
import { delimiter, dirname, join, resolve } from 'node:path';
import { SafePipError } from '../errors.js';
import { writeFileAtomic } from './atomic-write.js';
import { quoteSh } from './shell-quote.js';
import { MAX_DEPTH } from '../io/real-pip-guard.js';
import { LAUNCHER_MARKER } from './shell-integration.js';

export const SHIMS_MARKER_FILE = '.safe-pip-shims';
const VERSIONED_PIP = /^pip3\.\d{1,2}$/;

export interface ShimsManifest {
  note: string;
  shims: string[];
  /** Parent directories setup created for the shims directory, deepest first. */
  createdDirs: string[];
}

/** `$XDG_DATA_HOME/safe-pip/shims`, XDG_DATA_HOME defaulting to ~/.local/share. */
export function defaultShimsDir(env: NodeJS.ProcessEnv): string {
  const dataHome = env.XDG_DATA_HOME || (env.HOME ? join(env.HOME, '.local', 'share') : undefined);
  if (dataHome === undefined) {
    throw new SafePipError('neither XDG_DATA_HOME nor HOME is set, so there is no default shims directory', {
      hint: 'pass --dir DIR',
    });
  }
  return join(dataHome, 'safe-pip', 'shims');
}

/** Exits of the launcher after which safe-pip may not have started (see the header). */
const LAUNCHER_START_FAILURES = [43, 126] as const;

/** pyenv's variable listing the shim directories its `which` skips for the command `name` (pyenv-exec). */
export function pyenvShimPathsVariable(name: string): string {
  return `_PYENV_SHIM_PATHS_${name.toUpperCase().replace(/-/g, '_').replace(/[^A-Z0-9_]/g, '_')}`;
}

/** The text of the shim named `name` that runs the launchers in `launcherDir`. */
export function shimScript(name: string, launcherDir: string): string {
  const startFailures = LAUNCHER_START_FAILURES.join(' | ');
  const pyenvVar = pyenvShimPathsVariable(name);
  return `#!/bin/sh
${LAUNCHER_MARKER} shim for \`${name}\` made by \`safe-pip setup --ci\`; \`safe-pip teardown\` removes it.
# Runs the next ${name} on PATH that is not a safe-pip launcher through safe-pip; if safe-pip
# cannot start, runs it unprotected after one warning line. See src/setup/shims.ts.
safe_pip_name=${quoteSh(name)}
safe_pip_bin=${quoteSh(launcherDir)}
safe_pip_real=
# pyenv skips these directories when the selected Python lacks the command: it says so itself
# instead of running this shim again.
case $0 in
  */*) ${pyenvVar}=\${0%/*}\${${pyenvVar}:+:\$${pyenvVar}}; export ${pyenvVar} ;;
esac
case \${SAFE_PIP_DEPTH-} in
  '' | *[!0-9]*) safe_pip_depth=0 ;;
  *) safe_pip_depth=$SAFE_PIP_DEPTH ;;
esac
# True when the launcher's 43/126 means safe-pip could not start, not that it stopped on purpose.
safe_pip_could_not_start() {
  case $1 in ${startFailures}) ;; *) return 1 ;; esac
  # At the recursion limit the launcher stops by design: never go round it.
  [ "$safe_pip_depth" -lt ${MAX_DEPTH} ] || return 1
  command -v "\${SAFE_PIP_NODE:-node}" >/dev/null 2>&1 || return 0
  [ -f "$safe_pip_bin/../dist/main.js" ] || return 0
  return 1
}
safe_pip_find() {
  safe_pip_ifs=$IFS
  set -f
  IFS=:
  for safe_pip_dir in \${PATH-}:; do
    IFS=$safe_pip_ifs
    safe_pip_c=\${safe_pip_dir:-.}/$safe_pip_name
    if [ -f "$safe_pip_c" ] && [ -x "$safe_pip_c" ]; then
      safe_pip_l2=
      { IFS= read -r safe_pip_l1 && IFS= read -r safe_pip_l2; } <"$safe_pip_c" 2>/dev/null
      case $safe_pip_l2 in ${quoteSh(LAUNCHER_MARKER)}*) ;; *) safe_pip_real=$safe_pip_c; break ;; esac
    fi
  done
  IFS=$safe_pip_ifs
  set +f
}
case $safe_pip_name in
  pip | pip3)
    if [ -x "$safe_pip_bin/$safe_pip_name" ]; then
      SAFE_PIP_REAL_PYTHON= "$safe_pip_bin/$safe_pip_name" "$@"
      safe_pip_status=$?
      safe_pip_could_not_start $safe_pip_status || exit $safe_pip_status
    fi
    safe_pip_find
    ;;
  *)
    safe_pip_find
    if [ -z "$safe_pip_real" ]; then
      echo "$safe_pip_name: command not found (the safe-pip shim in \${0%/*} found no other $safe_pip_name on PATH)" >&2
      exit 127
    fi
    # A pyenv shim names a pip only if the selected Python has one: otherwise pyenv's own answer
    # (its \`which\` prints what \`pyenv exec\` would, exit 127), and nothing is run.
    safe_pip_pyenv=\${safe_pip_real%/shims/*}
    if [ "$safe_pip_pyenv/shims/$safe_pip_name" = "$safe_pip_real" ] && [ -x "$safe_pip_pyenv/libexec/pyenv" ]; then
      PYENV_ROOT=$safe_pip_pyenv "$safe_pip_pyenv/libexec/pyenv" which "$safe_pip_name" >/dev/null || exit
    fi
    if [ -x "$safe_pip_bin/pip" ]; then
      SAFE_PIP_REAL_PYTHON= SAFE_PIP_REAL_PIP=$safe_pip_real "$safe_pip_bin/pip" "$@"
      safe_pip_status=$?
      safe_pip_could_not_start $safe_pip_status || exit $safe_pip_status
    fi
    ;;
esac
[ -n "$safe_pip_real" ] || exit 127
printf 'safe-pip: warning: safe-pip could not start; running %s WITHOUT its protection (reinstall safe-pip, or remove %s with \`safe-pip teardown\`)\\n' "$safe_pip_real" "\${0%/*}" >&2
exec "$safe_pip_real" "$@"
`;
}

/** The `pip3.X` commands on PATH (real ones, not safe-pip launchers), sorted, each name once. */
export function findVersionedPips(env: NodeJS.ProcessEnv): string[] {
  const names = new Set<string>();
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    let entries: string[];
    try {
      entries = readdirSync(dir || '.');
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (!VERSIONED_PIP.test(entry) || names.has(entry)) continue;
      const path = join(dir || '.', entry);
      try {
        const info = statSync(path);
        if (!info.isFile() || (info.mode & 0o111) === 0) continue;
      } catch {
        continue;
      }
      if (!isLauncher(path)) names.add(entry);
    }
  }
  return [...names].sort((a, b) => Number(a.slice(5)) - Number(b.slice(5)));
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

async function readManifest(dir: string): Promise<ShimsManifest | undefined> {
  let text: string;
  try {
    text = await readFile(join(dir, SHIMS_MARKER_FILE), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed = JSON.parse(text) as Partial<ShimsManifest>;
    return {
      note: String(parsed.note ?? ''),
      shims: Array.isArray(parsed.shims) ? parsed.shims.map(String) : [],
      createdDirs: Array.isArray(parsed.createdDirs) ? parsed.createdDirs.map(String) : [],
    };
  } catch {
    return { note: '', shims: [], createdDirs: [] };
  }
}

/** What `installShims` did (or, with dryRun, would do). */
export interface ShimsResult {
  dir: string;
  shims: string[];
  /** Shims whose file was created or changed. */
  written: string[];
  /** Shims from an earlier setup that are no longer wanted, removed. */
  removed: string[];
}

/** Creates or refreshes the shims directory `dir` with one shim per name. */
export async function installShims(
  dir: string,
  names: readonly string[],
  launcherDir: string,
  dryRun = false,
): Promise<ShimsResult> {
  const absolute = resolve(dir);
  const manifest = await readManifest(absolute);
  if (manifest === undefined && (await exists(absolute))) {
    const entries = await readdir(absolute).catch(() => ['(not a directory)']);
    if (entries.length > 0) {
      throw new SafePipError(`"${absolute}" already exists and is not a safe-pip shims directory`, {
        hint: 'choose another directory with --dir, or empty this one first',
      });
    }
  }
  let createdDirs = manifest?.createdDirs ?? [];
  if (manifest === undefined && !dryRun) {
    const missing: string[] = [];
    for (let d = absolute; !(await exists(d)); d = dirname(d)) {
      missing.push(d);
      if (dirname(d) === d) break;
    }
    await mkdir(absolute, { recursive: true });
    // The shims directory itself is removed with its contents; its created parents are recorded.
    createdDirs = missing.filter((d) => d !== absolute);
  }
  const written: string[] = [];
  for (const name of names) {
    const path = join(absolute, name);
    const text = shimScript(name, launcherDir);
    const old = await readFile(path, 'utf8').catch(() => undefined);
    if (old === text) continue;
    written.push(name);
    if (!dryRun) await writeFileAtomic(path, text, 0o755);
  }
  const removed = (manifest?.shims ?? []).filter((name) => !names.includes(name));
  if (!dryRun) {
    for (const name of removed) await unlinkShim(join(absolute, name));
    const next: ShimsManifest = {
      note: 'made by `safe-pip setup --ci`; `safe-pip teardown` removes this directory',
      shims: [...names],
      createdDirs,
    };
    await writeFile(join(absolute, SHIMS_MARKER_FILE), `${JSON.stringify(next, null, 2)}\n`);
  }
  return { dir: absolute, shims: [...names], written, removed };
}

async function unlinkShim(path: string): Promise<boolean> {
  // Only a file that is still our shim: something the user put there under the same name stays.
  if (!isLauncher(path)) return false;
  await unlink(path);
  return true;
}

async function removeIfEmpty(dir: string): Promise<boolean> {
  try {
    await rmdir(dir);
    return true;
  } catch {
    return false;
  }
}

/** What `removeShims` found and did. */
export interface ShimsRemoval {
  found: boolean;
  removed: string[];
  /** Files left in the directory because safe-pip did not make them. */
  left: string[];
  dirRemoved: boolean;
}

/** Removes the shims `installShims` made in `dir`, the directory and the parents it created. */
export async function removeShims(dir: string, dryRun = false): Promise<ShimsRemoval> {
  const absolute = resolve(dir);
  const manifest = await readManifest(absolute);
  if (manifest === undefined) return { found: false, removed: [], left: [], dirRemoved: false };
  const removed: string[] = [];
  for (const name of manifest.shims) {
    const path = join(absolute, name);
    if (dryRun ? isLauncher(path) : await unlinkShim(path)) removed.push(name);
  }
  if (dryRun) {
    return { found: true, removed, left: [], dirRemoved: true };
  }
  await unlink(join(absolute, SHIMS_MARKER_FILE));
  const left = await readdir(absolute);
  const dirRemoved = left.length === 0 && (await removeIfEmpty(absolute));
  if (dirRemoved) {
    for (const parent of manifest.createdDirs) {
      if (!(await removeIfEmpty(parent))) break;
    }
  }
  return { found: true, removed, left, dirRemoved };
}
