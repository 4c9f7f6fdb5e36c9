// The 8 lifecycle states and their transition rules (analytics.md §3): first matching row wins.
import type { RfmSegment } from './rfm.ts';

export const LIFECYCLE_STATES = ['PROSPECT', 'NEW', 'ACTIVE', 'LOYAL', 'AT_RISK', 'DORMANT', 'CHURNED', 'REACTIVATED'] as const;
export type LifecycleState = (typeof LIFECYCLE_STATES)[number];

export interface LifecycleThresholds {
  activeDays: number;
  atRiskDays: number;
  dormantDays: number;
  loyalOrders365: number;
  reactivationDays: number;
}

export const DEFAULT_LIFECYCLE_THRESHOLDS: LifecycleThresholds = {
  activeDays: 90,
  atRiskDays: 180,
  dormantDays: 365,
  loyalOrders365: 4,
  reactivationDays: 90,
};

export interface LifecycleInput {
  orders: number; // lifetime valid orders (cancelled/refunded excluded)
  orders365: number; // valid orders in the trailing 365 days
  daysSinceLastOrder: number | null;
  previousState: LifecycleState | null;
  /** State the customer was in when their latest order was placed (null if unknown / no order). */
  stateAtLastOrder: LifecycleState | null;
  daysSinceReactivation: number | null; // age of the order that reactivated them, if any
  rfmSegment?: RfmSegment | null;
}

const LAPSED: ReadonlySet<LifecycleState | null> = new Set<LifecycleState | null>(['DORMANT', 'CHURNED']);
const VIP_SEGMENTS: ReadonlySet<RfmSegment | null | undefined> = new Set<RfmSegment | null | undefined>(['champions', 'loyal_customers']);

/**
 * Age of the order that reactivated the customer, or null if they are not in a reactivation window.
 * - The latest order was placed while DORMANT/CHURNED: that order is the reactivation (age d).
 * - It was placed while REACTIVATED: the reactivation is the earlier order the caller reports.
 * - stateAtLastOrder unknown but the previous evaluation said DORMANT/CHURNED and the customer has now bought
 *   within the active window: the new order must have been placed while lapsed (a nightly run that missed the
 *   per-order evaluation still reactivates).
 */
function reactivationAge(i: LifecycleInput, d: number, t: LifecycleThresholds): number | null {
  if (LAPSED.has(i.stateAtLastOrder)) return d;
  if (i.stateAtLastOrder === 'REACTIVATED') return i.daysSinceReactivation ?? d;
  if (i.stateAtLastOrder === null && LAPSED.has(i.previousState) && d <= t.activeDays) return d;
  return null;
}

export function evaluateLifecycle(
  input: LifecycleInput,
  t: LifecycleThresholds = DEFAULT_LIFECYCLE_THRESHOLDS,
): { state: LifecycleState; reason: string } {
  const d = input.daysSinceLastOrder;
  if (input.orders <= 0 || d === null) return { state: 'PROSPECT', reason: 'no valid order yet' };
  const recent = d <= t.activeDays;
  if (recent && input.orders >= 2) {
    const age = reactivationAge(input, d, t);
    if (age !== null && age <= t.reactivationDays) {
      return { state: 'REACTIVATED', reason: `bought again after lapsing; reactivation order ${age} days ago (window ${t.reactivationDays})` };
    }
  }
  if (recent && input.orders === 1) return { state: 'NEW', reason: `first order ${d} days ago (≤ ${t.activeDays})` };
  if (recent && input.orders365 >= t.loyalOrders365) {
    return { state: 'LOYAL', reason: `${input.orders365} orders in the last 365 days (≥ ${t.loyalOrders365}), last ${d} days ago` };
  }
  if (recent && VIP_SEGMENTS.has(input.rfmSegment)) {
    return { state: 'LOYAL', reason: `RFM segment ${input.rfmSegment}, last order ${d} days ago` };
  }
  if (recent) return { state: 'ACTIVE', reason: `${input.orders} orders, last ${d} days ago (≤ ${t.activeDays})` };
  if (d <= t.atRiskDays) return { state: 'AT_RISK', reason: `no order for ${d} days (> ${t.activeDays})` };
  if (d <= t.dormantDays) return { state: 'DORMANT', reason: `no order for ${d} days (> ${t.atRiskDays})` };
  return { state: 'CHURNED', reason: `no order for ${d} days (> ${t.dormantDays})` };
}

