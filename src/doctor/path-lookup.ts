// Which file a shell would run for a command name, found the way `command -v` finds it: the
// first PATH entry holding an executable regular file of that name (an empty entry is the
// current directory). Shell functions, aliases and the shell's hash table are invisible to a
// child process; doctor reports those from the shell integration's rc state (shell-state.ts).
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export function findOnPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir === '' ? '.' : dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // Not here: the next PATH entry.
    }
  }
  return undefined;
}
