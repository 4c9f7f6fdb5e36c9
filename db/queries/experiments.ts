// Experiments and their reusable metrics: CRUD with reference checks (metrics, segment, journey experiment node,
// templates), the draft-only rule for what shapes an analysis, the list summary, and evaluation history reads.
// Status changes that end an experiment live in experiment-decisions.ts; assignment in experiment-assignment.ts.
import type pg from 'pg';
import { UserError, type FieldError } from '#core/errors.ts';
import {
  experimentInput,
  metricInput,
  variantsOf,
  type ExperimentDefinition,
  type ExperimentStatus,
  type MetricDefinition,
  type MetricInput,
} from '#core/experiments/definition.ts';
import type { EvaluationRecord, ExperimentDecisionRecord, ExperimentResults, Interval } from '#core/experiments/results.ts';

type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;

const isUuid = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
const iso = (col: string, as: string) => `to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "${as}"`;
const invalid = (message: string, details: FieldError[]) => new UserError('invalid_request', message, 400, details);
const uniqueViolation = (err: unknown, constraint: string) => (err as { code?: string }).code === '23505' && (err as { constraint?: string }).constraint === constraint;

// ---------------------------------------------------------------- metrics

export interface MetricRow {
  id: string;
  key: string;
  name: string;
  description: string | null;
  definition: MetricDefinition;
  higherIsBetter: boolean;
  /** Experiments that reference it (primary or guardrail). */
  usedBy: number;
  createdAt: string;
  updatedAt: string;
}

/** Experiments referencing a metric, as primary or guardrail. */
const USES = `(select count(*)::int from experiments x where x.tenant_id = m.tenant_id
  and (x.definition->>'primaryMetricId' = m.id::text or coalesce(x.definition->'guardrailMetricIds', '[]'::jsonb) ? m.id::text))`;
const METRIC_COLUMNS = `m.id, m.key, m.name, m.description, m.definition, m.higher_is_better as "higherIsBetter", ${USES} as "usedBy",
  ${iso('m.created_at', 'createdAt')}, ${iso('m.updated_at', 'updatedAt')}`;

export async function listMetrics(q: Queryable, tenantId: string): Promise<MetricRow[]> {
  return (await q.query<MetricRow>(`select ${METRIC_COLUMNS} from experiment_metrics m where m.tenant_id = $1 order by lower(m.name), m.id`, [tenantId])).rows;
}

export async function getMetric(q: Queryable, tenantId: string, id: string): Promise<MetricRow | undefined> {
  if (!isUuid(id)) return undefined;
  return (await q.query<MetricRow>(`select ${METRIC_COLUMNS} from experiment_metrics m where m.tenant_id = $1 and m.id = $2`, [tenantId, id])).rows[0];
}

const keyTaken = (key: string) => new UserError('metric_key_taken', `A metric with key "${key}" already exists; choose another key.`, 409, [{ path: 'key', message: 'Already used by another metric' }]);

export async function createMetric(q: Queryable, tenantId: string, input: MetricInput): Promise<MetricRow> {
  const m = metricInput.parse(input);
  try {
    const { rows } = await q.query<{ id: string }>(
      `insert into experiment_metrics (tenant_id, key, name, description, definition, higher_is_better) values ($1, $2, $3, $4, $5::jsonb, $6) returning id`,
      [tenantId, m.key, m.name, m.description ?? null, JSON.stringify(m.definition), m.higherIsBetter],
    );
    return (await getMetric(q, tenantId, rows[0]!.id))!;
  } catch (err) {
    if (uniqueViolation(err, 'experiment_metrics_tenant_key_uq')) throw keyTaken(m.key);
    throw err;
  }
}

export interface MetricPatch {
  key?: string;
  name?: string;
  description?: string | null;
  definition?: MetricDefinition;
  higherIsBetter?: boolean;
}

