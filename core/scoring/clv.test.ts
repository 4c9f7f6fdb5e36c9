import { describe, expect, it } from 'vitest';
import { cdnowSummaries } from '#tests/support/scoring.ts';
import { expectedPurchases, probabilityAlive, type BgNbdParams } from './bgnbd.ts';
import { PERIODS_PER_MONTH, customerLifetimeValue, lifetimeValueFactors } from './clv.ts';
import { expectedAverageValue } from './gamma-gamma.ts';

const BG: BgNbdParams = { r: 0.24259291, alpha: 4.41353173, a: 0.79288599, b: 2.42575293 };
const GG = { p: 6.2488, q: 3.74459, v: 15.44775 };
const cdnow = cdnowSummaries();
const customer = (i: number) => ({ x: cdnow.x[i]!, tx: cdnow.tx[i]!, T: cdnow.T[i]!, mbar: cdnow.mbar[i]! });
const weekly = (months: number, monthlyDiscountRate = 0.01) => ({ months, monthlyDiscountRate, periodsPerMonth: PERIODS_PER_MONTH.week });
const rel = (a: number, e: number) => Math.abs(a - e) / Math.abs(e);

describe('customerLifetimeValue (lifetimes definition, analytics.md §1.4)', () => {
  it.each([
    ['ID 1', 0, [36.2785, 75.301, 96.5461], [38.5172, 87.7422, 121.8896]],
    ['ID 2', 1, [4.6375, 9.8909, 12.8552], [4.9263, 11.5597, 16.3265]],
    ['ID 3', 2, [8.3441, 18.7459, 25.0711], [8.8723, 22.0312, 32.2137]],
    ['ID 6', 5, [283.5236, 562.8231, 707.3684], null],
    ['ID 9', 8, [43.3536, 89.9865, 115.3748], null],
  ] as const)('%s at 1, 3 and 5 years, weekly data, 1%% a month', (_name, i, discounted, undiscounted) => {
    [12, 36, 60].forEach((m, k) => {
      expect(rel(customerLifetimeValue(BG, GG, customer(i), weekly(m)), discounted[k]!), `${m} months`).toBeLessThan(1e-5);
      if (undiscounted) expect(rel(customerLifetimeValue(BG, GG, customer(i), weekly(m, 0)), undiscounted[k]!), `${m} months undiscounted`).toBeLessThan(1e-5);
    });
  });

  it('sums to 71,509.90 / 145,180.01 / 184,898.08 over the 2,357 customers', () => {
    const totals = [12, 36, 60].map((m) => {
      let s = 0;
      for (let i = 0; i < cdnow.x.length; i++) s += customerLifetimeValue(BG, GG, customer(i), weekly(m));
      return s;
    });
    expect(rel(totals[0]!, 71509.9)).toBeLessThan(1e-5);
    expect(rel(totals[1]!, 145180.01)).toBeLessThan(1e-5);
    expect(rel(totals[2]!, 184898.08)).toBeLessThan(1e-5);
    expect(totals[0]! / 2357).toBeCloseTo(30.3394, 3);
  });

  it('E[Y(t)] for ID 1 at 52, 156 and 260 weeks', () => {
    expect(expectedPurchases(BG, 52, 2, 30.43, 38.86)).toBeCloseTo(1.55858, 5);
    expect(expectedPurchases(BG, 156, 2, 30.43, 38.86)).toBeCloseTo(3.5518, 4);
    expect(expectedPurchases(BG, 260, 2, 30.43, 38.86)).toBeCloseTo(4.93497, 5);
  });

  it('reproduces the lifetimes Quickstart output when called, as it is, with 30 periods a month on weekly data', () => {
    const quickstart = [140.096211, 18.943467, 38.180574, 38.180574, 38.180574, 1003.868107, 28.109683, 38.180574, 167.418216, 38.180574];
    quickstart.forEach((v, i) => {
      expect(rel(customerLifetimeValue(BG, GG, customer(i), { months: 12, monthlyDiscountRate: 0.01, periodsPerMonth: PERIODS_PER_MONTH.day }), v), `customer ${i + 1}`).toBeLessThan(1e-5);
    });
  });

  it('follows the discounting identities of lifetimes’ known-value test', () => {
    const c = customer(0);
    const m = expectedAverageValue(GG, c.x, c.mbar);
    const month = (k: number) => expectedPurchases(BG, k * 30, c.x, c.tx, c.T);
    const o = (months: number, monthlyDiscountRate: number) => ({ months, monthlyDiscountRate, periodsPerMonth: 30 });
    expect(customerLifetimeValue(BG, GG, c, o(1, 0))).toBeCloseTo(m * month(1), 10);
    expect(customerLifetimeValue(BG, GG, c, o(1, 1))).toBeCloseTo((m * month(1)) / 2, 10);
    expect(customerLifetimeValue(BG, GG, c, o(2, 0))).toBeCloseTo(m * month(2), 10);
    expect(customerLifetimeValue(BG, GG, c, o(2, 1))).toBeCloseTo(m * (month(1) / 2 + (month(2) - month(1)) / 4), 10);
    expect(customerLifetimeValue(BG, GG, c, o(0, 0.01))).toBe(0);
    expect(() => customerLifetimeValue(BG, GG, c, o(1.5, 0.01))).toThrow(RangeError);
  });

  it('lifetimeValueFactors: E(M) · P(alive) · factor is the same CLV, and the published 5-year total, for every CDNOW customer', () => {
    let total = 0;
    for (let i = 0; i < cdnow.x.length; i++) {
      const c = customer(i);
      const f = lifetimeValueFactors(BG, c, { months: [12, 36, 60], monthlyDiscountRate: 0.01, periodsPerMonth: PERIODS_PER_MONTH.week });
      const unit = expectedAverageValue(GG, c.x, c.mbar) * probabilityAlive(BG, c.x, c.tx, c.T);
      [12, 36, 60].forEach((m, k) => {
        const expected = customerLifetimeValue(BG, GG, c, weekly(m));
        expect(Math.abs(unit * f[k]! - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
      });
      total += unit * f[2]!;
    }
    expect(rel(total, 184898.08)).toBeLessThan(1e-5);
    expect(lifetimeValueFactors(BG, { x: 1, T: 10 }, { months: [0], monthlyDiscountRate: 0.01, periodsPerMonth: 4.345 })).toEqual([0]);
    expect(() => lifetimeValueFactors(BG, { x: 1, T: 10 }, { months: [1.5], monthlyDiscountRate: 0.01, periodsPerMonth: 4.345 })).toThrow(RangeError);
  });
});
