// The VTEX REST calls the connector makes, over providerHttp (status codes → Temporal retry decisions) with
// every response validated by the schemas in core/connectors/vtex.ts.
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import { vtexBaseUrl, type VtexConfig, type VtexCredentials } from '#core/connectors/config.ts';
import {
  CL_FIELDS,
  creationDateFilter,
  vtexCatalogPage,
  vtexClDocuments,
  vtexFeedItems,
  vtexOrderList,
  type VtexCatalogProduct,
  type VtexClDocument,
  type VtexFeedItem,
  type VtexOrder,
  type VtexOrderList,
} from '#core/connectors/vtex.ts';
import { readVtexOrder } from '#core/connectors/vtex-order-read.ts';
import type { TimeWindow } from '#core/connectors/windows.ts';
import { FAILURE } from '#workflows/connectors/sync.contract.ts';
import { providerHttp } from '../http.ts';

export const LIST_PAGE_SIZE = 100;

const clDocumentsWithAnyFields = z.array(z.looseObject({ id: z.string().min(1) }));
export const CATALOG_PAGE_SIZE = 50;

function parsed<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  const issues = r.error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');
  // The response is not what VTEX documents: retrying will not change it.
  throw ApplicationFailure.nonRetryable(`VTEX ${what} returned an unexpected response: ${issues}`, FAILURE.rejected);
}

/** `REST-Content-Range: resources 0-100/250` (or `resources=…`, as some docs write it) → 250. */
export function contentRangeTotal(header: string | null): number | undefined {
  const m = /(\d+)\s*-\s*(\d+)\s*\/\s*(\d+)/.exec(header ?? '');
  return m ? Number(m[3]) : undefined;
}

export type FeedConfig = { filter: { type: 'FromWorkflow'; status: string[] }; queue: { visibilityTimeoutInSeconds: number; MessageRetentionPeriodInSeconds: number } };

