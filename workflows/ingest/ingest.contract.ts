// What callers need to talk to the ingest workflow, without importing its body.
import { defineQuery, defineSignal } from '@temporalio/workflow';

export interface IngestStatus {
  /** Drain passes since the workflow first started (carried across continue-as-new). */
  passes: number;
  profilesResolved: number;
  identifyEventsFolded: number;
  customersCreated: number;
  lastPassAt?: string;
}

export interface IngestWorkflowInput {
  tenantId: string;
  status?: IngestStatus;
  /** A signal arrived before continue-as-new and was not drained yet. */
  pending?: boolean;
  /** Continue-as-new after this many passes even if the server does not suggest it (default 500). */
  maxPassesPerRun?: number;
}

/** New profiles or identify events were written for this tenant. */
export const newDataSignal = defineSignal('newData');
export const ingestStatusQuery = defineQuery<IngestStatus>('status');

export const ingestWorkflowId = (tenantId: string) => `ingest:${tenantId}`;

/** Rows per activity call: big enough to amortise round trips, small enough for a short transaction. */
export const INGEST_BATCH = 2000;
