// The interpreter probe, started by dist/main.cjs before it loads the bundle (src/io/early-probe.ts
// says why), for `safe-pip fetch` and `explain` when the launcher found the real pip, its
// interpreter can be told from its files (not only by running `pip debug`), and that
// interpreter's facts are not cached yet. The bundle then finds the probe under way, when it runs
// the same one, and in any case what was looked up (the interpreter, the cache entry). Not for the
// pip commands: the launcher's own Python probes for those it starts first (pip-first.ts), and the
// others reaching Node are mostly ones that pass through, which must not pay for a look-up. A probe
// nothing takes (`fetch --help` on a cold cache) costs its Python's CPU, and no wait: it is killed
// at exit.
import { safePipCacheDir } from './io/cache-dir.js';
import { keepLookUp, startEarlyProbe } from './io/early-probe.js';
import { takeDeferredExtraCaCerts } from './io/http/extra-ca-certs.js';
import { locateByReading, lookUpCachedFacts, probeArguments } from './io/interpreter-probe.js';
import { takeLauncherHandOff } from './io/real-pip.js';

/** The first words of the commands whose interpreter is probed ahead. */
const PROBING_WORDS = new Set(['fetch', 'explain']);

export function probeAhead(word: string | undefined, processEnv: NodeJS.ProcessEnv): void {
  if (word === undefined || !PROBING_WORDS.has(word)) return;
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
