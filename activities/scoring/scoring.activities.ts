// Nightly scoring steps: each one covers the whole tenant, in set-based SQL or keyset batches (never one
// customer per call), records its wall time on the run, and is safe to retry.
import { Context } from '@temporalio/activity';
import { fitBgNbd, expectedPurchasesIfAlive, probabilityAlive, type BgNbdParams, type FitReport } from '#core/scoring/bgnbd.ts';
import { churnWarning } from '#core/scoring/churn.ts';
import { lifetimeValueFactors } from '#core/scoring/clv.ts';
import { expectedAverageValue, fitGammaGamma, type GammaGammaParams } from '#core/scoring/gamma-gamma.ts';
import { evaluateLifecycle, type LifecycleState } from '#core/scoring/lifecycle.ts';
import { nextBestAction } from '#core/scoring/next-best-action.ts';
import { auc, fitLogistic, predictLogistic, PROPENSITY_FEATURES, propensityFeatures, type LogisticModel } from '#core/scoring/propensity.ts';
import { recommend } from '#core/scoring/recommendations.ts';
import { rfmSegment, type RfmSegment } from '#core/scoring/rfm.ts';
import { PERIOD_DAYS, PERIODS_PER_MONTH, readScoringSettings, type ScoringSettings } from '#core/scoring/settings.ts';
import type { Db } from '#db/client.ts';
import { inTransaction } from '#db/queries/connections.ts';
import {
  beginScoringRun,
  bgNbdSummaries,
  buildScoringWork,
  categoryBuyers,
  categoryConfidence,
  batchHistory,
  categoryStats,
  customerTotals,
  dropScoringWork,
  gammaGammaSummaries,
  lastGoodModel,
  neighboursOf,
  popularProducts,
  rebuildNeighbours,
  scoreProspects,
  topCategories,
  trainingCustomers,
  updateScoringRun,
  workBatch,
  writeScores,
  applyLifecycleChanges,
  lifecycleInputsSince,
  type CustomerHistory,
  type ScoreEventWrite,
  type ScoreWrite,
  type WorkRow,
} from '#db/queries/scoring.ts';

/** What every step needs to know about the run; carried by the workflow. */
export interface ScoringContext {
  tenantId: string;
  runId: string;
  asOf: string;
  timeZone: string;
  currency: string;
  /** Decimal places of the currency (minor units → the major units the models work in). */
  minorDigits: number;
  settings: ScoringSettings;
  /** No earlier successful run: this one sets the baseline and emits no change events. */
  baseline: boolean;
}

export interface CustomerModels {
  bgnbd: BgNbdParams | null;
  gammaGamma: GammaGammaParams | null;
  source: 'fit' | 'fallback' | 'none';
}

export interface PropensityModels {
  categories: string[];
  models: Record<string, LogisticModel>;
}

const BATCH = 10_000;
const MIN_CUSTOMERS_TO_FIT = 20;
const MAX_PROPENSITY_CATEGORIES = 20;
const PROPENSITY_SAMPLE = 20_000;
/**
 * Customers the BG/NBD and Gamma–Gamma likelihoods are evaluated on (a deterministic sample above this). BG/NBD
 * needs only (x, t_x, T), compressed to distinct triples with a weight, so a million customers cost a few seconds.
 */
const FIT_SAMPLE = 1_000_000;
/** Above this many rows the fits take the sample-then-BFGS path (a few dozen gradient passes, not ~1,000 simplex steps). */
const FIT_LARGE = 2_000;

function heartbeat(details?: unknown) {
  try {
    Context.current().heartbeat(details);
  } catch {
    // not inside an activity (bench, tests calling directly)
  }
}

function heartbeatDetails<T>(): T | undefined {
  try {
    return Context.current().info.heartbeatDetails as T | undefined;
  } catch {
    return undefined;
  }
}

function minorDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

const finite = (v: number) => Number.isFinite(v);
const round6 = (v: number) => Math.round(v * 1e6) / 1e6;
const round4 = (v: number) => Math.round(v * 1e4) / 1e4;

/**
 * A fit is usable when it converged to finite parameters away from zero (the Online Retail case runs a → 0, b → 0).
 * Very large a and b with a finite ratio are not a failure: dropout is simply the same for everyone.
 */