/**
 * Name, key and description change freely. What it measures (definition, direction) changes only while no started
 * experiment uses it: results already stored were computed with the old meaning.
 */
export async function updateMetric(q: Queryable, tenantId: string, id: string, p: MetricPatch): Promise<MetricRow | undefined> {
  const current = await getMetric(q, tenantId, id);
  if (!current) return undefined;
  const changesMeaning =
    (p.definition !== undefined && JSON.stringify(p.definition) !== JSON.stringify(current.definition)) || (p.higherIsBetter !== undefined && p.higherIsBetter !== current.higherIsBetter);
  if (changesMeaning) {
    const started = await metricUsers(q, tenantId, id, { startedOnly: true });
    if (started.length) throw inUse(started, 'Its definition cannot change while started experiments use it');
  }
  try {
    await q.query(
      `update experiment_metrics set key = coalesce($3, key), name = coalesce($4, name),
         description = case when $5::boolean then $6 else description end,
         definition = coalesce($7::jsonb, definition), higher_is_better = coalesce($8, higher_is_better), updated_at = now()
       where tenant_id = $1 and id = $2`,
      [tenantId, id, p.key ?? null, p.name ?? null, p.description !== undefined, p.description ?? null, p.definition ? JSON.stringify(p.definition) : null, p.higherIsBetter ?? null],
    );
  } catch (err) {
    if (uniqueViolation(err, 'experiment_metrics_tenant_key_uq')) throw keyTaken(p.key ?? '');
    throw err;
  }
  return getMetric(q, tenantId, id);
}

async function metricUsers(q: Queryable, tenantId: string, id: string, o: { startedOnly?: boolean } = {}): Promise<{ id: string; name: string }[]> {
  const { rows } = await q.query<{ id: string; name: string }>(
    `select id, name from experiments where tenant_id = $1 and ($3::boolean is not true or status <> 'draft')
       and (definition->>'primaryMetricId' = $2 or coalesce(definition->'guardrailMetricIds', '[]'::jsonb) ? $2) order by name`,
    [tenantId, id, o.startedOnly ?? false],
  );
  return rows;
}

const inUse = (users: { id: string; name: string }[], what: string) =>
  new UserError(
    'metric_in_use',
    `${what}: used by ${users.map((u) => `experiment "${u.name}"`).join(', ')}.`,
    409,
    users.map((u) => ({ path: `experiments.${u.id}`, message: `experiment "${u.name}"` })),
  );

/** Deletes a metric no experiment references (drafts included); 409 `metric_in_use` naming them otherwise. */
export async function deleteMetric(q: Queryable, tenantId: string, id: string): Promise<boolean> {
  if (!(await getMetric(q, tenantId, id))) return false;
  const users = await metricUsers(q, tenantId, id);
  if (users.length) throw inUse(users, 'The metric cannot be deleted');
  await q.query(`delete from experiment_metrics where tenant_id = $1 and id = $2`, [tenantId, id]);
  return true;
}

// ---------------------------------------------------------------- experiments

