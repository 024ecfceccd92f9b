// What every vendored resolvelib shares (resolvers.py / resolvers/resolution.py Resolution): the
// backjump walk, and the seam each release fills in. A release decides, after the failed state is
// discarded and each earlier pin is taken off, whether to stop there, keep going, or give up; then
// a new state is built from the one below with everything the broken state had learnt, plus the
// pin just taken off as incompatible (resolvelib's _patch_criteria). A release also decides how
// the next identifier is chosen (narrowing, 1.1+), whether failure causes are deduplicated (1.1+)
// and may spend a round rolling back (optimistic backjumping, 1.2).
import { mostPreferred, type PreferenceInformation, type Provider, type SelectionState } from '../preferences/provider.js';

export interface BackjumpState<C> {
  /** Pins in the order they were made. */
  mapping: Map<string, C>;
}

/** The resolver as the backjump sees it. */
export interface BackjumpHost<S extends BackjumpState<C>, C> {
  /** The stack of states; the last is the one being worked on. */
  states: S[];
  dependencyIdentifiers(candidate: C): ReadonlySet<string>;
  /** _push_new_state, then _patch_criteria with the broken state's incompatibilities and this pin. */
  retryFrom(broken: S, name: string, candidate: C): Promise<boolean>;
  /** A state's mapping, criteria and causes copied (resolvelib 1.2's _save_state). */
  copyState(state: S): S;
}

export type BackjumpOutcome =
  /** A new state to work on: the failure's causes become its backtrack causes. */
  | 'resumed'
  /** Optimistic backjumping failed; the saved states are back and the causes are not recorded. */
  | 'rolled-back'
  | 'impossible'
  /** The walk took every state off the stack: resolvelib 1.2.0 then fails with an IndexError (pip 25.2 exits 2). */
  | 'crashed';

/** One resolution's use of a resolvelib release. */
export interface ResolvelibRun<I> {
  /** Choose the identifier to pin next among the unpinned ones. */
  choose(unsatisfied: readonly string[], provider: Provider, state: SelectionState): string;
  /** The causes of a failed pin, from the criteria that conflicted. */
  causes(failures: readonly { information: readonly I[] }[]): I[];
  /** At the start of a round: true when the round was spent rolling back (it then does nothing else). */
  startRound(round: number): boolean;
  backjump(causes: readonly PreferenceInformation[]): Promise<BackjumpOutcome>;
}

export interface ResolvelibRules {
  readonly version: string;
  create<S extends BackjumpState<C>, C, I>(host: BackjumpHost<S, C>, maxRounds: number): ResolvelibRun<I>;
}

export type WalkStep = 'stop' | 'continue' | 'impossible';

export interface WalkPosition<S, C> {
  name: string;
  candidate: C;
  /** The state the pin was taken from (already off the stack, pin removed). */
  broken: S;
  incompatibleDeps: ReadonlySet<string>;
}

/** The identifiers named by the causes, as parent and as requirement (_backjump's incompatible_deps). */
export function incompatibleDependencies(causes: readonly PreferenceInformation[]): Set<string> {
  const out = new Set<string>();
  for (const cause of causes) if (cause.parent !== null) out.add(cause.parent.identifier);
  for (const cause of causes) out.add(cause.requirement.identifier);
  return out;
}

/** Whether the candidate depends on any of the incompatible identifiers. */
export function dependsOnAny<S extends BackjumpState<C>, C>(host: BackjumpHost<S, C>, candidate: C, identifiers: ReadonlySet<string>): boolean {
  for (const id of host.dependencyIdentifiers(candidate)) if (identifiers.has(id)) return true;
  return false;
}

/** resolvelib's _backjump with a release's step rule: true when a new state was made to work on. */
export async function walkBack<S extends BackjumpState<C>, C>(
  host: BackjumpHost<S, C>,
  causes: readonly PreferenceInformation[],
  step: (position: WalkPosition<S, C>) => WalkStep,
): Promise<boolean | 'impossible' | 'crashed'> {
  const incompatibleDeps = incompatibleDependencies(causes);
  while (host.states.length >= 3) {
    host.states.pop();
    let position: WalkPosition<S, C>;
    for (;;) {
      const broken = host.states.pop();
      const last = broken === undefined ? undefined : [...broken.mapping].pop();
      if (broken === undefined || last === undefined) return 'impossible';
      const [name, candidate] = last;
      broken.mapping.delete(name);
      position = { name, candidate, broken, incompatibleDeps };
      const decision = step(position);
      if (decision === 'impossible') return 'impossible';
      if (decision === 'stop') break;
    }
    // Nothing left to build the next state on (only 1.2.0's walk gets here: 1.2.1 guards it).
    if (host.states.length === 0) return 'crashed';
    if (await host.retryFrom(position.broken, position.name, position.candidate)) return true;
  }
  return false;
}

/** resolvelib 1.1+: narrow when more than one is unpinned, then the preference when more than one is left. */
export function chooseNarrowed(unsatisfied: readonly string[], provider: Provider, state: SelectionState): string {
  const narrowed = unsatisfied.length > 1 && provider.narrow !== undefined ? provider.narrow(unsatisfied, state) : unsatisfied;
  if (narrowed.length === 0) throw new Error('resolver bug: narrow_requirement_selection returned no names');
  return narrowed.length > 1 ? mostPreferred(narrowed, provider, state) : narrowed[0]!;
}

/** resolvelib 1.1+'s _extract_causes: each information once, in first-seen order. */
export function uniqueCauses<I>(failures: readonly { information: readonly I[] }[]): I[] {
  return [...new Set(failures.flatMap((f) => f.information))];
}
