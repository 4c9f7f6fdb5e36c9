// Optimizely's mixture sequential probability ratio test (Johari et al. 2017) for conversions: an always-valid
// p-value over a sequence of looks, each p_n = min(p_{n−1}, 1/Λ_n). Kept next to GrowthBook's confidence
// sequences (frequentist.ts) as a second, independent always-valid method. Pure.

export interface ConversionLook {
  nA: number;
  conversionsA: number;
  nB: number;
  conversionsB: number;
}

/** Λ_n for one look with mixing variance τ² (per-arm n; unequal n use their harmonic combination). */
export function msprtLikelihoodRatio(look: ConversionLook, tau2: number, theta0 = 0): number {
  const pA = look.conversionsA / look.nA;
  const pB = look.conversionsB / look.nB;
  const v = (pA * (1 - pA)) / look.nA + (pB * (1 - pB)) / look.nB;
  if (!(v > 0)) return 1;
  const d = pB - pA - theta0;
  return Math.sqrt(v / (v + tau2)) * Math.exp((tau2 * d * d) / (2 * v * (v + tau2)));
}

/** Always-valid p-values after each look (non-increasing). */
export function msprtPValues(looks: readonly ConversionLook[], tau2: number): number[] {
  let p = 1;
  return looks.map((look) => {
    p = Math.min(p, 1 / msprtLikelihoodRatio(look, tau2));
    return p;
  });
}
