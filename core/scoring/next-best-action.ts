// Next best action: a documented rules table over the scores, first match wins, each with its reason.
import type { LifecycleState } from './lifecycle.ts';
import { RFM_SEGMENT_LABELS, type RfmSegment } from './rfm.ts';

export interface NextBestAction {
  action: string;
  channel?: string;
  reason: string;
  category?: string;
}

export interface NextBestActionInput {
  rfmSegment: RfmSegment | null;
  lifecycle: LifecycleState;
  pAlive: number | null;
  churnRisk: number | null;
  topCategory: string | null;
  topCategoryPropensity: number | null;
}

/** Propensity above which a category is worth a cross-sell message; churn risk above which retention comes first. */
export const NBA_CROSS_SELL_PROPENSITY = 0.2;
export const NBA_CHURN_RISK = 0.5;

const label = (s: RfmSegment | null) => (s ? RFM_SEGMENT_LABELS[s] : 'no segment');
const crossSell = (c: NextBestActionInput) =>
  c.topCategory !== null && c.topCategoryPropensity !== null && c.topCategoryPropensity >= NBA_CROSS_SELL_PROPENSITY;
const pct = (v: number | null) => (v === null ? 'n/a' : `${Math.round(v * 100)}%`);

export interface NbaRule {
  id: string;
  /** When it applies, in words (shown in the UI and the docs). */
  when: string;
  matches: (c: NextBestActionInput) => boolean;
  act: (c: NextBestActionInput) => NextBestAction;
}

/**
 * The rules, in priority order (first match wins). Lifecycle moments come first (no order yet, first order,
 * just came back), then saving valuable customers who are slipping, then growth for healthy ones.
 */
export const NBA_RULES: readonly NbaRule[] = [
  {
    id: 'prospect_first_purchase',
    when: 'lifecycle PROSPECT (no order yet)',
    matches: (c) => c.lifecycle === 'PROSPECT',
    act: () => ({ action: 'first_purchase_incentive', channel: 'email', reason: 'Known profile without an order: offer an incentive for the first purchase' }),
  },
  {
    id: 'new_welcome',
    when: 'lifecycle NEW (one recent order)',
    matches: (c) => c.lifecycle === 'NEW',
    act: () => ({ action: 'welcome_series', channel: 'email', reason: 'First order placed recently: start the welcome series to earn the second order' }),
  },
  {
    id: 'reactivated_nurture',
    when: 'lifecycle REACTIVATED (came back after lapsing)',
    matches: (c) => c.lifecycle === 'REACTIVATED',
    act: (c) =>
      crossSell(c)
        ? { action: 'welcome_back_cross_sell', channel: 'email', category: c.topCategory!, reason: `Came back after lapsing: welcome back with ${c.topCategory} (propensity ${pct(c.topCategoryPropensity)})` }
        : { action: 'welcome_back', channel: 'email', reason: 'Came back after lapsing: thank them and keep the new habit going' },
  },
  {
    id: 'cant_lose_win_back',
    when: "RFM Can't Lose Them (big, frequent buyers who stopped)",
    matches: (c) => c.rfmSegment === 'cant_lose_them',
    act: () => ({ action: 'win_back_offer', channel: 'email', reason: "Can't Lose Them: valuable customer gone quiet, send a personal win-back offer" }),
  },
  {
    id: 'churned_win_back',
    when: 'lifecycle CHURNED',
    matches: (c) => c.lifecycle === 'CHURNED',
    act: (c) => ({ action: 'last_chance_win_back', channel: 'email', reason: `No order for over a year (${label(c.rfmSegment)}): last-chance win-back, then suppress` }),
  },
  {
    id: 'dormant_reactivation',
    when: 'lifecycle DORMANT',
    matches: (c) => c.lifecycle === 'DORMANT',
    act: () => ({ action: 'reactivation_offer', channel: 'email', reason: 'Lapsed for 6–12 months: reactivation offer' }),
  },
  {
    id: 'at_risk_retention',
    when: `lifecycle AT_RISK, RFM At Risk, or churn risk ≥ ${NBA_CHURN_RISK}`,
    matches: (c) => c.lifecycle === 'AT_RISK' || c.rfmSegment === 'at_risk' || (c.churnRisk !== null && c.churnRisk >= NBA_CHURN_RISK),
    act: (c) => ({ action: 'retention_offer', channel: 'email', reason: `Slipping away (${c.lifecycle}, ${label(c.rfmSegment)}, churn risk ${pct(c.churnRisk)}): retention offer` }),
  },
  {
    id: 'champions_vip',
    when: 'RFM Champions',
    matches: (c) => c.rfmSegment === 'champions',
    act: (c) =>
      crossSell(c)
        ? { action: 'vip_early_access', channel: 'email', category: c.topCategory!, reason: `Champion: early access to ${c.topCategory} (propensity ${pct(c.topCategoryPropensity)}), no discount needed` }
        : { action: 'referral_request', channel: 'email', reason: 'Champion: ask for a review or a referral' },
  },
  {
    id: 'loyal_cross_sell',
    when: `RFM Loyal Customers or lifecycle LOYAL, with a category propensity ≥ ${NBA_CROSS_SELL_PROPENSITY}`,
    matches: (c) => (c.rfmSegment === 'loyal_customers' || c.lifecycle === 'LOYAL') && crossSell(c),
    act: (c) => ({ action: 'cross_sell', channel: 'email', category: c.topCategory!, reason: `Loyal customer likely to buy ${c.topCategory} (propensity ${pct(c.topCategoryPropensity)}): cross-sell it` }),
  },
  {
    id: 'loyal_reward',
    when: 'RFM Loyal Customers or lifecycle LOYAL',
    matches: (c) => c.rfmSegment === 'loyal_customers' || c.lifecycle === 'LOYAL',
    act: () => ({ action: 'loyalty_reward', channel: 'email', reason: 'Loyal customer: reward the loyalty (points, member perks)' }),
  },
  {
    id: 'growth_cross_sell',
    when: `any other purchasing customer with a category propensity ≥ ${NBA_CROSS_SELL_PROPENSITY}`,
    matches: (c) => crossSell(c),
    act: (c) => ({ action: 'cross_sell', channel: 'email', category: c.topCategory!, reason: `${label(c.rfmSegment)}: likely to buy ${c.topCategory} (propensity ${pct(c.topCategoryPropensity)})` }),
  },
  {
    id: 'nurture',
    when: 'everyone else',
    matches: () => true,
    act: (c) => ({ action: 'nurture_newsletter', channel: 'email', reason: `${label(c.rfmSegment)}, ${c.lifecycle}: no strong signal, keep them in the regular newsletter` }),
  },
];

export function nextBestAction(c: NextBestActionInput): NextBestAction {
  for (const rule of NBA_RULES) if (rule.matches(c)) return rule.act(c);
  // Unreachable: the last rule matches everything.
  throw new Error('no next-best-action rule matched');
}
