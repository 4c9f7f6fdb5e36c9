// VTEX sync activities: each fetches ONE page, maps it, and commits its rows, its cursor and its run counts in
// one transaction, so a crash or retry never skips or duplicates a record.
import { Context } from '@temporalio/activity';
import { CancelledFailure } from '@temporalio/common';
import { beginRange, commitPage, dropPartial, isPageCommitted, markDone, remaining, type RangeCursor } from '#core/connectors/range-cursor.ts';
import { addCounts, emptyCounts, type SyncCounts, type SyncProgress } from '#core/connectors/types.ts';
import { latestUpdatedIn, mapCatalogProduct, mapClPage, mapOrdersPage, relayLookups, VTEX_LIST_CAP, type RecordError, type VtexOrder, type VtexOrderList } from '#core/connectors/vtex.ts';
import { partsFor, split, type TimeWindow } from '#core/connectors/windows.ts';
import type { ProductRecord } from '#core/ingest/orders.ts';
import { inTransaction, readCursor, recordRunPage, writeCursor, type Tx } from '#db/queries/connections.ts';
import { upsertProfiles } from '#db/queries/ingest.ts';
import { upsertOrders, upsertProducts } from '#db/queries/orders.ts';
import { lockCursor, profilesToWrite, sourceCurrency, storedOrderStatuses, storedProductIds } from '#db/queries/sync-pages.ts';
import type { Db } from '#db/client.ts';
import { ORDERS_PER_WINDOW, type OrdersPageInput, type OrdersPageResult, type OrdersWindowInput, type OrdersWindowResult, type OrderWindow, type PageInput, type VtexStreams } from '#workflows/connectors/vtex.contract.ts';
import { mapLimit } from '../http.ts';
import { LIST_PAGE_SIZE, type VtexClient } from './client.ts';
import { attempt, nowIso, openVtex, type OpenVtex, type VtexDeps } from './connection.ts';

export const STREAMS = { customers: 'customers', orders: 'orders', products: 'products' } as const;

/** Order details fetched at once per page: enough in flight that a page's fetch overlaps the previous page's commit. */
export const DETAIL_CONCURRENCY = 16;
/** Incremental runs start this far before the watermark: VTEX indexes new orders for the list with a few minutes' lag. */
const INCREMENTAL_OVERLAP_MS = 10 * 60_000;
/** The OMS lists only the last two years. */
const LIST_HISTORY_MS = 730 * 86_400_000;
/** The catalog is re-read once a day (it is for recommendations, not stock). */
const CATALOG_REFRESH_MS = 24 * 3_600_000;
const CUSTOMERS_PAGE_SIZE = 500;

interface CustomersCursor {
  updatedSince?: string;
}
interface ProductsCursor {
  from?: number;
  lastFullPassAt?: string;
}

const byKey = <T extends { externalId: string }>(xs: T[]) => xs.sort((a, b) => (a.externalId < b.externalId ? -1 : a.externalId > b.externalId ? 1 : 0));

/** Details of these orders, fetched DETAIL_CONCURRENCY at a time; orders VTEX cannot serve are reported, not fatal. */
export async function fetchOrderDetails(client: VtexClient, orderIds: readonly string[]): Promise<{ details: VtexOrder[]; errors: RecordError[] }> {
  const fetched = await mapLimit(orderIds, DETAIL_CONCURRENCY, (id) => client.getOrder(id));
  const details: VtexOrder[] = [];
  const errors: RecordError[] = [];
  fetched.forEach((r, i) => ('order' in r ? details.push(r.order) : errors.push({ externalId: orderIds[i]!, reason: r.error })));
  // Creation order: a repeat buyer's profile takes the latest order's data. Each date parsed once, not per
  // comparison (OMS dates have 7 fractional digits: Date.parse takes its slow path on them).
  const at = new Map(details.map((d) => [d, Date.parse(d.creationDate)]));
  details.sort((a, b) => at.get(a)! - at.get(b)!);
  return { details, errors };
}

