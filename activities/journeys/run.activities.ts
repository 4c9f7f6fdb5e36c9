// Activities of one journey run. Every call carries the run's pending step records (and a conversion, if any), so
// recording analytics costs no extra workflow task: steps ride along with the work the run does anyway.
import { ApplicationFailure } from '@temporalio/common';
import { Liquid } from 'liquidjs';
import { inJourneyHoldout } from '#core/journeys/experiment.ts';
import type { JourneyDefinition } from '#core/journeys/definition.ts';
import { isTimeZone } from '#core/journeys/validate.ts';
import { compileSegment } from '#core/segments/compile.ts';
import type { SegmentRule } from '#core/segments/rule.ts';
import type { Db } from '#db/client.ts';
import {
  applyAttributeUpdates,
  type AttributeUpdate,
  customerContext,
  finishEntry,
  journeyStatus,
  loadJourneyVersion,
  recordConversion,
  recordEntry,
  recordSteps,
  setCurrentNode,
  type JourneyStatus,
  type StepRecord,
} from '#db/queries/journey-runs.ts';
import { assertReachableUrl } from '../connectors/url-guard.ts';
import { notifyActivationFromActivity, type TemporalDeps } from './temporal.ts';

export type { StepRecord } from '#db/queries/journey-runs.ts';

export interface EntryRef {
  id: string;
  tenantId: string;
  journeyId: string;
  version: number;
  customerId: string;
}

/** What every run activity records before doing its work: steps taken since the last call, a conversion, the position. */
export interface RunFlush {
  entry: EntryRef;
  steps: StepRecord[];
  convertedAt?: string;
  /** Where the run is now (undefined: unchanged). */
  currentNodeId?: string | null;
}

export interface BeginRunInput {
  entry: EntryRef;
  entryKey: string;
  workflowId: string;
  workflowRunId: string;
  trigger: Record<string, unknown>;
  enteredAt: string;
}

export interface BeginRunResult {
  found: boolean;
  journeyName: string;
  status: JourneyStatus;
  definition: JourneyDefinition | null;
  timeZone: string;
  inHoldout: boolean;
  birthDate: string | null;
  /** Only the attributes `until_date` delays read (history stays small). */
  dateAttributes: Record<string, unknown>;
}

export interface WebhookInput extends RunFlush {
  url: string;
  method: 'POST' | 'PUT' | 'PATCH' | 'GET';
  headers: Record<string, string>;
  body?: string;
  context: Record<string, unknown>;
}

export type JourneyRunDeps = { db: Db } & TemporalDeps;

const WEBHOOK_TIMEOUT_MS = 10_000;
const liquid = new Liquid({ strictVariables: false, strictFilters: false });

