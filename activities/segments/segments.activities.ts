// Segment membership writes as activities: the activation loop's incremental refresh and the full recompute
// (after a segment is saved, after nightly scoring, hourly for time-relative rules).
import { Context } from '@temporalio/activity';
import type { Db } from '#db/client.ts';
import { recomputeSegments, refreshChangedCustomers } from '#db/queries/segments.ts';
import type { ActivationStepInput, SegmentActivationActivities, SegmentRefreshResult } from '#workflows/activation/activation.contract.ts';
import type { RecomputeSegmentsInput, RecomputeSegmentsResult } from '#workflows/segments/segments.contract.ts';

export interface SegmentDeps {
  db: Db;
}

/** Heartbeats while a long statement runs, so a whole-tenant recompute is alive, not timed out. */
async function withHeartbeat<T>(fn: () => Promise<T>): Promise<T> {
  let ctx: Context | undefined;
  try {
    ctx = Context.current();
  } catch {
    // called outside an activity (tests, scripts)
  }
  const timer = ctx ? setInterval(() => ctx.heartbeat(), 5_000) : undefined;
  try {
    return await fn();
  } finally {
    if (timer) clearInterval(timer);
  }
}

export function createSegmentActivities({ db }: SegmentDeps) {
  const activation: SegmentActivationActivities = {
    async refreshChangedCustomers(input: ActivationStepInput): Promise<SegmentRefreshResult> {
      const r = await withHeartbeat(() => refreshChangedCustomers(db, input.tenantId, input.limit, new Date()));
      return { customersChecked: r.customersChecked, entered: r.entered, exited: r.exited, more: r.more };
    },
  };
  return {
    ...activation,
    /** Full recompute of the tenant's active segments (or the given ones and their dependents), one transaction. */
    async recomputeSegments(input: RecomputeSegmentsInput): Promise<RecomputeSegmentsResult> {
      const r = await withHeartbeat(() =>
        recomputeSegments(db, input.tenantId, new Date(), { ...(input.segmentIds ? { segmentIds: input.segmentIds } : {}), timeDependentOnly: input.timeDependentOnly ?? false }),
      );
      return { entered: r.entered, exited: r.exited, segments: r.segments.length };
    },
  };
}

export type SegmentActivities = ReturnType<typeof createSegmentActivities>;
