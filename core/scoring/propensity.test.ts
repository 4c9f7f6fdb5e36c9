import { describe, expect, it } from 'vitest';
import { prng } from '#tests/support/prng.ts';
import { PROPENSITY_FEATURES, auc, fitLogistic, predictLogistic, propensityFeatures } from './propensity.ts';

const logit = (p: number) => Math.log(p / (1 - p));

describe('auc (Mann–Whitney, ties averaged)', () => {
  it.each([
    { scores: [0.1, 0.4, 0.35, 0.8], labels: [0, 0, 1, 1], expected: 0.75 }, // 3 of 4 pairs ordered
    { scores: [0.9, 0.8, 0.2, 0.1], labels: [1, 1, 0, 0], expected: 1 },
    { scores: [0.9, 0.8, 0.2, 0.1], labels: [0, 0, 1, 1], expected: 0 },
    { scores: [0.5, 0.5, 0.5, 0.5], labels: [0, 1, 0, 1], expected: 0.5 },
    { scores: [0.1, 0.5, 0.5, 0.9], labels: [0, 1, 0, 1], expected: 0.875 }, // (1 + ½ + 1 + 1) / 4
    { scores: [3, 1, 2, 2, 2, 0], labels: [1, 0, 1, 0, 0, 1], expected: 5 / 9 }, // positives 3, 2, 0 vs negatives 1, 2, 2: 3 + (1 + ½ + ½) + 0 of 9
  ])('$scores / $labels → $expected', ({ scores, labels, expected }) => {
    expect(auc(scores, labels)).toBeCloseTo(expected, 12);
  });

  it('is NaN without both classes and rejects mismatched lengths', () => {
    expect(auc([0.1, 0.2], [1, 1])).toBeNaN();
    expect(() => auc([0.1], [1, 0])).toThrow(RangeError);
  });
});

describe('fitLogistic (IRLS with L2)', () => {
  it('without penalty, one binary feature gives the exact MLE: logits of the two group rates', () => {
    // x = 0: 30 of 100 buy; x = 1: 80 of 100 buy.
    const X: Float64Array[] = [];
    const y: number[] = [];
    for (let i = 0; i < 200; i++) {
      const group = i < 100 ? 0 : 1;
      X.push(Float64Array.of(group));
      y.push((group === 0 ? i < 30 : i - 100 < 80) ? 1 : 0);
    }
    const m = fitLogistic(X, Uint8Array.from(y), { features: ['x'], l2: 0 });
    expect(m.converged).toBe(true);
    expect(m.intercept).toBeCloseTo(logit(0.3), 8);
    expect(m.weights[0]).toBeCloseTo(logit(0.8) - logit(0.3), 8);
    expect(predictLogistic(m, Float64Array.of(1))).toBeCloseTo(0.8, 8);
  });

  it('recovers the coefficients of a known model from 20,000 simulated customers', () => {
    const rand = prng(7);
    const truth = { intercept: -1.5, weights: [2, -1, 0.5] };
    const X: Float64Array[] = [];
    const y = new Uint8Array(20_000);
    for (let i = 0; i < y.length; i++) {
      const x = Float64Array.of(rand() * 2 - 1, rand() * 2 - 1, rand() < 0.5 ? 1 : 0);
      const z = truth.intercept + truth.weights.reduce((s, w, j) => s + w * x[j]!, 0);
      y[i] = rand() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
      X.push(x);
    }
    const m = fitLogistic(X, y, { features: ['a', 'b', 'c'], l2: 1e-6 });
    expect(m.converged).toBe(true);
    expect(m.intercept).toBeCloseTo(truth.intercept, 0);
    m.weights.forEach((w, j) => expect(Math.abs(w - truth.weights[j]!), `w${j}`).toBeLessThan(0.1));
    expect(Math.abs(m.intercept - truth.intercept)).toBeLessThan(0.1);
    // The fitted scores discriminate as well as the true model's.
    const trueScores = X.map((x) => truth.intercept + truth.weights.reduce((s, w, j) => s + w * x[j]!, 0));
    expect(auc(X.map((x) => predictLogistic(m, x)), y)).toBeCloseTo(auc(trueScores, y), 3);
  });

  it('with L2, the penalised gradient is zero at the solution and the weights shrink', () => {
    const rand = prng(11);
    const X: Float64Array[] = [];
    const y = new Uint8Array(500);
    for (let i = 0; i < y.length; i++) {
      const x = Float64Array.of(rand(), rand());
      y[i] = rand() < 1 / (1 + Math.exp(-(3 * x[0]! - 2 * x[1]!))) ? 1 : 0;
      X.push(x);
    }
    const l2 = 10;
    const m = fitLogistic(X, y, { features: ['a', 'b'], l2 });
    const free = fitLogistic(X, y, { features: ['a', 'b'], l2: 0 });
    const grad = [0, 0, 0];
    X.forEach((x, i) => {
      const r = predictLogistic(m, x) - y[i]!;
      grad[0]! += r;
      grad[1]! += r * x[0]!;
      grad[2]! += r * x[1]!;
    });
    expect(Math.abs(grad[0]!)).toBeLessThan(1e-6);
    expect(Math.abs(grad[1]! + l2 * m.weights[0]!)).toBeLessThan(1e-6);
    expect(Math.abs(grad[2]! + l2 * m.weights[1]!)).toBeLessThan(1e-6);
    expect(Math.hypot(...m.weights)).toBeLessThan(Math.hypot(...free.weights));
  });

  it('stays finite on perfectly separable data thanks to the penalty', () => {
    const X = [0, 1, 2, 3, 4, 5].map((v) => Float64Array.of(v));
    const m = fitLogistic(X, Uint8Array.of(0, 0, 0, 1, 1, 1), { features: ['x'], l2: 0.1 });
    expect(m.converged).toBe(true);
    expect(Number.isFinite(m.weights[0]!)).toBe(true);
    expect(predictLogistic(m, Float64Array.of(5))).toBeGreaterThan(0.9);
    expect(predictLogistic(m, Float64Array.of(0))).toBeLessThan(0.1);
  });
});

describe('propensityFeatures', () => {
  it('returns the documented features in order, bounded and monotone', () => {
    const f = propensityFeatures({ daysSinceLastInCategory: 0, ordersInCategory: 3, spendInCategory: 99, ordersTotal: 7, daysSinceLastOrder: 90, coPurchaseAffinity: 0.4 });
    expect(f).toHaveLength(PROPENSITY_FEATURES.length);
    expect([...f]).toEqual([1, Math.log(4), Math.log(100), Math.log(8), Math.exp(-1), 0.4]);
    const never = propensityFeatures({ daysSinceLastInCategory: null, ordersInCategory: 0, spendInCategory: 0, ordersTotal: 0, daysSinceLastOrder: null, coPurchaseAffinity: 3 });
    expect([...never]).toEqual([0, 0, 0, 0, 0, 1]);
  });
});
