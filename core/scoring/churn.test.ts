import { describe, expect, it } from 'vitest';
import { cdnowTransactions } from '#tests/support/scoring.ts';
import { fitBgNbd, probabilityAlive, probabilityOfPurchase } from './bgnbd.ts';
import { churnWarning } from './churn.ts';
import type { LifecycleState } from './lifecycle.ts';
import { auc } from './propensity.ts';
import { summarize, toColumns } from './summaries.ts';

type Prev = Parameters<typeof churnWarning>[0];
const prev = (pAlive: number | null, state: LifecycleState | null, episodeOpen = false): Prev => ({ pAlive, state, episodeOpen });

describe('churnWarning: one alert per episode', () => {
  it.each([
    { name: 'P(alive) falls below the threshold from above → alert, episode opens', prev: prev(0.62, 'ACTIVE'), next: { pAlive: 0.41, state: 'ACTIVE' as const }, alert: true, open: true },
    { name: 'state jumps to AT_RISK while P(alive) is fine → alert', prev: prev(0.9, 'ACTIVE'), next: { pAlive: 0.8, state: 'AT_RISK' as const }, alert: true, open: true },
    { name: 'LOYAL → AT_RISK → alert', prev: prev(0.95, 'LOYAL'), next: { pAlive: 0.7, state: 'AT_RISK' as const }, alert: true, open: true },
    { name: 'still below the next night → no second alert', prev: prev(0.41, 'ACTIVE', true), next: { pAlive: 0.35, state: 'ACTIVE' as const }, alert: false, open: true },
    { name: 'below and now AT_RISK during an open episode → no second alert', prev: prev(0.41, 'ACTIVE', true), next: { pAlive: 0.3, state: 'AT_RISK' as const }, alert: false, open: true },
    { name: 'recovers (P(alive) ≥ threshold, not AT_RISK) → episode closes silently', prev: prev(0.3, 'AT_RISK', true), next: { pAlive: 0.7, state: 'ACTIVE' as const }, alert: false, open: false },
    { name: 'P(alive) back above but still AT_RISK → episode stays open', prev: prev(0.3, 'AT_RISK', true), next: { pAlive: 0.7, state: 'AT_RISK' as const }, alert: false, open: true },
    { name: 'exactly at the threshold is not below', prev: prev(0.6, 'ACTIVE'), next: { pAlive: 0.5, state: 'ACTIVE' as const }, alert: false, open: false },
    { name: 'first observation below the threshold sets a baseline, no alert', prev: prev(null, null), next: { pAlive: 0.2, state: 'DORMANT' as const }, alert: false, open: false },
    { name: 'first observation in AT_RISK sets a baseline, no alert', prev: prev(null, null), next: { pAlive: 0.6, state: 'AT_RISK' as const }, alert: false, open: false },
    { name: 'below since the baseline: no alert on later nights', prev: prev(0.2, 'DORMANT'), next: { pAlive: 0.19, state: 'DORMANT' as const }, alert: false, open: false },
    { name: 'AT_RISK → DORMANT outside an episode does not alert', prev: prev(0.7, 'AT_RISK'), next: { pAlive: 0.6, state: 'DORMANT' as const }, alert: false, open: false },
  ])('$name', ({ prev: p, next, alert, open }) => {
    const r = churnWarning(p, next, 0.5);
    expect(r.alert).toBe(alert);
    expect(r.episodeOpen).toBe(open);
    if (alert) expect(r.reason).toBeTruthy();
  });

  it('a full episode: alert once, stay quiet, recover, alert again on the next fall', () => {
    const nights: { pAlive: number; state: LifecycleState }[] = [
      { pAlive: 0.8, state: 'ACTIVE' },
      { pAlive: 0.45, state: 'ACTIVE' },
      { pAlive: 0.4, state: 'AT_RISK' },
      { pAlive: 0.3, state: 'AT_RISK' },
      { pAlive: 0.9, state: 'ACTIVE' },
      { pAlive: 0.49, state: 'ACTIVE' },
    ];
    let state: Prev = prev(null, null);
    const alerts: number[] = [];
    nights.forEach((n, i) => {
      const r = churnWarning(state, n, 0.5);
      if (r.alert) alerts.push(i);
      state = { pAlive: n.pAlive, state: n.state, episodeOpen: r.episodeOpen };
    });
    expect(alerts).toEqual([1, 5]);
  });
});

describe('churn back-test on CDNOW (calibration to week 39, holdout weeks 40–78)', () => {
  it('ranks holdout churners above returning customers', () => {
    const tx = cdnowTransactions();
    const calibration = summarize(tx, { observationEnd: '1997-09-30', unitDays: 7 });
    const returned = new Set(tx.filter((t) => t.date > '1997-09-30' && t.date <= '1998-06-30').map((t) => t.customerId));
    const fit = fitBgNbd(toColumns(calibration));
    expect(fit.converged).toBe(true);
    const churnAll: number[] = [];
    const horizonAll: number[] = [];
    const labelAll: number[] = [];
    const churnRepeat: number[] = [];
    const labelRepeat: number[] = [];
    for (const [id, c] of calibration) {
      const churn = 1 - probabilityAlive(fit.params, c.x, c.tx, c.T);
      const label = returned.has(id) ? 0 : 1;
      churnAll.push(churn);
      horizonAll.push(1 - probabilityOfPurchase(fit.params, 39, c.x, c.tx, c.T));
      labelAll.push(label);
      if (c.x > 0) {
        churnRepeat.push(churn);
        labelRepeat.push(label);
      }
    }
    const aucAll = auc(churnAll, labelAll);
    const aucRepeat = auc(churnRepeat, labelRepeat);
    const aucHorizon = auc(horizonAll, labelAll);
    console.log(
      `CDNOW churn back-test: ${labelAll.filter((l) => l === 1).length}/${labelAll.length} silent in weeks 40–78; ` +
        `AUC of 1 − P(alive): ${aucRepeat.toFixed(4)} over the ${labelRepeat.length} repeat customers, ${aucAll.toFixed(4)} over all ` +
        `(P(alive) = 1 for every one-time buyer by construction); AUC of 1 − P(purchase in the next 39 weeks): ${aucHorizon.toFixed(4)} over all`,
    );
    expect(labelAll.filter((l) => l === 1).length).toBe(1673);
    // P(alive) is informative among repeat buyers…
    expect(aucRepeat).toBeGreaterThan(0.65);
    // …but not across one-time buyers, whom BG/NBD deems alive: over everyone the horizon propensity is the ranking to use.
    expect(aucAll).toBeLessThan(0.5);
    expect(aucHorizon).toBeGreaterThan(0.72);
  });
});
