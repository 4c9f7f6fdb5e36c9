// Item-to-item co-purchase recommendations (analytics.md §4): pair statistics over baskets, each item's nearest
// neighbours, and a per-customer top-N with a popularity fallback.

export interface PairStat {
  a: string;
  b: string;
  count: number;
  support: number;
  confidenceAB: number;
  confidenceBA: number;
  lift: number;
  cosine: number;
}

const SEP = '\u0000';

/**
 * Co-occurrence statistics of every item pair bought together in at least `minCount` baskets (default 1).
 * An item counts once per basket; N is the number of baskets given (empty ones included, so filtering
 * non-product lines out of a basket does not change N). For a < b (code-unit order):
 * support = n_ab / N, confidenceAB = n_ab / n_a, confidenceBA = n_ab / n_b, lift = n_ab·N / (n_a·n_b),
 * cosine = n_ab / √(n_a·n_b). Sorted by count (desc), then a, then b.
 */
export function coPurchasePairs(baskets: readonly (readonly string[])[], o: { minCount?: number } = {}): PairStat[] {
  const minCount = o.minCount ?? 1;
  const itemCount = new Map<string, number>();
  const pairCount = new Map<string, number>();
  for (const basket of baskets) {
    const items = [...new Set(basket)].sort();
    for (const item of items) itemCount.set(item, (itemCount.get(item) ?? 0) + 1);
    for (let i = 0; i < items.length; i++) {
      for (let j = i + 1; j < items.length; j++) {
        const key = items[i]! + SEP + items[j]!;
        pairCount.set(key, (pairCount.get(key) ?? 0) + 1);
      }
    }
  }
  const n = baskets.length;
  const out: PairStat[] = [];
  for (const [key, count] of pairCount) {
    if (count < minCount) continue;
    const [a, b] = key.split(SEP) as [string, string];
    const na = itemCount.get(a)!;
    const nb = itemCount.get(b)!;
    out.push({ a, b, count, support: count / n, confidenceAB: count / na, confidenceBA: count / nb, lift: (count * n) / (na * nb), cosine: count / Math.sqrt(na * nb) });
  }
  return out.sort((x, y) => y.count - x.count || (x.a < y.a ? -1 : x.a > y.a ? 1 : 0) || (x.b < y.b ? -1 : x.b > y.b ? 1 : 0));
}

/** Items by the number of baskets holding them (desc, then code): the popularity fallback. */
export function popularItems(baskets: readonly (readonly string[])[], limit = Infinity): string[] {
  const counts = new Map<string, number>();
  for (const basket of baskets) for (const item of new Set(basket)) counts.set(item, (counts.get(item) ?? 0) + 1);
  return [...counts]
    .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0))
    .slice(0, limit)
    .map(([item]) => item);
}

/**
 * Each item's top-k neighbours by `metric` (cosine by default: unlike lift it does not reward rare pairs),
 * both directions of every pair; ties broken by item code.
 */
export function topNeighbours(pairs: readonly PairStat[], o: { k: number; metric?: 'cosine' | 'lift' | 'confidence' }): Map<string, { item: string; score: number }[]> {
  const metric = o.metric ?? 'cosine';
  const all = new Map<string, { item: string; score: number }[]>();
  const add = (from: string, item: string, score: number) => {
    let list = all.get(from);
    if (!list) all.set(from, (list = []));
    list.push({ item, score });
  };
  for (const p of pairs) {
    const ab = metric === 'confidence' ? p.confidenceAB : p[metric];
    const ba = metric === 'confidence' ? p.confidenceBA : p[metric];
    add(p.a, p.b, ab);
    add(p.b, p.a, ba);
  }
  for (const [item, list] of all) {
    list.sort((x, y) => y.score - x.score || (x.item < y.item ? -1 : x.item > y.item ? 1 : 0));
    all.set(item, list.slice(0, o.k));
  }
  return all;
}

/**
 * Top-N items for one customer: candidates are the neighbours of the items they own, scored by the sum of
 * their neighbour scores over those items (an item related to several purchases ranks higher); items in
 * `recent` (bought within the caller's exclusion window) are never recommended, while older purchases may come
 * back as re-buys. Remaining slots are filled from `popular`, in order, with
 * reason 'popular' and score 0. Ties by item code, so the result is deterministic.
 */
export function recommend(
  owned: readonly string[],
  recent: ReadonlySet<string>,
  neighbours: ReadonlyMap<string, readonly { item: string; score: number }[]>,
  popular: readonly string[],
  topN: number,
): { item: string; score: number; reason: 'co_purchase' | 'popular' }[] {
  const ownedSet = new Set(owned);
  const scores = new Map<string, number>();
  for (const item of ownedSet) {
    for (const n of neighbours.get(item) ?? []) {
      if (recent.has(n.item)) continue;
      scores.set(n.item, (scores.get(n.item) ?? 0) + n.score);
    }
  }
  const out: { item: string; score: number; reason: 'co_purchase' | 'popular' }[] = [...scores]
    .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0))
    .slice(0, topN)
    .map(([item, score]) => ({ item, score, reason: 'co_purchase' }));
  const chosen = new Set(out.map((r) => r.item));
  for (const item of popular) {
    if (out.length >= topN) break;
    if (chosen.has(item) || recent.has(item)) continue;
    chosen.add(item);
    out.push({ item, score: 0, reason: 'popular' });
  }
  return out;
}