export interface ExperimentRow {
  id: string;
  name: string;
  status: ExperimentStatus;
  definition: ExperimentDefinition;
  winnerVariant: string | null;
  decision: ExperimentDecisionRecord | null;
  startedAt: string | null;
  endedAt: string | null;
  workflowId: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ExperimentSummary extends ExperimentRow {
  /** Exposed customers, holdout included. */
  exposures: number;
  lastEvaluatedAt: string | null;
  /** The decision rule's verdict at the latest evaluation. */
  latestDecision: ExperimentResults['decision'] | null;
}

const EXPERIMENT_COLUMNS = `e.id, e.name, e.status, e.definition, e.winner_variant as "winnerVariant", e.decision,
  ${iso('e.started_at', 'startedAt')}, ${iso('e.ended_at', 'endedAt')}, e.workflow_id as "workflowId",
  ${iso('e.created_at', 'createdAt')}, ${iso('e.updated_at', 'updatedAt')}`;
const SUMMARY = `${EXPERIMENT_COLUMNS},
  (select count(*)::int from experiment_exposures x where x.experiment_id = e.id) as exposures,
  ${iso('ev.evaluated_at', 'lastEvaluatedAt')}, ev.results->'decision' as "latestDecision"`;
const LATEST_EVALUATION = `left join lateral (select evaluated_at, results from experiment_evaluations v where v.experiment_id = e.id order by evaluated_at desc, id desc limit 1) ev on true`;

export async function listExperiments(q: Queryable, tenantId: string, o: { status?: ExperimentStatus } = {}): Promise<ExperimentSummary[]> {
  const { rows } = await q.query<ExperimentSummary>(
    `select ${SUMMARY} from experiments e ${LATEST_EVALUATION} where e.tenant_id = $1 and ($2::text is null or e.status = $2) order by e.created_at desc, e.id`,
    [tenantId, o.status ?? null],
  );
  return rows;
}

export async function getExperiment(q: Queryable, tenantId: string, id: string): Promise<ExperimentSummary | undefined> {
  if (!isUuid(id)) return undefined;
  return (await q.query<ExperimentSummary>(`select ${SUMMARY} from experiments e ${LATEST_EVALUATION} where e.tenant_id = $1 and e.id = $2`, [tenantId, id])).rows[0];
}

/** Parses an experiment definition; zod failures become a 400 with the path of each bad part. */
export function parseExperiment(input: unknown): ExperimentDefinition {
  const r = experimentInput.safeParse(input);
  if (r.success) return r.data;
  throw invalid('Invalid experiment.', r.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })));
}

interface JourneyNodeLike {
  id?: unknown;
  type?: unknown;
  variants?: { id?: unknown }[];
}

/** The node of a journey definition (draft or version) with this id, if the definition has a node list. */
function findNode(definition: unknown, nodeId: string): JourneyNodeLike | undefined {
  const nodes = (definition as { nodes?: unknown } | null)?.nodes;
  return Array.isArray(nodes) ? (nodes as JourneyNodeLike[]).find((n) => n && n.id === nodeId) : undefined;
}

/**
 * Everything a definition references must exist in the tenant, and its parts must fit together: distinct variant,
 * factor and level keys, some weight, metrics (primary not also a guardrail), the segment, the journey's experiment
 * node with one port per variant key, templates on the segment's channel, an end after the start.
 */
