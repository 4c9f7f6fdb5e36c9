// Nightly scoring from the web side: the per-tenant Temporal Schedule (02:00 in the tenant's time zone by default),
// its reconciliation on web start, and "run now" for the API and the Analytics page.
import { randomUUID } from 'node:crypto';
import { ScheduleOverlapPolicy, type Client, type ScheduleOptions, type ScheduleOptionsStartWorkflowAction } from '@temporalio/client';
import { readScoringSettings } from '#core/scoring/settings.ts';
import type { Db } from '#db/client.ts';
import { beginScoringRun } from '#db/queries/scoring.ts';
import { getTemporalClient } from '#platform/temporal.ts';
import { manualScoringWorkflowId, scoringScheduleId, type NightlyScoringInput } from '#workflows/scoring/scoring.contract.ts';
import type { nightlyScoringWorkflow } from '#workflows/scoring/scoring.workflow.ts';
import { TenantIdKey } from '#workflows/shared/search-attributes.ts';
import { TASK_QUEUES } from '#workflows/shared/task-queues.ts';
import { getDb } from './db.server.ts';
import { withTemporal } from './sync-schedules.server.ts';
import { deleteSchedule, upsertSchedule } from './temporal-schedules.server.ts';

const WORKFLOW = 'nightlyScoringWorkflow' satisfies (typeof nightlyScoringWorkflow)['name'];

export interface ScoringDeps {
  db: Db;
  temporal: () => Promise<Client>;
  /** Where runs start (tests point it at their own worker). */
  taskQueue: string;
}

export const scoringDeps = (): ScoringDeps => ({ db: getDb(), temporal: getTemporalClient, taskQueue: TASK_QUEUES.scoring });

export interface ScheduledTenant {
  id: string;
  timezone: string;
  settings: Record<string, unknown> | null;
}

export function scoringScheduleOptions(t: ScheduledTenant, taskQueue: string = TASK_QUEUES.scoring): ScheduleOptions<ScheduleOptionsStartWorkflowAction<typeof nightlyScoringWorkflow>> {
  const s = readScoringSettings(t.settings?.scoring);
  const [hour, minute] = s.scheduleTime.split(':').map(Number) as [number, number];
  const tenant = [{ key: TenantIdKey, value: t.id }];
  const input: NightlyScoringInput = { tenantId: t.id, trigger: 'schedule' };
  return {
    scheduleId: scoringScheduleId(t.id),
    spec: { calendars: [{ hour, minute }], timezone: t.timezone || 'America/Argentina/Buenos_Aires' },
    action: {
      type: 'startWorkflow',
      workflowType: WORKFLOW,
      // Temporal appends the scheduled time to this id.
      workflowId: `scoring:${t.id}:nightly`,
      args: [input],
      taskQueue,
      typedSearchAttributes: tenant,
    },
    // A run still going at the next 02:00 is not doubled; after an outage, yesterday's run is caught up, no older.
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
    typedSearchAttributes: tenant,
    state: { paused: !s.scheduleEnabled, note: s.scheduleEnabled ? `Nightly scoring at ${s.scheduleTime} ${t.timezone}` : 'Nightly scoring switched off in the tenant settings' },
  };
}

/** Creates the tenant's schedule or, if it exists (ScheduleAlreadyRunning), brings it in line with the settings. */
export async function upsertScoringSchedule(client: Client, t: ScheduledTenant, taskQueue?: string): Promise<'created' | 'updated'> {
  return upsertSchedule(client, scoringScheduleOptions(t, taskQueue));
}

export async function deleteScoringSchedule(client: Client, tenantId: string): Promise<void> {
  await deleteSchedule(client, scoringScheduleId(tenantId));
}

export interface ScoringReconcileReport {
  checked: number;
  created: number;
  updated: number;
  failed: { tenantId: string; reason: string }[];
}

/** Every tenant gets its nightly schedule (created, or updated to the current settings). Run on web start. */
export async function reconcileScoringSchedules(deps: ScoringDeps = scoringDeps(), only: { tenantId?: string } = {}): Promise<ScoringReconcileReport> {
  const report: ScoringReconcileReport = { checked: 0, created: 0, updated: 0, failed: [] };
  const { rows } = await deps.db.$client.query<ScheduledTenant>(
    `select id, timezone, settings from tenants where ($1::uuid is null or id = $1::uuid) order by created_at`,
    [only.tenantId ?? null],
  );
  for (const t of rows) {
    report.checked++;
    try {
      report[await withTemporal(deps.temporal, (c) => upsertScoringSchedule(c, t, deps.taskQueue))]++;
    } catch (err) {
      report.failed.push({ tenantId: t.id, reason: (err as Error).message });
    }
  }
  return report;
}

/** "Run now": starts a run (optionally back-dated) and answers with its ids at once; the run continues in Temporal. */
export async function startScoringRun(deps: ScoringDeps, tenantId: string, o: { asOf?: string } = {}): Promise<{ runId: string; workflowId: string }> {
  const runId = randomUUID();
  const workflowId = manualScoringWorkflowId(tenantId, runId);
  const asOf = o.asOf ?? new Date().toISOString();
  const handle = await withTemporal(deps.temporal, (c) =>
    c.workflow.start<typeof nightlyScoringWorkflow>(WORKFLOW, {
      workflowId,
      taskQueue: deps.taskQueue,
      args: [{ tenantId, runId, asOf, trigger: 'manual' }],
      typedSearchAttributes: [{ key: TenantIdKey, value: tenantId }],
    }),
  );
  // The run is listed at once (the workflow's first step finds this row and keeps it).
  await beginScoringRun(deps.db.$client, { id: runId, tenantId, trigger: 'manual', workflowId, workflowRunId: handle.firstExecutionRunId, asOf, parameters: {} });
  return { runId, workflowId };
}
