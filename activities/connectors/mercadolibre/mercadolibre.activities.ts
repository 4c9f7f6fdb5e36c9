// MercadoLibre sync activities: plan the order windows, read and commit one page at a time, recover missed
// notifications and drain the webhook inbox. Each page's profiles, orders, cursor and run counts commit in one
// transaction, so a retry or a crash never skips or duplicates a record.
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import { mercadolibreConfig, mercadolibreCredentials, type MercadoLibreConfig } from '#core/connectors/config.ts';
import {
  mapBuyer,
  mapOrder,
  mergeBuyerProfiles,
  mlNotification,
  mlOrder,
  notificationEventId,
  orderIdOfResource,
  type MlBillingInfo,
  type MlOrder,
} from '#core/connectors/mercadolibre.ts';
import {
  advance,
  inclusiveBounds,
  nextWindow,
  ORDERS_STREAM,
  planOrders,
  progressOf,
  splitIfTooBig,
  stepBackIfShrunk,
  type OrdersCursor,
} from '#core/connectors/mercadolibre-cursor.ts';
import { emptyCounts, type SyncCounts, type SyncProgress } from '#core/connectors/types.ts';
import type { OrderRecord } from '#core/ingest/orders.ts';
import type { ProfileRecord } from '#core/ingest/profiles.ts';
import type { Db } from '#db/client.ts';
import { inTransaction, loadConnection, readCursor, recordRunPage, writeCursor, type Tx } from '#db/queries/connections.ts';
import { upsertProfiles } from '#db/queries/ingest.ts';
import { enqueueNotifications, markNotificationsProcessed, pendingNotifications, type InboxEntry } from '#db/queries/webhook-inbox.ts';
import { upsertOrders } from '#db/queries/orders.ts';
import { credentialsKeyring, type Keyring } from '#platform/secrets.ts';
import { FAILURE } from '#workflows/connectors/sync.contract.ts';
import { mapLimit } from '../http.ts';
import { mercadolibreApi, type MercadoLibreApi } from './client.ts';
import { notConnected } from './tokens.ts';

export interface MercadoLibreActivityOptions {
  /** Orders per search page (ML allows up to 51). */
  pageSize?: number;
  /** ML rejects search offsets at or above this; windows holding as many orders are split. */
  maxOffset?: number;
  /** Length of the backfill's initial windows. */
  windowDays?: number;
  /** Backfill range when the connection sets no backfillFrom. */
  defaultBackfillDays?: number;
  /** Incremental runs re-read this much before the last synced instant. */
  overlapMinutes?: number;
  /** Parallel billing_info / order requests. */
  concurrency?: number;
}

const DEFAULTS: Required<MercadoLibreActivityOptions> = {
  pageSize: 50,
  maxOffset: 10_000,
  windowDays: 30,
  defaultBackfillDays: 365,
  overlapMinutes: 10,
  concurrency: 8,
};

export interface ConnectionRef {
  tenantId: string;
  connectionId: string;
}

export interface OrdersPageResult {
  /** Every window of the plan is read (the cursor now holds `syncedTo`). */
  finished: boolean;
  counts: SyncCounts;
  progress: SyncProgress;
  /** New or changed profiles were written: identity resolution has work. */
  profilesChanged: boolean;
}

export interface InboxResult {
  processed: number;
  counts: SyncCounts;
  profilesChanged: boolean;
  /** A full batch was taken: more may be waiting. */
  more: boolean;
}

type RecordError = { stream: string; externalId: string; reason: string };

interface Mapped {
  profiles: ProfileRecord[];
  orders: OrderRecord[];
  errors: RecordError[];
}

const gone = () => ApplicationFailure.nonRetryable('The MercadoLibre connection was deleted or is not a MercadoLibre connection.', FAILURE.gone);
const zodReason = (e: z.ZodError) => e.issues.map((i) => `${i.path.join('.') || '(order)'}: ${i.message}`).join('; ');

