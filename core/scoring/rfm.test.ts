import { describe, expect, it } from 'vitest';
import { RFM_SEGMENT_LABELS, RFM_SEGMENTS, fmScore, ntile, rfmScores, rfmSegment, type RfmInput, type RfmSegment } from './rfm.ts';

const scores = [1, 2, 3, 4, 5] as const;

describe('rfmSegment: the R × FM grid (analytics.md §2.3)', () => {
  it('gives every one of the 125 (R, F, M) cells exactly one segment, with the published cell counts', () => {
    const counts = new Map<RfmSegment, number>();
    let cells = 0;
    for (const r of scores) for (const f of scores) for (const m of scores) {
      const s = rfmSegment(r, f, m);
      expect(RFM_SEGMENTS).toContain(s);
      counts.set(s, (counts.get(s) ?? 0) + 1);
      cells++;
    }
    expect(cells).toBe(125);
    expect(Object.fromEntries(counts)).toEqual({
      potential_loyalist: 28,
      loyal_customers: 26,
      at_risk: 19,
      need_attention: 19,
      champions: 13,
      cant_lose_them: 10,
      hibernating: 5,
      promising: 2,
      lost: 1,
      about_to_sleep: 1,
      new_customers: 1,
    });
  });

  it.each([
    // (R, FM) keys of the published partition
    ['champions', [55, 54, 45]],
    ['loyal_customers', [53, 44, 35, 34]],
    ['potential_loyalist', [52, 42, 33, 43]],
    ['new_customers', [51]],
    ['promising', [41, 31]],
    ['need_attention', [32, 23, 22]],
    ['about_to_sleep', [21]],
    ['at_risk', [25, 24, 13]],
    ['cant_lose_them', [15, 14]],
    ['hibernating', [12]],
    ['lost', [11]],
  ] as const)('%s holds the (R,FM) cells %j', (segment, keys) => {
    for (const key of keys) {
      const r = Math.floor(key / 10);
      const fm = key % 10;
      // F = M = fm gives FM = fm; so does (fm, fm - 1) when fm > 1 (ceil).
      expect(rfmSegment(r, fm, fm)).toBe(segment);
      if (fm > 1) expect(rfmSegment(r, fm, fm - 1)).toBe(segment);
    }
  });

  it.each([
    ['555', 'champions'],
    ['511', 'new_customers'],
    ['411', 'promising'],
    ['311', 'promising'],
    ['155', 'cant_lose_them'],
    ['111', 'lost'],
    ['211', 'about_to_sleep'],
    ['333', 'potential_loyalist'],
    ['312', 'need_attention'],
    ['244', 'at_risk'],
    ['125', 'cant_lose_them'],
    ['541', 'loyal_customers'],
    ['421', 'potential_loyalist'],
    ['223', 'need_attention'],
    ['533', 'loyal_customers'],
    ['255', 'at_risk'],
    ['133', 'at_risk'],
  ] as const)('the §2.5 comparison row %s is %s (Source B column)', (cell, segment) => {
    const [r, f, m] = [...cell].map(Number) as [number, number, number];
    expect(rfmSegment(r, f, m)).toBe(segment);
  });

  it('uses ceil((F+M)/2) and rejects out-of-range scores', () => {
    expect(fmScore(4, 5)).toBe(5);
    expect(fmScore(1, 2)).toBe(2);
    expect(fmScore(3, 3)).toBe(3);
    expect(() => rfmSegment(0, 3, 3)).toThrow(RangeError);
    expect(() => rfmSegment(3, 6, 3)).toThrow(RangeError);
    expect(() => rfmSegment(3, 2.5, 3)).toThrow(RangeError);
  });

  it('labels every segment', () => {
    expect(Object.keys(RFM_SEGMENT_LABELS).sort()).toEqual([...RFM_SEGMENTS].sort());
    expect(RFM_SEGMENT_LABELS.cant_lose_them).toBe("Can't Lose Them");
  });
});

