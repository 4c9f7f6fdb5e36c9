// Entering many customers at once (segment backfill on publish, bulk API entry) at a controlled rate, and the hourly
// date-based entries (birthday, anniversaries) in each customer's time zone.
import type { JourneyDefinition } from '#core/journeys/definition.ts';
import { entryOf } from '#core/journeys/graph.ts';
import { birthdayEntryDue, reEntryAllowed } from '#core/journeys/scheduling.ts';
import { isTimeZone } from '#core/journeys/validate.ts';
import { addDays, formatDate, isLeapYear } from '#core/journeys/zoned-time.ts';
import type { Db } from '#db/client.ts';
import { activeJourneys, dateEntryCandidates, entryHistory, existingCustomers, journeyHead, segmentMembersPage } from '#db/queries/journey-runs.ts';
import { mapLimit } from '../connectors/http.ts';
import { clientOf, heartbeat, runTaskQueue, signalWithStartRun, type TemporalDeps } from './temporal.ts';

export type EntriesDeps = { db: Db } & TemporalDeps;

export interface BatchPageInput {
  tenantId: string;
  journeyId: string;
  batchId: string;
  /** Segment mode: members after this customer id. */
  segmentId?: string;
  after?: string;
  /** List mode: this page's ids. */
  customerIds?: string[];
  pageSize: number;
  ratePerSecond: number;
}

export interface BatchPageResult {
  /** Customers looked at on this page. */
  processed: number;
  entered: number;
  /** Not entered: re-entry rules, unknown customer. */
  skipped: number;
  /** Segment mode: the last customer id of the page (the next page starts after it). */
  last?: string;
  /** The journey stopped taking entries (paused, archived, deleted): the batch ends. */
  stopped: boolean;
}

const IN_FLIGHT = 32;

