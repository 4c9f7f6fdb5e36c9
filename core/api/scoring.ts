// Request and response shapes of the scoring API (and the `scores` of the customer profile).
import { z } from 'zod';

export const scoringRunRequest = z
  .object({
    asOf: z.iso
      .datetime({ offset: true })
      .optional()
      .describe('Score as of this instant (back-testing): only orders placed up to it count. Default: now. Must not be in the future.'),
  })
  .strict()
  .meta({ id: 'ScoringRunRequest' });

export const scoringRunStarted = z
  .object({
    runId: z.uuid().describe('GET /api/v1/scoring/runs/{runId} follows it.'),
    workflowId: z.string().describe('The nightlyScoringWorkflow in Temporal.'),
    temporalUiUrl: z.string(),
  })
  .meta({ id: 'ScoringRunStarted' });

export const scoringRunListQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) });

export const scoringRun = z
  .object({
    id: z.uuid(),
    trigger: z.enum(['schedule', 'manual']),
    status: z.enum(['running', 'succeeded', 'failed']),
    asOf: z.iso.datetime(),
    workflowId: z.string(),
    workflowRunId: z.string().nullable(),
    parameters: z
      .record(z.string(), z.unknown())
      .describe('Model parameters used: `bgnbd` {r, alpha, a, b}, `gammaGamma` {p, q, v}, `modelSource` (fit | fallback | none), `propensity` per category, and the tenant `settings`.'),
    diagnostics: z
      .record(z.string(), z.unknown())
      .describe('Fit reports (log-likelihood, convergence, iterations, starts), `fallback` with its reason, propensity AUC per category, counts and events by type.'),
    steps: z.array(z.object({ step: z.string(), ms: z.number().int() })).describe('Wall time of each step.'),
    startedAt: z.iso.datetime(),
    finishedAt: z.iso.datetime().nullable(),
    durationMs: z.number().int().nullable(),
    error: z.string().nullable(),
  })
  .meta({ id: 'ScoringRun' });

export const scoringRunList = z.object({ data: z.array(scoringRun) }).meta({ id: 'ScoringRunList' });

export const customerScores = z
  .object({
    runId: z.uuid().describe('The scoring run these scores came from (GET /api/v1/scoring/runs/{runId}).'),
    asOf: z.iso.datetime(),
    scoredAt: z.iso.datetime(),
    rfm: z
      .object({ r: z.number().int(), f: z.number().int(), m: z.number().int(), segment: z.string() })
      .nullable()
      .describe('Quintile scores (5 = best) and one of the 11 segments; null for customers without valid orders.'),
    lifecycle: z.object({ state: z.string(), since: z.iso.datetime(), reason: z.string() }),
    orders: z.object({ count: z.number().int(), last365Days: z.number().int(), revenueMinor: z.number().int(), firstOrderAt: z.string().nullable(), lastOrderAt: z.string().nullable() }),
    clv: z
      .object({ oneYearMinor: z.number().int().nullable(), threeYearsMinor: z.number().int().nullable(), fiveYearsMinor: z.number().int().nullable(), currency: z.string() })
      .describe('Discounted customer lifetime value in integer minor units.'),
    expectedPurchases: z.object({ days30: z.number().nullable(), days90: z.number().nullable(), days365: z.number().nullable() }),
    pAlive: z.number().nullable(),
    churnRisk: z.number().nullable().describe('1 − P(alive).'),
    churnEpisodeOpen: z.boolean().describe('A churn-risk alert fired and the customer has not recovered yet.'),
    propensity: z.record(z.string(), z.number()).describe('Category → probability of buying in it in the next 30 days.'),
    recommendations: z.array(z.object({ productId: z.uuid(), score: z.number(), reason: z.string() })),
    nextBestAction: z.object({ action: z.string(), channel: z.string().optional(), reason: z.string(), category: z.string().optional() }).nullable(),
    history: z
      .array(z.object({ runId: z.uuid(), asOf: z.iso.datetime(), rfmSegment: z.string().nullable(), lifecycleState: z.string(), clv1yMinor: z.number().int().nullable(), pAlive: z.number().nullable() }))
      .describe('Runs in which something shown here changed, oldest first (last 100).'),
  })
  .meta({ id: 'CustomerScores' });

export type CustomerScoresView = z.infer<typeof customerScores>;
export type ScoringRunView = z.infer<typeof scoringRun>;
