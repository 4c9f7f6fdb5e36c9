// The activation loop's contract: what wakes it and the activities it drives. Segments (membership refresh) and
// journeys (dispatch) implement the two activity groups; this file is all either side needs from the other.
import { WorkflowIdConflictPolicy } from '@temporalio/common';
import { defineQuery, defineSignal } from '@temporalio/workflow';
import { TenantIdKey } from '../shared/search-attributes.ts';
import { TASK_QUEUES } from '../shared/task-queues.ts';

export interface ActivationWorkflowInput {
  tenantId: string;
  status?: ActivationStatus;
  /** A signal arrived before continue-as-new and was not drained yet. */
  pending?: boolean;
  /** Continue-as-new after this many passes even if the server does not suggest it (default 500). */
  maxPassesPerRun?: number;
}

export interface ActivationStatus {
  passes: number;
  segmentEntries: number;
  segmentExits: number;
  eventsDispatched: number;
  segmentChangesDispatched: number;
  journeysStarted: number;
  journeysSignalled: number;
  lastPassAt?: string;
}

/** New data for the tenant: track events, orders, profile or score changes, segment edits. */
export const activationChangesSignal = defineSignal('changes');
export const activationStatusQuery = defineQuery<ActivationStatus>('status');
export const activationWorkflowId = (tenantId: string) => `activation:${tenantId}`;

/** Signal-with-start options that wake (or start) a tenant's activation workflow, for the web and activities alike. */
export const activationWakeOptions = (tenantId: string) => ({
  workflowId: activationWorkflowId(tenantId),
  taskQueue: TASK_QUEUES.journeys,
  args: [{ tenantId }] as [ActivationWorkflowInput],
  signal: activationChangesSignal,
  workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
  typedSearchAttributes: [{ key: TenantIdKey, value: tenantId }],
});

/** Every activity below works from durable cursors (activation_cursors), so its input is just the tenant and a budget. */
export interface ActivationStepInput {
  tenantId: string;
  /** Upper bound of rows (events, customers, changes) one call handles; `more` says whether it stopped at it. */
  limit: number;
}

export interface SegmentRefreshResult {
  customersChecked: number;
  entered: number;
  exited: number;
  /** True when the limit was reached and another call has work. */
  more: boolean;
}

/** Implemented by activities/segments (issue 6, segments). */
export interface SegmentActivationActivities {
  /**
   * Re-evaluates every active segment for the customers changed since the segments cursor (new track events,
   * orders, profile/golden-record changes, consent changes, score changes), writes membership rows and
   * segment_membership_events in the same transaction as the cursor.
   */
  refreshChangedCustomers(input: ActivationStepInput): Promise<SegmentRefreshResult>;
}

export interface DispatchResult {
  /** Feed rows read (events or membership changes). */
  read: number;
  /** Journey runs started (signal-with-start that created a run). */
  started: number;
  /** Signals delivered to running journey runs (waits, exit criteria, goals). */
  signalled: number;
  more: boolean;
}

/** Implemented by activities/journeys (issue 6, engine). */
export interface JourneyDispatchActivities {
  /** New track events since the events cursor → event entries, keyed waits, exit criteria and goals. */
  dispatchEvents(input: ActivationStepInput): Promise<DispatchResult>;
  /** New segment_membership_events since the segment-changes cursor → segment entries, waits, exits and goals. */
  dispatchSegmentChanges(input: ActivationStepInput): Promise<DispatchResult>;
}

export const ACTIVATION_BATCH = 2000;