export async function validateExperimentReferences(q: Queryable, tenantId: string, d: ExperimentDefinition): Promise<void> {
  const errors: FieldError[] = [];
  const dupes = (keys: string[], path: (i: number) => string) =>
    keys.forEach((k, i) => {
      if (keys.indexOf(k) !== i) errors.push({ path: path(i), message: `Duplicate key "${k}"` });
    });
  if (d.design.kind === 'ab') {
    dupes(d.design.variants.map((v) => v.key), (i) => `design.variants.${i}.key`);
    if (d.design.variants.every((v) => v.weight === 0)) errors.push({ path: 'design.variants', message: 'At least one variant needs a weight above 0' });
  } else {
    dupes(d.design.factors.map((f) => f.key), (i) => `design.factors.${i}.key`);
    d.design.factors.forEach((f, fi) => dupes(f.levels.map((l) => l.key), (i) => `design.factors.${fi}.levels.${i}.key`));
  }
  const keys = variantsOf(d.design).map((v) => v.key);
  if (keys.includes('holdout')) errors.push({ path: 'design', message: '"holdout" is reserved for the holdout group' });
  if (d.design.kind === 'multivariate')
    for (const cell of Object.keys(d.design.templates)) if (!keys.includes(cell)) errors.push({ path: `design.templates.${cell}`, message: `Not a cell of the design (cells: ${keys.join(', ')})` });

  const metricIds = [d.primaryMetricId, ...d.guardrailMetricIds];
  const { rows: metrics } = await q.query<{ id: string }>(`select id from experiment_metrics where tenant_id = $1 and id = any($2::uuid[])`, [tenantId, metricIds]);
  const known = new Set(metrics.map((m) => m.id));
  if (!known.has(d.primaryMetricId)) errors.push({ path: 'primaryMetricId', message: 'No such metric' });
  d.guardrailMetricIds.forEach((id, i) => {
    if (!known.has(id)) errors.push({ path: `guardrailMetricIds.${i}`, message: 'No such metric' });
    else if (id === d.primaryMetricId) errors.push({ path: `guardrailMetricIds.${i}`, message: 'The primary metric cannot also be a guardrail' });
    else if (d.guardrailMetricIds.indexOf(id) !== i) errors.push({ path: `guardrailMetricIds.${i}`, message: 'Listed twice' });
  });

  const a = d.audience;
  if (a.kind === 'segment') {
    const { rows } = await q.query(`select 1 from segments where tenant_id = $1 and id = $2 and status = 'active'`, [tenantId, a.segmentId]);
    if (!rows.length) errors.push({ path: 'audience.segmentId', message: 'No such active segment' });
  } else if (a.kind === 'journey') {
    const { rows } = await q.query<{ draft: unknown; published: unknown }>(
      `select j.draft, v.definition as published from journeys j left join journey_versions v on v.journey_id = j.id and v.version = j.latest_version
       where j.tenant_id = $1 and j.id = $2 and j.status <> 'archived'`,
      [tenantId, a.journeyId],
    );
    if (!rows[0]) errors.push({ path: 'audience.journeyId', message: 'No such journey' });
    else {
      // The published version is what customers run through; a node only in the draft counts until it is published.
      const node = findNode(rows[0].published, a.nodeId) ?? findNode(rows[0].draft, a.nodeId);
      if (!node) errors.push({ path: 'audience.nodeId', message: 'No such node in the journey' });
      else if (node.type !== 'experiment') errors.push({ path: 'audience.nodeId', message: 'Not an experiment node' });
      else {
        const ports = (node.variants ?? []).map((v) => String(v.id)).sort();
        if (JSON.stringify(ports) !== JSON.stringify([...keys].sort()))
          errors.push({ path: 'audience.nodeId', message: `The node's variant ports (${ports.join(', ')}) must be the experiment's variant keys (${keys.join(', ')})` });
      }
    }
  }

  const templates =
    d.design.kind === 'ab'
      ? d.design.variants.flatMap((v, i) => (v.templateId ? [{ id: v.templateId, path: `design.variants.${i}.templateId` }] : []))
      : Object.entries(d.design.templates).map(([cell, id]) => ({ id, path: `design.templates.${cell}` }));
  if (templates.length) {
    if (a.kind !== 'segment') errors.push({ path: 'audience', message: 'Variant templates are sent to a segment audience only' });
    const ids = templates.map((t) => t.id).filter(isUuid);
    const { rows } = await q.query<{ id: string; channel: string }>(`select id, channel from message_templates where tenant_id = $1 and id = any($2::uuid[])`, [tenantId, ids]);
    const byId = new Map(rows.map((r) => [r.id, r.channel]));
    for (const t of templates) {
      const channel = byId.get(t.id);
      if (!channel) errors.push({ path: t.path, message: 'No such template' });
      else if (a.kind === 'segment' && channel !== a.channel) errors.push({ path: t.path, message: `A ${channel} template; the experiment sends on ${a.channel}` });
    }
  }

  const { startAt, endAt } = d.schedule;
  if (startAt && endAt && Date.parse(endAt) <= Date.parse(startAt)) errors.push({ path: 'schedule.endAt', message: 'Must be after the start' });
  if (errors.length) throw invalid('The experiment is invalid.', errors);
}

