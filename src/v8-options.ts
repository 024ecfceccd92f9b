// V8's options for safe-pip's short runs (issue 12), as dist/main.cjs sets them before the bundle
// is compiled. The launcher starts Node with four (bin/safe-pip says why): a 4 MB young
// generation, an old generation of 32 MB at first that then grows by half, and WebAssembly on
// V8's baseline compiler only. But any V8 option has a price: V8 refuses code compiled under
// other options, Node's code cache of its own built-in modules included, and a fetch loads ~70 of
// them (15 JavaScript modules and their internals: ~8 ms from that cache, ~25 ms compiled from
// source, Node 20 to 26). So dist/main.cjs first sets the launcher's options back to their
// defaults (V8 then accepts the cache again: it compares only the options that differ from their
// defaults, implied ones too); the heap keeps the young generation and old-generation start it was
// made with. It loads the built-ins a resolving command needs (RESOLVING_BUILTINS, time it would
// spend anyway), and sets the options again: the WebAssembly one is read as llhttp is compiled
// (Node 20 and 22; 24 and 26 keep the command line's), and worker threads' heaps are made later
// (except the cache writer's, which starts under the defaults, defaultV8OptionsUntil, and
// allocates little). Only built-ins loaded after that (a few internals) are compiled from source,
// and on Node 24 and 26 the streams node:v8 loads as the setter of options is taken (flagSetter).
// Interleaved A/B of cold fetches of five small real sets: 0.964x on Node 20, 0.977x on Node 24;
// what is left is Node's own start-up, before dist/main.cjs (~6.8 ms of built-ins compiled from
// source), which only an empty command line would spare, and the heap's sizes can only be given
// there. An empty command line, with the WebAssembly options and the old generation's growth set
// here instead, was no faster over a whole run (six real sets 1.015x, Node 20).
// Node 20 (V8 11) also gets `--interrupt-budget`, four times V8's default, so that only really hot
// functions are recompiled with TurboFan: a cold fetch of jupyter's 97 wheels ran 115 TurboFan
// compilations (400 ms of CPU on the cores the run, its cache writer and a local index share).
// Ten real sets 7% faster, fetch of 100 packages 9% faster, of 500 6-13% slower (still 0.13x pip).
// Later V8s have no such option (Maglev tiers in between) and refuse it.
import { createRequire } from 'node:module';

const INTERRUPT_BUDGET = 600_000;
/** V8 11's own (`node --v8-options` of Node 20; test/node-support.test.ts checks it there): 66 KB. */
export const V8_ELEVEN_DEFAULT_INTERRUPT_BUDGET = 67_584;

/**
 * The launcher's options (bin/safe-pip): what sets each back to V8's default, and what sets it
 * again, implications included. `--liftoff-only` implies WebAssembly tier-up and dynamic tiering
 * off; V8 13+ (Node 24, 26) does not imply them again when it is set at run time, and its
 * WebAssembly then tiered up with TurboFan. An option missing here stays set while the built-ins
 * load, and they are compiled from source again (test/node-support.test.ts reads the launcher's
 * options and checks that they are not).
 */
const LAUNCHER_OPTIONS: ReadonlyMap<string, { reset: readonly string[]; set: readonly string[] }> = new Map([
  ['--max-semi-space-size=4', { reset: ['--max-semi-space-size=0'], set: ['--max-semi-space-size=4'] }],
  ['--heap-growing-percent=50', { reset: ['--heap-growing-percent=0'], set: ['--heap-growing-percent=50'] }],
  ['--initial-old-space-size=32', { reset: ['--initial-old-space-size=0'], set: ['--initial-old-space-size=32'] }],
  ['--liftoff-only', { reset: ['--no-liftoff-only', '--wasm-tier-up', '--wasm-dynamic-tiering'], set: ['--liftoff-only', '--no-wasm-tier-up', '--no-wasm-dynamic-tiering'] }],
]);

/**
 * The commands that resolve (and so fetch, hash, inflate and run pip): first words of
 * dist/main.cjs's argv. `pip` also when the command only passes through (one the launcher could
 * not wave on by itself): that run loads nearly all the same built-ins (a `pip --isol --version`
 * 306 ms without loading them ahead, 299 ms with).
 */
const RESOLVING_WORDS = new Set(['pip', 'fetch', 'explain']);

/**
 * The built-in modules every one of those commands loads (process.moduleLoadList of fetch, pip
 * download, pip install --target and explain runs; the first three for dist/main.cjs's code
 * cache). Not those only some runs need, which stay lazy: TLS (an http index loads none of it,
 * test/io/tls.test.ts; an https one compiles it from source, a few ms against the ~20 of its
 * secure context), node:assert (only undici loads it: test/io/lazy-undici.test.ts tells by it
 * that a command asking no index did not load undici), worker_threads (the cache writer's, for
 * runs that write much), dns (for an index reached by name).
 */
