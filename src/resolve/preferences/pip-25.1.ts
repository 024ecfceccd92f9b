// pip 25.1 – 26.0's provider (resolvelib >= 1.1 calls narrow_requirement_selection first, when
// more than one identifier is unpinned, then get_preference over what is left).
// Narrowing: Requires-Python alone when it is unpinned; else the identifiers named by the last
// backtrack's causes (as requirement or as parent); else all of them.
// Preference, lower first: direct (an explicit, URL-like requirement — now tested for real);
// pinned (`==`/`===` without a wildcard: `==1.*` is not pinned); upper-bounded (`<`, `<=`, `~=`,
// or `==` with a wildcard); the order the user gave; any operator; the name. Depth and backtrack
// causes left the key.
import { operatorsOf, REQUIRES_PYTHON, type PreferenceInformation, type PreferenceKey, type Provider, type ProviderRules, type SelectionState } from './provider.js';

/** The identifiers the causes name, as requirement and as parent. */
export function backtrackIdentifiers(causes: readonly PreferenceInformation[]): Set<string> {
  const out = new Set<string>();
  for (const cause of causes) {
    out.add(cause.requirement.identifier);
    if (cause.parent !== null) out.add(cause.parent.identifier);
  }
  return out;
}

/** get_preference of pip 25.1 and later, without 26.1's promotion. */
export function pip25PreferenceKey(identifier: string, state: SelectionState): PreferenceKey {
  const information = state.information(identifier);
  const direct = information.some((i) => i.requirement.kind === 'explicit');
  const operators = operatorsOf(information);
  const pinned = operators.some((o) => o.operator.startsWith('==') && !o.version.includes('*'));
  const upperBounded = operators.some((o) => o.operator === '<' || o.operator === '<=' || o.operator === '~=' || (o.operator === '==' && o.version.includes('*')));
  const unfree = operators.length > 0;
  return [direct ? 0 : 1, pinned ? 0 : 1, upperBounded ? 0 : 1, state.userRequested.get(identifier) ?? Infinity, unfree ? 0 : 1, identifier];
}

const provider: Provider = {
  narrow(identifiers, state) {
    const causes = backtrackIdentifiers(state.backtrackCauses);
    const current: string[] = [];
    for (const identifier of identifiers) {
      if (identifier === REQUIRES_PYTHON) return [identifier];
      if (causes.has(identifier)) current.push(identifier);
    }
    return current.length > 0 ? current : identifiers;
  },
  preference: pip25PreferenceKey,
};

export const pip25Preferences: ProviderRules = {
  since: '25.1',
  create: () => provider,
};
