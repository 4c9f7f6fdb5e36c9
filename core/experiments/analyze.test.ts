import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { prng } from '#tests/support/prng.ts';
import { analyzeExperiment, type AnalyzeInput, type ArmStats, type MetricStatsInput } from './analyze.ts';
import { adjustPValues } from './corrections.ts';
import { decide } from './decision.ts';
import { analysisSettings, variantsOf } from './definition.ts';
import { sequentialTest, tTest } from './frequentist.ts';
import { ratioAsMean, ratioEstimate } from './ratio.ts';
import { srmPValue } from './srm.ts';

const analysis = analysisSettings.parse({});
const ab = variantsOf({ kind: 'ab', variants: [{ key: 'A', name: 'A', weight: 50 }, { key: 'B', name: 'B', weight: 50 }] });
const abc = variantsOf({ kind: 'ab', variants: ['A', 'B', 'C'].map((key) => ({ key, name: key, weight: 1 })) });
const conv = (n: number, x: number): ArmStats => ({ n, sum: x, sumSquares: x });
const metric = (arms: Record<string, ArmStats>, over: Partial<MetricStatsInput> = {}): MetricStatsInput => ({
  metricId: 'm1', key: 'purchase', name: 'Purchase', type: 'conversion', role: 'primary', higherIsBetter: true, arms, ...over,
});
const input = (over: Partial<AnalyzeInput> & Pick<AnalyzeInput, 'metrics'>): AnalyzeInput => {
  const variants = over.variants ?? ab;
  const primary = over.metrics[0]!;
  return {
    asOf: '2026-12-03T00:00:00.000Z',
    variants,
    exposures: Object.fromEntries(variants.map((v) => [v.key, primary.arms[v.key]?.n ?? 0])),
    holdoutUnits: 0,
    analysis,
    minSamplePerVariant: 100,
    ...over,
  };
};

