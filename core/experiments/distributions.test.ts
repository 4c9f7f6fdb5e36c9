import { describe, expect, it } from 'vitest';
import { lgamma } from '../math/special.ts';
import { chiSquareSurvival, incompleteBeta, normalCdf, normalQuantile, studentTCdf, studentTQuantile } from './distributions.ts';

describe('special functions', () => {
  it.each([
    [1, 0],
    [2, 0],
    [5, Math.log(24)],
    [0.5, Math.log(Math.sqrt(Math.PI))],
    [10.5, 13.940625219403763],
    [0.1, 2.252712651734206],
  ])('lnΓ(%d)', (x, expected) => {
    expect(lgamma(x)).toBeCloseTo(expected, 12);
  });

  it('regularized incomplete beta: symmetric cases and known values', () => {
    expect(incompleteBeta(0.5, 3, 3)).toBeCloseTo(0.5, 14);
    expect(incompleteBeta(0.3, 2, 5)).toBeCloseTo(0.579825, 6); // 1 − Σ binomial terms
    expect(incompleteBeta(0.2, 1, 1)).toBeCloseTo(0.2, 14);
  });

  it('normal CDF and quantile, tails included', () => {
    expect(normalCdf(0)).toBe(0.5);
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 14);
    expect(normalCdf(-10) / 7.61985302416047e-24).toBeCloseTo(1, 8);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 10);
    expect(normalQuantile(0.8)).toBeCloseTo(0.8416212335729143, 10);
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 8);
  });

  it('Student t CDF and quantile match tables', () => {
    expect(studentTCdf(2.228138851986274, 10)).toBeCloseTo(0.975, 12);
    expect(studentTQuantile(0.975, 10)).toBeCloseTo(2.228138851986274, 9);
    expect(studentTQuantile(0.95, 3)).toBeCloseTo(2.353363434801823, 9);
    expect(studentTCdf(1.5, 1)).toBeCloseTo(0.5 + Math.atan(1.5) / Math.PI, 13); // Cauchy
  });

  it('chi-square survival', () => {
    expect(chiSquareSurvival(3.841458820694124, 1)).toBeCloseTo(0.05, 12);
    expect(chiSquareSurvival(10, 2)).toBeCloseTo(Math.exp(-5), 14);
    expect(chiSquareSurvival(0, 3)).toBe(1);
  });
});
