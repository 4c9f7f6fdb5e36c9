// Journeys for the API and the canvas pages: CRUD, draft validation, publish (and the batch entry of current segment
// members), status transitions and analytics. Errors with journey-specific codes are JourneyApiError.
import { WorkflowIdConflictPolicy } from '@temporalio/client';
import type { CreateJourneyRequest, JourneyAnalytics, JourneyDetail, JourneySummary, PatchJourneyRequest } from '#core/api/journeys.ts';
import { UserError } from '#core/errors.ts';
import { autoLayout, entryOf, journeyDefinition, type JourneyError, validateJourney } from '#core/journeys/index.ts';
import { JOURNEY_RECIPES, journeyRecipe } from '#core/journeys/starter-messages.ts';
import { LAYOUT_GAPS } from '#app/components/journeys/canvas-ops.ts';
import { inTransaction } from '#db/queries/connections.ts';
import {
  createJourney,
  deleteDraftJourney,
  ensureRecipeResources,
  freeJourneyName,
  getJourney,
  getJourneyVersion,
  journeyAnalytics,
  journeyPickerOptions,
  journeyStats,
  journeyValidationContext,
  listJourneys,
  listJourneyVersions,
  publishJourney,
  transitionJourney,
  updateJourney,
  type JourneyAction,
  type JourneyListRow,
  type JourneyRow,
  type PickerOptions,
} from '#db/queries/journeys.ts';
import { getTemporalClient } from '#platform/temporal.ts';
import { logger } from '#platform/logger.ts';
import { type JourneyBatchEntryInput, journeyBatchWorkflowId, type JourneyControlInput, journeyControlWorkflowId } from '#workflows/journeys/journey.contract.ts';
import { TenantIdKey } from '#workflows/shared/search-attributes.ts';
import { TASK_QUEUES } from '#workflows/shared/task-queues.ts';
import { getDb } from './db.server.ts';
import { apiHandler, json, readJson } from './http.server.ts';
import { upsertJourneyDateSchedule } from './journey-dates.server.ts';

/** A journey error whose code is not one of the generic ones: `journey_invalid` (422), `invalid_transition` (409). */
export class JourneyApiError extends Error {
  constructor(
    readonly code: 'journey_invalid' | 'invalid_transition',
    message: string,
    readonly status: number,
    readonly details?: unknown[],
  ) {
    super(message);
  }
  toResponse(): Response {
    return json({ error: { code: this.code, message: this.message, ...(this.details?.length ? { details: this.details } : {}) } }, { status: this.status });
  }
}

/** JSON with sorted keys: jsonb does not keep key order, so compare definitions this way. */
const canonical = (v: unknown): string =>
  JSON.stringify(v, (_k, x: unknown) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : x));

const notFound = () => new UserError('not_found', 'No such journey in this workspace.', 404);
const iso = (d: Date | string) => (d instanceof Date ? d.toISOString() : new Date(d).toISOString());

function summaryOf(j: JourneyListRow): JourneySummary {
  return { ...j, createdAt: iso(j.createdAt), updatedAt: iso(j.updatedAt) } as JourneySummary;
}

async function detailOf(j: JourneyRow): Promise<JourneyDetail> {
  const db = getDb();
  const [ctx, stats, versions] = await Promise.all([journeyValidationContext(db.$client, j.tenantId), journeyStats(db.$client, j.id), listJourneyVersions(db.$client, j.tenantId, j.id)]);
  const v = validateJourney(j.draft, ctx);
  const latest = versions[0];
  const entry = v.definition ? entryOf(v.definition) : undefined;
  return {
    id: j.id,
    name: j.name,
    description: j.description,
    status: j.status,
    latestVersion: j.latestVersion,
    templateKey: j.templateKey,
    entryKind: entry?.trigger.kind ?? null,
    stats,
    createdAt: iso(j.createdAt),
    updatedAt: iso(j.updatedAt),
    draft: j.draft,
    draftLayout: j.draftLayout,
    validation: { ok: v.ok, errors: v.errors },
    unpublishedChanges: !latest || !v.definition || canonical(latest.definition) !== canonical(v.definition),
    versions: versions.map((x) => ({ version: x.version, publishedAt: iso(x.publishedAt) })),
  };
}

async function load(tenantId: string, id: string): Promise<JourneyRow> {
  const j = await getJourney(getDb().$client, tenantId, id);
  if (!j) throw notFound();
  return j;
}

function nameTaken(err: unknown): never {
  const e = err as { code?: string; constraint?: string };
  if (e.code === '23505' && e.constraint === 'journeys_tenant_name_uq') throw new UserError('conflict', 'Another journey of this workspace has that name.', 409, [{ path: 'name', message: 'already used' }]);
  throw err;
}

export async function listJourneysFor(tenantId: string): Promise<JourneySummary[]> {
  return (await listJourneys(getDb().$client, tenantId)).map(summaryOf);
}

export async function getJourneyFor(tenantId: string, id: string): Promise<JourneyDetail> {
  return detailOf(await load(tenantId, id));
}

