import { describe, expect, it } from 'vitest';
import { betaVariate, exponentialVariate, gammaVariate } from '#tests/support/distributions.ts';
import { prng } from '#tests/support/prng.ts';
import { cdnowSummaries, onlineRetail } from '#tests/support/scoring.ts';
import {
  bgNbdLogLikelihood,
  compressSummaries,
  prepareSummaries,
  preparedLogLikelihood,
  preparedLogLikelihoodGradient,
  expectedPurchases,
  expectedPurchasesNewCustomer,
  fitBgNbd,
  probabilityAlive,
  probabilityOfNPurchases,
  probabilityOfPurchase,
  type BgNbdParams,
} from './bgnbd.ts';
import { summarize, toColumns } from './summaries.ts';

// analytics.md §1.2: full-precision MLE (lifetimes Quickstart / independent fit) and the published rounded values.
const MLE: BgNbdParams = { r: 0.24259291, alpha: 4.41353173, a: 0.79288599, b: 2.42575293 };
const ROUNDED: BgNbdParams = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
const cdnow = cdnowSummaries();
const fit = fitBgNbd(cdnow);

const rel = (actual: number, expected: number) => Math.abs(actual - expected) / Math.abs(expected);

describe('fitBgNbd on CDNOW (2,357 customers, 39-week calibration)', () => {
  it('reproduces the published parameters within 0.5% and the full-precision MLE within 1e-5', () => {
    expect(fit.converged).toBe(true);
    expect(fit.message).toBeUndefined();
    const published = { r: 0.2426, alpha: 4.4135, a: 0.7929, b: 2.4258 };
    for (const k of ['r', 'alpha', 'a', 'b'] as const) {
      expect(rel(fit.params[k], published[k]), k).toBeLessThan(0.005);
      expect(rel(fit.params[k], MLE[k]), k).toBeLessThan(1e-5);
    }
    expect(fit.starts).toBeGreaterThanOrEqual(3);
    expect(fit.iterations).toBeGreaterThan(0);
  });

  it('reaches the published log-likelihood −9582.4256 (lifetimes keeps the mean NLL 4.06552)', () => {
    expect(fit.logLikelihood).toBeCloseTo(-9582.4256, 3);
    expect(-fit.logLikelihood / 2357).toBeCloseTo(4.06552, 5);
    expect(bgNbdLogLikelihood(ROUNDED, cdnow)).toBeCloseTo(-9582.4268, 3);
  });

  it('reports the standard errors of the lifetimes Quickstart (r 0.012557, α 0.378221, a 0.185719, b 0.705345)', () => {
    const se = fit.standardErrors!;
    expect(rel(se.r, 0.012557)).toBeLessThan(1e-3);
    expect(rel(se.alpha, 0.378221)).toBeLessThan(1e-3);
    expect(rel(se.a, 0.185719)).toBeLessThan(1e-3);
    expect(rel(se.b, 0.705345)).toBeLessThan(1e-3);
  });

  it('gives the same fit from one start, and compressed rows (weights) give the same likelihood and fit', () => {
    const one = fitBgNbd(cdnow, { starts: 1 });
    expect(rel(one.params.r, MLE.r)).toBeLessThan(1e-4);
    // Collapse identical (x, tx, T) rows into weights.
    const groups = new Map<string, { x: number; tx: number; T: number; w: number }>();
    cdnow.x.forEach((x, i) => {
      const key = `${x}|${cdnow.tx[i]}|${cdnow.T[i]}`;
      const g = groups.get(key);
      if (g) g.w++;
      else groups.set(key, { x, tx: cdnow.tx[i]!, T: cdnow.T[i]!, w: 1 });
    });
    const g = [...groups.values()];
    expect(g.length).toBeLessThan(2357);
    const compressed = { x: Float64Array.from(g, (v) => v.x), tx: Float64Array.from(g, (v) => v.tx), T: Float64Array.from(g, (v) => v.T), weight: Float64Array.from(g, (v) => v.w) };
    expect(bgNbdLogLikelihood(MLE, compressed)).toBeCloseTo(bgNbdLogLikelihood(MLE, cdnow), 8);
    const cf = fitBgNbd(compressed);
    for (const k of ['r', 'alpha', 'a', 'b'] as const) expect(rel(cf.params[k], fit.params[k]), k).toBeLessThan(1e-5);
  });
});

