// Several variants against one control inflate false positives: adjusted p-values (Holm–Bonferroni for
// family-wise error, Benjamini–Hochberg for false discovery rate). Input order is kept. Pure.

export type Correction = 'none' | 'holm-bonferroni' | 'benjamini-hochberg';

export function adjustPValues(pValues: readonly number[], method: Correction): number[] {
  const m = pValues.length;
  if (method === 'none' || m <= 1) return [...pValues];
  const order = pValues.map((p, i) => ({ p, i })).sort((x, y) => x.p - y.p || x.i - y.i);
  const out = new Array<number>(m);
  if (method === 'holm-bonferroni') {
    let running = 0;
    order.forEach(({ p, i }, rank) => {
      running = Math.max(running, Math.min(1, (m - rank) * p));
      out[i] = running;
    });
    return out;
  }
  let running = 1;
  for (let rank = m - 1; rank >= 0; rank--) {
    const { p, i } = order[rank]!;
    running = Math.min(running, Math.min(1, (p * m) / (rank + 1)));
    out[i] = running;
  }
  return out;
}
