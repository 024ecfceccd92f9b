#!/usr/bin/env node
// Kept for the old name: the pass-through figures are now one suite of bench/run.mjs.
// Same as `node bench/run.mjs --only passthrough [--rounds N] [--json]`.
process.argv.splice(2, 0, '--only', 'passthrough');
await import('./run.mjs');