export function vtexClient(config: Pick<VtexConfig, 'account' | 'environment' | 'baseUrl'>, credentials: Pick<VtexCredentials, 'appKey' | 'appToken'>, opts: { timeoutMs?: number } = {}) {
  const http = providerHttp({
    provider: 'VTEX',
    baseUrl: vtexBaseUrl(config),
    headers: () => ({ 'X-VTEX-API-AppKey': credentials.appKey, 'X-VTEX-API-AppToken': credentials.appToken }),
    timeoutMs: opts.timeoutMs,
  });

  return {
    http,

    /** One page (≤ 100) of the orders created in a window, oldest first. */
    async listOrders(w: TimeWindow, page: number, perPage = LIST_PAGE_SIZE): Promise<VtexOrderList> {
      const res = await http.get('/api/oms/pvt/orders', { query: { f_creationDate: creationDateFilter(w), orderBy: 'creationDate,asc', page, per_page: perPage } });
      return parsed(vtexOrderList, res.body, 'GET /api/oms/pvt/orders');
    },

    /** How many orders were created in a window (one request, one order). */
    async countOrders(w: TimeWindow): Promise<number> {
      return (await this.listOrders(w, 1, 1)).paging.total;
    },

    /** The full order, or a reason it cannot be read (gone, or not in the documented shape). */
    async getOrder(orderId: string): Promise<{ order: VtexOrder } | { error: string }> {
      const res = await http.get(`/api/oms/pvt/orders/${encodeURIComponent(orderId)}`, { accept: [404] });
      if (res.status === 404) return { error: 'VTEX answered 404 for the order' };
      return readVtexOrder(res.body);
    },

    /** Master Data CL search: `range` is [from, to) of at most 100 documents (REST-Range). */
    async searchCl(where: string | undefined, fields: readonly string[], range: [number, number], sort?: string): Promise<{ docs: VtexClDocument[]; total: number | undefined }> {
      const res = await http.get('/api/dataentities/CL/search', {
        query: { _where: where, _fields: fields.join(','), _sort: sort },
        headers: { 'REST-Range': `resources=${range[0]}-${range[1]}` },
      });
      return { docs: parsed(vtexClDocuments, res.body, 'GET /api/dataentities/CL/search'), total: contentRangeTotal(res.headers.get('rest-content-range')) };
    },

    /**
     * Master Data CL scroll. Without a token it opens a scroll (size, filter and sort are fixed then); with one it
     * continues it. `expired` when VTEX no longer knows the token (20 minutes idle).
     */
    async scrollCl(
      req: { token: string } | { where?: string; sort?: string; size: number; fields?: readonly string[] },
    ): Promise<{ docs: VtexClDocument[]; token?: string; total?: number; expired?: boolean }> {
      const query =
        'token' in req ? { _token: req.token } : { _size: req.size, _fields: (req.fields ?? CL_FIELDS).join(','), _where: req.where, _sort: req.sort };
      const res = await http.get('/api/dataentities/CL/scroll', { query, accept: 'token' in req ? [400] : [] });
      if (res.status === 400) return { docs: [], expired: true };
      return {
        docs: parsed(vtexClDocuments, res.body, 'GET /api/dataentities/CL/scroll'),
        token: res.headers.get('x-vtex-md-token') ?? undefined,
        total: Number(res.headers.get('rest-content-total') ?? NaN) || undefined,
      };
    },

    /** CL documents with whatever fields were asked for (custom fields included), for write-back comparisons. */
    async searchClFields(where: string, fields: readonly string[], range: [number, number]): Promise<Record<string, unknown>[]> {
      const res = await http.get('/api/dataentities/CL/search', { query: { _where: where, _fields: fields.join(',') }, headers: { 'REST-Range': `resources=${range[0]}-${range[1]}` } });
      return parsed(clDocumentsWithAnyFields, res.body, 'GET /api/dataentities/CL/search');
    },

    /** Real e-mails of shoppers by VTEX profile id (userId in CL); one search per 40 ids. */
    async clEmailsByUserId(userIds: readonly string[]): Promise<Map<string, string>> {
      const out = new Map<string, string>();
      for (let i = 0; i < userIds.length; i += 40) {
        const chunk = userIds.slice(i, i + 40);
        const { docs } = await this.searchCl(chunk.map((u) => `userId=${u}`).join(' OR '), ['id', 'userId', 'email'], [0, 100]);
        for (const d of docs) if (d.userId && d.email && !out.has(d.userId)) out.set(d.userId, d.email);
      }
      return out;
    },

    /** Catalog search page: products [from, from + 50). */
    async catalogPage(from: number): Promise<{ products: VtexCatalogProduct[]; total: number | undefined }> {
      const res = await http.get('/api/catalog_system/pub/products/search', { query: { _from: from, _to: from + CATALOG_PAGE_SIZE - 1 } });
      return { products: parsed(vtexCatalogPage, res.body, 'GET /api/catalog_system/pub/products/search'), total: contentRangeTotal(res.headers.get('resources')) };
    },

    /** Feed v3: up to 10 status changes; undefined when this appKey has no feed configured (404). */
    async readFeed(maxlot = 10): Promise<VtexFeedItem[] | undefined> {
      const res = await http.get('/api/orders/feed', { query: { maxlot }, accept: [404] });
      if (res.status === 404) return undefined;
      return parsed(vtexFeedItems, res.body ?? [], 'GET /api/orders/feed');
    },

    async commitFeed(handles: readonly string[]): Promise<void> {
      if (handles.length) await http.post('/api/orders/feed', { handles });
    },

    async configureFeed(cfg: FeedConfig): Promise<void> {
      await http.post('/api/orders/feed/config', cfg);
    },

    /** Saves the order hook; VTEX pings the URL first and refuses the config unless it answers 200. */
    async configureHook(cfg: { filter: { type: 'FromWorkflow'; status: string[] }; hook: { url: string; headers: Record<string, string> } }): Promise<void> {
      await http.post('/api/orders/hook/config', cfg);
    },

    /** Partial update of a CL document (only the given fields). */
    async patchCl(id: string, fields: Record<string, unknown>): Promise<void> {
      await http.patch(`/api/dataentities/CL/documents/${encodeURIComponent(id)}`, fields);
    },
  };
}

export type VtexClient = ReturnType<typeof vtexClient>;

export type CredentialsCheck = { ok: true } | { ok: false; reason: 'auth' | 'unreachable' | 'rejected'; message: string };

/**
 * "Check credentials" for the Connections API: the keys must open the OMS (orders) and Master Data (customers),
 * the two resources a sync needs. Never throws for a provider answer; never includes the secrets.
 */
export async function checkVtexCredentials(config: Pick<VtexConfig, 'account' | 'environment' | 'baseUrl'>, credentials: Pick<VtexCredentials, 'appKey' | 'appToken'>): Promise<CredentialsCheck> {
  const client = vtexClient(config, credentials, { timeoutMs: 10_000 });
  try {
    await client.http.get('/api/oms/pvt/orders', { query: { per_page: 1, page: 1 } });
    await client.searchCl(undefined, ['id'], [0, 1]);
    return { ok: true };
  } catch (err) {
    const type = err instanceof ApplicationFailure ? err.type : undefined;
    const message = err instanceof Error ? err.message : String(err);
    if (type === FAILURE.auth) return { ok: false, reason: 'auth', message };
    if (type === FAILURE.unavailable || type === FAILURE.rateLimited) return { ok: false, reason: 'unreachable', message };
    return { ok: false, reason: 'rejected', message };
  }
}