describe('fitBgNbd on large simulated data (systematic-sample Nelder–Mead, then BFGS on every row)', () => {
  // Simulating and fitting takes seconds; generous on a loaded 2-core machine.
  it('recovers the parameters of 120,000 continuous-time customers within 4 standard errors', { timeout: 120_000 }, () => {
    const truth: BgNbdParams = { r: 0.25, alpha: 4, a: 0.8, b: 2.5 };
    const rand = prng(3);
    const n = 120_000;
    const x = new Float64Array(n);
    const tx = new Float64Array(n);
    const T = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      T[i] = rand() * 104;
      const lambda = gammaVariate(rand, truth.r) / truth.alpha;
      const p = betaVariate(rand, truth.a, truth.b);
      for (let t = exponentialVariate(rand, lambda); t <= T[i]!; t += exponentialVariate(rand, lambda)) {
        x[i]!++;
        tx[i] = t;
        if (rand() < p) break;
      }
    }
    expect(x.filter((v) => v > 0).length).toBeGreaterThan(40_000); // large enough for the sampled path
    const f = fitBgNbd({ x, tx, T });
    expect(f.converged).toBe(true);
    for (const k of ['r', 'alpha', 'a', 'b'] as const) {
      expect(Math.abs(f.params[k] - truth[k]) / f.standardErrors![k], k).toBeLessThan(4);
    }
  });

  it('has an analytic gradient that matches central differences, and compression that keeps the likelihood', () => {
    const d = prepareSummaries(cdnow);
    const p = { r: 0.3, alpha: 5, a: 0.7, b: 2 };
    const grad = new Float64Array(4);
    expect(preparedLogLikelihoodGradient(p, d, grad)).toBeCloseTo(preparedLogLikelihood(p, d), 8);
    const v = [p.r, p.alpha, p.a, p.b].map(Math.log);
    const at = (q: number[]) => preparedLogLikelihood({ r: Math.exp(q[0]!), alpha: Math.exp(q[1]!), a: Math.exp(q[2]!), b: Math.exp(q[3]!) }, d);
    v.forEach((_, i) => {
      const up = v.slice();
      const down = v.slice();
      up[i]! += 1e-6;
      down[i]! -= 1e-6;
      expect(Math.abs(grad[i]! - (at(up) - at(down)) / 2e-6), `∂/∂ln θ${i}`).toBeLessThan(1e-4 * (1 + Math.abs(grad[i]!)));
    });
    const c = compressSummaries(cdnow);
    expect(c.x.length).toBeLessThan(cdnow.x.length);
    expect(c.weight.reduce((a, b) => a + b, 0)).toBe(2357);
    expect(bgNbdLogLikelihood(MLE, c)).toBeCloseTo(bgNbdLogLikelihood(MLE, cdnow), 8);
  });
});

