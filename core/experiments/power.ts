// Sample size and power for a conversion test (Evan Miller's calculator): units per variant needed to detect
// an absolute lift δ over a baseline rate p with a two-sided test at level α and the given power. Pure.
import { normalCdf, normalQuantile } from './distributions.ts';

export interface SampleSizeInput {
  baselineRate: number;
  /** Minimum detectable effect. */
  mde: number;
  /** `absolute`: δ in rate points (0.05 = 5 points); `relative`: δ = mde × baseline. Default absolute. */
  mdeKind?: 'absolute' | 'relative';
  alpha?: number;
  power?: number;
}

function normalized(input: SampleSizeInput) {
  const alpha = input.alpha ?? 0.05;
  const power = input.power ?? 0.8;
  let p = input.baselineRate;
  const delta = Math.abs(input.mdeKind === 'relative' ? input.mde * input.baselineRate : input.mde);
  if (p > 0.5) p = 1 - p;
  return { alpha, power, p, delta };
}

/** Units per variant (not rounded; callers round up). */
export function sampleSizePerVariant(input: SampleSizeInput): number {
  const { alpha, power, p, delta } = normalized(input);
  if (!(p > 0 && p < 1) || !(delta > 0) || p + delta >= 1) return Infinity;
  const zA = normalQuantile(1 - alpha / 2);
  const zB = normalQuantile(power);
  const n = (zA * Math.sqrt(2 * p * (1 - p)) + zB * Math.sqrt(p * (1 - p) + (p + delta) * (1 - p - delta))) ** 2 / delta ** 2;
  return n;
}

/** Power reached with `n` units per variant (the inverse of sampleSizePerVariant). */
export function powerForSampleSize(n: number, input: Omit<SampleSizeInput, 'power'>): number {
  const { alpha, p, delta } = normalized({ ...input, power: 0.8 });
  if (!(n > 0) || !(delta > 0)) return 0;
  const zA = normalQuantile(1 - alpha / 2);
  const zB = (delta * Math.sqrt(n) - zA * Math.sqrt(2 * p * (1 - p))) / Math.sqrt(p * (1 - p) + (p + delta) * (1 - p - delta));
  return normalCdf(zB);
}
