// The Temporal Schedule behind each syncable connection: created with it, following its interval and pause state,
// deleted with it, and recreated by `reconcileSchedules` if Temporal lost it (e.g. a dev server without persistence).
import { createHash } from 'node:crypto';
import {
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleDescription,
  type ScheduleOptions,
  type ScheduleOptionsStartWorkflowAction,
} from '@temporalio/client';
import type { ConnectionScheduleView } from '#core/api/connections.ts';
import type { ConnectionKind, ConnectionStatus } from '#core/connectors/types.ts';
import { UserError } from '#core/errors.ts';
import { env } from '#platform/env.ts';
import { providerSyncWorkflowType, syncScheduleId, type SyncWorkflowInput } from '#workflows/connectors/sync.contract.ts';
import type { scheduledSyncWorkflow } from '#workflows/connectors/sync.workflow.ts';
import { TenantIdKey } from '#workflows/shared/search-attributes.ts';
import { TASK_QUEUES } from '#workflows/shared/task-queues.ts';
import { deleteSchedule, upsertSchedule } from './temporal-schedules.server.ts';

export interface ScheduledConnection {
  id: string;
  tenantId: string;
  kind: ConnectionKind;
  status: ConnectionStatus;
  syncIntervalMinutes: number;
}

/** VTEX and MercadoLibre sync on a schedule; file connections only receive uploads. */
export const isSyncable = (kind: ConnectionKind) => providerSyncWorkflowType[kind] !== undefined;

/** The schedule's action; it runs the connection's sync under the one run id "sync now" uses too (serial runs). */
const SYNC_WORKFLOW = 'scheduledSyncWorkflow' satisfies (typeof scheduledSyncWorkflow)['name'];
/** Schedule calls answer quickly or not at all: the API must not hang for the SDK's long default retries. */
const RPC_DEADLINE_MS = 10_000;

// gRPC status codes that mean "Temporal is not there right now" rather than "the request was wrong".
const UNAVAILABLE_CODES = new Set([4 /* DEADLINE_EXCEEDED */, 14 /* UNAVAILABLE */]);

export function isTemporalUnavailable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'number' && UNAVAILABLE_CODES.has(code)) return true;
    if (e instanceof Error && /Failed to connect|connection (refused|reset)|ECONNREFUSED|TransportError/i.test(`${e.name} ${e.message}`)) return true;
  }
  return false;
}

/** Runs a Temporal call with a deadline; "Temporal is down" becomes a 503 the API and UI can show. */
export async function withTemporal<T>(client: Client | (() => Promise<Client>), fn: (client: Client) => Promise<T>): Promise<T> {
  try {
    const c = typeof client === 'function' ? await client() : client;
    return await c.connection.withDeadline(Date.now() + RPC_DEADLINE_MS, () => fn(c));
  } catch (err) {
    if (isTemporalUnavailable(err))
      throw new UserError('unavailable', 'Temporal is not reachable right now, so nothing was changed. Try again in a minute; if it persists, check that Temporal and the worker are running.', 503);
    throw err;
  }
}

/** Spreads connections over the interval (a stable offset per connection) so they do not all call out at :00. */
function offsetSeconds(connectionId: string, intervalMinutes: number): number {
  return createHash('sha256').update(connectionId).digest().readUInt32BE(0) % (intervalMinutes * 60);
}

export function syncScheduleOptions(c: ScheduledConnection, taskQueue: string = TASK_QUEUES.connectors): ScheduleOptions<ScheduleOptionsStartWorkflowAction<typeof scheduledSyncWorkflow>> {
  const input: SyncWorkflowInput = { tenantId: c.tenantId, connectionId: c.id, trigger: 'schedule' };
  const tenant = [{ key: TenantIdKey, value: c.tenantId }];
  return {
    scheduleId: syncScheduleId(c.id),
    spec: { intervals: [{ every: `${c.syncIntervalMinutes}m`, offset: `${offsetSeconds(c.id, c.syncIntervalMinutes)}s` }] },
    action: {
      type: 'startWorkflow',
      workflowType: SYNC_WORKFLOW,
      // Temporal appends the scheduled time to this id.
      workflowId: `sync:${c.id}:schedule`,
      args: [input],
      taskQueue,
      typedSearchAttributes: tenant,
    },
    // A tick still running when the next is due: skip, never queue or overlap (a manual run in flight is joined by
    // the tick itself, see scheduledSyncWorkflow). After an outage, one catch-up run at most.
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: `${c.syncIntervalMinutes}m` },
    typedSearchAttributes: tenant,
    state: { paused: c.status === 'paused', note: c.status === 'paused' ? 'Connection paused in the CDP' : 'Connection active in the CDP' },
  };
}

