// Experiments from the web side (API and pages): metrics and experiments CRUD, start (status + workflow), stop and
// declare-winner (the decision is stored first, then the workflow is told), evaluate on demand, API assignment,
// stored results, and the sample-size calculator.
import { WorkflowIdConflictPolicy, WorkflowNotFoundError } from '@temporalio/client';
import { UserError } from '#core/errors.ts';
import { metricInput, variantsOf, type Variant } from '#core/experiments/definition.ts';
import { sampleSizePerVariant } from '#core/experiments/power.ts';
import type { EvaluationRecord, ExperimentDecisionRecord, ExperimentResults } from '#core/experiments/results.ts';
import { computeExperimentResults } from '#db/queries/experiment-results.ts';
import { assignExperimentVariant, type Assignment } from '#db/queries/experiment-assignment.ts';
import { recordExperimentDecision } from '#db/queries/experiment-decisions.ts';
import {
  createExperiment,
  createMetric,
  customerExists,
  deleteDraftExperiment,
  deleteMetric,
  experimentPickerOptions,
  journeyExperiments,
  evaluationHistory,
  getExperiment,
  getMetric,
  latestEvaluation,
  listExperiments,
  listMetrics,
  markExperimentStarted,
  revertExperimentStart,
  updateExperiment,
  updateMetric,
  validateExperimentReferences,
  type EvaluationPoint,
  type ExperimentPatch,
  type ExperimentSummary,
  type MetricPatch,
  type MetricRow,
} from '#db/queries/experiments.ts';
import type { ExperimentStatus, MetricInput } from '#core/experiments/definition.ts';
import { logger } from '#platform/logger.ts';
import { getTemporalClient } from '#platform/temporal.ts';
import {
  EXPERIMENT_WORKFLOW_TYPE,
  experimentEvaluateSignal,
  experimentStopSignal,
  experimentWinnerSignal,
  experimentWorkflowId,
  type ExperimentWorkflowInput,
} from '#workflows/experiments/experiment.contract.ts';
import { TenantIdKey } from '#workflows/shared/search-attributes.ts';
import { TASK_QUEUES } from '#workflows/shared/task-queues.ts';
import { getDb } from './db.server.ts';
import { workflowUiUrl } from './identity.server.ts';
import { withTemporal } from './sync-schedules.server.ts';

const db = () => getDb().$client;
const notFound = () => new UserError('not_found', 'No such experiment.', 404);
const metricNotFound = () => new UserError('not_found', 'No such metric.', 404);

// ---------------------------------------------------------------- metrics

export const listMetricsFor = (tenantId: string) => listMetrics(db(), tenantId);

export async function getMetricFor(tenantId: string, id: string): Promise<MetricRow> {
  const m = await getMetric(db(), tenantId, id);
  if (!m) throw metricNotFound();
  return m;
}

export const createMetricFor = (tenantId: string, input: MetricInput) => createMetric(db(), tenantId, input);

export async function updateMetricFor(tenantId: string, id: string, patch: MetricPatch): Promise<MetricRow> {
  const m = await updateMetric(db(), tenantId, id, patch);
  if (!m) throw metricNotFound();
  return m;
}

export async function deleteMetricFor(tenantId: string, id: string): Promise<void> {
  if (!(await deleteMetric(db(), tenantId, id))) throw metricNotFound();
}

// ---------------------------------------------------------------- experiments

export interface ExperimentView extends ExperimentSummary {
  /** The variants the design yields, control first (multivariate: one per cell). */
  variants: Variant[];
  /** The experiment's workflow in the Temporal UI, once started. */
  temporalUiUrl: string | null;
}

const view = (e: ExperimentSummary): ExperimentView => ({ ...e, variants: variantsOf(e.definition.design), temporalUiUrl: e.workflowId ? workflowUiUrl(e.workflowId) : null });

export async function listExperimentViews(tenantId: string, status?: ExperimentStatus): Promise<ExperimentView[]> {
  return (await listExperiments(db(), tenantId, status ? { status } : {})).map(view);
}

export async function getExperimentView(tenantId: string, id: string): Promise<ExperimentView> {
  const e = await getExperiment(db(), tenantId, id);
  if (!e) throw notFound();
  return view(e);
}

export async function createExperimentFor(tenantId: string, input: unknown): Promise<ExperimentView> {
  return view(await createExperiment(db(), tenantId, input));
}

export async function updateExperimentFor(tenantId: string, id: string, patch: ExperimentPatch): Promise<ExperimentView> {
  const e = await updateExperiment(db(), tenantId, id, patch);
  if (!e) throw notFound();
  return view(e);
}

/** Drafts only: a started experiment holds exposures and evaluations, and stays as the record of what was learned. */
export async function deleteExperimentFor(tenantId: string, id: string): Promise<void> {
  const r = await deleteDraftExperiment(db(), tenantId, id);
  if (r === 'missing') throw notFound();
  if (r === 'not_draft') throw new UserError('experiment_not_draft', 'Only a draft experiment can be deleted; stop a running one instead.', 409);
}

