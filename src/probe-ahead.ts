// The interpreter probe, started by dist/main.cjs before it loads the bundle (src/io/early-probe.ts
// says why), for a command that probes: a resolving one whose real pip the launcher found, and
// whose interpreter's facts are not cached yet. The bundle then finds the probe under way, when it
// runs the same one, and in any case what was looked up (the interpreter, the cache entry). Not when the launcher's own Python probes (a pip-first hand-off, pip-first.ts),
// when pip commands pass unchecked (SAFE_PIP_DISABLE), or when only running the pip could tell its
// interpreter (`pip debug`). A probe nothing takes (a pip command that needs none, such as `pip
// install --help`) costs its Python's CPU on a cold cache, and no wait: it is killed at exit.
import { safePipDisabled } from './cli/intercept/disabled.js';
import { safePipCacheDir } from './io/cache-dir.js';
import { keepLookUp, startEarlyProbe } from './io/early-probe.js';
import { takeDeferredExtraCaCerts } from './io/http/extra-ca-certs.js';
import { locateByReading, lookUpCachedFacts, probeArguments } from './io/interpreter-probe.js';
import { launcherStartedPythonFirst } from './io/pip-first.js';
import { takeLauncherHandOff } from './io/real-pip.js';

/** The first words of the commands that probe the real pip's interpreter. */
const PROBING_WORDS = new Set(['pip', 'fetch', 'explain']);

export function probeAhead(word: string | undefined, processEnv: NodeJS.ProcessEnv): void {
  if (word === undefined || !PROBING_WORDS.has(word)) return;
  if (launcherStartedPythonFirst(processEnv) || (word === 'pip' && safePipDisabled(processEnv))) return;
  try {
    // The environment the command will see: what main() makes of it before anything reads it.
    const env = { ...processEnv };
    takeDeferredExtraCaCerts(env);
    const realPip = takeLauncherHandOff(env);
    if (realPip === undefined || realPip === '') return;
    const cwd = process.cwd();
    const located = locateByReading(realPip, env, cwd);
    if (located === undefined) return;
    const cacheDir = safePipCacheDir(env);
    const found = lookUpCachedFacts(realPip, located, cacheDir);
    keepLookUp(realPip, env, cwd, cacheDir, found);
    if (found.cached === undefined) startEarlyProbe(located.python, probeArguments(), env, cwd);
  } catch {
    // Anything odd: the command probes as it always did.
  }
}