/** Creates the schedule, or (ScheduleAlreadyRunning) brings the existing one in line with the connection. */
export async function upsertSyncSchedule(client: Client, c: ScheduledConnection, taskQueue?: string): Promise<'created' | 'updated'> {
  return upsertSchedule(client, syncScheduleOptions(c, taskQueue));
}

/** Deletes the schedule; one that is already gone is fine. */
export async function deleteSyncSchedule(client: Client, connectionId: string): Promise<void> {
  await deleteSchedule(client, syncScheduleId(connectionId));
}

export async function describeSyncSchedule(client: Client, connectionId: string): Promise<ScheduleDescription | undefined> {
  try {
    return await client.schedule.getHandle(syncScheduleId(connectionId)).describe();
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) return undefined;
    throw err;
  }
}

export const scheduleUiUrl = (connectionId: string) =>
  `${env().temporalUiUrl}/namespaces/${env().TEMPORAL_NAMESPACE}/schedules/${encodeURIComponent(syncScheduleId(connectionId))}`;

/** What the API and UI show of a schedule; Temporal being down is `unknown`, not an error. */
export async function scheduleView(client: () => Promise<Client>, connectionId: string): Promise<ConnectionScheduleView> {
  const base = { id: syncScheduleId(connectionId), temporalUiUrl: scheduleUiUrl(connectionId) };
  try {
    const d = await withTemporal(client, (c) => describeSyncSchedule(c, connectionId));
    if (!d) return { ...base, state: 'missing', nextRunAt: [] };
    return { ...base, state: d.state.paused ? 'paused' : 'active', nextRunAt: d.state.paused ? [] : d.info.nextActionTimes.slice(0, 3).map((t) => t.toISOString()) };
  } catch {
    return { ...base, state: 'unknown', nextRunAt: [] };
  }
}

/** Does the existing schedule already do what the connection says? */
function matches(d: ScheduleDescription, c: ScheduledConnection, taskQueue: string): boolean {
  const interval = d.spec.intervals?.[0];
  const action = d.action;
  return (
    d.state.paused === (c.status === 'paused') &&
    (d.spec.intervals?.length ?? 0) === 1 &&
    Number(interval?.every) === c.syncIntervalMinutes * 60_000 &&
    action.type === 'startWorkflow' &&
    action.workflowType === SYNC_WORKFLOW &&
    action.taskQueue === taskQueue
  );
}

export interface ReconcileReport {
  checked: number;
  created: number;
  updated: number;
  unchanged: number;
  failed: { connectionId: string; reason: string }[];
}

/**
 * Makes Temporal's schedules match the connections table: creates missing ones, fixes drifted ones (interval,
 * pause state, task queue). Idempotent; run on web start and by `npm run cdp -- reconcile-schedules`.
 */
export async function reconcileSyncSchedules(client: Client, connections: ScheduledConnection[], taskQueue: string = TASK_QUEUES.connectors): Promise<ReconcileReport> {
  const report: ReconcileReport = { checked: 0, created: 0, updated: 0, unchanged: 0, failed: [] };
  for (const c of connections) {
    if (!isSyncable(c.kind)) continue;
    report.checked++;
    try {
      await withTemporal(client, async (t) => {
        const d = await describeSyncSchedule(t, c.id);
        if (d && matches(d, c, taskQueue)) report.unchanged++;
        else report[await upsertSyncSchedule(t, c, taskQueue)]++;
      });
    } catch (err) {
      report.failed.push({ connectionId: c.id, reason: (err as Error).message });
    }
  }
  return report;
}
