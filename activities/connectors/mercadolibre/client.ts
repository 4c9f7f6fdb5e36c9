// The MercadoLibre API as the connector uses it: Bearer tokens from the connection (refreshed when due, and once
// more when ML answers 401), responses validated with the schemas in core/connectors/mercadolibre.ts.
import { ApplicationFailure } from '@temporalio/common';
import type { MercadoLibreConfig, MercadoLibreCredentials } from '#core/connectors/config.ts';
import { mlBillingInfo, mlDate, mlMissedFeeds, mlOrder, mlOrderSearch, mlUser, type MlBillingInfo, type MlOrder } from '#core/connectors/mercadolibre.ts';
import type { OrdersDateField } from '#core/connectors/mercadolibre-cursor.ts';
import type { TimeWindow } from '#core/connectors/windows.ts';
import { FAILURE } from '#workflows/connectors/sync.contract.ts';
import { providerHttp, type RequestOptions } from '../http.ts';
import { accessTokenFor, notConnected, type TokenDeps } from './tokens.ts';

const PROVIDER = 'MercadoLibre';

function unexpected(what: string, issue: string | undefined): never {
  // A 200 with an unreadable body is not our request's fault, and ML has served such pages under load.
  throw ApplicationFailure.retryable(`${PROVIDER} ${what} returned an unexpected body: ${issue ?? 'invalid'}`, FAILURE.unavailable);
}

export interface MercadoLibreApiOptions {
  config: MercadoLibreConfig;
  credentials: MercadoLibreCredentials;
  /** With a connection (and its database), expired tokens are refreshed and stored; without, 401 is final. */
  tokens?: TokenDeps & { connectionId: string };
  timeoutMs?: number;
}

export function mercadolibreApi(o: MercadoLibreApiOptions) {
  const http = providerHttp({ provider: PROVIDER, baseUrl: o.config.apiBaseUrl, timeoutMs: o.timeoutMs });
  let current: MercadoLibreCredentials = o.credentials;

  async function token(rejected?: string): Promise<string> {
    if (!o.tokens) {
      if (!current.accessToken) throw notConnected();
      return current.accessToken;
    }
    const t = await accessTokenFor(o.tokens, o.tokens.connectionId, current, { rejected });
    current = { ...current, ...t };
    return t.accessToken;
  }

  /** GET with the seller's token; a 401 refreshes the token once and retries (a second 401 fails the run). */
  async function get<T = unknown>(path: string, req: RequestOptions = {}) {
    const first = await token();
    const call = (t: string, accept: number[]) => http.get<T>(path, { ...req, headers: { ...req.headers, authorization: `Bearer ${t}` }, accept });
    if (!o.tokens) return call(first, req.accept ?? []);
    const res = await call(first, [...(req.accept ?? []), 401]);
    if (res.status !== 401) return res;
    return call(await token(first), req.accept ?? []);
  }

  return {
    async me() {
      const res = await get('/users/me');
      const u = mlUser.safeParse(res.body);
      return u.success ? u.data : unexpected('GET /users/me', u.error.issues[0]?.message);
    },

    /** One page of the seller's orders in a window, oldest first. Results are left raw: each is validated alone. */
    async searchOrders(q: { sellerId: string; field: OrdersDateField; window: TimeWindow; offset: number; limit: number }) {
      const res = await get('/orders/search', {
        query: {
          seller: q.sellerId,
          [`order.${q.field}.from`]: mlDate(q.window.from),
          [`order.${q.field}.to`]: mlDate(q.window.to),
          sort: 'date_asc',
          offset: q.offset,
          limit: q.limit,
        },
      });
      const page = mlOrderSearch.safeParse(res.body);
      return page.success ? page.data : unexpected('GET /orders/search', page.error.issues[0]?.message);
    },

    /** The order, or undefined if ML does not know it (404). Throws the zod error for a malformed one. */
    async order(id: string): Promise<MlOrder | undefined> {
      const res = await get(`/orders/${id}`, { accept: [404] });
      if (res.status === 404) return undefined;
      return mlOrder.parse(res.body);
    },

    /** Buyer documents (v2 shape: the header is required). Undefined when the order has none (only some do). */
    async billingInfo(orderId: string): Promise<{ billing?: MlBillingInfo; error?: string }> {
      const res = await get(`/orders/${orderId}/billing_info`, { headers: { 'x-version': '2' }, accept: [404] });
      if (res.status === 404) return {};
      const b = mlBillingInfo.safeParse(res.body);
      return b.success ? { billing: b.data } : { error: `billing_info: ${b.error.issues[0]?.path.join('.')} ${b.error.issues[0]?.message}` };
    },

    /** Notifications ML could not deliver to the app (kept about two days). */
    async missedFeeds(q: { appId: string; topic: string; offset: number; limit: number }) {
      const res = await get('/missed_feeds', { query: { app_id: q.appId, topic: q.topic, offset: q.offset, limit: q.limit } });
      const page = mlMissedFeeds.safeParse(res.body);
      return page.success ? page.data : unexpected('GET /missed_feeds', page.error.issues[0]?.message);
    },
  };
}

export type MercadoLibreApi = ReturnType<typeof mercadolibreApi>;
