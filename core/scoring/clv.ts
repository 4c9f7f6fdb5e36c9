// Discounted customer lifetime value, lifetimes' definition (analytics.md §1.4).
import { expectedPurchases, expectedPurchasesIfAlive, type BgNbdParams } from './bgnbd.ts';
import { expectedAverageValue, type GammaGammaParams } from './gamma-gamma.ts';

/** Time units per month as lifetimes uses them: days 30, weeks 4.345, months 1, hours 720. */
export const PERIODS_PER_MONTH = { day: 30, week: 4.345, month: 1, hour: 720 } as const;

/**
 * CLV = Σ_{k=1..months} E(M) · (E[Y(k·f)] − E[Y((k−1)·f)]) / (1 + d)^k, f = periods per month, d = monthly
 * discount rate: expected purchases month by month, valued at the Gamma–Gamma expected spend and discounted
 * at the end of each month (lifetimes `_customer_lifetime_value`). In the currency of mbar.
 */
export function customerLifetimeValue(
  bg: BgNbdParams,
  gg: GammaGammaParams,
  c: { x: number; tx: number; T: number; mbar: number },
  o: { months: number; monthlyDiscountRate: number; periodsPerMonth: number },
): number {
  if (!(o.months >= 0 && Number.isInteger(o.months))) throw new RangeError('months must be a whole number ≥ 0');
  if (!(o.periodsPerMonth > 0) || !(o.monthlyDiscountRate > -1)) throw new RangeError('periodsPerMonth must be > 0 and the discount rate > −1');
  const spend = expectedAverageValue(gg, c.x, c.mbar);
  let clv = 0;
  let previous = 0;
  for (let k = 1; k <= o.months; k++) {
    const cumulative = expectedPurchases(bg, k * o.periodsPerMonth, c.x, c.tx, c.T);
    clv += (spend * (cumulative - previous)) / (1 + o.monthlyDiscountRate) ** k;
    previous = cumulative;
  }
  return clv;
}

/**
 * The same sums for several horizons at once, per unit of expected spend and given alive: CLV(months) =
 * E(M) · P(alive | x, t_x, T) · factor[i]. E[Y] is P(alive) times a bracket of (x, T) only, so the factors are
 * shared by every customer with the same x and T, and the longest horizon's monthly terms serve the shorter
 * ones (one ₂F₁ per month instead of one per month per horizon). Equal to customerLifetimeValue up to rounding.
 */
export function lifetimeValueFactors(bg: BgNbdParams, c: { x: number; T: number }, o: { months: readonly number[]; monthlyDiscountRate: number; periodsPerMonth: number }): number[] {
  if (!o.months.every((m) => m >= 0 && Number.isInteger(m))) throw new RangeError('months must be whole numbers ≥ 0');
  if (!(o.periodsPerMonth > 0) || !(o.monthlyDiscountRate > -1)) throw new RangeError('periodsPerMonth must be > 0 and the discount rate > −1');
  const longest = Math.max(0, ...o.months);
  const out = o.months.map(() => 0);
  let sum = 0;
  let previous = 0;
  for (let k = 1; k <= longest; k++) {
    const cumulative = expectedPurchasesIfAlive(bg, k * o.periodsPerMonth, c.x, c.T);
    sum += (cumulative - previous) / (1 + o.monthlyDiscountRate) ** k;
    previous = cumulative;
    o.months.forEach((m, i) => {
      if (m === k) out[i] = sum;
    });
  }
  return out;
}
