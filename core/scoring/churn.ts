// Churn early warning: one alert per episode (issue 5, "Churn").
import type { LifecycleState } from './lifecycle.ts';

/** Early warning once per episode: fires when pAlive drops below the threshold from above (or the state enters
 *  AT_RISK); the episode closes when the customer recovers (pAlive ≥ threshold and not AT_RISK). */
export function churnWarning(
  _prev: { pAlive: number | null; state: LifecycleState | null; episodeOpen: boolean },
  _next: { pAlive: number; state: LifecycleState },
  _threshold: number,
): { alert: boolean; episodeOpen: boolean; reason?: string } {
  throw new Error('not implemented');
}