export function createJourneyRunActivities(deps: JourneyRunDeps) {
  const { db } = deps;
  const q = db.$client;

  async function flush(f: RunFlush): Promise<void> {
    await recordSteps(q, f.entry, f.steps);
    if (f.convertedAt) await recordConversion(q, f.entry.id, new Date(f.convertedAt));
    if (f.currentNodeId !== undefined) await setCurrentNode(q, f.entry.id, f.currentNodeId);
  }

  return {
    /**
     * Records the entry (idempotent: the id is the workflow's) and returns what the interpreter needs: the pinned
     * definition, the journey status, the customer's time zone and the holdout draw.
     */
    async beginJourneyRun(input: BeginRunInput): Promise<BeginRunResult> {
      const { entry } = input;
      const [version, customer] = await Promise.all([loadJourneyVersion(q, entry.tenantId, entry.journeyId, entry.version), customerContext(q, entry.tenantId, entry.customerId)]);
      if (!version || !customer)
        return { found: false, journeyName: '', status: 'archived', definition: null, timeZone: 'UTC', inHoldout: false, birthDate: null, dateAttributes: {} };
      const def = version.definition;
      const inHoldout = inJourneyHoldout(entry.journeyId, entry.customerId, def.settings.holdoutPercent);
      await recordEntry(q, {
        id: entry.id,
        tenantId: entry.tenantId,
        journeyId: entry.journeyId,
        version: entry.version,
        customerId: entry.customerId,
        entryKey: input.entryKey,
        workflowId: input.workflowId,
        workflowRunId: input.workflowRunId,
        inHoldout,
        trigger: input.trigger,
        enteredAt: new Date(input.enteredAt),
      });
      const keys = new Set(def.nodes.flatMap((n) => (n.type === 'delay' && n.delay.kind === 'until_date' && n.delay.source.kind === 'attribute' ? [n.delay.source.key] : [])));
      const dateAttributes = Object.fromEntries([...keys].filter((k) => k in customer.attributes).map((k) => [k, customer.attributes[k]]));
      return {
        found: true,
        journeyName: version.name,
        status: version.status,
        definition: def,
        timeZone: customer.timeZone && isTimeZone(customer.timeZone) ? customer.timeZone : def.settings.defaultTimeZone,
        inHoldout,
        birthDate: customer.birthDate,
        dateAttributes,
      };
    },

    /** Records pending steps (before a long wait, so "currently waiting" counts are right). */
    async recordJourneySteps(input: RunFlush): Promise<void> {
      await flush(input);
    },

    /** Before a send: records pending steps and returns the journey's status (paused holds the send). */
    async journeyBeforeSend(input: RunFlush): Promise<{ status: JourneyStatus }> {
      await flush(input);
      return { status: (await journeyStatus(q, input.entry.tenantId, input.entry.journeyId)) ?? 'archived' };
    },

    /** Split: the first branch whose segment rule holds for this customer now, else null (the else port). */
    async evaluateJourneySplit(input: RunFlush & { branches: { id: string; condition: SegmentRule }[] }): Promise<{ branchId: string | null }> {
      await flush(input);
      const now = new Date();
      for (const b of input.branches) {
        const { sql, params } = compileSegment(b.condition, { tenantId: input.entry.tenantId, now, customerIds: [input.entry.customerId] });
        const { rowCount } = await q.query(sql, params);
        if ((rowCount ?? 0) > 0) return { branchId: b.id };
      }
      return { branchId: null };
    },

    /** Update profile: atomic attribute updates guarded by this step's record (never applied twice), then wakes activation. */
    async updateJourneyProfile(input: RunFlush & { step: StepRecord; updates: AttributeUpdate[] }): Promise<{ applied: boolean }> {
      await flush(input);
      const applied = await applyAttributeUpdates(q, input.entry.tenantId, input.entry.customerId, input.updates, { entry: input.entry, step: input.step });
      // Segments over attributes re-evaluate; a retry after the update re-sends the wake-up, which is harmless.
      await notifyActivationFromActivity(deps, input.entry.tenantId);
      return { applied };
    },

    /**
     * Webhook: the body is a Liquid template over { customer, event, journey } (JSON of them when absent). 5xx,
     * 408, 429 and network errors throw (Temporal retries); other non-2xx return ok: false for onFailure.
     */
    async callJourneyWebhook(input: WebhookInput): Promise<{ ok: boolean; status?: number; error?: string }> {
      await flush(input);
      const url = new URL(input.url);
      await assertReachableUrl(url);
      const customer = await customerContext(q, input.entry.tenantId, input.entry.customerId);
      const ctx = { ...input.context, customer: customer ? { id: customer.id, birthDate: customer.birthDate, attributes: customer.attributes } : { id: input.entry.customerId } };
      let body: string | undefined;
      if (input.method !== 'GET') {
        try {
          body = input.body ? await liquid.parseAndRender(input.body, ctx) : JSON.stringify(ctx);
        } catch (err) {
          return { ok: false, error: `body template: ${(err as Error).message}` };
        }
      }
      let res: Response;
      try {
        res = await fetch(url, {
          method: input.method,
          headers: { 'content-type': 'application/json', 'user-agent': 'nerdistan-cdp-journeys', ...input.headers },
          body,
          redirect: 'manual',
          signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
        });
      } catch (err) {
        throw ApplicationFailure.retryable(`webhook ${url.origin}: ${(err as Error).message}`, 'WebhookUnavailable');
      }
      await res.body?.cancel().catch(() => {});
      if (res.status >= 500 || res.status === 408 || res.status === 429) throw ApplicationFailure.retryable(`webhook ${url.origin} answered ${res.status}`, 'WebhookUnavailable');
      return res.ok ? { ok: true, status: res.status } : { ok: false, status: res.status, error: `HTTP ${res.status}` };
    },

    /** End of the run: remaining steps, conversion, final status. */
    async finishJourneyRun(input: RunFlush & { status: 'completed' | 'exited' | 'failed'; exitReason?: string; nodeId: string | null; endedAt: string }): Promise<void> {
      await recordSteps(q, input.entry, input.steps);
      if (input.convertedAt) await recordConversion(q, input.entry.id, new Date(input.convertedAt));
      await finishEntry(q, input.entry.id, { status: input.status, exitReason: input.exitReason, endedAt: new Date(input.endedAt), nodeId: input.nodeId });
    },
  };
}

export type JourneyRunActivities = ReturnType<typeof createJourneyRunActivities>;