/**
 * Draft → running (or scheduled when its start is in the future), then starts its workflow. References are checked
 * again (a segment may have been archived or the journey node changed since the draft was saved). If Temporal does
 * not take the workflow the experiment goes back to draft, so a retry starts it cleanly.
 */
export async function startExperimentFor(tenantId: string, id: string, now = new Date()): Promise<ExperimentView> {
  const e = await getExperiment(db(), tenantId, id);
  if (!e) throw notFound();
  if (e.status !== 'draft') throw new UserError('experiment_not_draft', `The experiment is already ${e.status}.`, 409);
  if (e.definition.schedule.endAt && Date.parse(e.definition.schedule.endAt) <= now.getTime())
    throw new UserError('invalid_request', 'The end date has passed; move it before starting.', 400, [{ path: 'schedule.endAt', message: 'In the past' }]);
  await validateExperimentReferences(db(), tenantId, e.definition);
  const workflowId = experimentWorkflowId(tenantId, id);
  if (!(await markExperimentStarted(db(), tenantId, id, { now, workflowId }))) throw new UserError('experiment_not_draft', 'The experiment was started by someone else.', 409);
  try {
    await withTemporal(getTemporalClient, (c) =>
      c.workflow.start(EXPERIMENT_WORKFLOW_TYPE, {
        workflowId,
        taskQueue: TASK_QUEUES.journeys,
        args: [{ tenantId, experimentId: id } satisfies ExperimentWorkflowInput],
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
        typedSearchAttributes: [{ key: TenantIdKey, value: tenantId }],
      }),
    );
  } catch (err) {
    await revertExperimentStart(db(), tenantId, id);
    if (err instanceof UserError) throw err;
    logger('experiments').error({ err, tenantId, experimentId: id }, 'could not start the experiment workflow');
    throw new UserError('unavailable', `The experiment workflow could not start (${(err as Error).message}); it is still a draft. Try again.`, 503);
  }
  return getExperimentView(tenantId, id);
}

/** Best effort: the decision is already stored, and the workflow re-reads the status on its next evaluation. */
async function signal(tenantId: string, id: string, send: (h: ReturnType<Awaited<ReturnType<typeof getTemporalClient>>['workflow']['getHandle']>) => Promise<void>): Promise<boolean> {
  try {
    await withTemporal(getTemporalClient, (c) => send(c.workflow.getHandle(experimentWorkflowId(tenantId, id))));
    return true;
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) logger('experiments').warn({ err, tenantId, experimentId: id }, 'could not signal the experiment workflow');
    return false;
  }
}

async function decide(tenantId: string, id: string, d: ExperimentDecisionRecord): Promise<ExperimentView> {
  const e = await getExperiment(db(), tenantId, id);
  if (!e) throw notFound();
  const outcome = await recordExperimentDecision(db(), tenantId, id, d);
  if (!outcome.applied) throw new UserError('experiment_not_running', `The experiment already ended (${outcome.decision?.kind ?? e.status}${outcome.decision?.reason ? `: ${outcome.decision.reason}` : ''}).`, 409);
  await signal(tenantId, id, (h) =>
    d.kind === 'winner' ? h.signal(experimentWinnerSignal, { variant: d.variant!, reason: d.reason, by: d.by }) : h.signal(experimentStopSignal, { reason: d.reason, by: d.by }),
  );
  return getExperimentView(tenantId, id);
}

export async function stopExperimentFor(tenantId: string, id: string, o: { reason?: string | undefined; by: string }, now = new Date()): Promise<ExperimentView> {
  return decide(tenantId, id, { kind: 'stopped', reason: o.reason?.trim() || 'Stopped by hand.', by: o.by, at: now.toISOString() });
}

export async function declareWinnerFor(tenantId: string, id: string, o: { variant: string; reason?: string | undefined; by: string }, now = new Date()): Promise<ExperimentView> {
  const e = await getExperiment(db(), tenantId, id);
  if (!e) throw notFound();
  const keys = variantsOf(e.definition.design).map((v) => v.key);
  if (!keys.includes(o.variant)) throw new UserError('invalid_request', `No variant "${o.variant}"; use one of ${keys.join(', ')}.`, 400, [{ path: 'variant', message: 'Not a variant of the experiment' }]);
  return decide(tenantId, id, { kind: 'winner', variant: o.variant, reason: o.reason?.trim() || `Declared by hand.`, by: o.by, at: now.toISOString() });
}