describe('BG/NBD predictions (analytics.md §1.2 golden values)', () => {
  it('E[Y(39)] for customer 1 (x=2, t_x=30.43, T=38.86) is 1.226 as in Hardie’s sheet', () => {
    expect(expectedPurchases(ROUNDED, 39, 2, 30.43, 38.86)).toBeCloseTo(1.22603, 4);
    expect(expectedPurchases(MLE, 39, 2, 30.43, 38.86)).toBeCloseTo(1.22591, 4);
    expect(Math.abs(expectedPurchases(ROUNDED, 39, 2, 30.43, 38.86) - 1.226)).toBeLessThan(0.001);
  });

  it('P(alive) for customer 1 is 0.7266, and exactly 1 with no repeat purchase', () => {
    expect(probabilityAlive(MLE, 2, 30.43, 38.86)).toBeCloseTo(0.7266, 4);
    expect(probabilityAlive(ROUNDED, 2, 30.43, 38.86)).toBeCloseTo(0.7266, 4);
    expect(probabilityAlive(MLE, 0, 0, 38.86)).toBe(1);
    expect(probabilityAlive(MLE, 0, 0, 1000)).toBe(1);
  });

  it('P(alive) for x=1000, t_x=10, T=100 is 0 without overflow', () => {
    const p = probabilityAlive(MLE, 1000, 10, 100);
    expect(p).toBe(0);
    expect(Number.isNaN(expectedPurchases(MLE, 10, 1000, 10, 100))).toBe(false);
    expect(expectedPurchases(MLE, 10, 1000, 10, 100)).toBeCloseTo(0, 10);
    expect(probabilityOfPurchase(MLE, 10, 1000, 10, 100)).toBeCloseTo(0, 10);
  });

  it('E[X(t)] for a new customer matches Hardie’s sheet (t = 0.1429, 1, 3, 31.8571, 32, 78)', () => {
    const t = [0.1429, 1, 3, 31.8571, 32, 78];
    const expected = [0.0078, 0.0532, 0.1506, 1.0405, 1.0437, 1.858];
    t.forEach((ti, i) => expect(Math.abs(expectedPurchasesNewCustomer(MLE, ti) - expected[i]!), `t=${ti}`).toBeLessThan(0.0005));
    expect(expectedPurchasesNewCustomer(MLE, 78)).toBeCloseTo(1.858, 3);
  });

  it('P(X(t) = n) matches R BTYD (lifetimes tests, published rounded parameters)', () => {
    expect(rel(probabilityOfNPurchases(ROUNDED, 2, 10), 1.07869e-7)).toBeLessThan(1e-4);
    expect(probabilityOfNPurchases(ROUNDED, 39, 0)).toBeCloseTo(0.5737864, 7);
    const expected = [0.0019995214, 0.0015170236, 0.001163315, 0.0009003148, 0.0007023638, 0.0005517902, 0.0004361913, 0.0003467171, 0.0002769613, 0.000222226];
    expected.forEach((e, i) => expect(probabilityOfNPurchases(ROUNDED, 30, 11 + i), `n=${11 + i}`).toBeCloseTo(e, 9));
    // A probability distribution: sums to 1.
    let total = 0;
    for (let n = 0; n < 400; n++) total += probabilityOfNPurchases(MLE, 39, n);
    expect(total).toBeCloseTo(1, 6);
  });

  it('E[X(t)] equals Σ n·P(X(t)=n), also when a + b < 1 makes the ₂F₁ series alternate', () => {
    for (const p of [MLE, { r: 0.5, alpha: 3, a: 0.3, b: 0.5 }]) {
      let mean = 0;
      for (let n = 0; n < 3000; n++) mean += n * probabilityOfNPurchases(p, 10, n);
      expect(expectedPurchasesNewCustomer(p, 10)).toBeCloseTo(mean, 8);
      // A customer seen only at their first purchase (x = 0, T = 0) is a new customer.
      expect(expectedPurchases(p, 10, 0, 0, 0)).toBeCloseTo(expectedPurchasesNewCustomer(p, 10), 10);
      expect(Number.isFinite(expectedPurchases(p, 5, 0, 0, 20))).toBe(true);
    }
  });

  it('ranks the lifetimes Quickstart top 5 by E[Y(1)] with its values', () => {
    const top = [
      [1516, 26, 30.86, 31, 0.710623],
      [157, 29, 37.71, 38, 0.662396],
      [1981, 17, 28.43, 28.86, 0.486526],
      [841, 19, 34.0, 34.14, 0.474738],
      [509, 18, 35.14, 35.86, 0.424877],
    ] as const;
    const scored = cdnow.id.map((id, i) => ({ id, e: expectedPurchases(fit.params, 1, cdnow.x[i]!, cdnow.tx[i]!, cdnow.T[i]!) }));
    scored.sort((a, b) => b.e - a.e);
    expect(scored.slice(0, 5).map((s) => Number(s.id))).toEqual(top.map((t) => t[0]));
    for (const [, x, tx, T, e] of top) expect(expectedPurchases(fit.params, 1, x, tx, T)).toBeCloseTo(e, 5);
  });

  it('customer 6 (x=7) and customer 3 (x=0)', () => {
    expect(probabilityAlive(MLE, 7, 29.43, 38.86)).toBeCloseTo(0.6418, 4);
    expect(expectedPurchases(MLE, 39, 7, 29.43, 38.86)).toBeCloseTo(3.337, 3);
    expect(expectedPurchases(MLE, 39, 0, 0, 38.86)).toBeCloseTo(0.1948, 4);
    expect(expectedPurchases(ROUNDED, 39, 0, 0, 38.86)).toBeCloseTo(0.1951, 4);
  });

  it('Σ E[Y(39)] over 2,357 customers is 1653.42 and the mean P(alive) 0.8134', () => {
    let sum = 0;
    let alive = 0;
    cdnow.x.forEach((x, i) => {
      sum += expectedPurchases(MLE, 39, x, cdnow.tx[i]!, cdnow.T[i]!);
      alive += probabilityAlive(MLE, x, cdnow.tx[i]!, cdnow.T[i]!);
    });
    expect(Math.abs(sum - 1653.42)).toBeLessThan(0.02);
    expect(alive / 2357).toBeCloseTo(0.8134, 4);
  });

  it('is numerically stable where pymc-marketing checks it (logp −0.59947382 and 100.7957)', () => {
    const p = { r: 0.25, alpha: 4, a: 0.8, b: 2.5 };
    const one = (x: number, tx: number) => bgNbdLogLikelihood(p, { x: Float64Array.of(x), tx: Float64Array.of(tx), T: Float64Array.of(40) });
    expect(one(0, 0)).toBeCloseTo(-0.5994738182, 8);
    expect(one(200, 38)).toBeCloseTo(100.7956931, 5);
  });

  it('probability of purchase in the next t weeks matches the §4 table', () => {
    const table = [
      [2, 30.43, 38.86, [0.036289, 0.13068, 0.323464, 0.554607, 0.602829]],
      [0, 0, 38.86, [0.005527, 0.021219, 0.061737, 0.144328, 0.174245]],
      [7, 29.43, 38.86, [0.097874, 0.30349, 0.546048, 0.635685, 0.639687]],
      [26, 30.86, 31, [0.502345, 0.91049, 0.968655, 0.96892, 0.96892]],
    ] as const;
    for (const [x, tx, T, values] of table) {
      [1, 4, 13, 39, 52].forEach((t, i) => expect(probabilityOfPurchase(MLE, t, x, tx, T), `x=${x} t=${t}`).toBeCloseTo(values[i]!, 5));
    }
    // As t → ∞ the propensity tends to P(alive): alive customers eventually buy.
    expect(probabilityOfPurchase(MLE, 1e6, 26, 30.86, 31)).toBeCloseTo(probabilityAlive(MLE, 26, 30.86, 31), 5);
    expect(probabilityAlive(MLE, 26, 30.86, 31)).toBeCloseTo(0.96892, 5);
    expect(probabilityOfPurchase(MLE, 0, 2, 30.43, 38.86)).toBe(0);
  });

  it('P(alive) decays with silence as in the §3 trajectories', () => {
    const Ts = [38.86, 45, 52, 65, 78, 104];
    const a = [0.726609, 0.663724, 0.594554, 0.479454, 0.385277, 0.253102];
    const b = [0.641801, 0.406662, 0.207952, 0.055241, 0.016585, 0.002309];
    Ts.forEach((T, i) => {
      expect(probabilityAlive(MLE, 2, 30.43, T)).toBeCloseTo(a[i]!, 5);
      expect(probabilityAlive(MLE, 7, 29.43, T)).toBeCloseTo(b[i]!, 5);
    });
  });
});

