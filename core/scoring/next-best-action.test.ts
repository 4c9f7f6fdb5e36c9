import { describe, expect, it } from 'vitest';
import { LIFECYCLE_STATES } from './lifecycle.ts';
import { NBA_RULES, nextBestAction, type NextBestActionInput } from './next-best-action.ts';
import { RFM_SEGMENTS } from './rfm.ts';

const base: NextBestActionInput = { rfmSegment: null, lifecycle: 'ACTIVE', pAlive: 0.9, churnRisk: 0.1, topCategory: null, topCategoryPropensity: null };
const c = (fields: Partial<NextBestActionInput>): NextBestActionInput => ({ ...base, ...fields });

describe('nextBestAction: the rules table, first match wins', () => {
  it.each([
    { name: 'prospect', input: c({ lifecycle: 'PROSPECT', pAlive: null, churnRisk: null }), action: 'first_purchase_incentive' },
    { name: 'NEW gets the welcome series even when its RFM cell says otherwise', input: c({ lifecycle: 'NEW', rfmSegment: 'new_customers' }), action: 'welcome_series' },
    { name: 'reactivated with a likely category', input: c({ lifecycle: 'REACTIVATED', topCategory: 'shoes', topCategoryPropensity: 0.4 }), action: 'welcome_back_cross_sell', category: 'shoes' },
    { name: 'reactivated without one', input: c({ lifecycle: 'REACTIVATED' }), action: 'welcome_back' },
    { name: "Can't Lose Them → win-back even while DORMANT", input: c({ lifecycle: 'DORMANT', rfmSegment: 'cant_lose_them' }), action: 'win_back_offer' },
    { name: 'churned', input: c({ lifecycle: 'CHURNED', rfmSegment: 'lost' }), action: 'last_chance_win_back' },
    { name: 'dormant', input: c({ lifecycle: 'DORMANT', rfmSegment: 'hibernating' }), action: 'reactivation_offer' },
    { name: 'AT_RISK lifecycle', input: c({ lifecycle: 'AT_RISK', rfmSegment: 'loyal_customers' }), action: 'retention_offer' },
    { name: 'RFM At Risk', input: c({ rfmSegment: 'at_risk' }), action: 'retention_offer' },
    { name: 'high churn risk beats champion status', input: c({ rfmSegment: 'champions', churnRisk: 0.7 }), action: 'retention_offer' },
    { name: 'champion with a likely category', input: c({ rfmSegment: 'champions', lifecycle: 'LOYAL', topCategory: 'bags', topCategoryPropensity: 0.5 }), action: 'vip_early_access', category: 'bags' },
    { name: 'champion otherwise', input: c({ rfmSegment: 'champions', lifecycle: 'LOYAL' }), action: 'referral_request' },
    { name: 'loyal with a likely category → cross-sell it', input: c({ rfmSegment: 'loyal_customers', topCategory: 'toys', topCategoryPropensity: 0.25 }), action: 'cross_sell', category: 'toys' },
    { name: 'loyal lifecycle, weak propensity → reward', input: c({ lifecycle: 'LOYAL', topCategory: 'toys', topCategoryPropensity: 0.1 }), action: 'loyalty_reward' },
    { name: 'potential loyalist with a likely category', input: c({ rfmSegment: 'potential_loyalist', topCategory: 'books', topCategoryPropensity: 0.3 }), action: 'cross_sell', category: 'books' },
    { name: 'nothing strong → newsletter', input: c({ rfmSegment: 'need_attention' }), action: 'nurture_newsletter' },
  ])('$name → $action', ({ input, action, category }) => {
    const r = nextBestAction(input);
    expect(r.action).toBe(action);
    expect(r.category).toBe(category);
    expect(r.reason.length).toBeGreaterThan(10);
  });

  it('answers every combination of segment and lifecycle state, and every rule is reachable', () => {
    const used = new Set<string>();
    for (const lifecycle of LIFECYCLE_STATES) {
      for (const rfmSegment of [...RFM_SEGMENTS, null]) {
        for (const [churnRisk, topCategoryPropensity] of [[0.1, 0.5], [0.8, 0.05], [null, null]] as const) {
          const input = c({ lifecycle, rfmSegment, churnRisk, topCategory: topCategoryPropensity === null ? null : 'cat', topCategoryPropensity });
          const r = nextBestAction(input);
          expect(r.action).toBeTruthy();
          used.add(NBA_RULES.find((rule) => rule.matches(input))!.id);
        }
      }
    }
    expect([...used].sort()).toEqual(NBA_RULES.map((r) => r.id).sort());
  });
});