export function createMercadoLibreActivities(deps: { db: Db; keyring?: Keyring }, options: MercadoLibreActivityOptions = {}) {
  const { db } = deps;
  const opt = { ...DEFAULTS, ...options };
  const ring = () => deps.keyring ?? credentialsKeyring();

  async function open({ tenantId, connectionId }: ConnectionRef): Promise<{ config: MercadoLibreConfig & { sellerId: string }; api: MercadoLibreApi }> {
    const c = await loadConnection(db.$client, ring(), connectionId);
    if (!c || c.tenantId !== tenantId || c.kind !== 'mercadolibre') throw gone();
    const config = mercadolibreConfig.safeParse(c.config);
    if (!config.success) throw ApplicationFailure.nonRetryable(`The connection's settings are invalid: ${zodReason(config.error)}`, FAILURE.rejected);
    const credentials = mercadolibreCredentials.safeParse(c.credentials);
    if (!config.data.sellerId || !credentials.success) throw notConnected();
    const api = mercadolibreApi({ config: config.data, credentials: credentials.data, tokens: { db, keyring: ring(), connectionId } });
    return { config: { ...config.data, sellerId: config.data.sellerId }, api };
  }

  /** Billing info for each order (concurrently), then the records to write; bad orders become record errors. */
  async function mapOrders(api: MercadoLibreApi, orders: readonly MlOrder[]): Promise<Mapped> {
    const billings = await mapLimit(orders, opt.concurrency, (o) => api.billingInfo(o.id));
    const out: Mapped = { profiles: [], orders: [], errors: [] };
    orders.forEach((o, i) => {
      const b: { billing?: MlBillingInfo; error?: string } = billings[i]!;
      try {
        const order = mapOrder(o);
        // A malformed billing_info costs the documents, not the order.
        out.profiles.push(mapBuyer(o, b.billing));
        out.orders.push(order);
        if (b.error) out.errors.push({ stream: 'billing_info', externalId: o.id, reason: b.error });
      } catch (err) {
        out.errors.push({ stream: ORDERS_STREAM, externalId: o.id, reason: (err as Error).message });
      }
    });
    return out;
  }

  async function write(tx: Tx, tenantId: string, source: string, m: Mapped, fetched: number) {
    const p = await upsertProfiles(tx, tenantId, source, mergeBuyerProfiles(m.profiles));
    const o = await upsertOrders(tx, tenantId, source, m.orders);
    const failed = m.errors.filter((e) => e.stream === ORDERS_STREAM).length;
    const counts: SyncCounts = { fetched, inserted: o.inserted, updated: o.updated, skipped: o.unchanged, failed };
    return { counts, profilesChanged: p.inserted + p.updated > 0 };
  }

  /** Commits a cursor move that writes no data (plan, split, step back) unless another run moved it first. */
  async function moveCursor(ref: ConnectionRef, runId: string, from: OrdersCursor | undefined, to: OrdersCursor): Promise<boolean> {
    return inTransaction(db, async (tx) => {
      if (!(await sameCursor(tx, ref.connectionId, from))) return false;
      await writeCursor(tx, ref.tenantId, ref.connectionId, ORDERS_STREAM, to as Record<string, unknown>);
      await recordRunPage(tx, runId, { counts: {}, progress: progressOf(to) });
      return true;
    });
  }

  /** Locks the cursor row and checks nobody (a concurrent run of the same connection) moved it since it was read. */
  async function sameCursor(tx: Tx, connectionId: string, expected: OrdersCursor | undefined): Promise<boolean> {
    const r = await tx.query<{ cursor: OrdersCursor }>('select cursor from sync_cursors where connection_id = $1 and stream = $2 for update', [connectionId, ORDERS_STREAM]);
    return JSON.stringify(r.rows[0]?.cursor ?? null) === JSON.stringify(expected ?? null);
  }

  return {
    /** Resumes the plan in progress, or plans a backfill (first run) or an incremental run; reports the windows. */
    async mercadolibrePlanOrders(input: ConnectionRef & { runId: string }): Promise<SyncProgress> {
      const { config } = await open(input);
      const before = await readCursor<OrdersCursor>(db.$client, input.connectionId, ORDERS_STREAM);
      const planned = planOrders(before, {
        nowMs: Date.now(),
        backfillFrom: config.backfillFrom,
        defaultBackfillDays: opt.defaultBackfillDays,
        windowMs: opt.windowDays * 24 * 3600_000,
        overlapMs: opt.overlapMinutes * 60_000,
      });
      if (planned !== before) await moveCursor(input, input.runId, before, planned);
      return progressOf((await readCursor<OrdersCursor>(db.$client, input.connectionId, ORDERS_STREAM)) ?? planned);
    },

    /** Reads and commits the next page of the plan (or splits a window that is too big to page through). */
    async mercadolibreOrdersPage(input: ConnectionRef & { runId: string }): Promise<OrdersPageResult> {
      const { config, api } = await open(input);
      const cursor = await readCursor<OrdersCursor>(db.$client, input.connectionId, ORDERS_STREAM);
      const nothing = (c: OrdersCursor | undefined, finished: boolean): OrdersPageResult => ({
        finished,
        counts: emptyCounts(),
        progress: progressOf(c ?? {}),
        profilesChanged: false,
      });
      const plan = cursor?.plan;
      if (!cursor || !plan?.windows.length) return nothing(cursor, true);
      const window = plan.windows[0]!;

      // Past the cap only a window that could not be split further: report what is left out, move on.
      if (plan.offset >= opt.maxOffset) {
        const next = nextWindow(cursor);
        await inTransaction(db, async (tx) => {
          if (!(await sameCursor(tx, input.connectionId, cursor))) return;
          await writeCursor(tx, input.tenantId, input.connectionId, ORDERS_STREAM, next as Record<string, unknown>);
          await recordRunPage(tx, input.runId, {
            counts: { failed: (plan.lastTotal ?? plan.offset) - plan.offset },
            recordErrors: [{ stream: ORDERS_STREAM, externalId: `${window.from}..${window.to}`, reason: `more than ${opt.maxOffset} orders in one millisecond; MercadoLibre cannot page past that` }],
            progress: progressOf(next),
          });
        });
        return nothing(next, !next.plan);
      }

      const page = await api.searchOrders({ sellerId: config.sellerId, field: plan.field, window: inclusiveBounds(window), offset: plan.offset, limit: opt.pageSize });
      const total = page.paging.total;
      const moved = splitIfTooBig(cursor, total, opt.maxOffset) ?? stepBackIfShrunk(cursor, total);
      if (moved) {
        await moveCursor(input, input.runId, cursor, moved);
        return nothing(moved, false);
      }

      // Results may repeat at page boundaries: one copy of each order per page.
      const orders = new Map<string, MlOrder>();
      const errors: RecordError[] = [];
      for (const raw of page.results) {
        const o = mlOrder.safeParse(raw);
        if (o.success) orders.set(o.data.id, o.data);
        else errors.push({ stream: ORDERS_STREAM, externalId: String((raw as { id?: unknown })?.id ?? '?'), reason: zodReason(o.error) });
      }
      const mapped = await mapOrders(api, [...orders.values()]);
      mapped.errors.push(...errors);
      const next = advance(cursor, { received: page.results.length, total });
      const result = await inTransaction(db, async (tx) => {
        if (!(await sameCursor(tx, input.connectionId, cursor))) return undefined;
        const w = await write(tx, input.tenantId, config.source, mapped, page.results.length);
        w.counts.failed += errors.length;
        await writeCursor(tx, input.tenantId, input.connectionId, ORDERS_STREAM, next as Record<string, unknown>);
        await recordRunPage(tx, input.runId, { counts: w.counts, recordErrors: mapped.errors, progress: progressOf(next) });
        return w;
      });
      // Another run of this connection committed this page first: nothing written here, carry on from its cursor.
      if (!result) return nothing(cursor, false);
      return { finished: !next.plan, counts: result.counts, progress: progressOf(next), profilesChanged: result.profilesChanged };
    },

    /** Puts the `orders_v2` notifications ML failed to deliver (for this seller) into the inbox. */
    async mercadolibrePullMissedFeeds(input: ConnectionRef): Promise<{ seen: number; queued: number }> {
      const { config, api } = await open(input);
      const entries: InboxEntry[] = [];
      const limit = 50;
      let seen = 0;
      // ML keeps about two days of them; the bound only guards against a feed that never ends.
      for (let offset = 0; offset < 5_000; offset += limit) {
        const page = await api.missedFeeds({ appId: config.clientId, topic: 'orders_v2', offset, limit });
        for (const raw of page.messages) {
          const n = mlNotification.safeParse(raw);
          // The feed is per application, shared by every seller that authorized it: keep this seller's.
          if (!n.success || n.data.user_id !== config.sellerId || n.data.topic !== 'orders_v2') continue;
          seen++;
          entries.push({ tenantId: input.tenantId, connectionId: input.connectionId, eventId: notificationEventId(n.data), topic: n.data.topic, resource: n.data.resource, payload: { ...n.data, recoveredFrom: 'missed_feeds' } });
        }
        if (page.messages.length < limit) break;
      }
      const byId = new Map(entries.map((e) => [e.eventId, e]));
      return { seen, queued: await enqueueNotifications(db.$client, [...byId.values()]) };
    },

    /** Fetches the orders named by waiting notifications and stores them; marks the notifications processed. */
    async mercadolibreProcessInbox(input: ConnectionRef & { runId?: string; limit: number }): Promise<InboxResult> {
      const rows = await pendingNotifications(db.$client, input.connectionId, input.limit);
      if (!rows.length) return { processed: 0, counts: emptyCounts(), profilesChanged: false, more: false };
      const { config, api } = await open(input);
      const ids = [...new Set(rows.map((r) => (r.topic === 'orders_v2' && r.resource ? orderIdOfResource(r.resource) : undefined)).filter((x): x is string => !!x))];
      const fetched = await mapLimit(ids, opt.concurrency, async (id) => {
        try {
          return { id, order: await api.order(id) };
        } catch (err) {
          if (err instanceof z.ZodError) return { id, error: zodReason(err) };
          throw err;
        }
      });
      const found = fetched.filter((f): f is { id: string; order: MlOrder } => !!f.order);
      const mapped = await mapOrders(api, found.map((f) => f.order));
      const problems = new Map<string, string>();
      for (const f of fetched) if (!f.order) problems.set(f.id, f.error ?? 'order not found on MercadoLibre');
      for (const e of mapped.errors) if (e.stream === ORDERS_STREAM) problems.set(e.externalId, e.reason);
      const result = await inTransaction(db, async (tx) => {
        const w = await write(tx, input.tenantId, config.source, mapped, ids.length);
        w.counts.failed += fetched.filter((f) => f.error).length;
        await markNotificationsProcessed(
          tx,
          rows.map((r) => {
            const id = r.topic === 'orders_v2' && r.resource ? orderIdOfResource(r.resource) : undefined;
            return { id: r.id, receivedAt: r.receivedAt, error: !id ? `not an order notification (${r.topic} ${r.resource ?? ''})` : problems.get(id) };
          }),
        );
        if (input.runId) await recordRunPage(tx, input.runId, { counts: w.counts, recordErrors: mapped.errors });
        return w;
      });
      return { processed: rows.length, counts: result.counts, profilesChanged: result.profilesChanged, more: rows.length === input.limit };
    },
  };
}

export type MercadoLibreActivities = ReturnType<typeof createMercadoLibreActivities>;
