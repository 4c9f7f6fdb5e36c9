// Segments from the web side (API and pages): CRUD with the recompute started on save, preview, members, changes,
// and the per-tenant hourly schedule that recomputes rules which change with the clock.
import { randomUUID } from 'node:crypto';
import { ScheduleOverlapPolicy, type Client, type ScheduleOptions, type ScheduleOptionsStartWorkflowAction } from '@temporalio/client';
import { UserError } from '#core/errors.ts';
import { dependencies, type SegmentRule } from '#core/segments/index.ts';
import type { Db } from '#db/client.ts';
import {
  archiveSegment,
  createSegment,
  getSegment,
  listMembers,
  listSegments,
  previewSegment,
  recentChanges,
  segmentChanges,
  segmentLookup,
  type SegmentRow,
  updateSegment,
  validateRuleFor,
} from '#db/queries/segments.ts';
import { logger } from '#platform/logger.ts';
import { getTemporalClient } from '#platform/temporal.ts';
import { segmentRecomputeWorkflowId, segmentScheduleId, type RecomputeReason, type SegmentRecomputeInput } from '#workflows/segments/segments.contract.ts';
import type { segmentRecomputeWorkflow } from '#workflows/segments/segments.workflow.ts';
import { TenantIdKey } from '#workflows/shared/search-attributes.ts';
import { TASK_QUEUES } from '#workflows/shared/task-queues.ts';
import { getDb } from './db.server.ts';
import { withTemporal } from './sync-schedules.server.ts';
import { upsertSchedule } from './temporal-schedules.server.ts';

const WORKFLOW = 'segmentRecomputeWorkflow' satisfies (typeof segmentRecomputeWorkflow)['name'];

export interface SegmentDeps {
  db: Db;
  temporal: () => Promise<Client>;
  /** Where recomputes start (tests point it at their own worker). */
  taskQueue: string;
}

export const segmentDeps = (): SegmentDeps => ({ db: getDb(), temporal: getTemporalClient, taskQueue: TASK_QUEUES.journeys });

export interface SegmentView extends Omit<SegmentRow, 'tenantId'> {
  timeDependent: boolean;
}

function view(s: SegmentRow, rules: Map<string, SegmentRule>): SegmentView {
  const { tenantId: _t, ...rest } = s;
  return { ...rest, timeDependent: dependencies(s.definition, (id) => rules.get(id)).timeDependent };
}

const notFound = () => new UserError('not_found', 'No such segment.', 404);

export async function listSegmentViews(tenantId: string, status: 'active' | 'archived' | 'all' = 'active', deps = segmentDeps()): Promise<SegmentView[]> {
  const [rows, { rules }] = await Promise.all([listSegments(deps.db.$client, tenantId, { status }), segmentLookup(deps.db.$client, tenantId)]);
  return rows.map((s) => view(s, rules));
}

export async function getSegmentView(tenantId: string, id: string, deps = segmentDeps()): Promise<SegmentView> {
  const s = await getSegment(deps.db.$client, tenantId, id);
  if (!s) throw notFound();
  const { rules } = await segmentLookup(deps.db.$client, tenantId);
  return view(s, rules);
}

/**
 * Starts the recompute of the segment (and its dependents). Saving never fails on Temporal: the segment is stored,
 * and the next nightly (or hourly, for time-relative rules) recompute fills it if this start did not go through.
 */
export async function startRecompute(deps: SegmentDeps, tenantId: string, reason: RecomputeReason, segmentIds?: string[]): Promise<string | undefined> {
  const workflowId = segmentRecomputeWorkflowId(tenantId, `${reason}-${randomUUID()}`);
  try {
    await withTemporal(deps.temporal, (c) =>
      c.workflow.start<typeof segmentRecomputeWorkflow>(WORKFLOW, {
        workflowId,
        taskQueue: deps.taskQueue,
        args: [{ tenantId, reason, ...(segmentIds ? { segmentIds } : {}) }],
        typedSearchAttributes: [{ key: TenantIdKey, value: tenantId }],
      }),
    );
    return workflowId;
  } catch (err) {
    logger('segments').warn({ err, tenantId, segmentIds }, 'could not start the segment recompute; the next scheduled recompute will fill it');
    return undefined;
  }
}

export async function createSegmentFor(tenantId: string, input: { name: string; description?: string | null; definition: unknown }, deps = segmentDeps()): Promise<SegmentView> {
  const s = await createSegment(deps.db.$client, tenantId, input);
  await startRecompute(deps, tenantId, 'created', [s.id]);
  // The tenant's hourly schedule for time-relative rules; idempotent, so new tenants get it with their first segment.
  await withTemporal(deps.temporal, (c) => upsertSegmentSchedule(c, tenantId, deps.taskQueue)).catch((err: unknown) => logger('segments').warn({ err, tenantId }, 'could not upsert the hourly segment schedule'));
  return getSegmentView(tenantId, s.id, deps);
}

export async function updateSegmentFor(tenantId: string, id: string, patch: { name?: string; description?: string | null; definition?: unknown }, deps = segmentDeps()): Promise<SegmentView> {
  const s = await updateSegment(deps.db.$client, tenantId, id, patch);
  if (!s) throw notFound();
  if (patch.definition !== undefined && s.status === 'active') await startRecompute(deps, tenantId, 'updated', [s.id]);
  return getSegmentView(tenantId, id, deps);
}

