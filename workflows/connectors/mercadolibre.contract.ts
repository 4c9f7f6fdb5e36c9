// What callers (the webhook route, tests) need to talk to the MercadoLibre workflows, without their bodies.
import { defineSignal } from '@temporalio/workflow';
import type { SyncCounts, SyncProgress } from '#core/connectors/types.ts';

/** Carried across continue-as-new by mercadolibreSyncWorkflow. */
export interface MercadoLibreSyncState {
  counts: SyncCounts;
  progress: SyncProgress;
  /** Orders (the plan's windows), then notifications ML failed to deliver, then the inbox. */
  phase: 'orders' | 'missed-feeds' | 'inbox';
  planned: boolean;
}

export interface MercadoLibreInboxInput {
  tenantId: string;
  connectionId: string;
  /** Carried across continue-as-new. */
  state?: { counts: SyncCounts; missedFeedsPulled: boolean; pending: boolean };
}

/** New notifications are waiting in the connection's inbox. */
export const inboxSignal = defineSignal('inbox');

/** One inbox drain per connection: signal-with-start joins the running one. */
export const mercadolibreInboxWorkflowId = (connectionId: string) => `mercadolibre-inbox:${connectionId}`;