const nameTaken = (name: string) =>
  new UserError('experiment_name_taken', `An experiment named "${name}" already exists; choose another name.`, 409, [{ path: 'name', message: 'Already used by another experiment' }]);

export async function createExperiment(q: Queryable, tenantId: string, input: unknown): Promise<ExperimentSummary> {
  const d = parseExperiment(input);
  await validateExperimentReferences(q, tenantId, d);
  try {
    const { rows } = await q.query<{ id: string }>(`insert into experiments (tenant_id, name, definition) values ($1, $2, $3::jsonb) returning id`, [tenantId, d.name, JSON.stringify(d)]);
    return (await getExperiment(q, tenantId, rows[0]!.id))!;
  } catch (err) {
    if (uniqueViolation(err, 'experiments_tenant_name_uq')) throw nameTaken(d.name);
    throw err;
  }
}

/** A change to an experiment: any top-level field of its definition; `analysis` is merged into the current one. */
export type ExperimentPatch = Partial<Record<keyof ExperimentDefinition, unknown>>;

/**
 * Which parts of a definition decide who is compared with whom and how: fixed once the experiment starts. Weights,
 * texts, guardrails, minimum sample, auto-select, the evaluation interval and the end date stay editable.
 */
function lockedParts(d: ExperimentDefinition): Record<string, unknown> {
  const design =
    d.design.kind === 'ab'
      ? { kind: 'ab', variants: d.design.variants.map((v) => ({ key: v.key, templateId: v.templateId ?? null })) }
      : { kind: 'multivariate', factors: d.design.factors.map((f) => ({ key: f.key, levels: f.levels.map((l) => l.key) })), templates: d.design.templates };
  const { evaluationIntervalMinutes: _i, ...analysis } = d.analysis;
  return { design, holdoutPercent: d.holdoutPercent, audience: d.audience, primaryMetricId: d.primaryMetricId, analysis, startAt: d.schedule.startAt ?? null };
}

const LOCKED_PATHS: Record<string, string> = {
  design: 'design',
  holdoutPercent: 'holdoutPercent',
  audience: 'audience',
  primaryMetricId: 'primaryMetricId',
  analysis: 'analysis',
  startAt: 'schedule.startAt',
};

export async function updateExperiment(q: Queryable, tenantId: string, id: string, patch: ExperimentPatch): Promise<ExperimentSummary | undefined> {
  const current = await getExperiment(q, tenantId, id);
  if (!current) return undefined;
  const merged: Record<string, unknown> = { ...current.definition, ...patch };
  if (patch.analysis && typeof patch.analysis === 'object') merged.analysis = { ...current.definition.analysis, ...patch.analysis };
  const next = parseExperiment(merged);
  if (current.status !== 'draft') {
    // Re-parsed so both sides list keys in schema order (jsonb stores them in its own order).
    const before = lockedParts(parseExperiment(current.definition));
    const after = lockedParts(next);
    const changed = Object.keys(before).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
    if (changed.length)
      throw new UserError(
        'experiment_not_draft',
        `The experiment is ${current.status}: its design, holdout, audience, primary metric, analysis method and start are fixed. Weights, texts, guardrails, minimum sample, auto-select, evaluation interval and end date can still change.`,
        409,
        changed.map((k) => ({ path: LOCKED_PATHS[k]!, message: 'Editable only in a draft' })),
      );
  }
  await validateExperimentReferences(q, tenantId, next);
  try {
    await q.query(`update experiments set name = $3, definition = $4::jsonb, updated_at = now() where tenant_id = $1 and id = $2`, [tenantId, id, next.name, JSON.stringify(next)]);
  } catch (err) {
    if (uniqueViolation(err, 'experiments_tenant_name_uq')) throw nameTaken(next.name);
    throw err;
  }
  return getExperiment(q, tenantId, id);
}

