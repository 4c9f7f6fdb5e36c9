// Churn early warning: one alert per episode (issue 5, "Churn"; analytics.md §4: churn = 1 − P(alive)).
import type { LifecycleState } from './lifecycle.ts';

/**
 * Early warning once per episode: fires when pAlive drops below the threshold from above (or the state enters
 * AT_RISK); the episode closes when the customer recovers (pAlive ≥ threshold and not AT_RISK).
 *
 * The first observation of a customer (no previous pAlive and state) only sets the baseline: a first scoring
 * run must not alert on every customer who is already below the threshold. A customer first seen below the
 * threshold still alerts later when the state enters AT_RISK.
 */
export function churnWarning(
  prev: { pAlive: number | null; state: LifecycleState | null; episodeOpen: boolean },
  next: { pAlive: number; state: LifecycleState },
  threshold: number,
): { alert: boolean; episodeOpen: boolean; reason?: string } {
  const below = next.pAlive < threshold;
  const atRisk = next.state === 'AT_RISK';
  if (prev.episodeOpen) {
    if (!below && !atRisk) return { alert: false, episodeOpen: false, reason: `recovered: P(alive) ${next.pAlive.toFixed(2)} ≥ ${threshold} and ${next.state}` };
    return { alert: false, episodeOpen: true };
  }
  const crossed = below && prev.pAlive !== null && prev.pAlive >= threshold;
  const entered = atRisk && prev.state !== null && prev.state !== 'AT_RISK';
  if (crossed) {
    return { alert: true, episodeOpen: true, reason: `P(alive) fell from ${prev.pAlive!.toFixed(2)} to ${next.pAlive.toFixed(2)} (below ${threshold})` };
  }
  if (entered) return { alert: true, episodeOpen: true, reason: `lifecycle moved from ${prev.state} to AT_RISK` };
  return { alert: false, episodeOpen: false };
}
