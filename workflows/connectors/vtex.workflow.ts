import { continueAsNew, patched, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { VtexActivities } from '#activities/connectors/vtex/index.ts';
import { addCounts, emptyCounts, type SyncCounts, type SyncProgress } from '#core/connectors/types.ts';
import { partsFor, split } from '#core/connectors/windows.ts';
import { notifyIngest } from '../shared/notify-ingest.ts';
import { syncStatusQuery, type ProviderSyncInput } from './sync.contract.ts';
import { ORDER_LANES, ORDERS_PER_WINDOW, type OrderWindow, type VtexSyncState } from './vtex.contract.ts';

// 401/403 (AuthenticationFailed) and other 4xx are non-retryable at the source; 429 waits for Retry-After;
// 5xx, timeouts and resets back off exponentially, a bounded number of times.
const retry = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 10 } as const;
const acts = proxyActivities<VtexActivities>({ startToCloseTimeout: '5 minutes', heartbeatTimeout: '1 minute', retry });
/** A whole window (≤ 30 pages) per activity: heartbeats on every request bound a stuck one, not the total. */
const windowActs = proxyActivities<VtexActivities>({ startToCloseTimeout: '30 minutes', heartbeatTimeout: '1 minute', retry });

/** Keeps each run's history bounded even when the server does not suggest continue-as-new yet. */
const MAX_PAGES_PER_RUN = 400;
/** Stored hook notifications applied per activity when a sync sweeps the inbox. */
const INBOX_BATCH = 100;
/** Identity resolution is woken at most once per this many pages that wrote profiles (and at the end). */
const NOTIFY_EVERY_PAGES = 25;

/**
 * One VTEX sync run (child of connectionSyncWorkflow): customers (Master Data CL, incremental on updatedIn),
 * orders (backfill in time windows on the first run, then incremental from the watermark), order status changes
 * (Feed v3, and any hook notification still in the inbox), and the catalog. Every page commits its rows and its
 * cursor together; progress is in the `status` query and sync_runs.
 */
