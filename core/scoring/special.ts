// Special functions for the CLV models, written here so core/ needs no numeric dependency.

// Lanczos approximation, g = 7, n = 9 (Numerical Recipes / Godfrey coefficients): ~1e-15 relative accuracy
// for z ≥ 0.5, which is all the likelihoods need once small arguments are shifted up by one.
const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** ln Γ(z) for z > 0 (NaN otherwise). */
export function lgamma(z: number): number {
  if (!(z > 0)) return Number.NaN;
  // Γ(z) = Γ(z + 1) / z keeps the Lanczos sum in its accurate range for tiny z (parameters near a boundary).
  if (z < 0.5) return lgamma(z + 1) - Math.log(z);
  const zm1 = z - 1;
  let sum = LANCZOS[0]!;
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i]! / (zm1 + i);
  const t = zm1 + LANCZOS_G + 0.5;
  return HALF_LOG_2PI + (zm1 + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b). */
export function lbeta(a: number, b: number): number {
  return lgamma(a) + lgamma(b) - lgamma(a + b);
}

/** ln(e^u + e^v) without overflow; −∞ inputs are fine. */
export function logAddExp(u: number, v: number): number {
  if (u === -Infinity) return v;
  if (v === -Infinity) return u;
  return u > v ? u + Math.log1p(Math.exp(v - u)) : v + Math.log1p(Math.exp(u - v));
}

/**
 * ln ₂F₁(a, b; c; z) for 0 ≤ z < 1 and a, b, c > 0 by the Gauss series, rescaled as it goes so large
 * parameters (frequent buyers: a = r + x, b = b + x) cannot overflow. All terms are positive here.
 */
export function logHyp2f1(a: number, b: number, c: number, z: number): number {
  if (z === 0) return 0;
  if (!(z > 0 && z < 1)) return Number.NaN;
  let term = 1;
  let sum = 1;
  let logScale = 0;
  for (let k = 0; k < 10_000_000; k++) {
    const ratio = ((a + k) * (b + k) * z) / ((c + k) * (k + 1));
    term *= ratio;
    sum += term;
    if (sum > 1e250) {
      sum *= 1e-250;
      term *= 1e-250;
      logScale += 250 * Math.LN10;
    }
    // Successive ratios tend monotonically to z (< 1) from here on, so q = max(ratio, z) bounds the rest:
    // the tail is at most term · q / (1 − q).
    const q = Math.max(ratio, z);
    if (q < 1 && (term * q) / (1 - q) < sum * 1e-16) break;
  }
  return Math.log(sum) + logScale;
}

/** ψ(z) = d/dz ln Γ(z) for z > 0: recurrence up to z ≥ 6, then the asymptotic series (~1e-15). */
export function digamma(z: number): number {
  if (!(z > 0)) return Number.NaN;
  let shift = 0;
  while (z < 6) {
    shift -= 1 / z;
    z += 1;
  }
  const inv = 1 / z;
  const inv2 = inv * inv;
  return (
    shift +
    Math.log(z) -
    0.5 * inv -
    inv2 * (1 / 12 - inv2 * (1 / 120 - inv2 * (1 / 252 - inv2 * (1 / 240 - inv2 * (1 / 132)))))
  );
}

/**
 * ₂F₁(a, b; c; z) for 0 ≤ z < 1 by the plain Gauss series, for the small-parameter cases where terms can be
 * negative (c = a + b − 1 < 0 in BG/NBD when a + b < 1). c must not be 0 or a negative integer.
 */
export function hyp2f1(a: number, b: number, c: number, z: number): number {
  if (z === 0) return 1;
  if (!(z > 0 && z < 1) || (c <= 0 && Number.isInteger(c))) return Number.NaN;
  let term = 1;
  let sum = 1;
  for (let k = 0; k < 10_000_000; k++) {
    const ratio = ((a + k) * (b + k) * z) / ((c + k) * (k + 1));
    term *= ratio;
    sum += term;
    const q = Math.max(Math.abs(ratio), z);
    if (k > -c && q < 1 && Math.abs((term * q) / (1 - q)) <= Math.abs(sum) * 1e-16) break;
  }
  return sum;
}
