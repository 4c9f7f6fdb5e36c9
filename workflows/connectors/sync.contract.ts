// What callers (API, schedules, tests) need to run connector syncs, without importing workflow bodies.
import { defineQuery } from '@temporalio/workflow';
import type { ConnectionKind, SyncCounts, SyncProgress } from '#core/connectors/types.ts';

export type SyncTrigger = 'schedule' | 'manual' | 'webhook';

export interface SyncWorkflowInput {
  tenantId: string;
  connectionId: string;
  trigger?: SyncTrigger;
}

/** Input of a provider's sync workflow (child of connectionSyncWorkflow). `state` carries progress across continue-as-new. */
export interface ProviderSyncInput<State = unknown> {
  tenantId: string;
  connectionId: string;
  /** The sync_runs row this run reports into. */
  runId: string;
  state?: State;
}

export interface SyncStatus extends SyncProgress {
  counts: SyncCounts;
}

/** Answered by provider sync workflows: counts so far and backfill progress (windows done / total). */
export const syncStatusQuery = defineQuery<SyncStatus>('status');

/** The Temporal Schedule that runs a connection's sync. */
export const syncScheduleId = (connectionId: string) => `sync:${connectionId}`;
/**
 * Every run of a connection, scheduled or manual ("sync now"), is `connectionSyncWorkflow` under this one id.
 * Temporal keeps at most one open execution per workflow id, so a connection's runs are strictly serial: a
 * second trigger while one runs joins it instead of starting a parallel run.
 */
export const syncRunWorkflowId = (connectionId: string) => `sync:${connectionId}:run`;

/** What a schedule tick did: ran the connection's sync, or found one already running and joined it (no second run). */
export interface ScheduledSyncResult {
  workflowId: string;
  joined: boolean;
  counts?: SyncCounts;
}

/** The workflow type that syncs each kind of connection; `file` connections only receive uploads. */
export const providerSyncWorkflowType: Partial<Record<ConnectionKind, string>> = {
  vtex: 'vtexSyncWorkflow',
  mercadolibre: 'mercadolibreSyncWorkflow',
};

/** Failure types activities throw; workflows and the run history read them. */
export const FAILURE = {
  /** 401/403 from the provider: fix the credentials; never retried. */
  auth: 'AuthenticationFailed',
  /** 429: retried after the provider's Retry-After. */
  rateLimited: 'RateLimited',
  /** 5xx, timeouts, connection resets: retried with backoff. */
  unavailable: 'ProviderUnavailable',
  /** Another 4xx: the request itself is wrong; not retried. */
  rejected: 'ProviderRejected',
  /** The connection was deleted or paused while a run was in flight. */
  gone: 'ConnectionGone',
} as const;
