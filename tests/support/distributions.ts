// Random variates for simulating CLV data from known parameters (tests and benches), on a seeded PRNG.

/** Gamma(shape, scale 1) by Marsaglia–Tsang; shapes below 1 are boosted (Γ(k) = Γ(k+1)·U^(1/k)). */
export function gammaVariate(rand: () => number, shape: number): number {
  if (shape < 1) return gammaVariate(rand, shape + 1) * (rand() || 1e-300) ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let z: number;
    let v: number;
    do {
      z = Math.sqrt(-2 * Math.log(rand() || 1e-300)) * Math.cos(2 * Math.PI * rand());
      v = 1 + c * z;
    } while (v <= 0);
    v = v * v * v;
    if (Math.log(rand() || 1e-300) < 0.5 * z * z + d - d * v + d * Math.log(v)) return d * v;
  }
}

export function betaVariate(rand: () => number, a: number, b: number): number {
  const x = gammaVariate(rand, a);
  return x / (x + gammaVariate(rand, b));
}

/** Exponential waiting time with the given rate. */
export const exponentialVariate = (rand: () => number, rate: number) => -Math.log(1 - rand()) / rate;

/**
 * One BG/NBD customer observed for `days` days after the first purchase (day 0): purchases at rate λ per
 * `unitDays`, after each repeat purchase the customer drops out with probability p. Purchases on the same day
 * are one transaction, as the summaries count them. Returns repeat-purchase days.
 */
export function simulateBgNbdDays(rand: () => number, p: { r: number; alpha: number; a: number; b: number }, days: number, unitDays: number): number[] {
  const lambda = gammaVariate(rand, p.r) / p.alpha / unitDays; // per day
  const drop = betaVariate(rand, p.a, p.b);
  const out: number[] = [];
  let t = 0;
  for (;;) {
    t += exponentialVariate(rand, lambda);
    if (t > days) break;
    const day = Math.floor(t);
    if (day > 0 && out[out.length - 1] !== day) out.push(day);
    if (rand() < drop) break;
  }
  return out;
}
