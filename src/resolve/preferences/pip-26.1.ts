// pip 26.1's provider: 25.1's, plus conflict promotion. Each time resolvelib asks to narrow (only
// when more than one identifier is unpinned), every identifier a current backtrack cause names,
// as requirement or as parent, that is not pinned has its count raised — once per cause that
// names it; at 5 it is promoted for the rest of the resolution. Narrowing: Requires-Python alone;
// else the backtrack causes; else the promoted identifiers; else all. Promotion also leads the
// preference key.
import { pip25PreferenceKey } from './pip-25.1.js';
import { REQUIRES_PYTHON, type PreferenceKey, type ProviderRules, type SelectionState } from './provider.js';

/** pip's _CONFLICT_PRIORITY_THRESHOLD. */
const PROMOTION_THRESHOLD = 5;

export const pip26Preferences: ProviderRules = {
  since: '26.1',
  create() {
    const conflictCounts = new Map<string, number>();
    const promoted = new Set<string>();
    return {
      narrow(identifiers: readonly string[], state: SelectionState): readonly string[] {
        const causes = new Set<string>();
        for (const cause of state.backtrackCauses) {
          const names = cause.parent === null ? [cause.requirement.identifier] : [cause.requirement.identifier, cause.parent.identifier];
          for (const name of names) {
            causes.add(name);
            if (state.isPinned(name)) continue;
            const count = (conflictCounts.get(name) ?? 0) + 1;
            conflictCounts.set(name, count);
            if (count >= PROMOTION_THRESHOLD) promoted.add(name);
          }
        }
        const current: string[] = [];
        const promotedHere: string[] = [];
        for (const identifier of identifiers) {
          if (identifier === REQUIRES_PYTHON) return [identifier];
          if (causes.has(identifier)) current.push(identifier);
          else if (promoted.has(identifier)) promotedHere.push(identifier);
        }
        if (current.length > 0) return current;
        return promotedHere.length > 0 ? promotedHere : identifiers;
      },
      preference(identifier: string, state: SelectionState): PreferenceKey {
        return [promoted.has(identifier) ? 0 : 1, ...pip25PreferenceKey(identifier, state)];
      },
    };
  },
};
