import { describe, expect, it } from 'vitest';
import { gammaVariate } from '#tests/support/distributions.ts';
import { prng } from '#tests/support/prng.ts';
import { cdnowSummaries } from '#tests/support/scoring.ts';
import { expectedAverageValue, fitGammaGamma, gammaGammaLogLikelihood, gammaGammaLogLikelihoodGradient } from './gamma-gamma.ts';

const cdnow = cdnowSummaries();
const rel = (a: number, e: number) => Math.abs(a - e) / Math.abs(e);

describe('fitGammaGamma on the 946 CDNOW repeat customers (analytics.md §1.3)', () => {
  const fit = fitGammaGamma(cdnow);

  it('reproduces p 6.2488, q 3.7446, v 15.4477 within 0.5% and the full-precision MLE within 1e-5', () => {
    expect(fit.converged).toBe(true);
    const published = { p: 6.2488, q: 3.7446, v: 15.4477 };
    const mle = { p: 6.2488, q: 3.74459, v: 15.44775 };
    for (const k of ['p', 'q', 'v'] as const) {
      expect(rel(fit.params[k], published[k]), k).toBeLessThan(0.005);
      expect(rel(fit.params[k], mle[k]), k).toBeLessThan(1e-5);
    }
  });

  it('reaches the log-likelihood −4055.923 over the 946 (lifetimes mean NLL 4.28745); x = 0 rows are ignored', () => {
    expect(fit.logLikelihood).toBeCloseTo(-4055.923, 3);
    expect(-fit.logLikelihood / 946).toBeCloseTo(4.28745, 5);
    const repeaters = [...cdnow.x.keys()].filter((i) => cdnow.x[i]! > 0);
    const only = { x: Float64Array.from(repeaters, (i) => cdnow.x[i]!), mbar: Float64Array.from(repeaters, (i) => cdnow.mbar[i]!) };
    expect(gammaGammaLogLikelihood(fit.params, only)).toBeCloseTo(fit.logLikelihood, 8);
  });

  it('gives the conditional expected spend of Hardie’s note 025 / the lifetimes Quickstart for the first 10 customers', () => {
    const quickstart = [24.658619, 18.911489, 35.170981, 35.170981, 35.170981, 71.462843, 18.911489, 35.170981, 27.282408, 35.170981];
    const hardie = [24.65, 18.91, 35.17, 35.17, 35.17, 71.46, 18.91, 35.17, 27.28, 35.17];
    const rounded = { p: 6.25, q: 3.74, v: 15.44 };
    for (let i = 0; i < 10; i++) {
      expect(rel(expectedAverageValue(fit.params, cdnow.x[i]!, cdnow.mbar[i]!), quickstart[i]!), `customer ${i + 1}`).toBeLessThan(1e-5);
      expect(Math.abs(expectedAverageValue(rounded, cdnow.x[i]!, cdnow.mbar[i]!) - hardie[i]!), `customer ${i + 1}`).toBeLessThan(0.1);
    }
  });

  it('population mean spend p·v/(q−1) is 35.171, and the mean E(M) over all 2,357 is 35.25296', () => {
    expect(expectedAverageValue(fit.params, 0, 0)).toBeCloseTo(35.171, 3);
    expect(expectedAverageValue({ p: 6.25, q: 3.74, v: 15.44 }, 0, 0)).toBeCloseTo(35.219, 3);
    let sum = 0;
    cdnow.x.forEach((x, i) => (sum += expectedAverageValue(fit.params, x, cdnow.mbar[i]!)));
    expect(sum / 2357).toBeCloseTo(35.25296, 4);
  });

  it('recovers known parameters from synthetic spend (p 6, q 4, v 15, 5,000 customers)', () => {
    const rand = prng(42);
    const gamma = (shape: number) => gammaVariate(rand, shape);
    const n = 5000;
    const x = new Float64Array(n);
    const mbar = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      x[i] = 1 + Math.floor(rand() * 8);
      const nu = gamma(4) / 15; // ν ~ Gamma(q, rate v)
      let total = 0;
      for (let j = 0; j < x[i]!; j++) total += gamma(6) / nu; // z ~ Gamma(p, rate ν)
      mbar[i] = total / x[i]!;
    }
    const f = fitGammaGamma({ x, mbar });
    expect(f.converged).toBe(true);
    expect(rel(f.params.p, 6)).toBeLessThan(0.15);
    expect(rel(f.params.q, 4)).toBeLessThan(0.15);
    expect(rel(f.params.v, 15)).toBeLessThan(0.25);
  });

  it('has an analytic gradient (used on large data) that matches central differences', () => {
    const g = { p: 5, q: 3, v: 12 };
    const { logLikelihood, gradient } = gammaGammaLogLikelihoodGradient(g, cdnow);
    expect(logLikelihood).toBeCloseTo(gammaGammaLogLikelihood(g, cdnow), 8);
    const at = (lp: number, lq: number, lv: number) => gammaGammaLogLikelihood({ p: Math.exp(lp), q: Math.exp(lq), v: Math.exp(lv) }, cdnow);
    const c = [Math.log(5), Math.log(3), Math.log(12)];
    c.forEach((_, i) => {
      const up = c.slice();
      const down = c.slice();
      up[i]! += 1e-6;
      down[i]! -= 1e-6;
      expect(Math.abs(gradient[i]! - (at(up[0]!, up[1]!, up[2]!) - at(down[0]!, down[1]!, down[2]!)) / 2e-6)).toBeLessThan(1e-4 * (1 + Math.abs(gradient[i]!)));
    });
  });

  it('fits 100,000 simulated repeat customers through the sampled path and recovers p 6, q 4, v 15', { timeout: 120_000 }, () => {
    const rand = prng(5);
    const n = 100_000;
    const x = new Float64Array(n);
    const mbar = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      x[i] = 1 + Math.floor(rand() * 8);
      const nu = gammaVariate(rand, 4) / 15;
      let total = 0;
      for (let j = 0; j < x[i]!; j++) total += gammaVariate(rand, 6) / nu;
      mbar[i] = total / x[i]!;
    }
    const f = fitGammaGamma({ x, mbar });
    expect(f.converged).toBe(true);
    for (const [k, v] of Object.entries({ p: 6, q: 4, v: 15 }) as ['p' | 'q' | 'v', number][]) {
      expect(Math.abs(f.params[k] - v) / f.standardErrors![k], k).toBeLessThan(4);
    }
  });

  it('reports, not throws, without repeat customers', () => {
    const f = fitGammaGamma({ x: Float64Array.of(0, 0), mbar: Float64Array.of(0, 0) });
    expect(f.converged).toBe(false);
    expect(f.message).toMatch(/no repeat/);
  });
});