export async function vtexSyncWorkflow(input: ProviderSyncInput<VtexSyncState>): Promise<SyncCounts> {
  const { tenantId, connectionId, runId } = input;
  const s: VtexSyncState = input.state ?? { stage: 'plan', counts: emptyCounts() };
  let pagesThisRun = 0;
  let pagesSinceNotify = 0;

  const ordersProgress = (w?: OrderWindow): SyncProgress => ({
    stream: 'orders',
    doneWindows: s.orders?.doneWindows ?? 0,
    totalWindows: s.orders?.totalWindows ?? 0,
    ...(w ? { window: { from: w.from, to: w.to } } : {}),
  });
  let current: SyncProgress = { stream: s.stage };
  setHandler(syncStatusQuery, () => ({ counts: s.counts, ...current }));

  const budgetLeft = () => !workflowInfo().continueAsNewSuggested && pagesThisRun < (s.maxPagesPerRun ?? MAX_PAGES_PER_RUN);
  const pageDone = async (counts: SyncCounts, profilesChanged: number, pages = 1) => {
    pagesThisRun += pages;
    s.counts = addCounts(s.counts, counts);
    if (profilesChanged > 0) s.profilesDirty = true;
    if (s.profilesDirty && (pagesSinceNotify += pages) >= NOTIFY_EVERY_PAGES) await notify();
  };
  // New and changed profiles feed identity resolution by signal; the flag is cleared before awaiting so
  // concurrent lanes never signal twice for the same pages.
  const notify = async () => {
    if (!s.profilesDirty) return;
    s.profilesDirty = false;
    pagesSinceNotify = 0;
    await notifyIngest(tenantId);
  };
  const again = async (): Promise<never> => {
    await notify();
    return continueAsNew<typeof vtexSyncWorkflow>({ tenantId, connectionId, runId, state: s });
  };

  if (s.stage === 'plan') {
    s.streams = await acts.vtexSyncPlan({ tenantId, connectionId });
    // The feed exists before the backfill starts, so a status change during the backfill is not lost.
    if (s.streams.orders) {
      await acts.vtexEnsureFeed({ tenantId, connectionId });
      s.feed = true;
    }
    s.stage = 'customers';
  }
  const streams = s.streams!;

  if (s.stage === 'customers') {
    current = { stream: 'customers' };
    s.customers ??= {};
    while (streams.customers) {
      if (!budgetLeft()) return again();
      const r = await acts.vtexCustomersPage({ tenantId, connectionId, runId, token: s.customers.token, progress: { stream: 'customers' } });
      await pageDone(r.counts, r.profilesChanged);
      s.customers.token = r.token;
      if (r.done) break;
    }
    s.stage = 'orders';
  }

  if (s.stage === 'orders') {
    if (streams.orders) {
      if (!s.orders) {
        const plan = await acts.vtexPlanOrders({ tenantId, connectionId });
        s.orders = { queue: plan.windows, doneWindows: 0, totalWindows: plan.windows.length };
      }
      const o = s.orders;
      const active: OrderWindow[] = [];
      // Runs recorded before windows-per-activity replay the page-per-activity loop.
      const windowed = patched('vtex-orders-window-activity');
      current = ordersProgress();
      // Lanes: each takes the next window and pages through it in order; windows run concurrently.
      const lane = async () => {
        for (;;) {
          const w = o.queue.shift();
          if (!w) return;
          active.push(w);
          for (;;) {
            if (!budgetLeft()) {
              o.queue.unshift(w);
              break;
            }
            current = ordersProgress(active[0]);
            const splitWindow = (total: number) => {
              pagesThisRun++;
              const parts = split(w, partsFor(total, ORDERS_PER_WINDOW)).map((p) => ({ ...p, page: 1 }));
              o.totalWindows += parts.length - 1;
              o.queue.unshift(...parts);
            };
            if (windowed) {
              // The window's pages in one activity, each still committed with the cursor in its own transaction.
              const maxPages = (s.maxPagesPerRun ?? MAX_PAGES_PER_RUN) - pagesThisRun;
              const r = await windowActs.vtexOrdersWindow({ tenantId, connectionId, runId, window: { from: w.from, to: w.to }, page: w.page, maxPages, progress: ordersProgress(w) });
              if (r.kind === 'split') {
                await pageDone(r.counts, r.profilesChanged, 0);
                splitWindow(r.total);
                break;
              }
              await pageDone(r.counts, r.profilesChanged, Math.max(r.pagesDone, 1));
              if (r.next === undefined) {
                o.doneWindows++;
                break;
              }
              w.page = r.next;
              continue;
            }
            const r = await acts.vtexOrdersPage({ tenantId, connectionId, runId, window: { from: w.from, to: w.to }, page: w.page, progress: ordersProgress(w) });
            if (r.kind === 'split') {
              splitWindow(r.total);
              break;
            }
            await pageDone(r.counts, r.profilesChanged);
            if (w.page >= r.pages) {
              o.doneWindows++;
              break;
            }
            w.page++;
          }
          active.splice(active.indexOf(w), 1);
          if (!budgetLeft()) return;
        }
      };
      await Promise.all(Array.from({ length: ORDER_LANES }, lane));
      current = ordersProgress();
      if (o.queue.length) return again();
    }
    s.stage = 'feed';
  }

  if (s.stage === 'feed') {
    current = { ...ordersProgress(), stream: 'feed' };
    while (s.feed) {
      if (!budgetLeft()) return again();
      const r = await acts.vtexFeedBatch({ tenantId, connectionId, runId, progress: current });
      await pageDone(r.counts, r.profilesChanged);
      if (r.done) break;
    }
    s.stage = 'inbox';
  }

  // A sweep of hook notifications a lost signal left in the inbox (the inbox workflow normally drains them).
  if (s.stage === 'inbox') {
    current = { ...ordersProgress(), stream: 'hook' };
    while (streams.orders) {
      if (!budgetLeft()) return again();
      const r = await acts.vtexDrainInbox({ tenantId, connectionId, runId, limit: INBOX_BATCH });
      await pageDone(r.counts, r.profilesChanged);
      if (r.done) break;
    }
    s.stage = 'products';
  }

  if (s.stage === 'products') {
    current = { ...ordersProgress(), stream: 'products' };
    s.products ??= { from: streams.productsFrom };
    while (streams.products) {
      if (!budgetLeft()) return again();
      const r = await acts.vtexProductsPage({ tenantId, connectionId, runId, from: s.products.from, progress: { ...ordersProgress(), stream: 'products' } });
      await pageDone(r.counts, 0);
      if (r.next === undefined) break;
      s.products.from = r.next;
    }
    s.stage = 'done';
  }

  await notify();
  current = { ...current, stream: 'done' };
  return s.counts;
}
