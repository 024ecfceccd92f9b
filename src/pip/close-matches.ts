// difflib.get_close_matches(word, possibilities) with n=3, cutoff=0.6, as pip's
// get_similar_commands uses it for `unknown command "instal" - maybe you meant "install"`
// (pip/_internal/commands/__init__.py; Lib/difflib.py SequenceMatcher, CPython 3.11).
//
// Reproduced: SequenceMatcher.ratio() with autojunk (popular elements of a sequence of 200+
// items), and nlargest's tie order (equal scores: the greater string first). Strings are
// compared by code point, as Python does.

export function closeMatches(word: string, possibilities: readonly string[], n = 3, cutoff = 0.6): string[] {
  const b = [...word];
  const scored: Array<[number, string]> = [];
  for (const x of possibilities) {
    const score = sequenceRatio([...x], b);
    if (score >= cutoff) scored.push([score, x]);
  }
  scored.sort((p, q) => (p[0] !== q[0] ? q[0] - p[0] : compareCodePoints(q[1], p[1])));
  return scored.slice(0, n).map(([, x]) => x);
}

function compareCodePoints(a: string, b: string): number {
  const x = [...a].map((c) => c.codePointAt(0)!);
  const y = [...b].map((c) => c.codePointAt(0)!);
  for (let i = 0; i < Math.min(x.length, y.length); i += 1) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}

/** SequenceMatcher(None, a, b).ratio(). */
export function sequenceRatio(a: readonly string[], b: readonly string[]): number {
  const total = a.length + b.length;
  if (total === 0) return 1.0;
  return (2.0 * matchingCharacters(a, b)) / total;
}

function matchingCharacters(a: readonly string[], b: readonly string[]): number {
  const b2j = new Map<string, number[]>();
  b.forEach((element, j) => {
    const list = b2j.get(element);
    if (list === undefined) b2j.set(element, [j]);
    else list.push(j);
  });
  if (b.length >= 200) {
    const ntest = Math.floor(b.length / 100) + 1;
    for (const [element, indices] of [...b2j]) if (indices.length > ntest) b2j.delete(element);
  }
  let matches = 0;
  const queue: Array<[number, number, number, number]> = [[0, a.length, 0, b.length]];
  while (queue.length > 0) {
    const [alo, ahi, blo, bhi] = queue.pop()!;
    const [i, j, k] = findLongestMatch(a, b, b2j, alo, ahi, blo, bhi);
    if (k > 0) {
      matches += k;
      if (alo < i && blo < j) queue.push([alo, i, blo, j]);
      if (i + k < ahi && j + k < bhi) queue.push([i + k, ahi, j + k, bhi]);
    }
  }
  return matches;
}

function findLongestMatch(
  a: readonly string[],
  b: readonly string[],
  b2j: Map<string, number[]>,
  alo: number,
  ahi: number,
  blo: number,
  bhi: number,
): [number, number, number] {
  let besti = alo;
  let bestj = blo;
  let bestsize = 0;
  let j2len = new Map<number, number>();
  for (let i = alo; i < ahi; i += 1) {
    const next = new Map<number, number>();
    for (const j of b2j.get(a[i]!) ?? []) {
      if (j < blo) continue;
      if (j >= bhi) break;
      const k = (j2len.get(j - 1) ?? 0) + 1;
      next.set(j, k);
      if (k > bestsize) {
        besti = i - k + 1;
        bestj = j - k + 1;
        bestsize = k;
      }
    }
    j2len = next;
  }
  // No junk function: only "popular" elements were left out of b2j; extend over equal ones.
  while (besti > alo && bestj > blo && a[besti - 1] === b[bestj - 1]) {
    besti -= 1;
    bestj -= 1;
    bestsize += 1;
  }
  while (besti + bestsize < ahi && bestj + bestsize < bhi && a[besti + bestsize] === b[bestj + bestsize]) bestsize += 1;
  return [besti, bestj, bestsize];
}
