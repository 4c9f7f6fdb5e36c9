import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { prng as rng } from '#tests/support/prng.ts';
import { adjustPValues } from './corrections.ts';
import { cupedAdjust, cupedTheta, type CupedStats } from './cuped.ts';
import { decide, type VariantEvaluation } from './decision.ts';
import { cellKey, fullFactorialCells, mainEffectArms } from './factorial.ts';
import { sequentialTest, tTest } from './frequentist.ts';
import { msprtPValues } from './msprt.ts';
import { mean, type VariantStats } from './sufficient-stats.ts';

describe('multiple-comparison corrections', () => {
  it('Holm–Bonferroni and Benjamini–Hochberg on a textbook example', () => {
    const p = [0.01, 0.04, 0.03, 0.005];
    expect(adjustPValues(p, 'holm-bonferroni')).toEqual([0.03, 0.06, 0.06, 0.02]);
    const bh = adjustPValues(p, 'benjamini-hochberg');
    [0.02, 0.04, 0.04, 0.02].forEach((v, i) => expect(bh[i]).toBeCloseTo(v, 12));
    expect(adjustPValues(p, 'none')).toEqual(p);
  });
  it('adjusted p-values are never below the raw ones and never above 1', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 12 }), (ps) => {
        for (const method of ['holm-bonferroni', 'benjamini-hochberg'] as const) {
          const adj = adjustPValues(ps, method);
          adj.forEach((a, i) => {
            expect(a).toBeGreaterThanOrEqual(ps[i]! - 1e-15);
            expect(a).toBeLessThanOrEqual(1);
          });
        }
      }),
    );
  });
});

describe('CUPED', () => {
  /** Units whose metric is strongly driven by last period's value. */
  function arms(seed: number, lift: number): CupedStats[] {
    const r = rng(seed);
    return [0, lift].map((l) => {
      const s: CupedStats = { n: 0, postSum: 0, postSumSquares: 0, preSum: 0, preSumSquares: 0, crossSum: 0 };
      for (let i = 0; i < 4000; i++) {
        const pre = 10 + 5 * r();
        const post = pre + l + 2 * (r() - 0.5);
        s.n++;
        s.postSum += post;
        s.postSumSquares += post * post;
        s.preSum += pre;
        s.preSumSquares += pre * pre;
        s.crossSum += post * pre;
      }
      return s;
    });
  }
  it('keeps the effect and shrinks its standard error when pre-period data predicts the metric', () => {
    const raw = arms(7, 0.1);
    const plain = raw.map((s): VariantStats => ({ kind: 'mean', n: s.n, sum: s.postSum, sumSquares: s.postSumSquares }));
    const adjusted = cupedAdjust(raw);
    const before = tTest(plain[0]!, plain[1]!, { scale: 'absolute' });
    const after = tTest(adjusted[0]!, adjusted[1]!, { scale: 'absolute' });
    expect(cupedTheta(raw)).toBeGreaterThan(0.9);
    expect(after.standardError).toBeLessThan(before.standardError / 2);
    expect(after.estimate).toBeCloseTo(0.1, 1);
    expect(after.pValue).toBeLessThan(before.pValue);
  });
  it('θ = 0 leaves the statistics untouched', () => {
    const raw = arms(3, 0);
    const adj = cupedAdjust(raw, 0);
    expect(mean(adj[0]!)).toBeCloseTo(raw[0]!.postSum / raw[0]!.n, 10);
    expect(adj[1]!.kind === 'mean' && adj[1]!.sumSquares).toBeCloseTo(raw[1]!.postSumSquares, 6);
  });
});

