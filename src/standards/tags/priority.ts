// Wheel tag priority: pip `models/wheel.py` (`Wheel.support_index_min` / `find_most_preferred_tag`).
// A wheel's priority is the lowest index in the supported list of any of its tags; it is
// compatible when at least one tag is supported. Compressed tag sets (`py2.py3-none-any`) are
// expanded; tags compare lower-cased like packaging's Tag.

const rankings = new WeakMap<readonly string[], Map<string, number>>();

/** The tag → first index map of a supported list, built once per list object. */
export function tagRanking(supported: readonly string[]): Map<string, number> {
  let ranking = rankings.get(supported);
  if (ranking === undefined) {
    ranking = new Map();
    supported.forEach((tag, index) => {
      if (!ranking!.has(tag)) ranking!.set(tag, index);
    });
    rankings.set(supported, ranking);
  }
  return ranking;
}

/** Expands "py2.py3-none-any" into its cartesian product; returns [] for a malformed triple. */
export function expandTagSet(tagSet: string): string[] {
  const fields = tagSet.toLowerCase().split('-');
  if (fields.length !== 3) return [];
  const [interpreters, abis, platforms] = fields.map((field) => field!.split('.')) as [string[], string[], string[]];
  const out: string[] = [];
  for (const interpreter of interpreters) {
    for (const abi of abis) for (const platform of platforms) out.push(`${interpreter}-${abi}-${platform}`);
  }
  return out;
}

/** Index of the wheel's best tag in `supported` (lower is better), or null when none is supported. */
export function tagPriority(wheelTags: Iterable<string>, supported: readonly string[]): number | null {
  const ranking = tagRanking(supported);
  let best: number | null = null;
  for (const wheelTag of wheelTags) {
    const candidates = wheelTag.includes('.') || /[A-Z]/.test(wheelTag) ? expandTagSet(wheelTag) : [wheelTag];
    for (const candidate of candidates) {
      const index = ranking.get(candidate);
      if (index !== undefined && (best === null || index < best)) best = index;
    }
  }
  return best;
}
