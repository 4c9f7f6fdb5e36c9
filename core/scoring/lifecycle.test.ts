import { describe, expect, it } from 'vitest';
import { DEFAULT_LIFECYCLE_THRESHOLDS, LIFECYCLE_STATES, evaluateLifecycle, type LifecycleInput, type LifecycleState } from './lifecycle.ts';

const base: LifecycleInput = {
  orders: 0,
  orders365: 0,
  daysSinceLastOrder: null,
  previousState: null,
  stateAtLastOrder: null,
  daysSinceReactivation: null,
};
const at = (fields: Partial<LifecycleInput>): LifecycleInput => ({ ...base, ...fields });

describe('evaluateLifecycle: every transition of analytics.md §3', () => {
  it('has the default thresholds of the reference', () => {
    expect(DEFAULT_LIFECYCLE_THRESHOLDS).toEqual({ activeDays: 90, atRiskDays: 180, dormantDays: 365, loyalOrders365: 4, reactivationDays: 90 });
    expect(LIFECYCLE_STATES).toHaveLength(8);
  });

  const cases: { name: string; from: LifecycleState | null; input: Partial<LifecycleInput>; to: LifecycleState }[] = [
    { name: 'known profile without orders', from: null, input: {}, to: 'PROSPECT' },
    { name: 'PROSPECT → NEW on the first order', from: 'PROSPECT', input: { orders: 1, orders365: 1, daysSinceLastOrder: 0, stateAtLastOrder: 'PROSPECT' }, to: 'NEW' },
    { name: 'NEW stays NEW up to 90 days', from: 'NEW', input: { orders: 1, orders365: 1, daysSinceLastOrder: 90, stateAtLastOrder: 'PROSPECT' }, to: 'NEW' },
    { name: 'NEW → ACTIVE on the 2nd order', from: 'NEW', input: { orders: 2, orders365: 2, daysSinceLastOrder: 0, stateAtLastOrder: 'NEW' }, to: 'ACTIVE' },
    { name: 'ACTIVE → LOYAL when n365 reaches 4', from: 'ACTIVE', input: { orders: 4, orders365: 4, daysSinceLastOrder: 3, stateAtLastOrder: 'ACTIVE' }, to: 'LOYAL' },
    { name: 'LOYAL → ACTIVE when n365 falls below 4', from: 'LOYAL', input: { orders: 6, orders365: 3, daysSinceLastOrder: 40, stateAtLastOrder: 'LOYAL' }, to: 'ACTIVE' },
    {
      name: 'ACTIVE → LOYAL by RFM segment (Champions) within 90 days',
      from: 'ACTIVE',
      input: { orders: 3, orders365: 3, daysSinceLastOrder: 10, stateAtLastOrder: 'ACTIVE', rfmSegment: 'champions' },
      to: 'LOYAL',
    },
    {
      name: 'ACTIVE by RFM Loyal Customers too',
      from: 'ACTIVE',
      input: { orders: 2, orders365: 2, daysSinceLastOrder: 10, stateAtLastOrder: 'ACTIVE', rfmSegment: 'loyal_customers' },
      to: 'LOYAL',
    },
    {
      name: 'another RFM segment does not make LOYAL',
      from: 'ACTIVE',
      input: { orders: 2, orders365: 2, daysSinceLastOrder: 10, stateAtLastOrder: 'ACTIVE', rfmSegment: 'potential_loyalist' },
      to: 'ACTIVE',
    },
    { name: 'NEW → AT_RISK by the clock (d = 91)', from: 'NEW', input: { orders: 1, orders365: 1, daysSinceLastOrder: 91, stateAtLastOrder: 'PROSPECT' }, to: 'AT_RISK' },
    { name: 'ACTIVE → AT_RISK by the clock', from: 'ACTIVE', input: { orders: 3, orders365: 3, daysSinceLastOrder: 91, stateAtLastOrder: 'ACTIVE' }, to: 'AT_RISK' },
    {
      name: 'LOYAL → AT_RISK by the clock (n365 ≥ 4 does not keep a lapsed customer loyal)',
      from: 'LOYAL',
      input: { orders: 9, orders365: 5, daysSinceLastOrder: 120, stateAtLastOrder: 'LOYAL', rfmSegment: 'champions' },
      to: 'AT_RISK',
    },
    { name: 'AT_RISK stays up to 180 days', from: 'AT_RISK', input: { orders: 3, orders365: 3, daysSinceLastOrder: 180, stateAtLastOrder: 'ACTIVE' }, to: 'AT_RISK' },
    { name: 'AT_RISK → DORMANT at 181 days', from: 'AT_RISK', input: { orders: 3, orders365: 3, daysSinceLastOrder: 181, stateAtLastOrder: 'ACTIVE' }, to: 'DORMANT' },
    { name: 'DORMANT stays up to 365 days', from: 'DORMANT', input: { orders: 3, orders365: 1, daysSinceLastOrder: 365, stateAtLastOrder: 'ACTIVE' }, to: 'DORMANT' },
    { name: 'DORMANT → CHURNED at 366 days', from: 'DORMANT', input: { orders: 3, orders365: 0, daysSinceLastOrder: 366, stateAtLastOrder: 'ACTIVE' }, to: 'CHURNED' },
    { name: 'AT_RISK + order → ACTIVE (not reactivated)', from: 'AT_RISK', input: { orders: 4, orders365: 3, daysSinceLastOrder: 0, stateAtLastOrder: 'AT_RISK' }, to: 'ACTIVE' },
    { name: 'AT_RISK + order → LOYAL', from: 'AT_RISK', input: { orders: 6, orders365: 4, daysSinceLastOrder: 0, stateAtLastOrder: 'AT_RISK' }, to: 'LOYAL' },
    { name: 'AT_RISK + first order cancelled leaves one → NEW', from: 'AT_RISK', input: { orders: 1, orders365: 1, daysSinceLastOrder: 5, stateAtLastOrder: 'AT_RISK' }, to: 'NEW' },
    { name: 'DORMANT + order → REACTIVATED', from: 'DORMANT', input: { orders: 3, orders365: 1, daysSinceLastOrder: 0, stateAtLastOrder: 'DORMANT' }, to: 'REACTIVATED' },
    { name: 'CHURNED + order → REACTIVATED', from: 'CHURNED', input: { orders: 2, orders365: 1, daysSinceLastOrder: 2, stateAtLastOrder: 'CHURNED' }, to: 'REACTIVATED' },
    {
      name: 'CHURNED + order with 4 orders in 365 days is still REACTIVATED first (row order)',
      from: 'CHURNED',
      input: { orders: 9, orders365: 4, daysSinceLastOrder: 1, stateAtLastOrder: 'CHURNED' },
      to: 'REACTIVATED',
    },
    {
      name: 'DORMANT + order seen only by the nightly run (stateAtLastOrder unknown) → REACTIVATED',
      from: 'DORMANT',
      input: { orders: 3, orders365: 1, daysSinceLastOrder: 1, stateAtLastOrder: null },
      to: 'REACTIVATED',
    },
    {
      name: 'REACTIVATED keeps buying inside the 90-day window → REACTIVATED',
      from: 'REACTIVATED',
      input: { orders: 4, orders365: 2, daysSinceLastOrder: 5, stateAtLastOrder: 'REACTIVATED', daysSinceReactivation: 60 },
      to: 'REACTIVATED',
    },
    {
      name: 'REACTIVATED → ACTIVE after 90 days if it keeps buying',
      from: 'REACTIVATED',
      input: { orders: 4, orders365: 3, daysSinceLastOrder: 10, stateAtLastOrder: 'REACTIVATED', daysSinceReactivation: 91 },
      to: 'ACTIVE',
    },
    {
      name: 'REACTIVATED → LOYAL after 90 days with 4 orders in 365',
      from: 'REACTIVATED',
      input: { orders: 8, orders365: 4, daysSinceLastOrder: 10, stateAtLastOrder: 'REACTIVATED', daysSinceReactivation: 100 },
      to: 'LOYAL',
    },
    {
      name: 'REACTIVATED without further orders decays to AT_RISK by the clock',
      from: 'REACTIVATED',
      input: { orders: 3, orders365: 1, daysSinceLastOrder: 91, stateAtLastOrder: 'DORMANT' },
      to: 'AT_RISK',
    },
    {
      name: 'cancelled reactivation order: re-evaluated without it the customer is DORMANT again',
      from: 'REACTIVATED',
      input: { orders: 2, orders365: 0, daysSinceLastOrder: 200, stateAtLastOrder: 'ACTIVE' },
      to: 'DORMANT',
    },
    {
      name: 'cancelled only order: back to PROSPECT',
      from: 'NEW',
      input: { orders: 0, orders365: 0, daysSinceLastOrder: null, stateAtLastOrder: null },
      to: 'PROSPECT',
    },
  ];

  it.each(cases)('$name', ({ from, input, to }) => {
    const r = evaluateLifecycle(at({ previousState: from, ...input }));
    expect(r.state).toBe(to);
    expect(r.reason.length).toBeGreaterThan(5);
  });

  it('uses per-tenant thresholds', () => {
    const t = { activeDays: 30, atRiskDays: 60, dormantDays: 120, loyalOrders365: 6, reactivationDays: 30 };
    const customer = at({ orders: 5, orders365: 5, daysSinceLastOrder: 45, stateAtLastOrder: 'ACTIVE' });
    expect(evaluateLifecycle(customer, t).state).toBe('AT_RISK');
    expect(evaluateLifecycle(customer).state).toBe('LOYAL');
    expect(evaluateLifecycle({ ...customer, daysSinceLastOrder: 10 }, t).state).toBe('ACTIVE');
    expect(evaluateLifecycle({ ...customer, daysSinceLastOrder: 121 }, t).state).toBe('CHURNED');
  });
});
