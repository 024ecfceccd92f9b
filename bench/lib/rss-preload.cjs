// Loaded into safe-pip's Node process with NODE_OPTIONS=--require (bench only): on exit, appends
// "<pid> <maxRSS KB>" to $SAFE_PIP_BENCH_RSS_FILE. process.resourceUsage().maxRSS is getrusage
// (RUSAGE_SELF): this Node process alone, not the pip or Python it runs (those are reported by
// wait4 of the parent and would hide Node's own figure).
//
// CommonJS and --require, not an ES module and --import: --import starts Node's ES module loader
// before the CLI runs, which cost every safe-pip run of the bench ~15 ms (12% of a small set's
// fetch) that users never pay; a required file costs about a millisecond.
'use strict';
const { appendFileSync } = require('node:fs');

const target = process.env.SAFE_PIP_BENCH_RSS_FILE;
if (target) {
  process.on('exit', () => {
    try {
      appendFileSync(target, `${process.pid} ${process.resourceUsage().maxRSS}\n`);
    } catch {
      // a benchmark helper never changes the outcome of the run it measures
    }
  });
}
