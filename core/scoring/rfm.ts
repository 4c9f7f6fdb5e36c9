// RFM quintile scores and the 11 named segments of the R × FM grid (analytics.md §2.3, "Source B").

export const RFM_SEGMENTS = [
  'champions',
  'loyal_customers',
  'potential_loyalist',
  'new_customers',
  'promising',
  'need_attention',
  'about_to_sleep',
  'at_risk',
  'cant_lose_them',
  'hibernating',
  'lost',
] as const;
export type RfmSegment = (typeof RFM_SEGMENTS)[number];

export const RFM_SEGMENT_LABELS: Record<RfmSegment, string> = {
  champions: 'Champions',
  loyal_customers: 'Loyal Customers',
  potential_loyalist: 'Potential Loyalist',
  new_customers: 'New Customers',
  promising: 'Promising',
  need_attention: 'Need Attention',
  about_to_sleep: 'About To Sleep',
  at_risk: 'At Risk',
  cant_lose_them: "Can't Lose Them",
  hibernating: 'Hibernating',
  lost: 'Lost',
};

/**
 * Rows R = 5..1, columns FM = 1..5: the exact 25-cell partition of the reference (every cell one segment,
 * all 11 segments reachable), unlike the overlapping range tables that circulate.
 */
export const RFM_GRID: Readonly<Record<1 | 2 | 3 | 4 | 5, readonly [RfmSegment, RfmSegment, RfmSegment, RfmSegment, RfmSegment]>> = {
  5: ['new_customers', 'potential_loyalist', 'loyal_customers', 'champions', 'champions'],
  4: ['promising', 'potential_loyalist', 'potential_loyalist', 'loyal_customers', 'champions'],
  3: ['promising', 'need_attention', 'potential_loyalist', 'loyal_customers', 'loyal_customers'],
  2: ['about_to_sleep', 'need_attention', 'need_attention', 'at_risk', 'at_risk'],
  1: ['lost', 'hibernating', 'at_risk', 'cant_lose_them', 'cant_lose_them'],
};

function score(name: string, v: number): 1 | 2 | 3 | 4 | 5 {
  if (!Number.isInteger(v) || v < 1 || v > 5) throw new RangeError(`RFM ${name} score must be an integer 1..5, got ${v}`);
  return v as 1 | 2 | 3 | 4 | 5;
}

/** Combined frequency–monetary score: ceil((F + M) / 2), so a 4 and a 5 count as a 5. */
export function fmScore(f: number, m: number): 1 | 2 | 3 | 4 | 5 {
  return Math.ceil((score('F', f) + score('M', m)) / 2) as 1 | 2 | 3 | 4 | 5;
}

/** R × FM grid of analytics.md §2.3; fm = ceil((f+m)/2). Every (r,f,m) in 1..5 gets exactly one segment. */
export function rfmSegment(r: number, f: number, m: number): RfmSegment {
  return RFM_GRID[score('R', r)][fmScore(f, m) - 1]!;
}

export interface RfmInput {
  customerId: string;
  recencyDays: number;
  frequency: number;
  monetary: number;
}

/**
 * SQL NTILE(n) over rows already in order: bucket sizes differ by at most one and the n mod k larger
 * buckets come first (bucket 1). Returns the 1-based bucket of each position.
 */
export function ntile(count: number, buckets: number): Uint8Array {
  const out = new Uint8Array(count);
  const base = Math.floor(count / buckets);
  const extra = count % buckets;
  let i = 0;
  for (let b = 1; b <= buckets; b++) {
    const size = base + (b <= extra ? 1 : 0);
    for (let k = 0; k < size; k++) out[i++] = b;
  }
  return out;
}

// Code-unit order, i.e. PostgreSQL's COLLATE "C": the SQL twin must sort ids the same way.
const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * NTILE(5) semantics with a deterministic tie-breaker (value, then customer id): reference implementation the SQL
 * version is tested against. R: 5 = most recent. F, M: 5 = highest.
 *
 * Orders (customer id ascending breaks every tie):
 *   R = NTILE(5) OVER (ORDER BY recency_days DESC, customer_id)  — the longest-ago buyers get 1;
 *   F = NTILE(5) OVER (ORDER BY frequency, customer_id);
 *   M = NTILE(5) OVER (ORDER BY monetary, customer_id).
 * Equal values may therefore land in adjacent quintiles; which one is decided by the id, never by chance.
 */
export function rfmScores(rows: readonly RfmInput[]): Map<string, { r: number; f: number; m: number; segment: RfmSegment }> {
  const n = rows.length;
  const idx = rows.map((_, i) => i);
  const tiles = ntile(n, 5);
  const assign = (cmp: (a: RfmInput, b: RfmInput) => number) => {
    const sorted = idx.slice().sort((i, j) => cmp(rows[i]!, rows[j]!) || byId(rows[i]!.customerId, rows[j]!.customerId));
    const out = new Uint8Array(n);
    sorted.forEach((row, pos) => (out[row] = tiles[pos]!));
    return out;
  };
  const r = assign((a, b) => b.recencyDays - a.recencyDays);
  const f = assign((a, b) => a.frequency - b.frequency);
  const m = assign((a, b) => a.monetary - b.monetary);
  const out = new Map<string, { r: number; f: number; m: number; segment: RfmSegment }>();
  rows.forEach((row, i) => {
    if (out.has(row.customerId)) throw new Error(`rfmScores: customer ${row.customerId} appears twice`);
    out.set(row.customerId, { r: r[i]!, f: f[i]!, m: m[i]!, segment: rfmSegment(r[i]!, f[i]!, m[i]!) });
  });
  return out;
}
