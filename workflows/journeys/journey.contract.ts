// What callers (dispatcher, API, batch entry) need to talk to per-customer journey runs without importing their body.
import { defineQuery, defineSignal } from '@temporalio/workflow';

/**
 * One workflow per customer per journey entry key. Reusing the id after the run ends lets re-entry rules decide;
 * signal-with-start on a running id delivers to the running run instead of entering twice.
 */
export const journeyWorkflowId = (tenantId: string, journeyId: string, customerId: string, entryKey = '') =>
  `journey:${tenantId}:${journeyId}:${customerId}${entryKey ? `:${entryKey}` : ''}`;

export interface JourneyRunInput {
  tenantId: string;
  journeyId: string;
  /** Pinned at entry: the run finishes on this version whatever is published later. */
  version: number;
  customerId: string;
  /** Correlation key value (cart id) for keyed entries. */
  entryKey?: string;
  /** What started it (event name, properties and message id; segment id and seq; API request; date occurrence). */
  trigger: JourneyTrigger;
  /** Carried across continue-as-new: where to resume and what already happened. */
  resume?: Record<string, unknown>;
}

export type JourneyTrigger =
  | { kind: 'event'; event: string; messageId: string; properties: Record<string, unknown>; at: string }
  | { kind: 'segment_entered'; segmentId: string; seq: number; at: string }
  | { kind: 'date'; occurrence: string; at: string }
  | { kind: 'api'; requestId: string; at: string; properties?: Record<string, unknown> }
  | { kind: 'batch'; batchId: string; at: string };

/** A track event for this customer that a running journey may be waiting for (waits, exit criteria, goals). */
export interface JourneyEventSignal {
  messageId: string;
  event: string;
  properties: Record<string, unknown>;
  at: string;
}
export const journeyEventSignal = defineSignal<[JourneyEventSignal]>('journeyEvent');

/** The customer entered or left a segment the journey refers to. */
export interface JourneySegmentSignal {
  segmentId: string;
  change: 'entered' | 'exited';
  seq: number;
  at: string;
}
export const journeySegmentSignal = defineSignal<[JourneySegmentSignal]>('journeySegment');

/** Journey paused / resumed / archived by the marketer: held sends wait while paused. */
export const journeyControlSignal = defineSignal<[{ status: 'active' | 'paused' | 'archived' }]>('journeyControl');

export interface JourneyRunState {
  nodeId: string | null;
  status: 'running' | 'completed' | 'exited';
  steps: number;
  waitingFor?: string;
}
export const journeyStateQuery = defineQuery<JourneyRunState>('state');

/** Fan-out of many customers into a journey (segment backfill on publish, API bulk entry) at a controlled rate. */
export interface JourneyBatchEntryInput {
  tenantId: string;
  journeyId: string;
  /** Enter every current member of this segment (keyset-paged by customer id). */
  segmentId?: string;
  /** Or these customers. */
  customerIds?: string[];
  /** Starts per second (default 200). */
  ratePerSecond?: number;
  batchId: string;
  /** Carried across continue-as-new. */
  after?: string;
  progress?: { done: number; total: number };
}
export const journeyBatchProgressQuery = defineQuery<{ done: number; total: number }>('progress');
export const journeyBatchWorkflowId = (tenantId: string, journeyId: string, batchId: string) => `journey-batch:${tenantId}:${journeyId}:${batchId}`;

/** Fan-out of a pause / resume / archive to a journey's running customers. */
export interface JourneyControlInput {
  tenantId: string;
  journeyId: string;
  status: 'active' | 'paused' | 'archived';
  after?: string;
  signalled?: number;
}
/** One per journey: the latest transition replaces a running fan-out (runs re-read the status before sends anyway). */
export const journeyControlWorkflowId = (tenantId: string, journeyId: string) => `journey-control:${tenantId}:${journeyId}`;