/**
 * Maps order details and writes buyers, missing products and orders (+ items) in the caller's transaction.
 * Catalog products are the catalog stream's: an order only adds the products the catalog has not stored yet.
 */
export async function writeOrderDetails(tx: Tx, v: OpenVtex, details: VtexOrder[], resolvedEmails: ReadonlyMap<string, string>) {
  const source = v.config.source;
  const mapped = mapOrdersPage(details, resolvedEmails);
  const have = await storedProductIds(tx, v.tenantId, source, mapped.products.map((p) => p.externalId));
  await upsertProducts(tx, v.tenantId, source, mapped.products.filter((p) => !have.has(p.externalId)));
  const orders = await upsertOrders(tx, v.tenantId, source, mapped.orders);
  // Buyers last: a repeat buyer's row is locked from here to the commit, and pages committing concurrently
  // (other windows) wait on it, so the lock is taken as late as possible.
  const profiles = await upsertProfiles(tx, v.tenantId, source, await profilesToWrite(tx, v.tenantId, source, mapped.profiles), { merge: true });
  return { orders, profilesChanged: profiles.inserted + profiles.updated, errors: mapped.errors };
}

/** Real e-mails, from CL, of the buyers whose orders carry only a relay. Fetched before the transaction opens. */
export const relayEmails = (v: OpenVtex, details: readonly VtexOrder[]) => v.client.clEmailsByUserId(relayLookups(details));

/** Thrown inside a page transaction to roll it back: another attempt of the same page committed first. */
class AlreadyCommitted extends Error {}

type FetchedPage = { list: VtexOrderList; details?: Promise<FetchedDetails> };
type FetchedDetails = { listed: VtexOrderList['list']; toFetch: number; details: VtexOrder[]; fetchErrors: RecordError[]; resolved: ReadonlyMap<string, string> };

/**
 * What a page needs from VTEX before its transaction: the orders not stored with the same status (incremental
 * overlap and retries list stored ones), their details and their buyers' real e-mails.
 */
async function fetchPageDetails(db: Db, v: OpenVtex, list: VtexOrderList): Promise<FetchedDetails> {
  const listed = list.list;
  const stored = await storedOrderStatuses(db.$client, v.tenantId, v.config.source, listed.map((o) => o.orderId));
  const toFetch = listed.filter((o) => {
    const s = stored.get(o.orderId);
    return s === undefined || (o.status != null && o.status !== s);
  });
  const { details, errors: fetchErrors } = await fetchOrderDetails(v.client, toFetch.map((o) => o.orderId));
  return { listed, toFetch: toFetch.length, details, fetchErrors, resolved: await relayEmails(v, details) };
}

/** A page's list and (when it is to be written) its details, started now and awaited later. */
function prefetch(db: Db, v: OpenVtex, input: OrdersPageInput, page: number): Promise<FetchedPage> {
  const p = (async () => {
    const list = await v.client.listOrders(input.window, page);
    if (list.paging.total > VTEX_LIST_CAP) return { list };
    const details = fetchPageDetails(db, v, list);
    // Awaited by ordersPage unless the page turns out committed already; never an unhandled rejection.
    details.catch(() => undefined);
    return { list, details };
  })();
  p.catch(() => undefined);
  return p;
}

function cancelRequested(): boolean {
  try {
    return Context.current().cancellationSignal.aborted;
  } catch {
    return false; // not inside an activity
  }
}

/** Pages of window w (under way) the cursor holds as committed. */
function committedPages(c: RangeCursor, w: TimeWindow): number {
  return c.range?.partial.find((p) => Date.parse(p.from) === Date.parse(w.from) && Date.parse(p.to) === Date.parse(w.to))?.page ?? 0;
}

