// resolvelib 1.2 (pip 25.2: 1.2.0; pip 25.3+: 1.2.1): optimistic backjumping. Like 1.1, except
// that a backjump walks on past pins the conflict does not name; the first time it does, the stack
// is saved. If a later backjump fails, or optimistic backjumping runs for more than a tenth of
// the rounds left when it began, the saved stack comes back (that round does nothing else) and
// backjumping is safe, as in 1.1, from then on. 1.2.1 gives up when the walk would leave fewer
// than two states.
import { chooseNarrowed, dependsOnAny, uniqueCauses, walkBack, type BackjumpHost, type BackjumpState, type ResolvelibRules } from './backjump.js';

/** resolvelib's _OPTIMISTIC_BACKJUMPING_RATIO. */
const OPTIMISTIC_RATIO = 0.1;

export function resolvelib12(version: '1.2.0' | '1.2.1'): ResolvelibRules {
  const guardsStack = version === '1.2.1';
  return {
    version,
    create<S extends BackjumpState<C>, C>(host: BackjumpHost<S, C>, maxRounds: number) {
      let ratio = OPTIMISTIC_RATIO;
      let saved: S[] | null = null;
      let startRound: number | null = null;
      let cutoff = 0;
      const rollBack = (): void => {
        ratio = 0;
        if (saved !== null && saved.length > 0) {
          host.states = saved;
          saved = null;
        }
      };
      return {
        choose: chooseNarrowed,
        causes: uniqueCauses,
        startRound(round: number): boolean {
          if (ratio === 0 || saved === null) return false;
          if (startRound === null) {
            startRound = round;
            cutoff = Math.trunc((maxRounds - round) * ratio);
            if (cutoff > 0) return false;
          } else if (round - startRound < cutoff) return false;
          rollBack();
          return true;
        },
        async backjump(causes) {
          const result = await walkBack(host, causes, ({ name, candidate, broken, incompatibleDeps }) => {
            const unnamed = !incompatibleDeps.has(name);
            if (ratio === 0 && unnamed) return 'stop';
            if (ratio !== 0 && saved === null && unnamed) saved = host.states.map((s) => host.copyState(s));
            if (dependsOnAny(host, candidate, incompatibleDeps)) return 'stop';
            if (broken.mapping.size === 0) return 'stop';
            if (guardsStack && host.states.length <= 1) return 'impossible';
            return 'continue';
          });
          if (result === true) return 'resumed';
          if (result === 'crashed') return 'crashed';
          if (ratio !== 0 && saved !== null && saved.length > 0) {
            rollBack();
            return 'rolled-back';
          }
          return 'impossible';
        },
      };
    },
  };
}