export function degenerate(report: FitReport<Record<string, number>> | FitReport<BgNbdParams> | FitReport<GammaGammaParams>): string | undefined {
  const values = Object.values(report.params as unknown as Record<string, number>);
  if (!report.converged) return `did not converge${report.message ? `: ${report.message}` : ''}`;
  if (!values.every(finite)) return 'non-finite parameters';
  if (values.some((v) => v < 1e-4)) return 'a parameter ran to zero (degenerate fit)';
  if (!finite(report.logLikelihood)) return 'non-finite log-likelihood';
  return undefined;
}

function stateAtLastOrder(w: WorkRow, t: ScoringSettings['lifecycle']): LifecycleState | null {
  if (w.lastGapDays === null) return 'PROSPECT';
  if (w.lastGapDays > t.dormantDays) return 'CHURNED';
  if (w.lastGapDays > t.atRiskDays) return 'DORMANT';
  if (w.daysSinceReactivation !== null && w.daysSinceReactivation - w.daysSinceLastOrder <= t.reactivationDays) return 'REACTIVATED';
  if (w.lastGapDays > t.activeDays) return 'AT_RISK';
  return 'ACTIVE';
}

async function timed<T>(db: Db, ctx: { tenantId: string; runId: string }, step: string, fn: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const out = await fn();
  await updateScoringRun(db.$client, ctx.tenantId, ctx.runId, { step: { step, ms: Math.round(performance.now() - started) } });
  return out;
}

