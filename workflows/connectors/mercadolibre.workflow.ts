import { allHandlersFinished, condition, continueAsNew, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { MercadoLibreActivities } from '#activities/connectors/mercadolibre/mercadolibre.activities.ts';
import { addCounts, emptyCounts, type SyncCounts } from '#core/connectors/types.ts';
import { notifyIngest } from '../shared/notify-ingest.ts';
import { inboxSignal, type MercadoLibreInboxInput, type MercadoLibreSyncState } from './mercadolibre.contract.ts';
import { syncStatusQuery, type ProviderSyncInput } from './sync.contract.ts';

const acts = proxyActivities<MercadoLibreActivities>({
  startToCloseTimeout: '5 minutes',
  // Every HTTP request heartbeats: a page stuck on a dead connection is retried, not waited out.
  heartbeatTimeout: '1 minute',
  // 429 retries follow ML's Retry-After (nextRetryDelay); 5xx and resets back off; 401/403 are not retried.
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2, maximumAttempts: 20 },
});

/** Keeps history bounded on long backfills even when the server does not suggest continue-as-new yet. */
const MAX_STEPS_PER_RUN = 250;
const INBOX_BATCH = 100;
/** The drain stays up this long after the last notification, then ends (the next one starts a new drain). */
const INBOX_IDLE = '2 minutes';

/**
 * One sync of a MercadoLibre connection (child of connectionSyncWorkflow): the plan's order windows page by page
 * (a first run backfills, later runs read what changed since the cursor), then notifications ML failed to
 * deliver (/missed_feeds), then whatever waits in the webhook inbox. Progress is the `status` query.
 */
export async function mercadolibreSyncWorkflow(input: ProviderSyncInput<MercadoLibreSyncState>): Promise<SyncCounts> {
  const { tenantId, connectionId, runId } = input;
  const ref = { tenantId, connectionId, runId };
  const state: MercadoLibreSyncState = input.state ?? { counts: emptyCounts(), progress: {}, phase: 'orders', planned: false };
  setHandler(syncStatusQuery, () => ({ ...state.progress, counts: state.counts }));

  let steps = 0;
  const checkpoint = async () => {
    if (++steps < MAX_STEPS_PER_RUN && !workflowInfo().continueAsNewSuggested) return;
    await condition(allHandlersFinished);
    await continueAsNew<typeof mercadolibreSyncWorkflow>({ ...input, state });
  };

  if (state.phase === 'orders') {
    if (!state.planned) {
      state.progress = await acts.mercadolibrePlanOrders(ref);
      state.planned = true;
    }
    for (;;) {
      const page = await acts.mercadolibreOrdersPage(ref);
      state.counts = addCounts(state.counts, page.counts);
      state.progress = page.progress;
      if (page.profilesChanged) await notifyIngest(tenantId);
      if (page.finished) break;
      await checkpoint();
    }
    state.phase = 'missed-feeds';
  }
  if (state.phase === 'missed-feeds') {
    await acts.mercadolibrePullMissedFeeds({ tenantId, connectionId });
    state.phase = 'inbox';
  }
  for (;;) {
    const r = await acts.mercadolibreProcessInbox({ ...ref, limit: INBOX_BATCH });
    state.counts = addCounts(state.counts, r.counts);
    if (r.profilesChanged) await notifyIngest(tenantId);
    if (!r.more) break;
    await checkpoint();
  }
  return state.counts;
}

/**
 * Drains a connection's webhook inbox: started (or signalled) by the notification route, it fetches each
 * notified order with its billing info and stores it, then waits a little for more before it ends. On start it
 * also pulls /missed_feeds, so notifications lost while the CDP was unreachable are recovered too.
 */
export async function mercadolibreInboxWorkflow(input: MercadoLibreInboxInput): Promise<SyncCounts> {
  const { tenantId, connectionId } = input;
  const state = input.state ?? { counts: emptyCounts(), missedFeedsPulled: false, pending: true };
  setHandler(inboxSignal, () => {
    state.pending = true;
  });
  if (!state.missedFeedsPulled) {
    await acts.mercadolibrePullMissedFeeds({ tenantId, connectionId });
    state.missedFeedsPulled = true;
  }
  for (let rounds = 0; ; rounds++) {
    state.pending = false;
    for (;;) {
      const r = await acts.mercadolibreProcessInbox({ tenantId, connectionId, limit: INBOX_BATCH });
      state.counts = addCounts(state.counts, r.counts);
      if (r.profilesChanged) await notifyIngest(tenantId);
      if (!r.more) break;
    }
    if (!(await condition(() => state.pending, INBOX_IDLE))) return state.counts;
    if (workflowInfo().continueAsNewSuggested || rounds + 1 >= MAX_STEPS_PER_RUN) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof mercadolibreInboxWorkflow>({ ...input, state: { ...state, pending: true } });
    }
  }
}