const RESOLVING_BUILTINS = [
  'node:crypto',
  'node:vm',
  'node:os',
  'node:string_decoder',
  'node:stream',
  'node:stream/promises',
  'node:fs/promises',
  'node:net',
  'node:tty',
  'node:child_process',
  'node:zlib',
  'node:diagnostics_channel',
];

/**
 * Sets the V8 options for a command whose first word is `word` (see the header). For a resolving
 * command: the launcher's options in process.execArgv back to their defaults, the built-ins it
 * needs loaded, then the launcher's options again. On V8 11, the interrupt budget. Nothing else for
 * the other commands (help, setup, doctor…), which load few built-ins.
 */
export function applyV8Options(word: string | undefined): void {
  const resolving = word !== undefined && RESOLVING_WORDS.has(word);
  const v8Eleven = process.versions.v8.startsWith('11.');
  if (!resolving && !v8Eleven) return;
  const setFlagsFromString = flagSetter();
  if (resolving) {
    setLauncherOptions('reset', setFlagsFromString);
    // Built-ins only: any absolute path resolves them.
    const load = createRequire(process.execPath);
    for (const name of RESOLVING_BUILTINS) load(name);
    setLauncherOptions('set', setFlagsFromString);
  }
  if (v8Eleven) {
    setFlagsFromString(`--interrupt-budget=${INTERRUPT_BUDGET}`);
    (globalThis as Record<symbol, unknown>)[BUDGET_SET] = true;
  }
}

/**
 * Sets every option that differs from V8's defaults (the launcher's, and the interrupt budget
 * applyV8Options set) back to its default, and returns what sets them again (once; later calls do
 * nothing). For a worker thread, started in between: it loads its own built-ins as it starts, and
 * from Node's code cache only while the options are the defaults (the cache writer's worker
 * compiled them from source: ~45 ms of CPU of a cold jupyter fetch on Node 20, ~15 ms with them).
 */
export function defaultV8OptionsUntil(): () => void {
  const budgetSet = (globalThis as Record<symbol, unknown>)[BUDGET_SET] === true;
  if (!budgetSet && !process.execArgv.some((option) => LAUNCHER_OPTIONS.has(option))) return () => {};
  const setFlagsFromString = flagSetter();
  setLauncherOptions('reset', setFlagsFromString);
  if (budgetSet) setFlagsFromString(`--interrupt-budget=${V8_ELEVEN_DEFAULT_INTERRUPT_BUDGET}`);
  let done = false;
  return () => {
    if (done) return;
    done = true;
    setLauncherOptions('set', setFlagsFromString);
    if (budgetSet) setFlagsFromString(`--interrupt-budget=${INTERRUPT_BUDGET}`);
  };
}

/**
 * Set when applyV8Options set the interrupt budget (V8 11 only). A global, not a variable of this
 * module: dist/main.cjs and the bundle each have their own copy of it.
 */
const BUDGET_SET = Symbol.for('safe-pip.v8-options.interrupt-budget');

/** The launcher's options this Node was started with (process.execArgv), set to V8's defaults (`reset`) or again (`set`). */
function setLauncherOptions(to: 'reset' | 'set', setFlagsFromString: (flags: string) => void): void {
  for (const option of process.execArgv) for (const flags of LAUNCHER_OPTIONS.get(option)?.[to] ?? []) setFlagsFromString(flags);
}

/**
 * V8's setFlagsFromString, taken where loading it costs least. node:v8 itself loads all of Node's
 * streams with it (its heap snapshot reader is one), and loaded first, under the launcher's
 * options, they are compiled from source: the bundle started 5 ms later (Node 20; `safe-pip fetch
 * --help` 40.1 -> 35.2 ms to main(), 20 interleaved runs each). Node 20 and 22 still give the same
 * function through process.binding('v8') without loading anything; that access is deprecated
 * (DEP0111, a warning on Node 20), so deprecation warnings are off for that one call (a warning
 * checks process.noDeprecation first, before --throw-deprecation). Node 24 on has no such binding.
 */
function flagSetter(): (flags: string) => void {
  const binding = (process as unknown as { binding?: (name: string) => unknown }).binding;
  if (typeof binding === 'function') {
    const quiet = process.noDeprecation;
    process.noDeprecation = true;
    try {
      const v8 = binding('v8') as { setFlagsFromString?: unknown };
      const set = v8.setFlagsFromString;
      if (typeof set === 'function') return (flags) => void set.call(v8, flags);
    } catch {
      // Not in this Node: node:v8 below.
    } finally {
      process.noDeprecation = quiet;
    }
  }
  return (createRequire(process.execPath)('node:v8') as typeof import('node:v8')).setFlagsFromString;
}
