// Shared pieces of the property-based (fast-check) parser tests in test/fuzz/.
//
// Reproduction: every property runs with the seed in FUZZ_SEED when it is set (random otherwise);
// fast-check prints the seed, the shrink path and the counterexample of a failure, so
// `FUZZ_SEED=<seed> npx vitest run test/fuzz/<file>` replays it. FUZZ_SCALE multiplies every
// property's number of runs (e.g. FUZZ_SCALE=20 for a long local session).
// Budget: each property also stops after a time limit (interruptAfterTimeLimit), so the suite's
// runtime stays bounded on a slow machine; an interrupted property passes with the runs it made.
// That limit cannot stop a case that never returns (a parser stuck in synchronous code): with
// FUZZ_TRACE=<file>, every property appends its file, name and seed there before it starts, so
// a hung run still tells which seed to replay.
import { appendFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { expect } from 'vitest';

const seedText = process.env['FUZZ_SEED'];
/** The seed of this run, fixed by FUZZ_SEED or drawn once per test file. */
export const FUZZ_SEED: number = seedText !== undefined && seedText !== '' ? Number(seedText) : (Math.random() * 2 ** 31) | 0;
const SCALE = Number(process.env['FUZZ_SCALE'] ?? '1') || 1;

/** fast-check parameters for one property: `numRuns` cases within `budgetMs`, seeded. */
export function fuzzParams<T>(numRuns: number, budgetMs = 1500): fc.Parameters<T> {
  const trace = process.env['FUZZ_TRACE'];
  if (trace !== undefined && trace !== '') {
    const { testPath, currentTestName } = expect.getState();
    appendFileSync(trace, `${new Date().toISOString()} ${testPath ?? '?'} :: ${currentTestName ?? '?'} seed=${FUZZ_SEED}\n`);
  }
  return {
    numRuns: Math.max(1, Math.round(numRuns * SCALE)),
    seed: FUZZ_SEED,
    interruptAfterTimeLimit: budgetMs * SCALE,
    markInterruptAsFailure: false,
  };
}

/** A fixed sample (for differential tests that ask an oracle once), seeded like the properties. */
export function fuzzSample<T>(arbitrary: fc.Arbitrary<T>, numRuns: number): T[] {
  return fc.sample(arbitrary, { numRuns: Math.max(1, Math.round(numRuns * SCALE)), seed: FUZZ_SEED });
}

type ErrorClass = abstract new (...args: never[]) => Error;

/**
 * Call `fn`; a throw that is not an instance of one of `allowed` is re-thrown wrapped, naming the
 * input, so a property fails on any foreign exception (TypeError, RangeError, a bare Error...).
 * Returns the value, or `undefined` when an allowed error was thrown.
 */
export function onlyThrows<T>(allowed: readonly ErrorClass[], input: unknown, fn: () => T): T | undefined {
  try {
    return fn();
  } catch (error) {
    if (allowed.some((cls) => error instanceof cls)) return undefined;
    throw unexpected(error, input);
  }
}

/** Async variant of onlyThrows. */
export async function onlyThrowsAsync<T>(allowed: readonly ErrorClass[], input: unknown, fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (error) {
    if (allowed.some((cls) => error instanceof cls)) return undefined;
    throw unexpected(error, input);
  }
}

/** The input for a message: JSON, cut to a readable length. */
export function show(input: unknown): string {
  const text = JSON.stringify(input) ?? String(input);
  return text.length > 300 ? `${text.slice(0, 300)}... (${text.length} characters)` : text;
}

/** The error a property raises for a foreign exception. */
export function unexpected(error: unknown, input: unknown): Error {
  const name = error instanceof Error ? `${error.name}: ${error.message.slice(0, 300)}` : String(error);
  return new Error(`unexpected exception for input ${show(input)}: ${name}`, { cause: error });
}

// ---------------------------------------------------------------------------------------------
// Generators

/** Characters that tend to break hand-written parsers. */
export const HOSTILE_CHARS: readonly string[] = [
  '\0', '\n', '\r', '\r\n', '\t', '\v', '\f', ' ', '\u00a0', '\u0085', '\u2028', '\u3000', '\ufeff', '\x1c',
  '\\', '"', "'", '`', '#', ';', ',', '=', '==', '!', '@', '[', ']', '(', ')', '{', '}', '<', '>', '~', '*',
  '+', '-', '--', '.', '..', '_', '/', ':', '%', '%2F', '$', '${X}', '&', '?', 'é', 'İ', 'ß', 'K', '😀',
  '\ud800', '\udfff', '0', '9', 'a', 'Z',
];

export type Mutation =
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'repeat'; at: number; length: number; times: number }
  | { kind: 'replace'; at: number; text: string }
  | { kind: 'swap'; a: number; b: number; length: number };

