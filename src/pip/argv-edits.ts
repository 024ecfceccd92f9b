// Rewriting a pip command line while keeping every token the user wrote that need not change.
// Works on the token positions kept by parsePipCommandLine (optparse occurrences and positionals).
//
// Edits: remove an option occurrence (its value token too, or just its letters inside a short
// cluster such as `-qrreq.txt`), replace an occurrence's value (in the token it was written in:
// `--opt=v`, `--opt v`, `-iURL`), remove/replace a positional, and append options (before a `--`
// that ends option processing, so they stay options; a `--` before the command name moves behind
// them) or positionals (after a `--` when they start with `-`).
import type { PipCommandLine } from './command-line.js';
import type { OptionOccurrence, Positional } from './optparse.js';

export type ArgvEdit =
  | { kind: 'remove-occurrence'; occurrence: OptionOccurrence }
  | { kind: 'replace-value'; occurrence: OptionOccurrence; value: string }
  | { kind: 'remove-positional'; positional: Positional }
  | { kind: 'replace-positional'; positional: Positional; value: string }
  | { kind: 'append-options'; tokens: string[] }
  | { kind: 'append-positionals'; tokens: string[] };

export class ArgvEditError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArgvEditError';
  }
}

/** The argv with the edits applied; tokens not touched by an edit are kept as they are. */
export function renderPipArgv(model: PipCommandLine, edits: readonly ArgvEdit[]): string[] {
  const argv = model.argv;
  // Per original token: the tokens that replace it (default: itself).
  const replaced = new Map<number, string[]>();
  const clusterRemovals = new Map<number, OptionOccurrence[]>();
  const appendOptions: string[] = [];
  const appendPositionals: string[] = [];
  const occurrences = model.occurrences ?? [];

  const setToken = (index: number, tokens: string[]): void => {
    if (replaced.has(index)) throw new ArgvEditError(`Two edits change argument ${index + 1} ("${argv[index]}")`);
    replaced.set(index, tokens);
  };

  for (const edit of edits) {
    switch (edit.kind) {
      case 'remove-occurrence': {
        const o = edit.occurrence;
        if (isInCluster(o, occurrences)) {
          clusterRemovals.set(o.tokenIndex, [...(clusterRemovals.get(o.tokenIndex) ?? []), o]);
        } else setToken(o.tokenIndex, []);
        if (o.valueSource === 'next') setToken(o.valueTokenIndex!, []);
        break;
      }
      case 'replace-value': {
        const o = edit.occurrence;
        if (o.valueSource === null) throw new ArgvEditError(`${o.name} takes no value`);
        if (o.valueSource === 'next') setToken(o.valueTokenIndex!, [edit.value]);
        else if (o.valueSource === 'equals') {
          const token = argv[o.tokenIndex]!;
          setToken(o.tokenIndex, [`${token.slice(0, token.indexOf('=') + 1)}${edit.value}`]);
        } else {
          const prefix = clusterPrefix(o, occurrences, argv);
          // An empty attached value would make the option swallow the next token instead.
          setToken(o.tokenIndex, edit.value === '' ? [prefix, ''] : [`${prefix}${edit.value}`]);
        }
        break;
      }
      case 'remove-positional':
        setToken(edit.positional.tokenIndex, []);
        break;
      case 'replace-positional':
        setToken(edit.positional.tokenIndex, [edit.value]);
        break;
      case 'append-options':
        appendOptions.push(...edit.tokens);
        break;
      case 'append-positionals':
        appendPositionals.push(...edit.tokens);
        break;
    }
  }
  for (const [index, removed] of clusterRemovals) setToken(index, [rebuildCluster(index, removed, occurrences, argv)].filter((t) => t !== '-'));

  const out: string[] = [];
  const dashDash = model.doubleDashIndex;
  // `pip -- install pkg`: the main parser stops at that `--`, and pip's command parser reads it too
  // (cmd_args is argv minus the command name), so options inserted before it would reach the main
  // parser, which refuses them. The `--` moves to just after the command name instead, behind the
  // appended options: both parsers then end their option processing where they did before.
  const command = model.commandTokenIndex;
  const moveDashDash = appendOptions.length > 0 && dashDash !== null && command !== null && dashDash < command;
  argv.forEach((token, index) => {
    if (moveDashDash && index === dashDash) return;
    if (index === dashDash) out.push(...appendOptions);
    out.push(...(replaced.get(index) ?? [token]));
    if (moveDashDash && index === command) out.push(...appendOptions, ...(replaced.get(dashDash) ?? [argv[dashDash]!]));
  });
  if (dashDash === null) out.push(...appendOptions);
  if (appendPositionals.length > 0) {
    if (dashDash === null && appendPositionals.some((t) => t.startsWith('-') && t !== '-')) out.push('--');
    out.push(...appendPositionals);
  }
  return out;
}

/** Append option tokens (e.g. `--only-binary=:all:`) so that they are parsed last. */
export function appendOptions(model: PipCommandLine, tokens: string[]): string[] {
  return renderPipArgv(model, [{ kind: 'append-options', tokens }]);
}

export function removeOccurrences(model: PipCommandLine, remove: readonly OptionOccurrence[]): string[] {
  return renderPipArgv(
    model,
    remove.map((occurrence) => ({ kind: 'remove-occurrence', occurrence })),
  );
}

export function replaceOccurrenceValue(model: PipCommandLine, occurrence: OptionOccurrence, value: string): string[] {
  return renderPipArgv(model, [{ kind: 'replace-value', occurrence, value }]);
}

function shortOccurrencesOf(tokenIndex: number, occurrences: readonly OptionOccurrence[]): OptionOccurrence[] {
  return occurrences.filter((o) => o.tokenIndex === tokenIndex && !o.name.startsWith('--'));
}

function isInCluster(o: OptionOccurrence, occurrences: readonly OptionOccurrence[]): boolean {
  if (o.name.startsWith('--')) return false;
  return shortOccurrencesOf(o.tokenIndex, occurrences).length > 1;
}

/** The part of a short cluster up to and including the option's letter (`-q` + `r` in `-qrreq.txt`). */
function clusterPrefix(o: OptionOccurrence, occurrences: readonly OptionOccurrence[], argv: readonly string[]): string {
  const position = shortOccurrencesOf(o.tokenIndex, occurrences).indexOf(o);
  return argv[o.tokenIndex]!.slice(0, position + 2);
}

function rebuildCluster(
  tokenIndex: number,
  removed: readonly OptionOccurrence[],
  occurrences: readonly OptionOccurrence[],
  argv: readonly string[],
): string {
  const token = argv[tokenIndex]!;
  const shorts = shortOccurrencesOf(tokenIndex, occurrences);
  let out = '-';
  shorts.forEach((o, position) => {
    if (removed.includes(o)) return;
    out += token[position + 1];
    if (o.valueSource === 'attached') out += token.slice(position + 2);
  });
  return out;
}
