import { describe, expect, it } from 'vitest';
import { RETAIL_NON_PRODUCT_CODES, onlineRetail } from '#tests/support/scoring.ts';
import { coPurchasePairs, popularItems, recommend, topNeighbours } from './recommendations.ts';

/** §4: baskets = non-cancelled invoices' lines with Quantity > 0, non-product codes left out of the items. */
function retailBaskets(): string[][] {
  const baskets = new Map<string, string[]>();
  for (const r of onlineRetail()) {
    if (r.invoice.startsWith('C') || r.quantity <= 0) continue;
    let b = baskets.get(r.invoice);
    if (!b) baskets.set(r.invoice, (b = []));
    if (!RETAIL_NON_PRODUCT_CODES.has(r.stockCode)) b.push(r.stockCode);
  }
  return [...baskets.values()];
}

describe('coPurchasePairs on Online Retail mod-10 (analytics.md §4)', () => {
  const baskets = retailBaskets();
  const pairs = coPurchasePairs(baskets, { minCount: 2 });

  it('counts 1,711 baskets and the published top items', () => {
    expect(baskets.length).toBe(1711);
    const counts = new Map<string, number>();
    for (const b of baskets) for (const i of new Set(b)) counts.set(i, (counts.get(i) ?? 0) + 1);
    expect(popularItems(baskets, 4)).toEqual(['85123A', '22423', '84879', '85099B']);
    expect([counts.get('85123A'), counts.get('22423'), counts.get('84879'), counts.get('85099B')]).toEqual([195, 145, 126, 125]);
  });

  it('reproduces the top pairs (count, support, confidences, lift)', () => {
    const expected = [
      ['21733', '85123A', 58, 0.0339, 0.8286, 0.2974, 7.27],
      ['82482', '82494L', 57, 0.03331, 0.6404, 0.6786, 13.045],
      ['22469', '22470', 52, 0.03039, 0.5306, 0.5652, 9.868],
      ['22086', '22910', 51, 0.02981, 0.4951, 0.6538, 10.861],
      ['22726', '22727', 46, 0.02688, 0.6667, 0.6389, 15.843],
    ] as const;
    expect(pairs.slice(0, 5).map((p) => [p.a, p.b])).toEqual(expected.map((e) => [e[0], e[1]]));
    expected.forEach(([, , count, support, ab, ba, lift], i) => {
      const p = pairs[i]!;
      expect(p.count).toBe(count);
      expect(p.support).toBeCloseTo(support, 5);
      expect(p.confidenceAB).toBeCloseTo(ab, 4);
      expect(p.confidenceBA).toBeCloseTo(ba, 4);
      expect(p.lift).toBeCloseTo(lift, 3);
      expect(p.cosine).toBeCloseTo(p.count / Math.sqrt((p.count / p.confidenceAB) * (p.count / p.confidenceBA)), 12);
    });
    expect(pairs.every((p) => p.count >= 2 && p.a < p.b)).toBe(true);
  });

  it('neighbours of 22726 (alarm clock) start with its twin 22727', () => {
    const nb = topNeighbours(pairs, { k: 5 });
    expect(nb.get('22726')![0]!.item).toBe('22727');
    expect(nb.get('22726')!.length).toBe(5);
    expect(topNeighbours(pairs, { k: 3, metric: 'lift' }).get('22727')!.length).toBe(3);
  });
});

describe('coPurchasePairs on a hand-checked example', () => {
  it('counts an item once per basket and computes every statistic', () => {
    const pairs = coPurchasePairs([['a', 'b', 'a'], ['a', 'b', 'c'], ['a'], ['c'], []]);
    const ab = pairs.find((p) => p.a === 'a' && p.b === 'b')!;
    // N = 5 baskets, n_a = 3, n_b = 2, n_ab = 2.
    expect(ab).toEqual({ a: 'a', b: 'b', count: 2, support: 0.4, confidenceAB: 2 / 3, confidenceBA: 1, lift: (2 * 5) / (3 * 2), cosine: 2 / Math.sqrt(6) });
    expect(pairs.map((p) => `${p.a}${p.b}:${p.count}`)).toEqual(['ab:2', 'ac:1', 'bc:1']);
    expect(coPurchasePairs([['a', 'b'], ['a', 'c']], { minCount: 2 })).toEqual([]);
  });
});

describe('recommend', () => {
  const neighbours = new Map([
    ['a', [{ item: 'b', score: 0.9 }, { item: 'c', score: 0.5 }]],
    ['d', [{ item: 'c', score: 0.6 }, { item: 'e', score: 0.1 }]],
  ]);

  it('sums neighbour scores over owned items, excludes recent purchases and fills with popular items', () => {
    const r = recommend(['a', 'd'], new Set(['b']), neighbours, ['b', 'x', 'c', 'y'], 4);
    expect(r).toEqual([
      { item: 'c', score: 1.1, reason: 'co_purchase' },
      { item: 'e', score: 0.1, reason: 'co_purchase' },
      { item: 'x', score: 0, reason: 'popular' },
      { item: 'y', score: 0, reason: 'popular' },
    ]);
  });

  it('gives a new customer the popular items and respects topN', () => {
    expect(recommend([], new Set(), neighbours, ['p', 'q', 'r'], 2)).toEqual([
      { item: 'p', score: 0, reason: 'popular' },
      { item: 'q', score: 0, reason: 'popular' },
    ]);
    expect(recommend(['a'], new Set(), neighbours, [], 1)).toEqual([{ item: 'b', score: 0.9, reason: 'co_purchase' }]);
  });
});