describe('fitBgNbd at the boundary (Online Retail mod-10, daily, §4 edge case)', () => {
  it('keeps parameters positive and finite and reports non-convergence instead of NaN', () => {
    const valid = onlineRetail().filter((r) => !r.invoice.startsWith('C') && r.quantity > 0 && r.unitPrice > 0);
    const s = summarize(
      valid.map((r) => ({ customerId: r.customerId, date: r.date.slice(0, 10), amount: r.quantity * r.unitPrice })),
      { observationEnd: '2011-12-09', unitDays: 1 },
    );
    const c = toColumns(s);
    expect(s.size).toBe(442);
    expect(c.x.filter((x) => x > 0).length).toBe(284);
    const f = fitBgNbd(c);
    expect(f.converged).toBe(false);
    expect(f.message).toMatch(/a → 0|boundary/);
    for (const v of Object.values(f.params)) {
      expect(Number.isFinite(v)).toBe(true);
      expect(v).toBeGreaterThan(0);
    }
    expect(f.logLikelihood).toBeCloseTo(-5849.66, 1);
    expect(f.params.r).toBeCloseTo(1.047, 2);
    expect(rel(f.params.alpha, 94.6)).toBeLessThan(0.01);
    expect(f.standardErrors).toBeUndefined();
  });

  it('reports, not throws, when nobody repeats, and rejects impossible rows', () => {
    const none = fitBgNbd({ x: Float64Array.of(0, 0), tx: Float64Array.of(0, 0), T: Float64Array.of(3, 5) });
    expect(none.converged).toBe(false);
    expect(none.message).toMatch(/no repeat/);
    expect(() => fitBgNbd({ x: Float64Array.of(1), tx: Float64Array.of(6), T: Float64Array.of(5) })).toThrow(RangeError);
  });
});