export async function archiveSegmentFor(tenantId: string, id: string, deps = segmentDeps()): Promise<SegmentView> {
  const s = await archiveSegment(deps.db.$client, tenantId, id);
  if (!s) throw notFound();
  return getSegmentView(tenantId, id, deps);
}

export async function previewFor(tenantId: string, definition: unknown, deps = segmentDeps()) {
  const rule = await validateRuleFor(deps.db.$client, tenantId, definition);
  return previewSegment(deps.db.$client, tenantId, rule, new Date());
}

export async function membersFor(tenantId: string, id: string, o: { after?: string; limit: number }, deps = segmentDeps()) {
  if (!(await getSegment(deps.db.$client, tenantId, id))) throw notFound();
  return listMembers(deps.db.$client, tenantId, id, o);
}

export async function changesFor(tenantId: string, id: string, o: { days: number; bucket: 'day' | 'hour' }, deps = segmentDeps()) {
  if (!(await getSegment(deps.db.$client, tenantId, id))) throw notFound();
  const [buckets, recent] = await Promise.all([segmentChanges(deps.db.$client, tenantId, id, { ...o, now: new Date() }), recentChanges(deps.db.$client, tenantId, id)]);
  return { buckets, recent };
}

// ---------------------------------------------------------------- the hourly schedule

export function segmentScheduleOptions(tenantId: string, taskQueue: string = TASK_QUEUES.journeys): ScheduleOptions<ScheduleOptionsStartWorkflowAction<typeof segmentRecomputeWorkflow>> {
  const tenant = [{ key: TenantIdKey, value: tenantId }];
  const input: SegmentRecomputeInput = { tenantId, reason: 'schedule', timeDependentOnly: true };
  return {
    scheduleId: segmentScheduleId(tenantId),
    // At :17 past every hour, clear of the top of the hour.
    spec: { intervals: [{ every: '1 hour', offset: '17 minutes' }] },
    action: { type: 'startWorkflow', workflowType: WORKFLOW, workflowId: `segments:${tenantId}:hourly`, args: [input], taskQueue, typedSearchAttributes: tenant },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour' },
    typedSearchAttributes: tenant,
    state: { note: 'Hourly recompute of segments whose rules use relative time windows' },
  };
}

export async function upsertSegmentSchedule(client: Client, tenantId: string, taskQueue?: string): Promise<'created' | 'updated'> {
  return upsertSchedule(client, segmentScheduleOptions(tenantId, taskQueue));
}

export interface SegmentReconcileReport {
  checked: number;
  created: number;
  updated: number;
  failed: { tenantId: string; reason: string }[];
}

/** Every tenant gets its hourly segment schedule (created, or brought in line). Run on web start. */
export async function reconcileSegmentSchedules(deps: SegmentDeps = segmentDeps(), only: { tenantId?: string } = {}): Promise<SegmentReconcileReport> {
  const report: SegmentReconcileReport = { checked: 0, created: 0, updated: 0, failed: [] };
  const { rows } = await deps.db.$client.query<{ id: string }>(`select id from tenants where ($1::uuid is null or id = $1::uuid) order by created_at`, [only.tenantId ?? null]);
  for (const t of rows) {
    report.checked++;
    try {
      report[await withTemporal(deps.temporal, (c) => upsertSegmentSchedule(c, t.id, deps.taskQueue))]++;
    } catch (err) {
      report.failed.push({ tenantId: t.id, reason: (err as Error).message });
    }
  }
  return report;
}

// ---------------------------------------------------------------- the builder page's action (session, not API key)

/** The other segments a rule can reference, with their rules (for client-side cycle checks). */
export async function editorSegments(tenantId: string, deps = segmentDeps()) {
  return (await listSegments(deps.db.$client, tenantId, { status: 'active' })).map((s) => ({ id: s.id, name: s.name, definition: s.definition }));
}

export type EditorResult =
  | { preview: Awaited<ReturnType<typeof previewSegment>> }
  | { error: { code: string; message: string; details?: { path: string; message: string }[] } }
  | { saved: string };

/** Preview or save from the builder; user errors come back as data so the page shows them at their rows. */
export async function editorAction(tenantId: string, body: unknown, segmentId?: string, deps = segmentDeps()): Promise<EditorResult> {
  const b = (body ?? {}) as { intent?: string; name?: unknown; description?: unknown; definition?: unknown };
  try {
    if (b.intent === 'preview') return { preview: await previewFor(tenantId, b.definition, deps) };
    const name = typeof b.name === 'string' ? b.name.trim() : '';
    if (!name) throw new UserError('invalid_request', 'Give the segment a name.', 400, [{ path: 'name', message: 'Required' }]);
    const description = typeof b.description === 'string' && b.description.trim() ? b.description.trim().slice(0, 2000) : null;
    const saved = segmentId
      ? await updateSegmentFor(tenantId, segmentId, { name: name.slice(0, 200), description, definition: b.definition }, deps)
      : await createSegmentFor(tenantId, { name: name.slice(0, 200), description, definition: b.definition }, deps);
    return { saved: saved.id };
  } catch (err) {
    if (err instanceof UserError) return { error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) } };
    throw err;
  }
}

export async function archiveFromPage(tenantId: string, id: string, deps = segmentDeps()): Promise<{ error?: string; archived?: string }> {
  try {
    const s = await archiveSegmentFor(tenantId, id, deps);
    return { archived: s.name };
  } catch (err) {
    if (err instanceof UserError) return { error: err.message };
    throw err;
  }
}