describe('sequential testing keeps its promise under peeking', () => {
  it('A/A tests looked at 20 times reject far less often with confidence sequences than with a t-test', () => {
    const r = rng(11);
    let seqRejects = 0;
    let naiveRejects = 0;
    const runs = 300;
    for (let run = 0; run < runs; run++) {
      const a: VariantStats = { kind: 'proportion', n: 0, sum: 0 };
      const b: VariantStats = { kind: 'proportion', n: 0, sum: 0 };
      let seq = false;
      let naive = false;
      for (let look = 0; look < 20; look++) {
        for (let i = 0; i < 250; i++) {
          a.n++;
          b.n++;
          if (r() < 0.1) a.sum++;
          if (r() < 0.1) b.sum++;
        }
        if (sequentialTest(a, b).pValue < 0.05) seq = true;
        if (tTest(a, b).pValue < 0.05) naive = true;
      }
      if (seq) seqRejects++;
      if (naive) naiveRejects++;
    }
    expect(seqRejects / runs).toBeLessThanOrEqual(0.05);
    expect(naiveRejects / runs).toBeGreaterThan(0.1); // the inflation sequential testing exists to prevent
  });
  it('mSPRT p-values never increase and detect a real lift', () => {
    const r = rng(5);
    const looks = [];
    let nA = 0;
    let cA = 0;
    let nB = 0;
    let cB = 0;
    for (let look = 0; look < 30; look++) {
      for (let i = 0; i < 500; i++) {
        nA++;
        nB++;
        if (r() < 0.1) cA++;
        if (r() < 0.13) cB++;
      }
      looks.push({ nA, conversionsA: cA, nB, conversionsB: cB });
    }
    const p = msprtPValues(looks, 0.0001);
    for (let i = 1; i < p.length; i++) expect(p[i]).toBeLessThanOrEqual(p[i - 1]!);
    expect(p.at(-1)!).toBeLessThan(0.05);
  });
});

describe('full factorial', () => {
  const factors = [
    { name: 'subject', levels: ['plain', 'emoji'] },
    { name: 'cta', levels: ['buy', 'see', 'go'] },
  ];
  it('enumerates every combination once', () => {
    const cells = fullFactorialCells(factors);
    expect(cells).toHaveLength(6);
    expect(new Set(cells.map((c) => cellKey(c, factors))).size).toBe(6);
  });
  it('main effects pool the cells of each level', () => {
    const cells = fullFactorialCells(factors).map((cell) => ({
      cell,
      stats: { kind: 'proportion' as const, n: 1000, sum: cell.subject === 'emoji' ? 120 : 100 },
    }));
    const [subject, cta] = mainEffectArms(factors, cells);
    expect(subject!.baseline.stats.n).toBe(3000);
    expect(mean(subject!.levels[0]!.stats)).toBeCloseTo(0.12, 12);
    expect(mean(subject!.baseline.stats)).toBeCloseTo(0.1, 12);
    expect(cta!.levels.map((l) => l.level)).toEqual(['see', 'go']);
    expect(mean(cta!.levels[0]!.stats)).toBeCloseTo(mean(cta!.baseline.stats), 12); // cta has no effect
  });
});

describe('automatic decision', () => {
  const variant = (name: string, p: number, est: number, guardrail?: { p: number; est: number }): VariantEvaluation => ({
    variant: name,
    units: 5000,
    primary: { metric: 'purchase', pValue: p, estimate: est },
    guardrails: guardrail ? [{ metric: 'unsubscribe', pValue: guardrail.p, estimate: guardrail.est }] : [],
  });
  const base = { controlUnits: 5000, minSamplePerVariant: 1000, srmPValue: 0.4 };
  it.each<[string, Parameters<typeof decide>[0], string]>([
    ['SRM blocks everything', { ...base, srmPValue: 0.0001, variants: [variant('B', 0.001, 0.2)] }, 'blocked'],
    ['minimum sample first', { ...base, controlUnits: 10, variants: [variant('B', 0.001, 0.2)] }, 'continue'],
    ['a clear winner ships', { ...base, variants: [variant('B', 0.001, 0.2)] }, 'ship'],
    ['a harmed guardrail rolls back', { ...base, variants: [variant('B', 0.001, 0.2, { p: 0.001, est: -0.1 })] }, 'rollback'],
    ['not significant yet', { ...base, variants: [variant('B', 0.2, 0.05)] }, 'continue'],
    ['every variant loses', { ...base, variants: [variant('B', 0.01, -0.1), variant('C', 0.02, -0.2)] }, 'rollback'],
    ['one winner and one loser ships the winner', { ...base, variants: [variant('B', 0.01, 0.1), variant('C', 0.02, -0.2)] }, 'ship'],
    ['two winners wait for a person', { ...base, variants: [variant('B', 0.01, 0.1), variant('C', 0.02, 0.2)] }, 'continue'],
  ])('%s', (_name, input, kind) => {
    const d = decide(input);
    expect(d.kind).toBe(kind);
    expect(d.reason.length).toBeGreaterThan(10);
  });
});