export const journeyTemplates = () => JOURNEY_RECIPES.map((r) => ({ id: r.id, name: r.name, description: r.description, messages: [...r.messages], segments: [...r.segments] }));

/** A blank journey starts with an API entry wired to an exit, so the canvas is never empty. */
export function blankDefinition() {
  return journeyDefinition.parse({
    nodes: [
      { id: 'entry', type: 'entry', trigger: { kind: 'api' }, next: 'exit' },
      { id: 'exit', type: 'exit' },
    ],
  });
}

export async function createJourneyFor(tenantId: string, input: CreateJourneyRequest): Promise<JourneyDetail> {
  const row = await inTransaction(getDb(), async (tx) => {
    if (input.template) {
      const recipe = journeyRecipe(input.template);
      if (!recipe) throw new UserError('invalid_request', `Unknown journey template "${input.template}".`, 400, [{ path: 'template', message: `one of ${JOURNEY_RECIPES.map((r) => r.id).join(', ')}` }]);
      const { templates, segments } = await ensureRecipeResources(tx, tenantId, recipe);
      const def = recipe.build(templates, segments);
      return createJourney(tx, tenantId, { name: input.name, description: input.description ?? recipe.description, draft: def, layout: input.layout ?? autoLayout(def, LAYOUT_GAPS), templateKey: recipe.id });
    }
    const draft = input.definition === undefined ? blankDefinition() : input.definition;
    const parsed = journeyDefinition.safeParse(draft);
    const layout = input.layout ?? (parsed.success ? autoLayout(parsed.data, LAYOUT_GAPS) : {});
    return createJourney(tx, tenantId, { name: input.name, description: input.description ?? null, draft, layout });
  }).catch(nameTaken);
  return detailOf(row);
}

export async function patchJourneyFor(tenantId: string, id: string, patch: PatchJourneyRequest): Promise<JourneyDetail> {
  const j = await load(tenantId, id);
  if (j.status === 'archived' && (patch.definition !== undefined || patch.layout !== undefined)) throw new JourneyApiError('invalid_transition', 'An archived journey cannot be edited; duplicate it instead.', 409);
  const row = await updateJourney(getDb().$client, tenantId, id, { name: patch.name, description: patch.description, draft: patch.definition, layout: patch.layout }).catch(nameTaken);
  if (!row) throw notFound();
  return detailOf(row);
}

export async function validateJourneyFor(tenantId: string, id: string): Promise<{ ok: boolean; errors: JourneyError[] }> {
  const j = await load(tenantId, id);
  const v = validateJourney(j.draft, await journeyValidationContext(getDb().$client, tenantId));
  return { ok: v.ok, errors: v.errors };
}

export interface PublishResult {
  journey: JourneyDetail;
  version: number;
  created: boolean;
  batch: { workflowId: string; batchId: string } | null;
}

/**
 * Publishes the draft (valid only: 422 `journey_invalid` with the node-located errors). With `enterCurrentMembers` on
 * a segment-entry journey, also starts the batch entry of the segment's current members (idempotent per version:
 * repeating the publish joins the same batch).
 */
export async function publishJourneyFor(tenantId: string, id: string, opts: { enterCurrentMembers?: boolean; publishedBy?: string | null }): Promise<PublishResult> {
  const out = await inTransaction(getDb(), (tx) => publishJourney(tx, tenantId, id, opts.publishedBy ?? null));
  if (out.kind === 'missing') throw notFound();
  if (out.kind === 'archived') throw new JourneyApiError('invalid_transition', 'An archived journey cannot be published; duplicate it instead.', 409);
  if (out.kind === 'invalid') throw new JourneyApiError('journey_invalid', `The journey has ${out.errors.length} problem(s); fix them and publish again.`, 422, out.errors);
  let batch: PublishResult['batch'] = null;
  if (opts.enterCurrentMembers) {
    const entry = entryOf(out.definition);
    if (entry?.trigger.kind !== 'segment_entered')
      throw new UserError('invalid_request', `Version ${out.version} is published, but only a segment-entry journey can enter current members.`, 400, [{ path: 'enterCurrentMembers', message: 'needs a segment entry' }]);
    batch = await startBatchEntry(tenantId, id, entry.trigger.segmentId, `v${out.version}`);
  }
  if (entryOf(out.definition)?.trigger.kind === 'date') await ensureDateSchedule(tenantId);
  return { journey: await getJourneyFor(tenantId, id), version: out.version, created: out.created, batch };
}

/** Date journeys enter customers from the tenant's hourly schedule; publishing one makes sure it exists. */
async function ensureDateSchedule(tenantId: string): Promise<void> {
  try {
    await upsertJourneyDateSchedule(await getTemporalClient(), tenantId);
  } catch (err) {
    throw new UserError('unavailable', `The version is published, but the date-entry schedule could not be set up (${(err as Error).message}). Publish again to retry.`, 503);
  }
}

