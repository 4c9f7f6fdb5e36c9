// Discounted customer lifetime value, lifetimes' definition (analytics.md §1.4).
import type { BgNbdParams } from './bgnbd.ts';
import type { GammaGammaParams } from './gamma-gamma.ts';

export function customerLifetimeValue(
  _bg: BgNbdParams,
  _gg: GammaGammaParams,
  _c: { x: number; tx: number; T: number; mbar: number },
  _o: { months: number; monthlyDiscountRate: number; periodsPerMonth: number },
): number {
  throw new Error('not implemented');
}
