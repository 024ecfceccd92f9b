// Deterministic case generators shared by the src/standards differential tests. The same seed
// gives the same cases, so a failure can be reproduced; the oracle decides what is right.

export type Random = () => number;

/** mulberry32: small, fast, deterministic. */
export function seededRandom(seed: number): Random {
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

export function chance(random: Random, p: number): boolean {
  return random() < p;
}

const EPOCHS = ['', '', '', '', '1!', '0!', '2!', '10!'];
const NUMBERS = ['0', '1', '2', '3', '10', '01', '00', '9', '2024', '12345678901234567890'];
const PRES = ['', '', '', 'a1', 'b2', 'rc1', 'c1', 'alpha', 'beta3', 'pre', 'preview2', '-a1', '.b.2', '_rc_3', 'A1', 'RC', 'a0', 'rc'];
const POSTS = ['', '', '', '.post1', '-1', 'post', '.r2', '-rev3', '_post_4', '.POST5', '-post', '.post0'];
const DEVS = ['', '', '', '.dev0', 'dev', '-dev3', '_dev_1', '.DEV2', '.dev'];
const LOCALS = ['', '', '', '', '+local', '+Ubuntu-1', '+1.2.abc', '+abc_def', '+0', '+01.a', '+a.1', '+1.a'];
const JUNK = ['-', '.', '_', '+', '!', '*', 'x', ' ', '\t', 'v', 'a', '1', '..', '--', 'é', '\n'];

/** A version-like string: mostly valid, in unnormalized spellings, sometimes broken. */
export function versionText(random: Random): string {
  const release = Array.from({ length: 1 + Math.floor(random() * 4) }, () => pick(random, NUMBERS)).join('.');
  let text =
    (chance(random, 0.1) ? pick(random, ['v', 'V']) : '') +
    pick(random, EPOCHS) +
    release +
    pick(random, PRES) +
    pick(random, POSTS) +
    pick(random, DEVS) +
    pick(random, LOCALS);
  if (chance(random, 0.05)) text = ` ${text}\t`;
  if (chance(random, 0.15)) {
    const at = Math.floor(random() * (text.length + 1));
    text = text.slice(0, at) + pick(random, JUNK) + text.slice(at + (chance(random, 0.5) ? 1 : 0));
  }
  return text;
}

/** A plain, small version (for specifier right-hand sides and candidate lists). */
export function smallVersion(random: Random, allowLocal: boolean): string {
  const release = Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(random, ['0', '1', '2', '3'])).join('.');
  return (
    pick(random, ['', '', '', '', '', '', '1!']) +
    release +
    pick(random, ['', '', '', 'a1', 'b1', 'rc1', 'a2']) +
    pick(random, ['', '', '', '.post1', '.post2']) +
    pick(random, ['', '', '', '', '.dev0', '.dev1']) +
    (allowLocal ? pick(random, ['', '', '', '', '+local', '+1', '+abc.2']) : '')
  );
}