/** Deletes a draft (nothing was exposed or evaluated yet); a started experiment is a record and stays. */
export async function deleteDraftExperiment(q: Queryable, tenantId: string, id: string): Promise<'deleted' | 'missing' | 'not_draft'> {
  const { rowCount } = await q.query(`delete from experiments where tenant_id = $1 and id = $2 and status = 'draft'`, [tenantId, id]);
  if (rowCount) return 'deleted';
  return (await getExperiment(q, tenantId, id)) ? 'not_draft' : 'missing';
}

/**
 * Draft → running (or scheduled when the start is in the future), with the workflow id it is about to get.
 * Undefined when it is not a draft any more (a concurrent start won).
 */
export async function markExperimentStarted(q: Queryable, tenantId: string, id: string, o: { now: Date; workflowId: string }): Promise<{ status: ExperimentStatus } | undefined> {
  const { rows } = await q.query<{ status: ExperimentStatus }>(
    `update experiments set status = case when (definition->'schedule'->>'startAt')::timestamptz > $3 then 'scheduled' else 'running' end,
       started_at = case when (definition->'schedule'->>'startAt')::timestamptz > $3 then null else $3 end,
       workflow_id = $4, updated_at = now()
     where tenant_id = $1 and id = $2 and status = 'draft' returning status`,
    [tenantId, id, o.now.toISOString(), o.workflowId],
  );
  return rows[0];
}

/** Undoes markExperimentStarted when the workflow could not be started (nobody has been exposed yet). */
export async function revertExperimentStart(q: Queryable, tenantId: string, id: string): Promise<void> {
  await q.query(
    `update experiments set status = 'draft', started_at = null, workflow_id = null, updated_at = now()
     where tenant_id = $1 and id = $2 and status in ('running', 'scheduled') and decision is null
       and not exists (select 1 from experiment_exposures where experiment_id = $2)`,
    [tenantId, id],
  );
}

// ---------------------------------------------------------------- evaluations

/** One point of the results chart: the primary metric's lift per variant at one evaluation. */
export interface EvaluationPoint {
  id: number;
  evaluatedAt: string;
  trigger: EvaluationRecord['trigger'];
  exposures: number;
  decision: ExperimentResults['decision']['kind'];
  primary: { variant: string; relative: Interval; sequentialRelative: Interval; chanceToWin: number }[];
}

export async function latestEvaluation(q: Queryable, tenantId: string, experimentId: string): Promise<EvaluationRecord | undefined> {
  const { rows } = await q.query<EvaluationRecord>(
    `select id, experiment_id as "experimentId", ${iso('evaluated_at', 'evaluatedAt')}, trigger, results
     from experiment_evaluations where tenant_id = $1 and experiment_id = $2 order by evaluated_at desc, id desc limit 1`,
    [tenantId, experimentId],
  );
  return rows[0];
}

/** The latest `limit` evaluations, oldest first, reduced to what the chart draws. */
export async function evaluationHistory(q: Queryable, tenantId: string, experimentId: string, limit = 500): Promise<EvaluationPoint[]> {
  const { rows } = await q.query<{ id: number; evaluatedAt: string; trigger: EvaluationRecord['trigger']; exposures: ExperimentResults['exposures'] | null; decision: string | null; primary: ExperimentResults['metrics'][number] | null }>(
    `select * from (
       select id, ${iso('evaluated_at', 'evaluatedAt')}, evaluated_at as at, trigger, results->'exposures' as exposures, results->'decision'->>'kind' as decision,
         (select m from jsonb_array_elements(results->'metrics') m where m->>'role' = 'primary' limit 1) as primary
       from experiment_evaluations where tenant_id = $1 and experiment_id = $2 order by evaluated_at desc, id desc limit $3
     ) h order by at, id`,
    [tenantId, experimentId, limit],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    evaluatedAt: r.evaluatedAt,
    trigger: r.trigger,
    exposures: (r.exposures ?? []).reduce((s, e) => s + e.units, 0),
    decision: (r.decision ?? 'continue') as EvaluationPoint['decision'],
    primary: (r.primary?.variants ?? []).flatMap((v) =>
      v.vsControl ? [{ variant: v.variant, relative: v.vsControl.relative, sequentialRelative: v.vsControl.sequentialRelative, chanceToWin: v.vsControl.chanceToWin }] : [],
    ),
  }));
}