describe('analyzeExperiment', () => {
  it('one variant: the rows carry the plain tests (no correction), rates and counts', () => {
    const r = analyzeExperiment(input({ metrics: [metric({ A: conv(1000, 100), B: conv(1000, 130) })] }));
    const [a, b] = r.metrics[0]!.variants;
    expect(a).toMatchObject({ variant: 'A', units: 1000, numerator: 100, denominator: 1000, value: 0.1 });
    expect(a!.vsControl).toBeUndefined();
    const t = tTest({ kind: 'proportion', n: 1000, sum: 100 }, { kind: 'proportion', n: 1000, sum: 130 }, { scale: 'absolute' });
    const s = sequentialTest({ kind: 'proportion', n: 1000, sum: 100 }, { kind: 'proportion', n: 1000, sum: 130 }, { scale: 'absolute' });
    expect(b!.vsControl!.pValue).toBe(t.pValue);
    expect(b!.vsControl!.sequentialPValue).toBe(s.pValue);
    expect(b!.vsControl!.relative.estimate).toBeCloseTo(0.3, 12);
    expect(b!.vsControl!.absolute.estimate).toBeCloseTo(0.03, 12);
    expect(b!.vsControl!.sequentialRelative.upper - b!.vsControl!.sequentialRelative.lower).toBeGreaterThan(b!.vsControl!.relative.upper - b!.vsControl!.relative.lower);
    expect(b!.vsControl!.chanceToWin).toBeGreaterThan(0.95);
    expect(r.exposures).toEqual([{ variant: 'A', units: 1000, expectedShare: 0.5 }, { variant: 'B', units: 1000, expectedShare: 0.5 }]);
    expect(r.srm.mismatch).toBe(false);
  });

  it('several variants: p-values are Holm-corrected as a family', () => {
    const r = analyzeExperiment(input({ variants: abc, metrics: [metric({ A: conv(2000, 200), B: conv(2000, 240), C: conv(2000, 205) })] }));
    const raw = ['B', 'C'].map((k) => tTest({ kind: 'proportion', n: 2000, sum: 200 }, { kind: 'proportion', n: 2000, sum: k === 'B' ? 240 : 205 }, { scale: 'absolute' }).pValue);
    const adj = adjustPValues(raw, 'holm-bonferroni');
    expect(r.metrics[0]!.variants.slice(1).map((v) => v.vsControl!.pValue)).toEqual(adj);
  });

  it.each([
    ['minimum sample not reached', { A: conv(80, 8), B: conv(80, 40) }, 'continue'],
    ['clear winner on the sequential rule', { A: conv(3000, 300), B: conv(3000, 480) }, 'ship'],
    ['clear loser: roll back', { A: conv(3000, 480), B: conv(3000, 300) }, 'rollback'],
    ['no difference', { A: conv(3000, 300), B: conv(3000, 305) }, 'continue'],
  ] as const)('decision: %s', (_name, arms, kind) => {
    const r = analyzeExperiment(input({ metrics: [metric(arms)] }));
    expect(r.decision.kind).toBe(kind);
    if (r.decision.kind === 'ship') expect(r.decision).toMatchObject({ variant: 'B' });
  });

  it('sample-ratio mismatch blocks the decision even with a clear winner (holdout excluded from the check)', () => {
    const r = analyzeExperiment(input({ metrics: [metric({ A: conv(3000, 300), B: conv(3600, 600) })], holdoutUnits: 5000 }));
    expect(r.srm.mismatch).toBe(true);
    expect(r.srm.pValue).toBeLessThan(0.001);
    expect(r.decision.kind).toBe('blocked');
    expect(r.holdoutUnits).toBe(5000);
  });

  it('weights shape the SRM expectation: 3,000 vs 1,000 with weights 75/25 is no mismatch', () => {
    const variants = variantsOf({ kind: 'ab', variants: [{ key: 'A', name: 'A', weight: 75 }, { key: 'B', name: 'B', weight: 25 }] });
    const r = analyzeExperiment(input({ variants, metrics: [metric({ A: conv(3000, 300), B: conv(1000, 100) })] }));
    expect(r.srm.mismatch).toBe(false);
    expect(r.exposures.map((e) => e.expectedShare)).toEqual([0.75, 0.25]);
  });

  it('a harmed guardrail (lower is better, oriented) prevents shipping the primary winner', () => {
    const primary = metric({ A: conv(3000, 300), B: conv(3000, 480) });
    const unsub = metric({ A: conv(3000, 30), B: conv(3000, 150) }, { metricId: 'm2', key: 'unsubscribe', name: 'Unsubscribe', role: 'guardrail', higherIsBetter: false });
    const r = analyzeExperiment(input({ metrics: [primary, unsub] }));
    expect(r.decision.kind).toBe('rollback');
    expect(r.decision.reason).toContain('unsubscribe');
    // Oriented chance to win: B's unsubscribes went up, so it almost surely loses on this guardrail.
    expect(r.metrics[1]!.variants[1]!.vsControl!.chanceToWin).toBeLessThan(0.01);
  });

  it('fixed decision rule uses the fixed-horizon p-value', () => {
    // Significant at fixed horizon, not yet under the (wider) confidence sequence.
    const arms = { A: conv(2000, 200), B: conv(2000, 250) };
    const seq = analyzeExperiment(input({ metrics: [metric(arms)] }));
    const fixed = analyzeExperiment(input({ metrics: [metric(arms)], analysis: { ...analysis, decisionRule: 'fixed' } }));
    expect(seq.metrics[0]!.variants[1]!.vsControl!.pValue).toBeLessThan(0.05);
    expect(seq.metrics[0]!.variants[1]!.vsControl!.sequentialPValue).toBeGreaterThan(0.05);
    expect(seq.decision.kind).toBe('continue');
    expect(fixed.decision.kind).toBe('ship');
  });

  it('average order value: ratio of sums with a delta-method interval', () => {
    // Every customer with one order: the ratio is the plain mean, and its variance var(X)/n.
    const one = { n: 4, sumX: 10 + 20 + 30 + 40, sumX2: 100 + 400 + 900 + 1600, sumY: 4, sumY2: 4, sumXY: 100 };
    const e = ratioEstimate(one);
    expect(e.ratio).toBe(25);
    expect(e.variance).toBeCloseTo((((100 + 400 + 900 + 1600 - 4 * 625) / 3) / 4), 10);
    const m = ratioAsMean(one);
    expect(m.kind === 'mean' && m.sum / m.n).toBe(25);
    // Hand-checked: customers (revenue, orders): A = (100,1) (300,2) (0,0) (200,1); B = (400,2) (300,1) (500,2) (0,0).
    const armOf = (rows: [number, number][]): ArmStats => ({
      n: rows.length,
      sum: rows.reduce((a, [x]) => a + x, 0),
      sumSquares: rows.reduce((a, [x]) => a + x * x, 0),
      denominator: { sum: rows.reduce((a, [, y]) => a + y, 0), sumSquares: rows.reduce((a, [, y]) => a + y * y, 0), crossSum: rows.reduce((a, [x, y]) => a + x * y, 0) },
    });
    const r = analyzeExperiment(input({ minSamplePerVariant: 10, metrics: [metric({ A: armOf([[100, 1], [300, 2], [0, 0], [200, 1]]), B: armOf([[400, 2], [300, 1], [500, 2], [0, 0]]) }, { type: 'average_order_value' })] }));
    const [a, b] = r.metrics[0]!.variants;
    expect(a).toMatchObject({ numerator: 600, denominator: 4, value: 150, units: 4 });
    expect(b).toMatchObject({ numerator: 1200, denominator: 5, value: 240 });
    expect(b!.vsControl!.relative.estimate).toBeCloseTo(0.6, 12);
    expect(b!.vsControl!.cuped).toBe(false);
  });

  it('CUPED narrows the interval when the pre-period predicts the metric', () => {
    const rand = prng(7);
    const arm = (lift: number): ArmStats => {
      const s = { n: 0, sum: 0, sumSquares: 0, pre: { sum: 0, sumSquares: 0, crossSum: 0 } };
      for (let i = 0; i < 2000; i++) {
        const pre = 100 * rand();
        const post = pre + 20 * rand() + lift;
        s.n++;
        s.sum += post;
        s.sumSquares += post * post;
        s.pre.sum += pre;
        s.pre.sumSquares += pre * pre;
        s.pre.crossSum += post * pre;
      }
      return s;
    };
    const arms = { A: arm(0), B: arm(2) };
    const m = metric(arms, { type: 'revenue_per_customer' });
    const on = analyzeExperiment(input({ metrics: [m] })).metrics[0]!.variants[1]!.vsControl!;
    const off = analyzeExperiment(input({ metrics: [m], analysis: { ...analysis, cuped: false } })).metrics[0]!.variants[1]!.vsControl!;
    expect(on.cuped).toBe(true);
    expect(off.cuped).toBe(false);
    expect(on.relative.upper - on.relative.lower).toBeLessThan((off.relative.upper - off.relative.lower) / 3);
  });

  it('multivariate: main effects per factor on the primary metric', () => {
    const design = { kind: 'multivariate' as const, templates: {}, factors: [
      { key: 'color', name: 'Color', levels: [{ key: 'red', name: 'Red' }, { key: 'blue', name: 'Blue' }] },
      { key: 'size', name: 'Size', levels: [{ key: 's', name: 'S' }, { key: 'l', name: 'L' }] },
    ] };
    const variants = variantsOf(design);
    const factors = design.factors.map((f) => ({ name: f.key, levels: f.levels.map((l) => l.key) }));
    // Blue converts 20% vs red 10%; size has no effect.
    const arms = Object.fromEntries(variants.map((v) => [v.key, conv(1000, v.levels!.color === 'blue' ? 200 : 100)]));
    const r = analyzeExperiment(input({ variants, factors, metrics: [metric(arms)] }));
    const effects = r.metrics[0]!.mainEffects!;
    expect(effects).toHaveLength(2);
    const color = effects.find((e) => e.factor === 'color')!;
    const size = effects.find((e) => e.factor === 'size')!;
    expect(color).toMatchObject({ level: 'blue', baseline: 'red' });
    expect(color.relative.estimate).toBeCloseTo(1, 12);
    expect(color.pValue).toBeLessThan(1e-6);
    expect(size.relative.estimate).toBeCloseTo(0, 12);
    expect(size.pValue).toBeGreaterThan(0.5);
  });

  it('properties: p in [0,1], intervals contain the estimate, chance to win in [0,1], symmetry on swapping arms', () => {
    fc.assert(
      fc.property(fc.integer({ min: 20, max: 5000 }), fc.integer({ min: 20, max: 5000 }), fc.double({ min: 0.01, max: 0.99, noNaN: true }), fc.double({ min: 0.01, max: 0.99, noNaN: true }), (nA, nB, pA, pB) => {
        const A = conv(nA, Math.round(nA * pA));
        const B = conv(nB, Math.round(nB * pB));
        const fwd = analyzeExperiment(input({ metrics: [metric({ A, B })] })).metrics[0]!.variants[1]!.vsControl!;
        const rev = analyzeExperiment(input({ metrics: [metric({ A: B, B: A })] })).metrics[0]!.variants[1]!.vsControl!;
        for (const p of [fwd.pValue, fwd.sequentialPValue, fwd.chanceToWin]) {
          expect(p).toBeGreaterThanOrEqual(0);
          expect(p).toBeLessThanOrEqual(1);
        }
        for (const i of [fwd.relative, fwd.absolute, fwd.sequentialRelative]) {
          expect(i.lower).toBeLessThanOrEqual(i.estimate);
          expect(i.upper).toBeGreaterThanOrEqual(i.estimate);
        }
        expect(fwd.expectedLoss).toBeGreaterThanOrEqual(0);
        // Swapping control and variant mirrors the absolute lift and its interval (the relative scale is not symmetric).
        expect(rev.absolute.estimate).toBeCloseTo(-fwd.absolute.estimate, 12);
        expect(rev.absolute.lower).toBeCloseTo(-fwd.absolute.upper, 9);
        expect(rev.absolute.upper).toBeCloseTo(-fwd.absolute.lower, 9);
        expect(rev.pValue).toBeCloseTo(fwd.pValue, 9);
        expect(rev.sequentialPValue).toBeCloseTo(fwd.sequentialPValue, 9);
      }),
      { numRuns: 200 },
    );
  });
});