/** One page of one window, listed already: skip if committed, else fetch what is new and commit it with the cursor. */
async function ordersPage(db: Db, v: OpenVtex, input: OrdersPageInput, page: number, list: VtexOrderList, prefetched?: Promise<FetchedDetails>): Promise<OrdersPageResult> {
  const { window: w } = input;
  const total = list.paging.total;
  if (total > VTEX_LIST_CAP) {
    // Orders arrived late into a window already under way: refetch it as smaller windows.
    if (page > 1)
      await inTransaction(db, async (tx) => {
        const cur = await lockCursor<RangeCursor>(tx, input.connectionId, STREAMS.orders);
        if (cur) await writeCursor(tx, v.tenantId, input.connectionId, STREAMS.orders, dropPartial(cur, w) as Record<string, unknown>);
      });
    return { kind: 'split', total };
  }
  const pages = Math.ceil(total / LIST_PAGE_SIZE);
  const before = await readCursor<RangeCursor>(db.$client, input.connectionId, STREAMS.orders);
  if (before && isPageCommitted(before, w, page)) return { kind: 'page', pages, counts: emptyCounts(), profilesChanged: 0, alreadyCommitted: true };

  const { listed, toFetch, details, fetchErrors, resolved } = await (prefetched ?? fetchPageDetails(db, v, list));
  try {
    return await inTransaction(db, async (tx) => {
      const written = await writeOrderDetails(tx, v, details, resolved);
      const cur = (await lockCursor<RangeCursor>(tx, input.connectionId, STREAMS.orders)) ?? {};
      if (isPageCommitted(cur, w, page)) throw new AlreadyCommitted();
      await writeCursor(tx, v.tenantId, input.connectionId, STREAMS.orders, commitPage(cur, w, page, pages) as Record<string, unknown>);
      const errors = [...fetchErrors, ...written.errors];
      const counts: SyncCounts = {
        fetched: listed.length,
        inserted: written.orders.inserted,
        updated: written.orders.updated,
        skipped: listed.length - toFetch + written.orders.unchanged,
        failed: errors.length,
      };
      await recordRunPage(tx, input.runId, { counts, recordErrors: errors.map((e) => ({ stream: STREAMS.orders, ...e })), progress: input.progress });
      return { kind: 'page' as const, pages, counts, profilesChanged: written.profilesChanged };
    });
  } catch (err) {
    if (err instanceof AlreadyCommitted) return { kind: 'page', pages, counts: emptyCounts(), profilesChanged: 0, alreadyCommitted: true };
    throw err;
  }
}