export function createScoringActivities({ db }: { db: Db }) {
  return {
    /** Records the run and resolves what the steps need: the tenant's settings, time zone and currency. */
    async beginScoring(input: { tenantId: string; runId: string; asOf: string; trigger: 'schedule' | 'manual'; workflowId: string; workflowRunId: string }): Promise<ScoringContext> {
      const t = await db.$client.query<{ timezone: string; currency: string; settings: Record<string, unknown> }>('select timezone, currency, settings from tenants where id = $1', [input.tenantId]);
      const tenant = t.rows[0];
      if (!tenant) throw new Error(`No tenant ${input.tenantId}.`);
      const settings = readScoringSettings(tenant.settings?.scoring);
      await beginScoringRun(db.$client, { ...input, id: input.runId, parameters: { settings, timeZone: tenant.timezone, currency: tenant.currency, periodDays: PERIOD_DAYS } });
      const prior = await db.$client.query(`select 1 from scoring_runs where tenant_id = $1 and id <> $2 and status = 'succeeded' limit 1`, [input.tenantId, input.runId]);
      return { tenantId: input.tenantId, runId: input.runId, asOf: input.asOf, timeZone: tenant.timezone, currency: tenant.currency, minorDigits: minorDigits(tenant.currency), settings, baseline: !prior.rowCount };
    },

    /** Step 1: one set-based pass over the valid orders → per-customer summaries and RFM quintiles. */
    async buildScoringSummaries(ctx: ScoringContext): Promise<{ customers: number }> {
      return timed(db, ctx, 'summaries', async () => {
        const r = await inTransaction(db, (tx) => buildScoringWork(tx, {
          tenantId: ctx.tenantId,
          runId: ctx.runId,
          asOf: ctx.asOf,
          timeZone: ctx.timeZone,
          rfmWindowDays: ctx.settings.rfmWindowDays,
          reactivationGapDays: ctx.settings.lifecycle.atRiskDays,
        }));
        await updateScoringRun(db.$client, ctx.tenantId, ctx.runId, { diagnostics: { customersWithOrders: r.customers } });
        return r;
      });
    },

    /**
     * Step 2: BG/NBD and Gamma–Gamma by maximum likelihood on the compressed summaries (weeks). A fit that fails or
     * degenerates falls back to the last good run's parameters, and the run's diagnostics say so.
     */
    async fitCustomerModels(ctx: ScoringContext): Promise<CustomerModels> {
      return timed(db, ctx, 'models', async () => {
        const bgRows = await bgNbdSummaries(db.$client, ctx.runId, FIT_SAMPLE);
        const ggRows = await gammaGammaSummaries(db.$client, ctx.runId, FIT_SAMPLE);
        heartbeat();
        const customers = bgRows.reduce((s, r) => s + r.n, 0);
        const repeaters = ggRows.reduce((s, r) => s + r.n, 0);
        const scale = 10 ** ctx.minorDigits;
        const diagnostics: Record<string, unknown> = { fitCustomers: customers, fitSampled: customers >= FIT_SAMPLE, bgnbdRows: bgRows.length, gammaGammaRows: ggRows.length, repeatCustomers: repeaters };
        let bg: { params: BgNbdParams; problem?: string; report?: unknown } = { params: null as unknown as BgNbdParams, problem: undefined };
        let gg: { params: GammaGammaParams; problem?: string; report?: unknown } = { params: null as unknown as GammaGammaParams, problem: undefined };
        if (customers < MIN_CUSTOMERS_TO_FIT) bg.problem = `only ${customers} customers with orders (at least ${MIN_CUSTOMERS_TO_FIT} are needed)`;
        else {
          const started = performance.now();
          const rep = fitBgNbd({
            x: Float64Array.from(bgRows, (r) => r.x),
            tx: Float64Array.from(bgRows, (r) => r.txDays / PERIOD_DAYS),
            T: Float64Array.from(bgRows, (r) => r.tDays / PERIOD_DAYS),
            weight: Float64Array.from(bgRows, (r) => r.n),
          }, { large: FIT_LARGE });
          bg = { params: rep.params, problem: degenerate(rep), report: { ...rep, ms: Math.round(performance.now() - started) } };
        }
        heartbeat();
        if (repeaters < MIN_CUSTOMERS_TO_FIT) gg.problem = `only ${repeaters} repeat customers (at least ${MIN_CUSTOMERS_TO_FIT} are needed)`;
        else {
          const started = performance.now();
          const rep = fitGammaGamma({
            x: Float64Array.from(ggRows, (r) => r.x),
            mbar: Float64Array.from(ggRows, (r) => r.mbarMinor / scale),
            weight: Float64Array.from(ggRows, (r) => r.n),
          }, { large: FIT_LARGE });
          gg = { params: rep.params, problem: degenerate(rep), report: { ...rep, ms: Math.round(performance.now() - started) } };
        }
        diagnostics.bgnbdFit = bg.report ?? null;
        diagnostics.gammaGammaFit = gg.report ?? null;
        let source: CustomerModels['source'] = 'fit';
        let bgnbd: BgNbdParams | null = bg.problem ? null : bg.params;
        let gammaGamma: GammaGammaParams | null = gg.problem ? null : gg.params;
        if (bg.problem || gg.problem) {
          const last = await lastGoodModel(db.$client, ctx.tenantId, ctx.runId);
          diagnostics.fallback = {
            reason: [bg.problem && `BG/NBD: ${bg.problem}`, gg.problem && `Gamma–Gamma: ${gg.problem}`].filter(Boolean).join('; '),
            fromRunId: last?.runId ?? null,
          };
          if (last) {
            source = 'fallback';
            if (bg.problem) bgnbd = (last.bgnbd as BgNbdParams | null) ?? null;
            if (gg.problem) gammaGamma = (last.gammaGamma as GammaGammaParams | null) ?? null;
          } else source = bgnbd ? 'fit' : 'none';
        }
        // Both models or neither: CLV needs both, and mixing a fresh fit with an old one would hide the fallback.
        await updateScoringRun(db.$client, ctx.tenantId, ctx.runId, { parameters: { bgnbd, gammaGamma, modelSource: source }, diagnostics });
        return { bgnbd, gammaGamma, source };
      });
    },

    /** Step 3: item-to-item co-purchase neighbours, replaced in one transaction. */
    async rebuildProductNeighbours(ctx: ScoringContext): Promise<{ baskets: number; pairs: number }> {
      return timed(db, ctx, 'neighbours', async () => {
        const r = await inTransaction(db, (tx) => rebuildNeighbours(tx, { tenantId: ctx.tenantId, runId: ctx.runId, asOf: ctx.asOf, minCount: 2, perProduct: 20 }));
        await updateScoringRun(db.$client, ctx.tenantId, ctx.runId, { diagnostics: { neighbours: r } });
        return r;
      });
    },

    /**
     * Step 4: per category, an L2-regularised logistic regression trained on a deterministic sample as of
     * asOf − horizon (label: bought in the category during the horizon), AUC back-tested on a fifth held out.
     */
    async fitPropensityModels(ctx: ScoringContext): Promise<PropensityModels> {
      return timed(db, ctx, 'propensity', async () => {
        const horizonMs = ctx.settings.propensityDays * 86_400_000;
        const cutoff = new Date(Date.parse(ctx.asOf) - horizonMs).toISOString();
        const categories = await topCategories(db.$client, { tenantId: ctx.tenantId, asOf: ctx.asOf, limit: MAX_PROPENSITY_CATEGORIES });
        const sample = await trainingCustomers(db.$client, { tenantId: ctx.tenantId, cutoff, limit: PROPENSITY_SAMPLE });
        const report: Record<string, { auc: number | null; trained: number; positives: number; holdout: number; note?: string }> = {};
        const models: Record<string, LogisticModel> = {};
        if (categories.length && sample.length) {
          const stats = await categoryStats(db.$client, { tenantId: ctx.tenantId, customerIds: sample, asOf: cutoff });
          const totals = await customerTotals(db.$client, { tenantId: ctx.tenantId, customerIds: sample, asOf: cutoff });
          const conf = confidenceMap(await categoryConfidence(db.$client, { tenantId: ctx.tenantId, asOf: cutoff }));
          const labels = await categoryBuyers(db.$client, { tenantId: ctx.tenantId, customerIds: sample, from: cutoff, to: ctx.asOf });
          const byCustomer = groupStats(stats);
          const scale = 10 ** ctx.minorDigits;
          for (const cat of categories) {
            heartbeat({ category: cat });
            const Xtr: Float64Array[] = [];
            const ytr: number[] = [];
            const Xho: Float64Array[] = [];
            const yho: number[] = [];
            sample.forEach((id, i) => {
              const x = featuresFor(byCustomer.get(id), totals.get(id), cat, conf, scale);
              const y = labels.has(`${id}|${cat}`) ? 1 : 0;
              // Every fifth sampled customer is held out for the back-tested AUC.
              const [X, Y] = i % 5 === 4 ? [Xho, yho] : [Xtr, ytr];
              X.push(x);
              Y.push(y);
            });
            const positives = ytr.reduce((s, v) => s + v, 0);
            const holdPos = yho.reduce((s, v) => s + v, 0);
            if (!positives || positives === ytr.length) {
              report[cat] = { auc: null, trained: ytr.length, positives, holdout: yho.length, note: 'no variation in the training labels: no model' };
              continue;
            }
            const model = fitLogistic(Xtr, Uint8Array.from(ytr), { features: [...PROPENSITY_FEATURES], l2: 1 });
            models[cat] = model;
            const scores = Xho.map((x) => predictLogistic(model, x));
            report[cat] = {
              auc: holdPos && holdPos < yho.length ? round6(auc(scores, yho)) : null,
              trained: ytr.length,
              positives,
              holdout: yho.length,
              ...(holdPos && holdPos < yho.length ? {} : { note: 'the holdout has one class only: AUC undefined' }),
            };
          }
        }
        await updateScoringRun(db.$client, ctx.tenantId, ctx.runId, {
          parameters: { propensity: Object.fromEntries(Object.entries(models).map(([k, m]) => [k, { features: m.features, weights: m.weights.map(round6), intercept: round6(m.intercept), l2: m.l2 }])) },
          diagnostics: { propensity: { cutoff, sample: sample.length, categories: report } },
        });
        return { categories, models };
      });
    },

    /**
     * Step 5: every customer with orders, in keyset batches: lifecycle, BG/NBD predictions, CLV, churn warning,
     * propensity, recommendations, next best action; scores, history and change events written per batch in one
     * transaction. Resumes after the last committed batch when retried (heartbeat details).
     */
    async scoreCustomers(input: { ctx: ScoringContext; models: CustomerModels; propensity: PropensityModels }): Promise<{ customers: number; events: number }> {
      const { ctx, models, propensity } = input;
      return timed(db, ctx, 'customers', async () => {
        const resume = heartbeatDetails<{ after: string | null; customers: number; events: number }>();
        let after = resume?.after ?? null;
        let customers = resume?.customers ?? 0;
        let events = resume?.events ?? 0;
        const scale = 10 ** ctx.minorDigits;
        const conf = confidenceMap(await categoryConfidence(db.$client, { tenantId: ctx.tenantId, asOf: ctx.asOf }));
        const popular = await popularProducts(db.$client, { tenantId: ctx.tenantId, asOf: ctx.asOf, limit: 50 });
        const lifecycleThresholds = ctx.settings.lifecycle;
        const predictions = predictionCache();
        // Where the time goes (ms), reported in the run's diagnostics.
        const spent = { read: 0, products: 0, compute: 0, write: 0 };
        const neighbours = new Map<string, { item: string; score: number }[]>();
        let mark = performance.now();
        const lap = (k: keyof typeof spent) => {
          const now = performance.now();
          spent[k] += now - mark;
          mark = now;
        };
        const readBatch = async (from: string | null) => {
          const rows = await workBatch(db.$client, { runId: ctx.runId, asOf: ctx.asOf, timeZone: ctx.timeZone, after: from, limit: BATCH });
          const history = rows.length
            ? await batchHistory(db.$client, {
                tenantId: ctx.tenantId,
                fromId: rows[0]!.customerId,
                toId: rows.at(-1)!.customerId,
                asOf: ctx.asOf,
                recentDays: ctx.settings.recentPurchaseDays,
                categories: propensity.categories.length > 0,
              })
            : new Map<string, CustomerHistory>();
          return { rows, history };
        };
        // The next batch is read while this one is computed and written: PostgreSQL and Node each keep a core busy.
        let next = readBatch(after);
        for (;;) {
          mark = performance.now();
          const { rows, history } = await next;
          lap('read');
          if (!rows.length) break;
          next = rows.length < BATCH ? Promise.resolve({ rows: [], history: new Map<string, CustomerHistory>() }) : readBatch(rows.at(-1)!.customerId);
          // A failure below must not leave this read's rejection unobserved; awaiting it still throws.
          next.catch(() => {});
          const missing = new Set<string>();
          for (const h of history.values()) for (const [id] of h.products) if (!neighbours.has(id)) missing.add(id);
          // Neighbours are loaded once per product for the whole step (a catalogue's worth at most).
          if (missing.size) {
            const found = await neighboursOf(db.$client, ctx.tenantId, [...missing]);
            for (const id of missing) neighbours.set(id, found.get(id) ?? []);
          }
          lap('products');
          const writes: ScoreWrite[] = [];
          const evs: ScoreEventWrite[] = [];
          for (const w of rows) {
            const segment: RfmSegment = rfmSegment(w.r, w.f, w.m);
            const lc = evaluateLifecycle(
              {
                orders: w.orders,
                orders365: w.orders365,
                daysSinceLastOrder: w.daysSinceLastOrder,
                previousState: (w.prev?.lifecycleState as LifecycleState | undefined) ?? null,
                stateAtLastOrder: stateAtLastOrder(w, lifecycleThresholds),
                daysSinceReactivation: w.daysSinceReactivation,
                rfmSegment: segment,
              },
              lifecycleThresholds,
            );
            const x = w.x;
            const mbar = w.mbarMinor / scale;
            let pAlive: number | null = null;
            let e30: number | null = null;
            let e90: number | null = null;
            let e365: number | null = null;
            let clv: [number | null, number | null, number | null] = [null, null, null];
            if (models.bgnbd) {
              const m = predictions(models, w, ctx.settings.monthlyDiscountRate);
              pAlive = m.pAlive;
              e30 = m.e30;
              e90 = m.e90;
              e365 = m.e365;
              if (models.gammaGamma && m.unitClv) {
                const spend = expectedAverageValue(models.gammaGamma, x, mbar);
                clv = m.unitClv.map((u) => (finite(u * spend) ? Math.round(u * spend * scale) : null)) as [number | null, number | null, number | null];
              }
            }
            if (pAlive !== null && !finite(pAlive)) pAlive = null;
            const churnRisk = pAlive === null ? null : round6(1 - pAlive);
            const prev = w.prev;
            const warn = churnWarning(
              { pAlive: prev?.pAlive ?? null, state: (prev?.lifecycleState as LifecycleState | undefined) ?? null, episodeOpen: prev?.churnEpisodeOpen ?? false },
              // Without a model the warning rests on the lifecycle alone (AT_RISK).
              { pAlive: pAlive ?? 1, state: lc.state },
              ctx.settings.churnThreshold,
            );
            const prop: Record<string, number> = {};
            const h = history.get(w.customerId);
            const cs = h && h.categories.length ? new Map(h.categories.map(([c, orders, spendMinor, daysSinceLast]) => [c, { orders, spendMinor, daysSinceLast }])) : undefined;
            for (const cat of propensity.categories) {
              const m = propensity.models[cat];
              if (!m) continue;
              prop[cat] = round4(predictLogistic(m, featuresFor(cs, { orders: w.orders, daysSinceLast: w.daysSinceLastOrder }, cat, conf, scale)));
            }
            const top = Object.entries(prop).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0];
            const items = h ? h.products.map(([id]) => id) : [];
            const recent = new Set(h ? h.products.filter(([, isRecent]) => isRecent).map(([id]) => id) : []);
            const recs = recommend(items, recent, neighbours, popular, ctx.settings.recommendations).map((r) => ({ productId: r.item, score: round4(r.score), reason: r.reason }));
            const nba = nextBestAction({ rfmSegment: segment, lifecycle: lc.state, pAlive, churnRisk, topCategory: top?.[0] ?? null, topCategoryPropensity: top?.[1] ?? null });
            const changedState = prev?.lifecycleState !== lc.state;
            const clv1 = clv[0];
            writes.push({
              customerId: w.customerId,
              orders: w.orders,
              orders365: w.orders365,
              revenueMinor: w.revenueMinor,
              currency: ctx.currency,
              firstOrderAt: w.firstOrderAt,
              lastOrderAt: w.lastOrderAt,
              r: w.r,
              f: w.f,
              m: w.m,
              rfmSegment: segment,
              lifecycleState: lc.state,
              lifecycleReason: lc.reason,
              lifecycleSince: !changedState && prev ? prev.lifecycleSince : ctx.asOf,
              clv1yMinor: clv1,
              clv3yMinor: clv[1],
              clv5yMinor: clv[2],
              expected30: e30,
              expected90: e90,
              expected365: e365,
              pAlive,
              churnRisk,
              churnEpisodeOpen: warn.episodeOpen,
              propensity: prop,
              recommendations: recs,
              nextBestAction: { ...nba },
              history:
                !prev ||
                changedState ||
                prev.rfmSegment !== segment ||
                prev.r !== w.r ||
                prev.f !== w.f ||
                prev.m !== w.m ||
                Math.abs((prev.pAlive ?? -1) - (pAlive ?? -1)) >= 0.01 ||
                Math.abs((prev.clv1yMinor ?? 0) - (clv1 ?? 0)) > 0.02 * Math.max(1, Math.abs(prev.clv1yMinor ?? 0)),
            });
            if (ctx.baseline) continue;
            if (prev?.rfmSegment !== segment) {
              if (prev?.rfmSegment) evs.push({ customerId: w.customerId, type: 'segment_exited', subject: prev.rfmSegment, fromState: prev.rfmSegment, toState: segment, reason: 'RFM segment changed', payload: { r: w.r, f: w.f, m: w.m } });
              evs.push({ customerId: w.customerId, type: 'segment_entered', subject: segment, fromState: prev?.rfmSegment ?? null, toState: segment, reason: 'RFM segment changed', payload: { r: w.r, f: w.f, m: w.m } });
            }
            if (changedState)
              evs.push({ customerId: w.customerId, type: 'lifecycle_changed', subject: lc.state, fromState: prev?.lifecycleState ?? null, toState: lc.state, reason: lc.reason, payload: { daysSinceLastOrder: w.daysSinceLastOrder, orders: w.orders } });
            if (warn.alert)
              evs.push({ customerId: w.customerId, type: 'churn_risk_alert', subject: 'churn_risk', fromState: prev?.lifecycleState ?? null, toState: lc.state, reason: warn.reason ?? 'churn risk', payload: { pAlive, previousPAlive: prev?.pAlive ?? null, threshold: ctx.settings.churnThreshold } });
          }
          lap('compute');
          await inTransaction(db, (tx) => writeScores(tx, { tenantId: ctx.tenantId, runId: ctx.runId, asOf: ctx.asOf }, writes, evs));
          lap('write');
          customers += rows.length;
          events += evs.length;
          after = rows.at(-1)!.customerId;
          heartbeat({ after, customers, events });
          if (rows.length < BATCH) break;
        }
        await updateScoringRun(db.$client, ctx.tenantId, ctx.runId, {
          diagnostics: { customersScored: customers, events, customerStepMs: Object.fromEntries(Object.entries(spent).map(([k, v]) => [k, Math.round(v)])) },
        });
        return { customers, events };
      });
    },

    /** Step 6: customers without a valid order → PROSPECT, set-based. */
    async scoreProspectCustomers(ctx: ScoringContext): Promise<{ prospects: number; transitions: number }> {
      return timed(db, ctx, 'prospects', async () => {
        const r = await inTransaction(db, (tx) => scoreProspects(tx, { tenantId: ctx.tenantId, runId: ctx.runId, asOf: ctx.asOf, currency: ctx.currency }));
        await updateScoringRun(db.$client, ctx.tenantId, ctx.runId, { diagnostics: { prospects: r.prospects } });
        return r;
      });
    },

    /** Last step: drops the run's scratch rows and records the outcome, the counts and the event totals. */
    async finishScoring(input: { tenantId: string; runId: string; status: 'succeeded' | 'failed'; error?: string }): Promise<void> {
      await dropScoringWork(db.$client, input.runId);
      const ev = await db.$client.query<{ type: string; n: number }>('select type, count(*)::int as n from score_events where tenant_id = $1 and run_id = $2 group by 1', [input.tenantId, input.runId]);
      await updateScoringRun(db.$client, input.tenantId, input.runId, {
        status: input.status,
        error: input.error ?? null,
        diagnostics: { eventsByType: Object.fromEntries(ev.rows.map((r) => [r.type, r.n])) },
      });
    },

    /**
     * Lifecycle "on every order": after a sync wrote orders, re-evaluates the lifecycle of the customers (already
     * scored) who got a valid order since `since`, and records each transition as an event. Set-based; the nightly
     * run does the rest (new customers, cancellations of older orders, every other score).
     */
    async refreshOrderLifecycle(input: { tenantId: string; since: string }): Promise<{ customers: number; transitions: number }> {
      const t = await db.$client.query<{ timezone: string; settings: Record<string, unknown> }>('select timezone, settings from tenants where id = $1', [input.tenantId]);
      const tenant = t.rows[0];
      if (!tenant) return { customers: 0, transitions: 0 };
      const settings = readScoringSettings(tenant.settings?.scoring);
      const asOf = new Date().toISOString();
      const rows = await lifecycleInputsSince(db.$client, { tenantId: input.tenantId, since: input.since, asOf, timeZone: tenant.timezone, reactivationGapDays: settings.lifecycle.atRiskDays });
      const changes = rows.map((r) => {
        const w = { lastGapDays: r.lastGapDays, daysSinceReactivation: r.daysSinceReactivation, daysSinceLastOrder: r.daysSinceLastOrder } as WorkRow;
        const lc = evaluateLifecycle(
          {
            orders: r.orders,
            orders365: r.orders365,
            daysSinceLastOrder: r.daysSinceLastOrder,
            previousState: r.prevState as LifecycleState,
            stateAtLastOrder: stateAtLastOrder(w, settings.lifecycle),
            daysSinceReactivation: r.daysSinceReactivation,
            rfmSegment: r.rfmSegment as RfmSegment | null,
          },
          settings.lifecycle,
        );
        return { customerId: r.customerId, state: lc.state, reason: lc.reason, orders: r.orders, orders365: r.orders365, lastOrderAt: r.lastOrderAt };
      });
      const transitions = await inTransaction(db, (tx) => applyLifecycleChanges(tx, { tenantId: input.tenantId, asOf }, changes));
      return { customers: rows.length, transitions };
    },

    /** VTEX connections of the tenant with write-back switched on (and fields to write). */
    async scoringWriteBackTargets(input: { tenantId: string }): Promise<string[]> {
      const r = await db.$client.query<{ id: string }>(
        `select id from connections where tenant_id = $1 and kind = 'vtex' and status = 'active'
           and coalesce((config->'writeBack'->>'enabled')::boolean, false) and config->'writeBack'->'fields' <> '{}'::jsonb`,
        [input.tenantId],
      );
      return r.rows.map((x) => x.id);
    },
  };
}

