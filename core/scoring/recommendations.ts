// Item-to-item co-purchase recommendations (analytics.md §4).

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

export function coPurchasePairs(_baskets: readonly (readonly string[])[], _o?: { minCount?: number }): PairStat[] {
  throw new Error('not implemented');
}
export function recommend(
  _owned: readonly string[],
  _recent: ReadonlySet<string>,
  _neighbours: ReadonlyMap<string, readonly { item: string; score: number }[]>,
  _popular: readonly string[],
  _topN: number,
): { item: string; score: number; reason: 'co_purchase' | 'popular' }[] {
  throw new Error('not implemented');
}