export function createVtexSyncActivities(deps: VtexDeps) {
  const { db } = deps;

  return {
    /** Which streams this run syncs (config), and whether the catalog is due. */
    async vtexSyncPlan(input: { tenantId: string; connectionId: string }): Promise<VtexStreams> {
      const v = await openVtex(deps, input);
      const p = (await readCursor<ProductsCursor>(db.$client, input.connectionId, STREAMS.products)) ?? {};
      const due = !p.lastFullPassAt || Date.now() - Date.parse(p.lastFullPassAt) > CATALOG_REFRESH_MS || (p.from ?? 0) > 0;
      return { customers: v.config.streams.customers, orders: v.config.streams.orders, products: v.config.streams.products && due, productsFrom: p.from ?? 0 };
    },

    /** One Master Data CL scroll page of shoppers changed since the cursor. */
    async vtexCustomersPage(input: PageInput & { token?: string; progress?: SyncProgress }): Promise<{ token?: string; done: boolean; counts: SyncCounts; profilesChanged: number }> {
      const v = await openVtex(deps, input);
      const cursor = (await readCursor<CustomersCursor>(db.$client, input.connectionId, STREAMS.customers)) ?? {};
      // A scroll token moves on with every call, so only a first attempt may use it: a retry cannot know whether
      // the page it fetched before was committed. It reopens the scroll from the committed cursor instead
      // (`updatedIn` ≥ cursor: ties come again and are unchanged).
      let page = input.token && attempt() === 1 ? await v.client.scrollCl({ token: input.token }) : undefined;
      if (!page || page.expired) {
        const s = cursor.updatedSince;
        page = await v.client.scrollCl({ where: s ? `updatedIn>${s} OR updatedIn=${s}` : undefined, sort: 'updatedIn ASC', size: CUSTOMERS_PAGE_SIZE });
      }
      if (!page.docs.length) return { done: true, counts: emptyCounts(), profilesChanged: 0 };
      const mapped = mapClPage(page.docs);
      const docs = page.docs;
      const r = await inTransaction(db, async (tx) => {
        const written = await upsertProfiles(tx, v.tenantId, v.config.source, mapped.profiles, { merge: true });
        const cur = (await lockCursor<CustomersCursor>(tx, input.connectionId, STREAMS.customers)) ?? cursor;
        await writeCursor(tx, v.tenantId, input.connectionId, STREAMS.customers, { updatedSince: latestUpdatedIn(docs, cur.updatedSince) });
        const counts: SyncCounts = { fetched: docs.length, inserted: written.inserted, updated: written.updated, skipped: written.unchanged + mapped.skipped, failed: mapped.errors.length };
        await recordRunPage(tx, input.runId, { counts, recordErrors: mapped.errors.map((e) => ({ stream: STREAMS.customers, ...e })), progress: input.progress ?? { stream: STREAMS.customers } });
        return { counts, profilesChanged: written.inserted + written.updated };
      });
      // A short page is the scroll's last.
      return { token: page.token, done: docs.length < CUSTOMERS_PAGE_SIZE, ...r };
    },

    /**
     * Plans this run's order windows. First run: a backfill from config.backfillFrom (or two years back); later runs:
     * from the watermark minus an overlap; a range cut short resumes where its commits got to. Each gap is counted
     * (one request) and cut into windows of about ORDERS_PER_WINDOW orders.
     */
    async vtexPlanOrders(input: { tenantId: string; connectionId: string }): Promise<{ windows: OrderWindow[]; orders: number }> {
      const v = await openVtex(deps, input);
      const now = Date.now();
      const until = new Date(now).toISOString();
      const cursor = (await readCursor<RangeCursor>(db.$client, input.connectionId, STREAMS.orders)) ?? {};
      let from: string;
      if (cursor.range) from = cursor.range.from;
      else if (cursor.createdThrough) from = new Date(Date.parse(cursor.createdThrough) - INCREMENTAL_OVERLAP_MS).toISOString();
      else from = new Date(Math.max(now - LIST_HISTORY_MS, v.config.backfillFrom ? Date.parse(v.config.backfillFrom) : 0)).toISOString();
      const planned = beginRange(cursor, from, until);
      const { partial, gaps } = remaining(planned);
      const windows: OrderWindow[] = partial.map((p) => ({ from: p.from, to: p.to, page: p.page + 1 }));
      const empty: TimeWindow[] = [];
      let orders = 0;
      for (const gap of gaps) {
        const n = await v.client.countOrders(gap);
        orders += n;
        if (!n) empty.push(gap);
        else for (const w of split(gap, partsFor(n, ORDERS_PER_WINDOW))) windows.push({ ...w, page: 1 });
      }
      await inTransaction(db, async (tx) => {
        const cur = (await lockCursor<RangeCursor>(tx, input.connectionId, STREAMS.orders)) ?? cursor;
        await writeCursor(tx, v.tenantId, input.connectionId, STREAMS.orders, markDone(beginRange(cur, from, until), empty) as Record<string, unknown>);
      });
      windows.sort((a, b) => Date.parse(a.from) - Date.parse(b.from));
      return { windows, orders };
    },

    /**
     * One page (≤ 100) of one window: list, details of the orders not stored with the same status, buyers' real
     * e-mails from CL, then one transaction. A window over VTEX's 30 × 100 cap is not paged: the workflow splits it.
     * (Histories recorded before vtexOrdersWindow existed still schedule this activity.)
     */
    async vtexOrdersPage(input: OrdersPageInput): Promise<OrdersPageResult> {
      const v = await openVtex(deps, input);
      return ordersPage(db, v, input, input.page, await v.client.listOrders(input.window, input.page));
    },

    /**
     * The pages of one window, from `page` on, each committed in its own transaction with the cursor, as
     * vtexOrdersPage does, in one activity: one Temporal round trip per window instead of per page. The next
     * page (list and details) is fetched while the current one commits. Stops after `maxPages` (the workflow's
     * history budget) and says where to go on. A retry resumes at the first page the cursor has not committed.
     */
    async vtexOrdersWindow(input: OrdersWindowInput): Promise<OrdersWindowResult> {
      const { window: w } = input;
      const v = await openVtex(deps, input);
      const cursor = await readCursor<RangeCursor>(db.$client, input.connectionId, STREAMS.orders);
      const counts = emptyCounts();
      // A retry after the whole window committed (the completion was lost): nothing left to do or count.
      if (cursor && isPageCommitted(cursor, w, Number.MAX_SAFE_INTEGER)) return { kind: 'window', pages: input.page - 1, pagesDone: 0, counts, profilesChanged: 0 };
      let page = Math.max(input.page, (cursor ? committedPages(cursor, w) : 0) + 1);
      let profilesChanged = 0;
      let pagesDone = 0;
      let fetched = prefetch(db, v, input, page);
      for (;;) {
        const { list, details } = await fetched;
        const total = list.paging.total;
        const pages = Math.ceil(total / LIST_PAGE_SIZE);
        // Pages already fetched, listing the same total and not the last: fetch the next one meanwhile.
        const more = total <= VTEX_LIST_CAP && page < pages && pagesDone + 1 < input.maxPages;
        if (more) fetched = prefetch(db, v, input, page + 1);
        const r = await ordersPage(db, v, { ...input, page }, page, list, details);
        if (r.kind === 'split') {
          if (more) void fetched.catch(() => undefined);
          return { kind: 'split', total: r.total, counts, profilesChanged };
        }
        Object.assign(counts, addCounts(counts, r.counts));
        profilesChanged += r.profilesChanged;
        pagesDone++;
        if (page >= r.pages) return { kind: 'window', pages: r.pages, pagesDone, counts, profilesChanged };
        page++;
        // Cancelled (run cancelled, worker shutting down): stop at this commit; a retry resumes after it.
        if (cancelRequested()) {
          void fetched.catch(() => undefined);
          throw new CancelledFailure(`cancelled after page ${page - 1} of the window`);
        }
        if (!more) return { kind: 'window', pages: r.pages, pagesDone, next: page, counts, profilesChanged };
      }
    },

    /** One catalog search page (50 products); the pass restarts from 0 a day after it last completed. */
    async vtexProductsPage(input: PageInput & { from: number; progress?: SyncProgress }): Promise<{ next?: number; counts: SyncCounts }> {
      const v = await openVtex(deps, input);
      const { products, total } = await v.client.catalogPage(input.from);
      const currency = await sourceCurrency(db.$client, v.tenantId, v.config.source);
      const records: ProductRecord[] = [];
      const errors: RecordError[] = [];
      for (const p of products) {
        const r = mapCatalogProduct(p, currency);
        if (r) records.push(r);
        else errors.push({ externalId: p.productId, reason: 'catalog product without the fields a product needs' });
      }
      const last = products.length < 50 || (total !== undefined && input.from + products.length >= total);
      const next = last ? undefined : input.from + products.length;
      const counts = await inTransaction(db, async (tx) => {
        const written = await upsertProducts(tx, v.tenantId, v.config.source, byKey(records));
        await lockCursor(tx, input.connectionId, STREAMS.products);
        await writeCursor(tx, v.tenantId, input.connectionId, STREAMS.products, next === undefined ? { from: 0, lastFullPassAt: nowIso() } : { from: next });
        const c: SyncCounts = { fetched: products.length, inserted: written.inserted, updated: written.updated, skipped: written.unchanged, failed: errors.length };
        await recordRunPage(tx, input.runId, { counts: c, recordErrors: errors.map((e) => ({ stream: STREAMS.products, ...e })), progress: input.progress ?? { stream: STREAMS.products } });
        return c;
      });
      return { next, counts };
    },
  };
}

export type VtexSyncActivities = ReturnType<typeof createVtexSyncActivities>;
