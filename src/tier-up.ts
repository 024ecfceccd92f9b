// How soon V8 recompiles a hot function with TurboFan (issue 12). A safe-pip command lasts from a
// fraction of a second to a few seconds, and V8's default (tier up once about 144 KB of a
// function's bytecode has run) is made for programs that run longer: a cold `fetch` of jupyter's
// 97 wheels (0.8 s) ran 115 TurboFan compilations, 400 ms of CPU, on the cores the run, its cache
// writer and a local index share. With four times the budget only the really hot functions are
// recompiled. Measured on Node 20 (bench, interleaved): the ten real sets 7% faster, fetch of 100
// packages 9% faster, fetch of 500 6-13% slower (still 0.13x pip). Given at run time, before the
// bundle is compiled, and only to V8 11 (Node 20): later V8s have no such flag (Maglev tiers in
// between) and refuse it, on the command line as at run time (an error line on stderr).
import { setFlagsFromString } from 'node:v8';

const INTERRUPT_BUDGET = 600_000;

/** Sets V8's interrupt budget where this V8 has one (see the header); true when it did. */
export function delayTurbofan(v8Version: string = process.versions.v8): boolean {
  if (!v8Version.startsWith('11.')) return false;
  setFlagsFromString(`--interrupt-budget=${INTERRUPT_BUDGET}`);
  return true;
}
