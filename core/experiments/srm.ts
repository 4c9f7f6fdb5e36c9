// Sample-ratio mismatch: did traffic split the way the weights say? A chi-square goodness-of-fit test
// (GrowthBook's check); below the threshold (0.001) results are not trusted and no decision is taken. Pure.
import { chiSquareSurvival } from './distributions.ts';

export const SRM_THRESHOLD = 0.001;

/** p-value of the observed units per variant against the expected weights; 1 when it cannot be tested. */
export function srmPValue(observed: readonly number[], weights: readonly number[]): number {
  if (observed.length !== weights.length) return 1;
  const live = observed.map((o, i) => ({ o, w: weights[i]! })).filter((v) => v.w > 0);
  if (live.length < 2) return 1;
  const total = live.reduce((a, v) => a + v.o, 0);
  if (total <= 0) return 1;
  const wSum = live.reduce((a, v) => a + v.w, 0);
  let x2 = 0;
  for (const v of live) {
    const expected = (total * v.w) / wSum;
    x2 += (v.o - expected) ** 2 / expected;
  }
  return chiSquareSurvival(x2, live.length - 1);
}
