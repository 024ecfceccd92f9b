// What resolvelib shows pip's provider when it chooses the next identifier to pin, and the pieces
// every release's preferences share (pip/_internal/resolution/resolvelib/provider.py,
// resolvelib/providers.py AbstractProvider.get_preference / narrow_requirement_selection).
import type { SpecifierSet } from '../../standards/specifiers.js';

/** pip's REQUIRES_PYTHON_IDENTIFIER. */
export const REQUIRES_PYTHON = '<Python from Requires-Python>';

/** What the provider sees of one requirement: resolvelib's RequirementInformation. */
export interface PreferenceInformation {
  readonly requirement: PreferenceRequirement;
  readonly parent: { readonly identifier: string } | null;
}

/** Only a `specifier` requirement has an InstallRequirement, so only its operators count (get_candidate_lookup). */
export type PreferenceRequirement =
  | { readonly kind: 'specifier'; readonly identifier: string; readonly specifier: SpecifierSet }
  | { readonly kind: 'explicit' | 'python'; readonly identifier: string };

/** The resolution state a provider is shown in one round. */
export interface SelectionState {
  /** Every identifier that has a criterion, with its information (resolvelib's `information` mapping). */
  information(identifier: string): readonly PreferenceInformation[];
  /** Whether the identifier is pinned in the current state (resolvelib's `resolutions`). */
  isPinned(identifier: string): boolean;
  readonly backtrackCauses: readonly PreferenceInformation[];
  /** Root identifiers in the order the user gave them (pip's user_requested). */
  readonly userRequested: ReadonlyMap<string, number>;
}

/** A sort key: lower is preferred; compared item by item like a Python tuple. */
export type PreferenceKey = readonly (number | string)[];

/** pip's provider for one resolution: some releases keep state across rounds. */
export interface Provider {
  /** narrow_requirement_selection (pip >= 25.1); resolvelib < 1.1 never asks. */
  narrow?(identifiers: readonly string[], state: SelectionState): readonly string[];
  /** get_preference. */
  preference(identifier: string, state: SelectionState): PreferenceKey;
}

export interface ProviderRules {
  /** The first pip release with these rules. */
  readonly since: string;
  create(): Provider;
}

/** Python tuple order over preference keys. */
export function comparePreferenceKeys(a: PreferenceKey, b: PreferenceKey): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i += 1) {
    const x = a[i]!;
    const y = b[i]!;
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

/** Python's min(identifiers, key=preference): the first of the lowest keys. */
export function mostPreferred(identifiers: readonly string[], provider: Provider, state: SelectionState): string {
  let best: { identifier: string; key: PreferenceKey } | null = null;
  for (const identifier of identifiers) {
    const key = provider.preference(identifier, state);
    if (best === null || comparePreferenceKeys(key, best.key) < 0) best = { identifier, key };
  }
  if (best === null) throw new Error('resolver bug: nothing to choose from');
  return best.identifier;
}

/** The operator and version of every clause of every specifier requirement (provider.get_preference). */
export function operatorsOf(information: readonly PreferenceInformation[]): { operator: string; version: string }[] {
  return information.flatMap((i) => (i.requirement.kind === 'specifier' ? i.requirement.specifier.specifiers.map((s) => ({ operator: s.operator, version: s.version })) : []));
}