/** Exposure counts per variant (holdout included), straight from the exposures table. */
export async function exposureCounts(q: Queryable, tenantId: string, experimentId: string): Promise<{ variant: string; units: number }[]> {
  const { rows } = await q.query<{ variant: string; units: number }>(
    `select variant, count(*)::int as units from experiment_exposures where tenant_id = $1 and experiment_id = $2 group by variant order by variant`,
    [tenantId, experimentId],
  );
  return rows;
}

/** True when the customer exists in the tenant (assignment by API names CDP customers). */
export async function customerExists(q: Queryable, tenantId: string, customerId: string): Promise<boolean> {
  if (!isUuid(customerId)) return false;
  return (await q.query(`select 1 from customers where tenant_id = $1 and id = $2`, [tenantId, customerId])).rows.length > 0;
}

export interface ExperimentPickerOptions {
  segments: { id: string; name: string }[];
  /** Journeys with experiment nodes (published version first, else the draft), with each node's variant ports. */
  journeys: { id: string; name: string; nodes: { id: string; label: string; ports: string[] }[] }[];
  templates: { id: string; name: string; channel: string }[];
}

/** What the setup form offers: active segments, journeys' experiment nodes, message templates. */
export async function experimentPickerOptions(q: Queryable, tenantId: string): Promise<ExperimentPickerOptions> {
  const [segments, journeys, templates] = await Promise.all([
    q.query<{ id: string; name: string }>(`select id, name from segments where tenant_id = $1 and status = 'active' order by lower(name)`, [tenantId]),
    q.query<{ id: string; name: string; definition: unknown }>(
      `select j.id, j.name, coalesce(v.definition, j.draft) as definition from journeys j
       left join journey_versions v on v.journey_id = j.id and v.version = j.latest_version
       where j.tenant_id = $1 and j.status <> 'archived' order by lower(j.name)`,
      [tenantId],
    ),
    q.query<{ id: string; name: string; channel: string }>(`select id, name, channel from message_templates where tenant_id = $1 order by lower(name)`, [tenantId]),
  ]);
  const nodesOf = (definition: unknown) => {
    const nodes = (definition as { nodes?: unknown } | null)?.nodes;
    if (!Array.isArray(nodes)) return [];
    return (nodes as (JourneyNodeLike & { label?: unknown })[])
      .filter((n) => n && n.type === 'experiment' && typeof n.id === 'string')
      .map((n) => ({ id: n.id as string, label: typeof n.label === 'string' ? n.label : (n.id as string), ports: (n.variants ?? []).map((v) => String(v.id)) }));
  };
  return {
    segments: segments.rows,
    journeys: journeys.rows.map((j) => ({ id: j.id, name: j.name, nodes: nodesOf(j.definition) })).filter((j) => j.nodes.length),
    templates: templates.rows,
  };
}

/** Experiments whose audience is a node of this journey (the canvas links them from the node's form). */
export async function journeyExperiments(q: Queryable, tenantId: string, journeyId: string): Promise<{ id: string; name: string; nodeId: string; status: ExperimentStatus }[]> {
  if (!isUuid(journeyId)) return [];
  const { rows } = await q.query<{ id: string; name: string; nodeId: string; status: ExperimentStatus }>(
    `select id, name, definition->'audience'->>'nodeId' as "nodeId", status from experiments
     where tenant_id = $1 and definition->'audience'->>'kind' = 'journey' and definition->'audience'->>'journeyId' = $2 order by created_at desc`,
    [tenantId, journeyId],
  );
  return rows;
}
