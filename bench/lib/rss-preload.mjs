// Loaded into safe-pip's Node process with NODE_OPTIONS=--import (bench only): on exit, appends
// "<pid> <maxRSS KB>" to $SAFE_PIP_BENCH_RSS_FILE. process.resourceUsage().maxRSS is getrusage
// (RUSAGE_SELF): this Node process alone, not the pip or Python it runs (those are reported by
// wait4 of the parent and would hide Node's own figure).
import { appendFileSync } from 'node:fs';

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