/** Mutations drawing inserted text from `fragments` (grammar pieces) and HOSTILE_CHARS. */
export function mutationArb(fragments: readonly string[]): fc.Arbitrary<Mutation> {
  const text = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...fragments) },
    { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_CHARS) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength: 4 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 2 }) },
  );
  const at = fc.nat({ max: 10_000 });
  return fc.oneof(
    fc.record({ kind: fc.constant('insert' as const), at, text }),
    fc.record({ kind: fc.constant('delete' as const), at, length: fc.integer({ min: 1, max: 6 }) }),
    fc.record({ kind: fc.constant('repeat' as const), at, length: fc.integer({ min: 1, max: 8 }), times: fc.integer({ min: 2, max: 40 }) }),
    fc.record({ kind: fc.constant('replace' as const), at, text }),
    fc.record({ kind: fc.constant('swap' as const), a: at, b: at, length: fc.integer({ min: 1, max: 6 }) }),
  );
}

export function applyMutation(input: string, m: Mutation): string {
  const n = input.length;
  switch (m.kind) {
    case 'insert': {
      const at = m.at % (n + 1);
      return input.slice(0, at) + m.text + input.slice(at);
    }
    case 'delete': {
      if (n === 0) return input;
      const at = m.at % n;
      return input.slice(0, at) + input.slice(at + m.length);
    }
    case 'repeat': {
      if (n === 0) return input;
      const at = m.at % n;
      const piece = input.slice(at, at + m.length);
      return input.slice(0, at) + piece.repeat(m.times) + input.slice(at + m.length);
    }
    case 'replace': {
      if (n === 0) return m.text;
      const at = m.at % n;
      return input.slice(0, at) + m.text + input.slice(at + 1);
    }
    case 'swap': {
      if (n < 2) return input;
      let a = m.a % n;
      let b = m.b % n;
      if (a > b) [a, b] = [b, a];
      const len = Math.min(m.length, b - a);
      if (len <= 0) return input;
      return input.slice(0, a) + input.slice(b, b + len) + input.slice(a + len, b) + input.slice(a, a + len) + input.slice(b + len);
    }
  }
}

/** A valid-looking input from `base`, then 0..maxMutations mutations: near-valid text. */
export function mutated(base: fc.Arbitrary<string>, fragments: readonly string[], maxMutations = 4): fc.Arbitrary<string> {
  return fc
    .tuple(base, fc.array(mutationArb(fragments), { maxLength: maxMutations }))
    .map(([text, mutations]) => mutations.reduce(applyMutation, text));
}

/** Random text of several kinds: ascii, full unicode, lone surrogates, grammar fragments glued together. */
export function arbitraryText(fragments: readonly string[], maxLength = 80): fc.Arbitrary<string> {
  return fc.oneof(
    fc.string({ maxLength }),
    fc.string({ unit: 'grapheme', maxLength: maxLength / 2 }),
    fc.string({ unit: 'binary', maxLength }),
    fc.array(fc.constantFrom(...fragments, ...HOSTILE_CHARS), { maxLength: maxLength / 4 }).map((parts) => parts.join('')),
  );
}

/** A long input: `piece` repeated to about `length` characters (catastrophic-backtracking probes). */
export function longRepeat(piece: string, length: number, prefix = '', suffix = ''): string {
  return prefix + piece.repeat(Math.ceil(length / Math.max(1, piece.length))) + suffix;
}

// ---------------------------------------------------------------------------------------------
// Python oracle (one process per call)

/** Run a Python script with JSON on stdin and parse the JSON it prints. */
export function askPython<T>(script: string, input: unknown, python = 'python3'): T {
  const result = spawnSync(python, ['-c', script], {
    input: JSON.stringify(input),
    env: { ...process.env, PYTHONIOENCODING: 'utf-8', PYTHONDONTWRITEBYTECODE: '1', PYTHONWARNINGS: 'ignore' },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`python failed (${String(result.status)}): ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

/**
 * Run `fn` on each long input twice under fast-check's time budget with interruption counted as a
 * failure: an input whose first run alone exceeds `budgetMs` (catastrophic backtracking, quadratic
 * scans) fails the property, with no timing assertion of our own. Sizes are chosen so that a
 * linear parser takes milliseconds and a quadratic one several seconds.
 */
export function assertWithinBudget(inputs: readonly string[], fn: (input: string) => void, budgetMs = 1000): void {
  for (const input of inputs) {
    const result = fc.check(fc.property(fc.constant(input), (text) => fn(text)), {
      numRuns: 2,
      interruptAfterTimeLimit: budgetMs,
      markInterruptAsFailure: true,
    });
    if (result.failed) {
      const reason = result.interrupted ? `took longer than ${budgetMs} ms` : String(result.errorInstance);
      throw new Error(`long input ${show(input)}: ${reason}`, { cause: result.errorInstance });
    }
  }
}
