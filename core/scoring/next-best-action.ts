// Next best action: a documented rules table over the scores, first match wins.
import type { LifecycleState } from './lifecycle.ts';
import type { RfmSegment } from './rfm.ts';

export interface NextBestAction {
  action: string;
  channel?: string;
  reason: string;
  category?: string;
}

export function nextBestAction(_c: {
  rfmSegment: RfmSegment | null;
  lifecycle: LifecycleState;
  pAlive: number | null;
  churnRisk: number | null;
  topCategory: string | null;
  topCategoryPropensity: number | null;
}): NextBestAction {
  throw new Error('not implemented');
}