describe('A/A simulation: peeking at every step', () => {
  // 2,000 experiments with no true difference (10% conversion in both arms), 100 customers per arm per step, the
  // decision applied after every one of 40 steps: the sequential rule must declare a winner (ship or roll back) in
  // at most 5% of them. 80,000 looks through the full analyzeExperiment would take minutes on a shared machine, so
  // each look runs the two pieces analyzeExperiment's decision is made of (the absolute-scale sequential p-value and
  // decide()); a separate test checks that analyzeExperiment reaches the same decision on the same looks.
  const look = (nA: number, xA: number, nB: number, xB: number, rule: 'sequential' | 'fixed') => {
    const a = { kind: 'proportion' as const, n: nA, sum: xA };
    const b = { kind: 'proportion' as const, n: nB, sum: xB };
    const t = rule === 'sequential' ? sequentialTest(a, b, { alpha: 0.05, scale: 'absolute' }) : tTest(a, b, { alpha: 0.05, scale: 'absolute' });
    return decide({
      variants: [{ variant: 'B', units: nB, primary: { metric: 'purchase', pValue: t.pValue, estimate: t.estimate }, guardrails: [] }],
      controlUnits: nA,
      minSamplePerVariant: 100,
      srmPValue: srmPValue([nA, nB], [1, 1]),
      alpha: 0.05,
    }).kind;
  };
  function simulate(rule: 'sequential' | 'fixed', experiments: number, check?: (nA: number, xA: number, nB: number, xB: number, kind: string) => void): number {
    const rand = prng(rule === 'sequential' ? 2026 : 2027);
    let declared = 0;
    for (let e = 0; e < experiments; e++) {
      let xA = 0;
      let xB = 0;
      for (let step = 1; step <= 40; step++) {
        for (let i = 0; i < 100; i++) {
          if (rand() < 0.1) xA++;
          if (rand() < 0.1) xB++;
        }
        const kind = look(step * 100, xA, step * 100, xB, rule);
        check?.(step * 100, xA, step * 100, xB, kind);
        if (kind === 'ship' || kind === 'rollback') {
          declared++;
          break;
        }
      }
    }
    return declared / experiments;
  }

  it('the sequential rule declares a winner in at most 5% of 2,000 A/A experiments', () => {
    const rate = simulate('sequential', 2000);
    expect(rate).toBeLessThanOrEqual(0.05);
  });

  it('for contrast, peeking at fixed-horizon p-values inflates false positives well above 5%', () => {
    // 300 experiments are plenty to see it (the t distribution is the slow part here).
    expect(simulate('fixed', 300)).toBeGreaterThan(0.1);
  });

  it('analyzeExperiment takes the same decision on the simulated looks', () => {
    let looks = 0;
    simulate('sequential', 25, (nA, xA, nB, xB, kind) => {
      looks++;
      expect(analyzeExperiment(input({ metrics: [metric({ A: conv(nA, xA), B: conv(nB, xB) })] })).decision.kind).toBe(kind);
    });
    expect(looks).toBeGreaterThan(500);
  });
});
