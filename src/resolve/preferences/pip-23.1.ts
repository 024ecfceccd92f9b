// pip 23.1 – 25.0's provider.get_preference (resolvelib 1.0.1 asks it about every unpinned
// identifier each round, in criteria order). Lower sorts first:
//   Requires-Python first; then "direct" — which in these releases is true for any identifier with
//   information at all (`candidate is not None` tests a tuple from zip()); pinned (`==`, `===`,
//   wildcards included); a cause of the last backtrack; the depth from the roots (1 for a root;
//   else one more than the shallowest parent's depth as last computed, infinite when unknown);
//   the order the user gave; any operator at all; the name.
// Depths are remembered across rounds, so they depend on the order identifiers were asked about.
import { operatorsOf, REQUIRES_PYTHON, type PreferenceKey, type ProviderRules, type SelectionState } from './provider.js';

export const pip23Preferences: ProviderRules = {
  since: '23.1',
  create() {
    const knownDepths = new Map<string, number>();
    return {
      preference(identifier: string, state: SelectionState): PreferenceKey {
        const information = state.information(identifier);
        const hasInformation = information.length > 0;
        const operators = operatorsOf(information);
        const direct = hasInformation;
        const pinned = operators.some((o) => o.operator.startsWith('=='));
        const unfree = operators.length > 0;
        const requested = state.userRequested.get(identifier);
        let depth: number;
        if (requested !== undefined) depth = 1;
        else if (hasInformation) depth = Math.min(...information.map((i) => (i.parent === null ? 0 : (knownDepths.get(i.parent.identifier) ?? Infinity)))) + 1;
        else depth = Infinity;
        knownDepths.set(identifier, depth);
        const backtrackCause = state.backtrackCauses.some((c) => c.requirement.identifier === identifier || c.parent?.identifier === identifier);
        return [
          identifier === REQUIRES_PYTHON ? 0 : 1,
          direct ? 0 : 1,
          pinned ? 0 : 1,
          backtrackCause ? 0 : 1,
          depth,
          requested ?? Infinity,
          unfree ? 0 : 1,
          identifier,
        ];
      },
    };
  },
};