/** Asks the workflow for a fresh evaluation; it stores it as trigger 'manual'. */
export async function evaluateExperimentFor(tenantId: string, id: string): Promise<{ signalled: boolean; workflowId: string }> {
  const e = await getExperiment(db(), tenantId, id);
  if (!e) throw notFound();
  if (e.status !== 'running') throw new UserError('experiment_not_running', `The experiment is ${e.status}; only a running experiment is re-evaluated.`, 409);
  const workflowId = experimentWorkflowId(tenantId, id);
  return { signalled: await signal(tenantId, id, (h) => h.signal(experimentEvaluateSignal)), workflowId };
}

export async function assignFor(tenantId: string, id: string, customerId: string): Promise<Assignment> {
  if (!(await getExperiment(db(), tenantId, id))) throw notFound();
  if (!(await customerExists(db(), tenantId, customerId))) throw new UserError('invalid_request', 'No such customer in this workspace.', 400, [{ path: 'customerId', message: 'No such customer' }]);
  return assignExperimentVariant(db(), { tenantId, experimentId: id, customerId, source: 'api' });
}

export interface ResultsView {
  experimentId: string;
  status: ExperimentStatus;
  winnerVariant: string | null;
  decision: ExperimentDecisionRecord | null;
  /** The latest stored evaluation; null before the first one. */
  latest: EvaluationRecord | null;
  /** Up to the last 500 evaluations, oldest first: the primary metric's lift per variant over time. */
  history: EvaluationPoint[];
  /** With `?fresh=1`: computed now from the exposures (not stored; drafts have none). */
  fresh?: ExperimentResults | null;
}

export async function resultsFor(tenantId: string, id: string, o: { fresh?: boolean } = {}): Promise<ResultsView> {
  const e = await getExperiment(db(), tenantId, id);
  if (!e) throw notFound();
  const [latest, history] = await Promise.all([latestEvaluation(db(), tenantId, id), evaluationHistory(db(), tenantId, id)]);
  const view: ResultsView = { experimentId: id, status: e.status, winnerVariant: e.winnerVariant, decision: e.decision, latest: latest ?? null, history };
  if (o.fresh) view.fresh = e.status === 'draft' ? null : await computeExperimentResults(db(), tenantId, id, new Date());
  return view;
}

// ---------------------------------------------------------------- sample size

export interface SampleSizeRequest {
  baselineRate: number;
  mde: number;
  mdeKind: 'absolute' | 'relative';
  alpha: number;
  power: number;
  variants: number;
}

/**
 * Customers per variant for a conversion test (Evan Miller's formula). With more than one treatment the alpha of each
 * comparison with control is Bonferroni-divided (a safe upper bound of what Holm needs).
 */
export function sampleSize(r: SampleSizeRequest) {
  const comparisons = Math.max(1, r.variants - 1);
  const alphaPerComparison = r.alpha / comparisons;
  const delta = r.mdeKind === 'relative' ? r.mde * r.baselineRate : r.mde;
  const n = sampleSizePerVariant({ baselineRate: r.baselineRate, mde: r.mde, mdeKind: r.mdeKind, alpha: alphaPerComparison, power: r.power });
  if (!Number.isFinite(n) || r.baselineRate + delta >= 1)
    throw new UserError('invalid_request', 'No sample size reaches that effect: the target rate must stay between 0 and 1 and the effect above 0.', 400, [{ path: 'mde', message: 'Out of range for this baseline' }]);
  const perVariant = Math.ceil(n);
  return { perVariant, total: perVariant * r.variants, alphaPerComparison, absoluteEffect: delta, targetRate: r.baselineRate + delta };
}

// ---------------------------------------------------------------- page actions (session, not API key)

/** Runs a page action; user errors come back as data so the page can show them next to the fields. */
export async function pageAction<T>(fn: () => Promise<T>): Promise<{ ok: T } | { error: { code: string; message: string; details?: { path: string; message: string }[] } }> {
  try {
    return { ok: await fn() };
  } catch (err) {
    if (err instanceof UserError) return { error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) } };
    throw err;
  }
}

export async function setupOptionsFor(tenantId: string) {
  const [options, metrics] = await Promise.all([experimentPickerOptions(db(), tenantId), listMetrics(db(), tenantId)]);
  return { ...options, metrics };
}

/** The setup form's save and its inline "new metric" dialog. */
export async function setupAction(tenantId: string, body: unknown, experimentId?: string) {
  const b = (body ?? {}) as { intent?: string; metric?: unknown; experiment?: unknown };
  if (b.intent === 'metric') return pageAction(async () => createMetric(db(), tenantId, parseMetric(b.metric)));
  return pageAction(async () => (experimentId ? updateExperimentFor(tenantId, experimentId, b.experiment as ExperimentPatch) : createExperimentFor(tenantId, b.experiment)));
}

function parseMetric(input: unknown): MetricInput {
  const r = metricInput.safeParse(input);
  if (r.success) return r.data;
  throw new UserError('invalid_request', 'Invalid metric.', 400, r.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })));
}

export const journeyExperimentsFor = (tenantId: string, journeyId: string) => journeyExperiments(db(), tenantId, journeyId);
