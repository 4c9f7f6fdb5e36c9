// What starts a segment recompute and what it reports; shared by the API, the schedules and nightly scoring.

export type RecomputeReason = 'created' | 'updated' | 'scoring' | 'schedule' | 'manual';

export interface SegmentRecomputeInput {
  tenantId: string;
  /** Only these (and the active segments that reference them); default every active segment. */
  segmentIds?: string[];
  reason: RecomputeReason;
  /** The hourly schedule: only rules that change with the clock (relative windows). */
  timeDependentOnly?: boolean;
}

export interface RecomputeSegmentsInput {
  tenantId: string;
  segmentIds?: string[];
  timeDependentOnly?: boolean;
}

export interface RecomputeSegmentsResult {
  entered: number;
  exited: number;
  segments: number;
}

export const segmentRecomputeWorkflowId = (tenantId: string, key: string) => `segments:${tenantId}:recompute:${key}`;
/** The hourly recompute of time-relative segments, one Temporal Schedule per tenant. */
export const segmentScheduleId = (tenantId: string) => `segments:${tenantId}:hourly`;
