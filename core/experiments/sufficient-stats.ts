// Per-variant sufficient statistics (GrowthBook's SampleMean / Proportion) and the two effect estimates every
// test starts from: absolute (μB − μA) and relative ((μB − μA) / |μA|, delta method). Pure.

/** A metric summed over the units (customers) of one variant. */
export type VariantStats =
  | { kind: 'mean'; n: number; sum: number; sumSquares: number }
  /** Conversions: `sum` units converted out of `n`. */
  | { kind: 'proportion'; n: number; sum: number };

export function mean(s: VariantStats): number {
  return s.n > 0 ? s.sum / s.n : 0;
}

/** Sample variance (n − 1) for means; p(1 − p) for proportions, as GrowthBook. */
export function variance(s: VariantStats): number {
  if (s.kind === 'proportion') {
    const p = mean(s);
    return p * (1 - p);
  }
  if (s.n < 2) return 0;
  return Math.max(0, (s.sumSquares - (s.sum * s.sum) / s.n) / (s.n - 1));
}

/** Pools several variants' statistics (a multivariate factor level, or a weekly slice). */
export function pool(stats: readonly VariantStats[]): VariantStats {
  const kind = stats[0]?.kind ?? 'mean';
  const n = stats.reduce((a, s) => a + s.n, 0);
  const sum = stats.reduce((a, s) => a + s.sum, 0);
  if (kind === 'proportion') return { kind, n, sum };
  const sumSquares = stats.reduce((a, s) => a + (s.kind === 'mean' ? s.sumSquares : s.sum), 0);
  return { kind: 'mean', n, sum, sumSquares };
}

export type EffectScale = 'relative' | 'absolute';

export interface EffectEstimate {
  estimate: number;
  standardError: number;
  meanA: number;
  meanB: number;
}

/** Effect of B over A and its standard error (delta method for the relative effect). */
export function effect(a: VariantStats, b: VariantStats, scale: EffectScale): EffectEstimate {
  const mA = mean(a);
  const mB = mean(b);
  const vA = variance(a);
  const vB = variance(b);
  if (scale === 'absolute') return { estimate: mB - mA, standardError: Math.sqrt(vA / a.n + vB / b.n), meanA: mA, meanB: mB };
  const estimate = (mB - mA) / Math.abs(mA);
  const v = vB / (b.n * mA * mA) + (vA * mB * mB) / (a.n * mA ** 4);
  return { estimate, standardError: Math.sqrt(v), meanA: mA, meanB: mB };
}

/** Welch–Satterthwaite degrees of freedom. */
export function welchDof(a: VariantStats, b: VariantStats): number {
  const vA = variance(a);
  const vB = variance(b);
  const num = (vB / b.n + vA / a.n) ** 2;
  const den = (vB * vB) / (b.n * b.n * (b.n - 1)) + (vA * vA) / (a.n * a.n * (a.n - 1));
  return den > 0 ? num / den : Infinity;
}
