// Checks pip makes in a building command's run() before it reads any index, which safe-pip must
// make too, in the same order, because it reads indexes before pip runs:
// - no requirement at all (pip's RequirementCommand.get_requirements: CommandError, exit 1). The
//   sources pip counts are positionals, -r, -e, and from pip 25.1 --group, from 26.0
//   --requirements-from-script, whether on the command line, in PIP_* variables or config files.
//   `-c` alone does not count.
// - download's `-d` naming a file (or a path under a file): pip's ensure_dir() lets that through and
//   pip crashes when it saves the first file ("ERROR: Exception:", a traceback, exit 2); safe-pip
//   says so before resolving anything, with the same exit code.
import { statSync } from 'node:fs';
import { dirname, resolve as resolvePath } from 'node:path';
import type { EffectiveSettings } from '../../pip/effective-settings.js';

const REQUIREMENT_SOURCES = ['requirements', 'editables', 'dependency_groups', 'requirements_from_scripts'];

export function hasRequirementSource(settings: EffectiveSettings): boolean {
  if (settings.args.length > 0) return true;
  return REQUIREMENT_SOURCES.some((dest) => {
    const value = settings.values[dest];
    return Array.isArray(value) && value.length > 0;
  });
}

/** The path that stops `-d` from being a directory (the directory itself or an ancestor), or null. */
export function downloadDirBlockedBy(settings: EffectiveSettings, cwd: string): { given: string; blocking: string } | null {
  const given = settings.downloadDir;
  if (given === null || given === '') return null;
  let path = resolvePath(cwd, given);
  for (;;) {
    let isDirectory: boolean | null = null;
    try {
      isDirectory = statSync(path).isDirectory();
    } catch {
      isDirectory = null; // missing (or unreadable): pip creates it, or reports that itself
    }
    if (isDirectory === false) return { given, blocking: path === resolvePath(cwd, given) ? given : path };
    if (isDirectory === true) return null;
    const parent = dirname(path);
    if (parent === path) return null;
    path = parent;
  }
}
