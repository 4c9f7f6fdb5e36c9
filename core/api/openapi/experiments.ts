// Request/response shapes of the experiments API and its OpenAPI paths (merged into core/api/openapi.ts).
import { z } from 'zod';
import { analysisSettings, experimentAudience, experimentDesign, experimentInput, metricDefinition, metricInput } from '../../experiments/definition.ts';
import { authErrors, error, idParam, jsonContent } from './shared.ts';

const name = z.string().trim().min(1).max(200);
const key = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, "-" or "_", at most 64');

// ---------------------------------------------------------------- metrics

export const metricCreateRequest = metricInput.strict().meta({
  id: 'ExperimentMetricCreateRequest',
  description: 'A reusable metric: conversion on an event or an order, revenue per customer, average order value, email open or click rate, each counted over `windowHours` after a customer’s first exposure.',
});

export const metricPatchRequest = z
  .object({ key: key.optional(), name: name.optional(), description: z.string().max(2000).nullish(), definition: metricDefinition.optional(), higherIsBetter: z.boolean().optional() })
  .strict()
  .refine((p) => Object.values(p).some((v) => v !== undefined), 'change at least one field')
  .meta({ id: 'ExperimentMetricPatchRequest' });

export const metricView = z
  .object({
    id: z.uuid(),
    key: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    definition: metricDefinition,
    higherIsBetter: z.boolean(),
    usedBy: z.number().int().describe('Experiments that reference it (primary or guardrail).'),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'ExperimentMetric' });
export const metricList = z.object({ data: z.array(metricView) }).meta({ id: 'ExperimentMetricList' });

// ---------------------------------------------------------------- experiments

export const experimentCreateRequest = experimentInput.strict().meta({
  id: 'ExperimentCreateRequest',
  description: 'A new experiment, saved as a draft. Start it with `POST /api/v1/experiments/{id}/start`.',
});

/** Fields without their defaults, so a patch says only what it changes. */
export const experimentPatchRequest = z
  .object({
    name: name.optional(),
    description: z.string().max(5000).nullish(),
    hypothesis: z.string().max(5000).nullish(),
    design: experimentDesign.optional(),
    holdoutPercent: z.number().min(0).max(50).optional(),
    audience: experimentAudience.optional(),
    primaryMetricId: z.uuid().optional(),
    guardrailMetricIds: z.array(z.uuid()).max(10).optional(),
    minSamplePerVariant: z.number().int().min(10).max(10_000_000).optional(),
    analysis: z
      .object({
        alpha: analysisSettings.shape.alpha.unwrap().optional(),
        decisionRule: analysisSettings.shape.decisionRule.unwrap().optional(),
        correction: analysisSettings.shape.correction.unwrap().optional(),
        cuped: analysisSettings.shape.cuped.unwrap().optional(),
        evaluationIntervalMinutes: analysisSettings.shape.evaluationIntervalMinutes.unwrap().optional(),
      })
      .strict()
      .optional()
      .describe('Merged into the current settings.'),
    autoSelectWinner: z.boolean().optional(),
    schedule: z.object({ startAt: z.iso.datetime().optional(), endAt: z.iso.datetime().optional() }).strict().optional().describe('Replaces the schedule.'),
  })
  .strict()
  .refine((p) => Object.values(p).some((v) => v !== undefined), 'change at least one field')
  .meta({
    id: 'ExperimentPatchRequest',
    description:
      'In a draft everything can change. Once started, the design (except weights), holdout, audience, primary metric, analysis method and start are fixed (`experiment_not_draft`); weights apply to customers not yet exposed.',
  });

export const experimentListQuery = z.object({ status: z.enum(['draft', 'scheduled', 'running', 'stopped', 'completed']).optional() });

const interval = z.object({ estimate: z.number(), lower: z.number(), upper: z.number() }).meta({ id: 'ExperimentInterval' });
const decision = z
  .object({ kind: z.enum(['continue', 'blocked', 'ship', 'rollback']), variant: z.string().optional(), reason: z.string() })
  .meta({ id: 'ExperimentRuleDecision', description: 'What the decision rule says at this evaluation.' });
