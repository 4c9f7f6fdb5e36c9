import { describe, expect, it } from 'vitest';
import { abSummary, parseArm } from './ab-summary.ts';
import { tTest } from './frequentist.ts';

describe('stats ab summary', () => {
  it('parses both arm formats and rejects nonsense', () => {
    expect(parseArm('49/100', 'proportion')).toEqual({ kind: 'proportion', n: 100, sum: 49 });
    const m = parseArm('10,2,50', 'mean');
    expect(m.kind === 'mean' && (m.sumSquares - (m.sum * m.sum) / m.n) / (m.n - 1)).toBeCloseTo(4, 10);
    expect(() => parseArm('101/100', 'proportion')).toThrow();
    expect(() => parseArm('1,2', 'mean')).toThrow();
  });
  it('49/100 vs 51/100: every family of statistics, consistent with the core tests', () => {
    const a = parseArm('49/100', 'proportion');
    const b = parseArm('51/100', 'proportion');
    const s = abSummary(a, b) as ReturnType<typeof abSummary> & { bayesianBeta: { chanceToWin: number }; power: { sampleSizePerVariantFor80: number } };
    expect(s.relative.estimate).toBeCloseTo(2 / 49, 12);
    expect(s.absolute.fixed.pValue).toBe(tTest(a, b, { scale: 'absolute' }).pValue);
    expect(s.absolute.fixed.pValue).toBeGreaterThan(0.7);
    expect(s.absolute.sequential.pValue).toBeGreaterThanOrEqual(s.absolute.fixed.pValue);
    expect(s.bayesianBeta.chanceToWin).toBeGreaterThan(0.5);
    expect(s.bayesianBeta.chanceToWin).toBeLessThan(0.7);
    expect(s.srm.pValue).toBe(1);
    expect(s.power.sampleSizePerVariantFor80).toBeGreaterThan(5000);
  });
});