export type ScoringActivities = ReturnType<typeof createScoringActivities>;

type Stats = Map<string, Map<string, { orders: number; spendMinor: number; daysSinceLast: number }>>;

function groupStats(rows: { customerId: string; category: string; orders: number; spendMinor: number; daysSinceLast: number }[]): Stats {
  const out: Stats = new Map();
  for (const r of rows) {
    const m = out.get(r.customerId) ?? new Map();
    m.set(r.category, { orders: r.orders, spendMinor: r.spendMinor, daysSinceLast: r.daysSinceLast });
    out.set(r.customerId, m);
  }
  return out;
}

function confidenceMap(rows: { a: string; b: string; confidence: number }[]): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (const r of rows) out.set(r.a, (out.get(r.a) ?? new Map()).set(r.b, r.confidence));
  return out;
}

/** Co-purchase affinity of a customer for a category: the best confidence(c' → c) over the categories they bought. */
function featuresFor(
  cats: Map<string, { orders: number; spendMinor: number; daysSinceLast: number }> | undefined,
  totals: { orders: number; daysSinceLast: number } | undefined,
  cat: string,
  conf: Map<string, Map<string, number>>,
  scale: number,
): Float64Array {
  const own = cats?.get(cat);
  let affinity = 0;
  for (const c of cats?.keys() ?? []) if (c !== cat) affinity = Math.max(affinity, conf.get(c)?.get(cat) ?? 0);
  return propensityFeatures({
    daysSinceLastInCategory: own ? own.daysSinceLast : null,
    ordersInCategory: own?.orders ?? 0,
    spendInCategory: (own?.spendMinor ?? 0) / scale,
    ordersTotal: totals?.orders ?? 0,
    daysSinceLastOrder: totals ? totals.daysSinceLast : null,
    coPurchaseAffinity: affinity,
  });
}