const decisionRecord = z
  .object({ kind: z.enum(['winner', 'stopped']), variant: z.string().optional(), reason: z.string(), by: z.string().describe('`auto`, `schedule`, or who asked (`api-key:<id>`, `user:<email>`).'), at: z.iso.datetime() })
  .meta({ id: 'ExperimentDecision' });

export const experimentView = z
  .object({
    id: z.uuid(),
    name: z.string(),
    status: z.enum(['draft', 'scheduled', 'running', 'stopped', 'completed']),
    definition: experimentInput,
    variants: z.array(z.object({ key: z.string(), name: z.string(), weight: z.number(), isControl: z.boolean(), templateId: z.string().optional(), levels: z.record(z.string(), z.string()).optional() })).describe('Control first; multivariate: one per cell.'),
    winnerVariant: z.string().nullable().describe('Once completed: the variant every new assignment gets.'),
    decision: decisionRecord.nullable(),
    exposures: z.number().int().describe('Exposed customers, holdout included.'),
    lastEvaluatedAt: z.iso.datetime().nullable(),
    latestDecision: decision.nullable(),
    startedAt: z.iso.datetime().nullable(),
    endedAt: z.iso.datetime().nullable(),
    workflowId: z.string().nullable(),
    temporalUiUrl: z.string().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Experiment' });
export const experimentList = z.object({ data: z.array(experimentView) }).meta({ id: 'ExperimentList' });

const variantResult = z.object({
  variant: z.string(),
  units: z.number().int(),
  numerator: z.number(),
  denominator: z.number(),
  value: z.number(),
  vsControl: z
    .object({
      relative: interval,
      absolute: interval,
      pValue: z.number().describe('Fixed-horizon, corrected for the number of variants.'),
      sequentialPValue: z.number().describe('Always valid: what automatic decisions use by default.'),
      sequentialRelative: interval,
      chanceToWin: z.number(),
      expectedLoss: z.number(),
      cuped: z.boolean(),
    })
    .optional(),
});
export const experimentResults = z
  .object({
    asOf: z.iso.datetime(),
    exposures: z.array(z.object({ variant: z.string(), units: z.number().int(), expectedShare: z.number() })),
    holdoutUnits: z.number().int(),
    srm: z.object({ pValue: z.number(), mismatch: z.boolean() }),
    metrics: z.array(
      z.object({
        metricId: z.uuid(),
        key: z.string(),
        name: z.string(),
        type: z.string(),
        role: z.enum(['primary', 'guardrail']),
        higherIsBetter: z.boolean(),
        variants: z.array(variantResult),
        mainEffects: z.array(z.object({ factor: z.string(), level: z.string(), baseline: z.string(), relative: interval, pValue: z.number() })).optional(),
      }),
    ),
    decision,
  })
  .meta({ id: 'ExperimentResults' });

export const experimentResultsView = z
  .object({
    experimentId: z.uuid(),
    status: z.enum(['draft', 'scheduled', 'running', 'stopped', 'completed']),
    winnerVariant: z.string().nullable(),
    decision: decisionRecord.nullable(),
    latest: z.object({ id: z.number().int(), experimentId: z.uuid(), evaluatedAt: z.iso.datetime(), trigger: z.enum(['start', 'timer', 'manual', 'final']), results: experimentResults }).nullable(),
    fresh: experimentResults.nullable().optional(),
    history: z
      .array(
        z.object({
          id: z.number().int(),
          evaluatedAt: z.iso.datetime(),
          trigger: z.enum(['start', 'timer', 'manual', 'final']),
          exposures: z.number().int(),
          decision: z.enum(['continue', 'blocked', 'ship', 'rollback']),
          primary: z.array(z.object({ variant: z.string(), relative: interval, sequentialRelative: interval, chanceToWin: z.number() })),
        }),
      )
      .describe('Up to the last 500 evaluations, oldest first: the primary metric’s lift per variant over time.'),
  })
  .meta({ id: 'ExperimentResultsView' });

export const stopRequest = z.object({ reason: z.string().trim().max(1000).optional() }).strict().meta({ id: 'ExperimentStopRequest' });
export const winnerRequest = z.object({ variant: z.string().min(1).max(200), reason: z.string().trim().max(1000).optional() }).strict().meta({ id: 'ExperimentWinnerRequest' });
export const assignRequest = z.object({ customerId: z.uuid() }).strict().meta({ id: 'ExperimentAssignRequest' });
export const assignResult = z
  .object({
    variant: z.string().describe('A variant key, or `holdout`.'),
    firstExposure: z.boolean().describe('True when this call recorded the customer’s first exposure.'),
    counted: z.boolean().describe('False when not running (control for everyone) or once a winner is chosen (the winner for everyone).'),
    status: z.enum(['draft', 'scheduled', 'running', 'stopped', 'completed']),
  })
  .meta({ id: 'ExperimentAssignment' });
export const deletedResult = z.object({ id: z.uuid(), deleted: z.literal(true) }).meta({ id: 'ExperimentDeleted' });
export const evaluateResult = z.object({ signalled: z.boolean(), workflowId: z.string() }).meta({ id: 'ExperimentEvaluateResult' });

export const sampleSizeQuery = z
  .object({
    baselineRate: z.coerce.number().gt(0).lt(1).describe('Control conversion rate, e.g. 0.05.'),
    mde: z.coerce.number().gt(0).describe('Minimum detectable effect: rate points (absolute) or a share of the baseline (relative).'),
    mdeKind: z.enum(['absolute', 'relative']).default('relative'),
    alpha: z.coerce.number().min(0.001).max(0.2).default(0.05),
    power: z.coerce.number().min(0.5).max(0.99).default(0.8),
    variants: z.coerce.number().int().min(2).max(30).default(2).describe('Arms including control; alpha is split over the comparisons with control.'),
  })
  .strict();
export const sampleSizeResult = z
  .object({ perVariant: z.number().int(), total: z.number().int(), alphaPerComparison: z.number(), absoluteEffect: z.number(), targetRate: z.number() })
  .meta({ id: 'ExperimentSampleSize' });

const tags = ['Experiments'];
const notFound = error('No such experiment in this tenant (`not_found`).');
const invalidBody = error('Invalid JSON (`invalid_json`) or body (`invalid_request`): each error in `details` has the path of the bad part (e.g. `design.variants.1.key`, `audience.nodeId`, `guardrailMetricIds.0`).');
const q = (n: string, schema: Record<string, unknown>, required = false) => ({ name: n, in: 'query', required, schema });

export const experimentPaths: Record<string, Record<string, unknown>> = {
  '/api/v1/experiment-metrics': {
    get: { operationId: 'listExperimentMetrics', tags, summary: 'List metrics', responses: { '200': { description: 'The metrics, by name.', ...jsonContent(metricList) }, ...authErrors } },
    post: {
      operationId: 'createExperimentMetric',
      tags,
      summary: 'Define a metric',
      requestBody: { required: true, ...jsonContent(metricCreateRequest) },
      responses: { '201': { description: 'Created.', ...jsonContent(metricView) }, '400': invalidBody, ...authErrors, '409': error('Another metric has this key (`metric_key_taken`).') },
    },
  },
  '/api/v1/experiment-metrics/{id}': {
    get: { operationId: 'getExperimentMetric', tags, summary: 'A metric', parameters: [idParam], responses: { '200': { description: 'The metric.', ...jsonContent(metricView) }, ...authErrors, '404': error('No such metric (`not_found`).') } },
    patch: {
      operationId: 'updateExperimentMetric',
      tags,
      summary: 'Change a metric',
      description: 'Key, name and description change freely; the definition and direction only while no started experiment uses it.',
      parameters: [idParam],
      requestBody: { required: true, ...jsonContent(metricPatchRequest) },
      responses: {
        '200': { description: 'The metric.', ...jsonContent(metricView) },
        '400': invalidBody,
        ...authErrors,
        '404': error('No such metric (`not_found`).'),
        '409': error('Another metric has this key (`metric_key_taken`), or a started experiment uses it (`metric_in_use`).'),
      },
    },
    delete: {
      operationId: 'deleteExperimentMetric',
      tags,
      summary: 'Delete a metric',
      parameters: [idParam],
      responses: { '200': { description: 'Deleted.', ...jsonContent(deletedResult) }, ...authErrors, '404': error('No such metric (`not_found`).'), '409': error('An experiment references it (`metric_in_use`; `details` names them).') },
    },
  },
  '/api/v1/experiments': {
    get: {
      operationId: 'listExperiments',
      tags,
      summary: 'List experiments',
      parameters: [q('status', { type: 'string', enum: ['draft', 'scheduled', 'running', 'stopped', 'completed'] })],
      responses: { '200': { description: 'Newest first, with exposures and the latest decision.', ...jsonContent(experimentList) }, '400': error('Invalid query (`invalid_request`).'), ...authErrors },
    },
    post: {
      operationId: 'createExperiment',
      tags,
      summary: 'Create an experiment',
      description:
        'A/B/n variants with weights (control first) or a full-factorial multivariate design; an optional holdout; an audience (a segment — a one-off campaign when variants carry templates —, a journey’s experiment node whose variant ports are the variant keys, or API assignment); a primary metric and guardrails; minimum sample per variant; analysis settings; automatic winner selection; a schedule. Saved as a draft.',
      requestBody: { required: true, ...jsonContent(experimentCreateRequest) },
      responses: { '201': { description: 'Created (draft).', ...jsonContent(experimentView) }, '400': invalidBody, ...authErrors, '409': error('Another experiment has this name (`experiment_name_taken`).') },
    },
  },
  '/api/v1/experiments/sample-size': {
    get: {
      operationId: 'experimentSampleSize',
      tags,
      summary: 'Sample size calculator',
      description: 'Customers per variant to detect the effect on a conversion rate with a two-sided test (Evan Miller’s formula).',
      parameters: [
        q('baselineRate', { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 }, true),
        q('mde', { type: 'number', exclusiveMinimum: 0 }, true),
        q('mdeKind', { type: 'string', enum: ['absolute', 'relative'], default: 'relative' }),
        q('alpha', { type: 'number', minimum: 0.001, maximum: 0.2, default: 0.05 }),
        q('power', { type: 'number', minimum: 0.5, maximum: 0.99, default: 0.8 }),
        q('variants', { type: 'integer', minimum: 2, maximum: 30, default: 2 }),
      ],
      responses: { '200': { description: 'Per variant and in total.', ...jsonContent(sampleSizeResult) }, '400': error('Invalid query (`invalid_request`), e.g. an effect that takes the rate past 1.'), ...authErrors },
    },
  },
  '/api/v1/experiments/{id}': {
    get: { operationId: 'getExperiment', tags, summary: 'An experiment', parameters: [idParam], responses: { '200': { description: 'The experiment.', ...jsonContent(experimentView) }, ...authErrors, '404': notFound } },
    patch: {
      operationId: 'updateExperiment',
      tags,
      summary: 'Change an experiment',
      parameters: [idParam],
      requestBody: { required: true, ...jsonContent(experimentPatchRequest) },
      responses: {
        '200': { description: 'The experiment.', ...jsonContent(experimentView) },
        '400': invalidBody,
        ...authErrors,
        '404': notFound,
        '409': error('Another experiment has this name (`experiment_name_taken`), or the change needs a draft (`experiment_not_draft`; `details` lists the fixed parts).'),
      },
    },
    delete: {
      operationId: 'deleteExperiment',
      tags,
      summary: 'Delete a draft',
      description: 'Only drafts are deleted; a started experiment is the record of what was learned (stop it instead).',
      parameters: [idParam],
      responses: { '200': { description: 'Deleted.', ...jsonContent(deletedResult) }, ...authErrors, '404': notFound, '409': error('Not a draft (`experiment_not_draft`).') },
    },
  },
  '/api/v1/experiments/{id}/start': {
    post: {
      operationId: 'startExperiment',
      tags,
      summary: 'Start an experiment',
      description: 'Draft → running (or scheduled, when `schedule.startAt` is in the future) and starts its `experimentWorkflow` (search attribute TenantId). If the workflow cannot start it stays a draft.',
      parameters: [idParam],
      responses: {
        '200': { description: 'Started.', ...jsonContent(experimentView) },
        '400': invalidBody,
        ...authErrors,
        '404': notFound,
        '409': error('Not a draft (`experiment_not_draft`).'),
        '503': error('Temporal is unreachable (`unavailable`); still a draft.'),
      },
    },
  },
  '/api/v1/experiments/{id}/stop': {
    post: {
      operationId: 'stopExperiment',
      tags,
      summary: 'Stop without a winner',
      description: 'Records the decision, then tells the workflow (a final evaluation). Exposed customers keep their variant; new traffic gets control.',
      parameters: [idParam],
      requestBody: { required: false, ...jsonContent(stopRequest) },
      responses: { '200': { description: 'Stopped.', ...jsonContent(experimentView) }, '400': invalidBody, ...authErrors, '404': notFound, '409': error('Not started, or already ended (`experiment_not_running`).') },
    },
  },
  '/api/v1/experiments/{id}/winner': {
    post: {
      operationId: 'declareExperimentWinner',
      tags,
      summary: 'Declare a winner by hand',
      description: 'Records the decision (by the API key), then tells the workflow. Every new assignment gets the winner.',
      parameters: [idParam],
      requestBody: { required: true, ...jsonContent(winnerRequest) },
      responses: { '200': { description: 'Completed.', ...jsonContent(experimentView) }, '400': invalidBody, ...authErrors, '404': notFound, '409': error('Not started, or already ended (`experiment_not_running`).') },
    },
  },
  '/api/v1/experiments/{id}/evaluate': {
    post: {
      operationId: 'evaluateExperiment',
      tags,
      summary: 'Re-evaluate now',
      description: 'Signals the workflow to compute and store a fresh evaluation (trigger `manual`); read it from `/results`.',
      parameters: [idParam],
      responses: { '202': { description: 'Signalled.', ...jsonContent(evaluateResult) }, ...authErrors, '404': notFound, '409': error('Not running (`experiment_not_running`).') },
    },
  },
  '/api/v1/experiments/{id}/results': {
    get: {
      operationId: 'getExperimentResults',
      tags,
      summary: 'Results',
      description: 'The latest stored evaluation (per metric and variant: rate, lift with intervals, p-values fixed and sequential, chance to win, SRM, the rule’s decision) and the primary metric’s history. `fresh=1` also computes the results now, without storing them.',
      parameters: [idParam, q('fresh', { type: 'string', enum: ['1', 'true'] })],
      responses: { '200': { description: 'Results.', ...jsonContent(experimentResultsView) }, ...authErrors, '404': notFound },
    },
  },
  '/api/v1/experiments/{id}/assign': {
    post: {
      operationId: 'assignExperimentVariant',
      tags,
      summary: 'Assign a customer',
      description: 'Sticky: the same customer always gets the same variant; the first call while running records the exposure (source `api`). Not running: control; completed: the winner.',
      parameters: [idParam],
      requestBody: { required: true, ...jsonContent(assignRequest) },
      responses: { '200': { description: 'The variant.', ...jsonContent(assignResult) }, '400': invalidBody, ...authErrors, '404': notFound },
    },
  },
};
