// Starting the CLI with V8's code cache (issue 12 §2). scripts/bundle.mjs bundles the CLI into one
// CommonJS file (dist/bundle/safe-pip.cjs) and this module into dist/main.cjs, the launchers'
// entry, which calls runBundle. Compiling the bundle was most of a start: about 45 ms of every
// intercepted command on Node 20, which has no compile cache, and Node 22+'s compile cache for ES
// modules still left a fetch of 10 packages ~55 ms slower than this (Node 24, interleaved A/B: it
// resolves, reads and links every chunk). So the bundle runs as a vm.Script given `cachedData`:
// the code V8 compiled in an earlier run of the same command word (`pip`, `fetch`, `explain`…),
// which a run writes as it exits when it found none, none V8 accepted, or one a much smaller run
// wrote (below). Modules the bundle imports lazily stay lazy (esbuild wraps each in a function
// that runs on first import), and code that never runs is never compiled.
//
// A cache holds the functions the run that wrote it compiled, and a run that goes where that one
// did not (the first fetch was of a few small wheels, this one streams large ones to disk, reads
// extras…) compiles those again each time: a boto3 fetch was 2.5% slower with the cache of a
// flask fetch than with its own (jupyter 0.7%). So a run rewrites the cache as it exits, with
// every function it has (the cache's and its own), when it used more than twice the CPU time of
// the run that wrote it: a cheap sign of a larger run, which rewrites it a few times at most
// (~11 ms for the code V8 serialises) rather than every time.
//
// Where: $NODE_COMPILE_CACHE when set (where Node would keep its own compile cache), else the
// `code-cache` folder of safe-pip's cache (src/io/cache-dir.ts): `<word>-node<major>.bin` (word:
// one of safe-pip's subcommands, whose names dist/main.cjs passes, or `other`), whose first 32
// bytes are a digest of what the code depends on (the bundle's sha256, which dist/main.cjs also
// passes, Node's version and architecture, its options), so that code compiled for another build
// is never used (V8 itself checks only the source's length, its own version and its flags); the
// next 8 the CPU time of the run that wrote it, in milliseconds (a float64). Node's own
// NODE_DISABLE_COMPILE_CACHE=1 and safe-pip's SAFE_PIP_NO_COMPILE_CACHE=1 leave it off. A cache
// that cannot be read or written costs only the compile.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';
import { safePipCacheDir } from './io/cache-dir.js';

const DIGEST_BYTES = 32;
const HEADER_BYTES = DIGEST_BYTES + 8;
/** A run this many times the CPU time of the one that wrote the cache rewrites it (see the header). */
const GROWTH_FACTOR = 2;

/** The folder of the code cache, or null when it is turned off (see the header). */
export function codeCacheDir(env: NodeJS.ProcessEnv): string | null {
  if (env.SAFE_PIP_NO_COMPILE_CACHE === '1' || env.NODE_DISABLE_COMPILE_CACHE === '1') return null;
  return env.NODE_COMPILE_CACHE || join(safePipCacheDir(env), 'code-cache');
}

/** What scripts/bundle.mjs tells of the bundle it built: its sha256, and safe-pip's subcommands. */
export interface BundleBuild {
  build: string;
  words: readonly string[];
}

/** The cache file for a command word, and the digest its content must start with. */
export function codeCacheEntry(dir: string, bundle: BundleBuild, word: string, env: NodeJS.ProcessEnv): { file: string; digest: Buffer } {
  // Any other first argument (an option, a typo) shares one file: a file per word would grow the
  // cache by ~1.2 MB with every new one.
  const name = bundle.words.includes(word) ? word : 'other';
  const major = /^v(\d+)\./.exec(process.version)?.[1] ?? '0';
  const digest = createHash('sha256')
    .update([bundle.build, process.version, process.arch, ...process.execArgv, env.NODE_OPTIONS ?? ''].join('\0'))
    .digest();
  return { file: join(dir, `${name}-node${major}.bin`), digest };
}

/** Runs the bundle (a CommonJS file at `path`) with the code cache of its command word, argv[2]. */
export function runBundle(path: string, bundle: BundleBuild, env: NodeJS.ProcessEnv, argv: readonly string[]): void {
  // Read as Latin-1: scripts/bundle.mjs checks that the bundle is ASCII, where Latin-1 and UTF-8
  // give the same string, and decoding 1.4 MB of UTF-8 took ~4 ms of every start.
  const source = readFileSync(path, 'latin1');
  const dir = codeCacheDir(env);
  const entry = dir === null ? null : codeCacheEntry(dir, bundle, argv[2] ?? '', env);
  const cached = entry === null ? undefined : readCodeCache(entry.file, entry.digest);
  // CommonJS's own wrapper, on a line of its own so that the bundle's lines keep their numbers.
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {\n${source}\n})`, {
    filename: path,
    lineOffset: -1,
    ...(cached === undefined ? {} : { cachedData: cached.data }),
  });
  if (entry !== null) {
    const refused = cached === undefined || script.cachedDataRejected === true;
    process.once('exit', () => {
      const cpuMs = runCpuMs();
      if (refused || cpuMs > GROWTH_FACTOR * cached.writerCpuMs) writeCodeCache(entry.file, entry.digest, script, cpuMs);
    });
  }
  const module = { exports: {} };
  const run = script.runInThisContext() as (exports: object, require: NodeJS.Require, module: object, filename: string, dirname: string) => void;
  run(module.exports, createRequire(path), module, path, dirname(path));
}

/** This process's CPU time so far (every thread), in milliseconds. */
function runCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

function readCodeCache(file: string, digest: Buffer): { data: Buffer; writerCpuMs: number } | undefined {
  try {
    const content = readFileSync(file);
    if (content.length <= HEADER_BYTES || !content.subarray(0, DIGEST_BYTES).equals(digest)) return undefined;
    const writerCpuMs = content.readDoubleLE(DIGEST_BYTES);
    return { data: content.subarray(HEADER_BYTES), writerCpuMs: Number.isFinite(writerCpuMs) ? writerCpuMs : 0 };
  } catch {
    return undefined;
  }
}

function writeCodeCache(file: string, digest: Buffer, script: Script, cpuMs: number): void {
  const temp = `${file}.${process.pid}.tmp`;
  try {
    // After the run: V8 includes every function compiled so far, not just the top level, and
    // those it took from the cache.
    const data = script.createCachedData();
    const cpu = Buffer.alloc(8);
    cpu.writeDoubleLE(cpuMs);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(temp, Buffer.concat([digest, cpu, data]));
    renameSync(temp, file);
  } catch {
    try {
      unlinkSync(temp);
    } catch {
      // Never written.
    }
  }
}
