// resolvelib 1.0.1 (pip 23.1 – 25.0): every unpinned identifier is ranked by the preference each
// round (no narrowing); a backjump keeps taking pins off until it reaches one whose candidate
// depends on something the conflict names; causes are kept as found, repeats included.
import { mostPreferred } from '../preferences/provider.js';
import { dependsOnAny, walkBack, type ResolvelibRules } from './backjump.js';

export const resolvelib10: ResolvelibRules = {
  version: '1.0.1',
  create(host) {
    return {
      choose: (unsatisfied, provider, state) => mostPreferred(unsatisfied, provider, state),
      causes: (failures) => failures.flatMap((f) => f.information),
      startRound: () => false,
      async backjump(causes) {
        const result = await walkBack(host, causes, ({ candidate, incompatibleDeps }) => (dependsOnAny(host, candidate, incompatibleDeps) ? 'stop' : 'continue'));
        return result === true ? 'resumed' : 'impossible';
      },
    };
  },
};