describe('ntile: SQL NTILE(5) bucket sizes', () => {
  it.each([
    [0, []],
    [3, [1, 2, 3]],
    [5, [1, 2, 3, 4, 5]],
    [7, [1, 1, 2, 2, 3, 4, 5]],
    [12, [1, 1, 1, 2, 2, 2, 3, 3, 4, 4, 5, 5]],
  ])('%i rows → %j (the n mod 5 extra rows go to the lowest buckets)', (n, expected) => {
    expect([...ntile(n, 5)]).toEqual(expected);
  });
});

describe('rfmScores: NTILE semantics with the (value, customer id) tie-breaker', () => {
  const row = (customerId: string, recencyDays: number, frequency: number, monetary: number): RfmInput => ({ customerId, recencyDays, frequency, monetary });

  it('scores distinct values by quintile: R 5 = most recent, F and M 5 = highest', () => {
    const rows = Array.from({ length: 10 }, (_, i) => row(`c${i}`, 10 * (i + 1), i + 1, 100 * (i + 1)));
    const s = rfmScores(rows);
    // c0: most recent, fewest orders, least money.
    expect(s.get('c0')).toMatchObject({ r: 5, f: 1, m: 1, segment: 'new_customers' });
    expect(s.get('c9')).toMatchObject({ r: 1, f: 5, m: 5, segment: 'cant_lose_them' });
    expect([...s.values()].map((v) => v.f)).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    expect([...s.values()].map((v) => v.r)).toEqual([5, 5, 4, 4, 3, 3, 2, 2, 1, 1]);
  });

  it.each([
    {
      name: 'all tied: the ids decide, ascending id gets the lower quintile',
      rows: [row('e', 7, 1, 10), row('a', 7, 1, 10), row('c', 7, 1, 10), row('b', 7, 1, 10), row('d', 7, 1, 10)],
      expected: { a: [1, 1, 1], b: [2, 2, 2], c: [3, 3, 3], d: [4, 4, 4], e: [5, 5, 5] },
    },
    {
      name: 'a tie straddling a quintile boundary is split by id, not by input order',
      rows: [row('z', 30, 2, 50), row('y', 30, 2, 50), row('x', 10, 1, 10), row('w', 20, 3, 90), row('v', 40, 4, 95), row('u', 5, 5, 99)],
      // 6 rows → buckets of 2,1,1,1,1. F order: x(1), y(2), z(2), w(3), v(4), u(5) → x1 y1 z2 w3 v4 u5.
      // R order (recency desc): v(40), y(30), z(30), w(20), x(10), u(5) → v1 y1 z2 w3 x4 u5.
      expected: { x: [4, 1, 1], y: [1, 1, 1], z: [2, 2, 2], w: [3, 3, 3], v: [1, 4, 4], u: [5, 5, 5] },
    },
    {
      name: 'seven rows: the two extra rows go to quintiles 1 and 2',
      rows: [1, 2, 3, 4, 5, 6, 7].map((i) => row(`c${i}`, 8 - i, i, i)),
      expected: { c1: [1, 1, 1], c2: [1, 1, 1], c3: [2, 2, 2], c4: [2, 2, 2], c5: [3, 3, 3], c6: [4, 4, 4], c7: [5, 5, 5] },
    },
  ])('$name', ({ rows, expected }) => {
    const s = rfmScores(rows);
    for (const [id, [r, f, m]] of Object.entries(expected)) expect([s.get(id)!.r, s.get(id)!.f, s.get(id)!.m], id).toEqual([r, f, m]);
    // Deterministic: shuffled input gives the same scores.
    const again = rfmScores([...rows].reverse());
    for (const id of Object.keys(expected)) expect(again.get(id)).toEqual(s.get(id));
  });

  it('rejects a duplicated customer', () => {
    expect(() => rfmScores([row('a', 1, 1, 1), row('a', 2, 2, 2)])).toThrow(/twice/);
  });
});
