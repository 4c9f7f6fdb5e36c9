// VTEX order status changes: Feed v3 (pull, then commit handles only after the database commit) and the order
// Hook (notifications stored in webhook_inbox by the route, drained here), plus their configuration.
import { randomBytes } from 'node:crypto';
import { emptyCounts, type SyncCounts, type SyncProgress } from '#core/connectors/types.ts';
import { inTransaction, loadConnection, recordRunPage, storeCredentials } from '#db/queries/connections.ts';
import { markProcessed, pendingNotifications } from '#db/queries/webhook-inbox.ts';
import { credentialsKeyring } from '#platform/secrets.ts';
import type { FeedConfig } from './client.ts';
import { openVtex, type OpenVtex, type VtexDeps } from './connection.ts';
import { fetchOrderDetails, relayEmails, writeOrderDetails } from './sync.activities.ts';

/** Statuses the CDP follows (customer-relevant milestones). */
export const FOLLOWED_STATUSES = ['order-created', 'payment-approved', 'ready-for-handling', 'handling', 'invoiced', 'canceled', 'cancel'];

export const FEED_CONFIG: FeedConfig = {
  filter: { type: 'FromWorkflow', status: FOLLOWED_STATUSES },
  // 4 days is VTEX's minimum retention; a sync runs every 15 minutes by default.
  queue: { visibilityTimeoutInSeconds: 240, MessageRetentionPeriodInSeconds: 345_600 },
};

/** The header VTEX sends back on every hook call, holding the secret the CDP generated. */
export const HOOK_SECRET_HEADER = 'x-cdp-secret';
export const vtexHookUrl = (publicUrl: string, connectionId: string) => `${publicUrl.replace(/\/+$/, '')}/webhooks/vtex/${connectionId}`;

/** Fetches the orders, writes them, and returns per-order errors; the caller's transaction does the rest. */
async function applyOrders(v: OpenVtex, orderIds: readonly string[]) {
  const { details, errors } = await fetchOrderDetails(v.client, orderIds);
  const resolved = await relayEmails(v, details);
  return { details, errors, resolved };
}

export interface StatusBatchResult {
  done: boolean;
  counts: SyncCounts;
  profilesChanged: number;
}

export function createVtexStatusActivities(deps: VtexDeps) {
  const { db } = deps;

  return {
    /** Makes sure this appKey's feed exists (created before the first backfill, so no change falls between). */
    async vtexEnsureFeed(input: { tenantId: string; connectionId: string }): Promise<{ created: boolean }> {
      const v = await openVtex(deps, input);
      const res = await v.client.http.get('/api/orders/feed/config', { accept: [404] });
      if (res.status !== 404) return { created: false };
      await v.client.configureFeed(FEED_CONFIG);
      return { created: true };
    },

    /**
     * One feed batch (≤ 10 status changes): the orders are fetched and written, and only once that transaction has
     * committed are the handles committed to VTEX. A crash in between leaves them uncommitted: VTEX delivers them
     * again after the visibility timeout and they are applied again, unchanged.
     */
    async vtexFeedBatch(input: { tenantId: string; connectionId: string; runId: string; progress?: SyncProgress }): Promise<StatusBatchResult> {
      const v = await openVtex(deps, input);
      const items = await v.client.readFeed(10);
      if (!items?.length) return { done: true, counts: emptyCounts(), profilesChanged: 0 };
      const orderIds = [...new Set(items.map((i) => i.orderId))];
      const { details, errors, resolved } = await applyOrders(v, orderIds);
      const r = await inTransaction(db, async (tx) => {
        const written = await writeOrderDetails(tx, v, details, resolved);
        const all = [...errors, ...written.errors];
        const counts: SyncCounts = {
          fetched: orderIds.length,
          inserted: written.orders.inserted,
          updated: written.orders.updated,
          skipped: written.orders.unchanged,
          failed: all.length,
        };
        await recordRunPage(tx, input.runId, { counts, recordErrors: all.map((e) => ({ stream: 'feed', ...e })), progress: input.progress ?? { stream: 'feed' } });
        return { counts, profilesChanged: written.profilesChanged };
      });
      await v.client.commitFeed(items.map((i) => i.handle));
      return { done: items.length < 10, ...r };
    },

    /**
     * Applies up to `limit` stored hook notifications (oldest first): fetches their orders and, in one transaction,
     * writes them and marks the notifications processed. Counts go to a sync run when one is given.
     */
    async vtexDrainInbox(input: { tenantId: string; connectionId: string; limit: number; runId?: string }): Promise<StatusBatchResult & { processed: number }> {
      const c = await loadConnection(db.$client, deps.keyring ?? credentialsKeyring(), input.connectionId);
      // Paused (or deleted): notifications wait in the inbox until the connection is active again.
      if (!c || c.status === 'paused') return { processed: 0, done: true, counts: emptyCounts(), profilesChanged: 0 };
      const v = await openVtex(deps, input);
      const rows = await pendingNotifications(db.$client, input.connectionId, input.limit);
      if (!rows.length) return { processed: 0, done: true, counts: emptyCounts(), profilesChanged: 0 };
      const orderIds = [...new Set(rows.flatMap((r) => (r.resource ? [r.resource] : [])))];
      const { details, errors, resolved } = await applyOrders(v, orderIds);
      const failedOrders = new Map(errors.map((e) => [e.externalId, e.reason]));
      return inTransaction(db, async (tx) => {
        const written = await writeOrderDetails(tx, v, details, resolved);
        for (const e of written.errors) failedOrders.set(e.externalId, e.reason);
        await markProcessed(
          tx,
          rows.map((r) => r.id),
          new Map(rows.flatMap((r) => (r.resource && failedOrders.has(r.resource) ? [[r.id, failedOrders.get(r.resource)!] as const] : []))),
        );
        const counts: SyncCounts = { fetched: orderIds.length, inserted: written.orders.inserted, updated: written.orders.updated, skipped: written.orders.unchanged, failed: failedOrders.size };
        if (input.runId)
          await recordRunPage(tx, input.runId, { counts, recordErrors: [...failedOrders].map(([externalId, reason]) => ({ stream: 'hook', externalId, reason })), progress: { stream: 'hook' } });
        return { processed: rows.length, done: rows.length < input.limit, counts, profilesChanged: written.profilesChanged };
      });
    },

    /**
     * Configures this appKey's order hook to call the CDP with a newly generated secret header; VTEX pings the URL
     * first. The secret is stored only once VTEX accepted the configuration.
     */
    async vtexConfigureHook(input: { tenantId: string; connectionId: string; url: string }): Promise<{ url: string }> {
      const v = await openVtex(deps, input);
      const secret = randomBytes(24).toString('base64url');
      await v.client.configureHook({ filter: { type: 'FromWorkflow', status: FOLLOWED_STATUSES }, hook: { url: input.url, headers: { [HOOK_SECRET_HEADER]: secret } } });
      await inTransaction(db, async (tx) => {
        const cur = (await tx.query<{ id: string }>('select id from connections where id = $1 for update', [input.connectionId])).rows[0];
        if (!cur) return;
        const c = await loadConnection(tx, deps.keyring ?? credentialsKeyring(), input.connectionId);
        await storeCredentials(tx, deps.keyring ?? credentialsKeyring(), input.connectionId, { ...c?.credentials, hookSecret: secret });
      });
      return { url: input.url };
    },
  };
}

export type VtexStatusActivities = ReturnType<typeof createVtexStatusActivities>;