async function startBatchEntry(tenantId: string, journeyId: string, segmentId: string, batchId: string) {
  const input: JourneyBatchEntryInput = { tenantId, journeyId, segmentId, batchId };
  try {
    const client = await getTemporalClient();
    const handle = await client.workflow.start('journeyBatchEntryWorkflow', {
      workflowId: journeyBatchWorkflowId(tenantId, journeyId, batchId),
      taskQueue: TASK_QUEUES.journeys,
      args: [input],
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      typedSearchAttributes: [{ key: TenantIdKey, value: tenantId }],
    });
    return { workflowId: handle.workflowId, batchId };
  } catch (err) {
    throw new UserError(
      'unavailable',
      `The version is published, but entering the current segment members could not start (${(err as Error).message}). Publish again with enterCurrentMembers to retry.`,
      503,
    );
  }
}

export async function transitionJourneyFor(tenantId: string, id: string, action: JourneyAction): Promise<JourneyDetail> {
  const r = await transitionJourney(getDb().$client, tenantId, id, action);
  if (r.kind === 'missing') throw notFound();
  if (r.kind === 'invalid') throw new JourneyApiError('invalid_transition', `A ${r.status} journey cannot be ${pastTense[action]}.`, 409, [{ path: 'status', message: r.status }]);
  const status = action === 'pause' ? 'paused' : action === 'resume' ? 'active' : 'archived';
  await afterStatusChange(tenantId, id, status);
  return detailOf(r.journey);
}

/**
 * Tells running customers, so held sends go out on resume without waiting for their periodic re-read. Best effort:
 * the status is already stored and runs re-read it before every send.
 */
async function afterStatusChange(tenantId: string, journeyId: string, status: 'active' | 'paused' | 'archived'): Promise<void> {
  try {
    const client = await getTemporalClient();
    await client.workflow.start('journeyControlWorkflow', {
      workflowId: journeyControlWorkflowId(tenantId, journeyId),
      taskQueue: TASK_QUEUES.journeys,
      args: [{ tenantId, journeyId, status } satisfies JourneyControlInput],
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.TERMINATE_EXISTING,
      typedSearchAttributes: [{ key: TenantIdKey, value: tenantId }],
    });
  } catch (err) {
    logger('journeys').warn({ err, tenantId, journeyId, status }, 'could not signal running customers of the journey; they re-read its status before sending');
  }
}
const pastTense: Record<JourneyAction, string> = { pause: 'paused', resume: 'resumed', archive: 'archived' };

/** A new draft with the same definition, layout and node ids (node ids are per journey, so sharing them is fine). */
export async function duplicateJourneyFor(tenantId: string, id: string, name?: string): Promise<JourneyDetail> {
  const j = await load(tenantId, id);
  const row = await inTransaction(getDb(), async (tx) => {
    const free = name ?? (await freeJourneyName(tx, tenantId, `${j.name} (copy)`));
    return createJourney(tx, tenantId, { name: free, description: j.description, draft: j.draft, layout: j.draftLayout, templateKey: j.templateKey });
  }).catch(nameTaken);
  return detailOf(row);
}

export async function deleteJourneyFor(tenantId: string, id: string): Promise<void> {
  const r = await deleteDraftJourney(getDb().$client, tenantId, id);
  if (r === 'missing') throw notFound();
  if (r === 'published') throw new JourneyApiError('invalid_transition', 'A published journey keeps its history; archive it instead of deleting it.', 409);
}

export async function listVersionsFor(tenantId: string, id: string) {
  await load(tenantId, id);
  return (await listJourneyVersions(getDb().$client, tenantId, id)).map((v) => ({ ...v, publishedAt: iso(v.publishedAt) }));
}

export async function getVersionFor(tenantId: string, id: string, version: number) {
  const v = await getJourneyVersion(getDb().$client, tenantId, id, version);
  if (!v) throw new UserError('not_found', `The journey has no version ${version}.`, 404);
  return { ...v, publishedAt: iso(v.publishedAt) };
}

export async function analyticsFor(tenantId: string, id: string, version: number | null): Promise<JourneyAnalytics> {
  const j = await load(tenantId, id);
  if (version !== null && (j.latestVersion === null || version > j.latestVersion)) throw new UserError('not_found', `The journey has no version ${version}.`, 404);
  return journeyAnalytics(getDb().$client, tenantId, id, version);
}

export function pickerOptionsFor(tenantId: string): Promise<PickerOptions> {
  return journeyPickerOptions(getDb().$client, tenantId);
}

/** apiHandler plus the journey-specific error codes. */
export function journeyApiHandler(fn: () => Promise<Response>): Promise<Response> {
  return apiHandler(async () => {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof JourneyApiError) return err.toResponse();
      throw err;
    }
  });
}

/** An optional JSON body: none (or an empty one) is `{}`. */
export async function readOptionalJson(request: Request): Promise<unknown> {
  if (!(request.headers.get('content-type') ?? '').includes('application/json')) return {};
  const text = await request.clone().text();
  return text.trim() ? readJson(request) : {};
}