/**
 * BG/NBD predictions are P(alive | x, t_x, T) times a bracket of (x, T) alone (expectedPurchasesIfAlive), and CLV
 * is E(M) × P(alive) × a discounted sum of those brackets (lifetimeValueFactors): the costly ₂F₁ terms are
 * computed once per distinct (x, T), a few tens of thousands for a million customers; P(alive) is a closed
 * form, computed per customer.
 */
function predictionCache() {
  const cache = new Map<number, { g30: number; g90: number; g365: number; unitClv: number[] | null }>();
  // Probabilities of 1e-300 are 0 for every purpose, and would underflow PostgreSQL's float types.
  const ok = (v: number) => (finite(v) ? (Math.abs(v) < 1e-12 ? 0 : v) : null);
  return (models: CustomerModels, w: WorkRow, monthlyDiscountRate: number) => {
    const bg = models.bgnbd!;
    const x = w.x;
    const tx = w.txDays / PERIOD_DAYS;
    const T = w.tDays / PERIOD_DAYS;
    const key = x * 1_000_000 + w.tDays;
    let hit = cache.get(key);
    if (!hit) {
      hit = {
        g30: expectedPurchasesIfAlive(bg, 30 / PERIOD_DAYS, x, T),
        g90: expectedPurchasesIfAlive(bg, 90 / PERIOD_DAYS, x, T),
        g365: expectedPurchasesIfAlive(bg, 365 / PERIOD_DAYS, x, T),
        unitClv: models.gammaGamma ? lifetimeValueFactors(bg, { x, T }, { months: [12, 36, 60], monthlyDiscountRate, periodsPerMonth: PERIODS_PER_MONTH }) : null,
      };
      if (cache.size < 2_000_000) cache.set(key, hit);
    }
    const alive = probabilityAlive(bg, x, tx, T);
    let unitClv: [number, number, number] | null = null;
    if (hit.unitClv && models.gammaGamma) {
      // Any positive mean spend gives the same factor; the customer's own is applied by the caller.
      const spend = expectedAverageValue(models.gammaGamma, x, x > 0 ? Math.max(w.mbarMinor, 1) : 0);
      if (spend > 0 && finite(spend)) unitClv = hit.unitClv.map((f) => f * alive) as [number, number, number];
    }
    return { pAlive: ok(alive), e30: ok(hit.g30 * alive), e90: ok(hit.g90 * alive), e365: ok(hit.g365 * alive), unitClv };
  };
}