export function createJourneyEntryActivities(deps: EntriesDeps) {
  const q = deps.db.$client;

  /** Starts runs for `ids` at `ratePerSecond` (paced, bounded concurrency), skipping what re-entry forbids. */
  async function enterMany(
    tenantId: string,
    head: { journeyId: string; latestVersion: number; definition: JourneyDefinition },
    ids: string[],
    ratePerSecond: number,
    trigger: (customerId: string) => { key?: string; trigger: Parameters<typeof signalWithStartRun>[2]['trigger']; messageId: string },
  ): Promise<{ entered: number; skipped: number; workflowIds: string[] }> {
    const present = await existingCustomers(q, tenantId, ids);
    const now = new Date();
    const client = await clientOf(deps);
    const taskQueue = runTaskQueue(deps);
    const t0 = Date.now();
    let entered = 0;
    let skipped = 0;
    const workflowIds: string[] = [];
    // Histories by key: date entries key by occurrence; the rest are unkeyed.
    const histories = new Map<string, Awaited<ReturnType<typeof entryHistory>>>();
    const plans = ids.map((id) => ({ id, ...trigger(id) }));
    for (const key of new Set(plans.map((p) => p.key ?? ''))) histories.set(key, await entryHistory(q, head.journeyId, plans.filter((p) => (p.key ?? '') === key).map((p) => p.id), key));
    let slot = 0;
    await mapLimit(plans, IN_FLIGHT, async (p) => {
      if (!present.has(p.id) || !reEntryAllowed(histories.get(p.key ?? '')?.get(p.id) ?? [], head.definition.settings.reEntry, now).allowed) {
        skipped++;
        return;
      }
      const due = t0 + (slot++ * 1000) / ratePerSecond;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const workflowId = await signalWithStartRun(
        client,
        taskQueue,
        { tenantId, journeyId: head.journeyId, version: head.latestVersion, customerId: p.id, entryKey: p.key, trigger: p.trigger },
        { kind: 'event', signal: { messageId: p.messageId, event: '$journey_entry', properties: {}, at: now.toISOString() } },
      );
      workflowIds.push(workflowId);
      entered++;
      if (entered % 100 === 0) heartbeat({ entered });
    });
    return { entered, skipped, workflowIds };
  }

  return {
    /** One page of a batch entry; the batch workflow continues-as-new between pages. */
    async enterJourneyBatchPage(input: BatchPageInput): Promise<BatchPageResult> {
      const head = await journeyHead(q, input.tenantId, input.journeyId);
      if (!head || head.status !== 'active') return { processed: 0, entered: 0, skipped: 0, stopped: true };
      const ids = input.segmentId ? await segmentMembersPage(q, input.tenantId, input.segmentId, input.after, input.pageSize) : (input.customerIds ?? []);
      const at = new Date().toISOString();
      const r = await enterMany(input.tenantId, head, ids, input.ratePerSecond, () => ({ trigger: { kind: 'batch', batchId: input.batchId, at }, messageId: input.batchId }));
      return { processed: ids.length, entered: r.entered, skipped: r.skipped, last: ids[ids.length - 1], stopped: false };
    },

    async countJourneyBatch(input: { tenantId: string; segmentId: string }): Promise<number> {
      const { rows } = await q.query<{ n: number }>('select count(*)::int as n from segment_memberships where tenant_id = $1 and segment_id = $2 and exited_at is null', [input.tenantId, input.segmentId]);
      return rows[0]?.n ?? 0;
    },

    /**
     * Date-based entries due now: customers whose birthday / signup or first-order anniversary is today in their time
     * zone and whose journey's local hour has come. The entry key is the occurrence date, so a retried or repeated
     * check enters each customer once a year.
     */
    async enterDueDateJourneys(input: { tenantId: string }): Promise<{ journeys: number; entered: number; skipped: number }> {
      const now = new Date();
      const journeys = (await activeJourneys(q, input.tenantId)).filter((j) => entryOf(j.definition)?.trigger.kind === 'date');
      // Some time zone is on yesterday, today or tomorrow (UTC); Feb 29 dates are due on Feb 28 in common years.
      const today = { year: now.getUTCFullYear(), month: now.getUTCMonth() + 1, day: now.getUTCDate() };
      const days = [-1, 0, 1].map((d) => addDays(today, d));
      const monthDays = days.map((d) => formatDate(d).slice(5));
      if (days.some((d) => d.month === 2 && d.day === 28 && !isLeapYear(d.year))) monthDays.push('02-29');
      let entered = 0;
      let skipped = 0;
      for (const j of journeys) {
        const trig = entryOf(j.definition)!.trigger;
        if (trig.kind !== 'date') continue;
        const due = new Map<string, string>();
        for (const c of await dateEntryCandidates(q, input.tenantId, trig.date, monthDays)) {
          const tz = c.timeZone && isTimeZone(c.timeZone) ? c.timeZone : j.definition.settings.defaultTimeZone;
          const d = birthdayEntryDue(c.date, tz, trig.localHour, now, trig.localMinute);
          if (d.due) due.set(c.customerId, d.occurrence);
        }
        heartbeat({ journey: j.journeyId, due: due.size });
        const r = await enterMany(input.tenantId, j, [...due.keys()], 200, (id) => ({
          key: due.get(id)!,
          trigger: { kind: 'date', occurrence: due.get(id)!, at: now.toISOString() },
          messageId: `date:${due.get(id)!}`,
        }));
        entered += r.entered;
        skipped += r.skipped;
      }
      return { journeys: journeys.length, entered, skipped };
    },

    /** API entry of one customer (the route checks the journey); returns the workflow id. */
    async enterJourneyByApi(input: { tenantId: string; journeyId: string; customerId: string; key?: string; requestId: string; properties?: Record<string, unknown> }) {
      const head = await journeyHead(q, input.tenantId, input.journeyId);
      if (!head) return { entered: false, workflowId: null };
      const at = new Date().toISOString();
      const r = await enterMany(input.tenantId, head, [input.customerId], 1000, () => ({
        key: input.key,
        trigger: { kind: 'api', requestId: input.requestId, at, properties: input.properties },
        messageId: input.requestId,
      }));
      return { entered: r.entered > 0, workflowId: r.workflowIds[0] ?? null };
    },
  };
}

export type JourneyEntryActivities = ReturnType<typeof createJourneyEntryActivities>;
