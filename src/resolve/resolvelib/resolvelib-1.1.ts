// resolvelib 1.1.0 (pip 25.1): the provider narrows the choice first; causes are deduplicated; a
// backjump stops at the first pin taken off that the conflict does not name, or whose candidate
// depends on something it names, or that leaves its state without pins (a chance to recover).
import { chooseNarrowed, dependsOnAny, uniqueCauses, walkBack, type ResolvelibRules } from './backjump.js';

export const resolvelib11: ResolvelibRules = {
  version: '1.1.0',
  create(host) {
    return {
      choose: chooseNarrowed,
      causes: uniqueCauses,
      startRound: () => false,
      async backjump(causes) {
        const result = await walkBack(host, causes, ({ name, candidate, broken, incompatibleDeps }) => {
          if (!incompatibleDeps.has(name)) return 'stop';
          if (dependsOnAny(host, candidate, incompatibleDeps)) return 'stop';
          return broken.mapping.size === 0 ? 'stop' : 'continue';
        });
        return result === true ? 'resumed' : 'impossible';
      },
    };
  },
};
