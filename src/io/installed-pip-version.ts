// The real pip's version read from its installed metadata (PEP 376/627 `pip-<v>.dist-info/METADATA`,
// core metadata `Version:`), without starting Python: a readdir per directory of the real pip's
// import path, in the order Python imports from it. The directories come from the interpreter
// probe (cached); PYTHONPATH, PYTHONNOUSERSITE and PYTHONUSERBASE are read now, since the real pip
// runs with them and `python -I` did not see them.
import { openSync, readdirSync, readSync, closeSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface PipImportPath {
  /** The user site-packages (~/.local/lib/pythonX.Y/site-packages), or null when disabled (a venv). */
  userSite: string | null;
  /** sys.path's site-packages/dist-packages directories, in order. */
  sitePackages: string[];
  /** "X.Y" (the user site under PYTHONUSERBASE is <base>/lib/pythonX.Y/site-packages). */
  pythonVersion: string;
}

/** The directories the real pip's `import pip` searches, first one first. */
export function pipImportDirectories(path: PipImportPath, env: NodeJS.ProcessEnv): string[] {
  const dirs = (env.PYTHONPATH ?? '').split(delimiter).filter(Boolean);
  if (path.userSite !== null && !env.PYTHONNOUSERSITE) {
    dirs.push(env.PYTHONUSERBASE ? join(env.PYTHONUSERBASE, 'lib', `python${path.pythonVersion}`, 'site-packages') : path.userSite);
  }
  dirs.push(...path.sitePackages);
  return dirs;
}

/**
 * pip's version from the first directory that holds a `pip-*.dist-info`; undefined when none
 * does, or when one holds two (which one Python takes is not ours to guess).
 */
export function installedPipVersion(dirs: readonly string[]): string | undefined {
  for (const dir of dirs) {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    const distInfos = names.filter((name) => /^pip-[^-]+\.dist-info$/i.test(name));
    if (distInfos.length === 0) {
      // A plain `pip/` package without metadata (an unusual install): let the caller decide.
      if (names.includes('pip')) return undefined;
      continue;
    }
    if (distInfos.length > 1) return undefined;
    return metadataVersion(join(dir, distInfos[0]!, 'METADATA'));
  }
  return undefined;
}

function metadataVersion(file: string): string | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const buffer = Buffer.alloc(4096);
    const length = readSync(fd, buffer, 0, buffer.length, 0);
    // Core metadata headers come first; Version is one of the first few.
    const header = buffer.subarray(0, length).toString('utf8').split(/\r?\n\r?\n/)[0] ?? '';
    return /^Version:[ \t]*(\S+)[ \t]*$/m.exec(header)?.[1];
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
