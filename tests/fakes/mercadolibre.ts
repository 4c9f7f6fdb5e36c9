// A local MercadoLibre for tests and demos: the HTTP shapes, limits and pitfalls of integrations.md §2, in memory.
//  - OAuth2: `/authorization` (auto-approves for tests), `POST /oauth/token` (authorization_code, refresh_token);
//    access tokens expire; refresh tokens are single-use and rotate (reuse → 400 invalid_grant).
//  - Bearer auth on every API route (401 with ML's error body when missing, unknown or expired).
//  - `/users/me`, `/users/{id}`, `/orders/search` (limit ≤ 51, offset cap → 400, paging.total), `/orders/{id}`,
//    `/orders/{id}/billing_info` (v2 shape only with `x-version: 2`, legacy v1 without), `/missed_feeds`.
//  - Injectable faults (status + Retry-After, delays, connection resets, token expiry), a request log, and a
//    notifier that POSTs `orders_v2` notifications to the CDP and times the answer.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { billingInfoV1, billingInfoV2, generateOrders, mlTimestamp, type FakeOrder, type GenerateOptions } from './mercadolibre-data.ts';

export interface FakeMercadoLibreOptions {
  clientId?: string;
  clientSecret?: string;
  /** The seller who authorizes the app (the fake has one seller account, plus any added with addSeller). */
  sellerId?: number;
  /** Access token lifetime; ML's is 21600 s (6 h). */
  accessTokenTtlSeconds?: number;
  /** `/orders/search` rejects offsets at or above this (ML: 10,000). Lower it to prove window splitting quickly. */
  maxOffset?: number;
  /** `/orders/search` rejects larger limits (ML: 51). */
  maxLimit?: number;
  /** `/authorization`: approve at once (redirect with a code), deny (error=access_denied) or show a page. */
  authorization?: 'approve' | 'deny' | 'page';
  /** When set, `/authorization` and the code exchange require exactly this redirect_uri (ML requires a registered one). */
  redirectUri?: string;
}

export interface FaultRule {
  method?: string;
  /** Matches the request path (string: prefix). */
  path: string | RegExp;
  /** Let this many matching requests through first. */
  skip?: number;
  /** How many matching requests the fault hits (default 1). */
  times?: number;
  status?: number;
  /** Retry-After header value (seconds) with the status. */
  retryAfter?: number;
  body?: unknown;
  /** Delay before answering (normally, or with `status`). */
  delayMs?: number;
  /** Destroy the socket without answering (connection reset). */
  reset?: boolean;
  /** Expire every access token, then answer normally (an "expired token mid-sync"). */
  expireTokens?: boolean;
}

export interface LoggedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
  /** The form fields of a token request (grant_type, …; secrets redacted). */
  form?: Record<string, string>;
  token?: string;
  at: number;
}

interface Grant {
  sellerId: number;
  clientId: string;
  expiresAt: number;
  used?: boolean;
}

const mlError = (status: number, error: string, message: string) => ({ message, error, status, cause: [] });

export class FakeMercadoLibre {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly sellerId: number;
  readonly requests: LoggedRequest[] = [];
  /** Notifications the app "failed to deliver", as `/missed_feeds` lists them. */
  readonly missedFeeds: Record<string, unknown>[] = [];
  accessTokenTtlSeconds: number;
  maxOffset: number;
  maxLimit: number;
  authorization: 'approve' | 'deny' | 'page';
  redirectUri?: string;

  private readonly orders = new Map<number, FakeOrder>();
  private sorted: FakeOrder[] | undefined;
  private readonly sellers = new Map<number, { id: number; nickname: string; email: string; first_name: string; last_name: string }>();
  private readonly codes = new Map<string, Grant & { redirectUri: string }>();
  private readonly accessTokens = new Map<string, Grant>();
  private readonly refreshTokens = new Map<string, Grant>();
  private faults: (FaultRule & { seen: number; hit: number })[] = [];
  private server: http.Server | undefined;
  private sockets = new Set<Socket>();
  private baseUrl = '';

  constructor(o: FakeMercadoLibreOptions = {}) {
    this.clientId = o.clientId ?? '8974568555512345';
    this.clientSecret = o.clientSecret ?? `secret-${randomBytes(8).toString('hex')}`;
    this.sellerId = o.sellerId ?? 146322322;
    this.accessTokenTtlSeconds = o.accessTokenTtlSeconds ?? 21600;
    this.maxOffset = o.maxOffset ?? 10_000;
    this.maxLimit = o.maxLimit ?? 51;
    this.authorization = o.authorization ?? 'approve';
    this.redirectUri = o.redirectUri;
    this.addSeller(this.sellerId, 'TIENDANERDISTAN');
  }

  /** Base URL of both the API and the authorization host (`apiBaseUrl` and `authBaseUrl` of a connection). */
  get url(): string {
    if (!this.baseUrl) throw new Error('FakeMercadoLibre: call start() first');
    return this.baseUrl;
  }

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        if (!res.headersSent) this.send(res, 500, mlError(500, 'internal_error', String(err)));
      });
    });
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.baseUrl;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = undefined;
  }

  // ------------------------------------------------------------------------------------------------------------
  // Test controls

  addSeller(id: number, nickname: string) {
    this.sellers.set(id, { id, nickname, email: `${nickname.toLowerCase()}@example.com.ar`, first_name: 'Tienda', last_name: 'Nerdistan' });
  }

  /** Adds generated orders of this fake's seller (or `sellerId`). */
  generate(count: number, o: Omit<GenerateOptions, 'sellerId'> & { sellerId?: number }): FakeOrder[] {
    const made = generateOrders(count, { sellerId: this.sellerId, ...o });
    this.addOrders(made);
    return made;
  }

  addOrders(orders: FakeOrder[]) {
    for (const o of orders) this.orders.set(o.order.id, o);
    this.sorted = undefined;
  }

  getOrder(id: number): FakeOrder | undefined {
    return this.orders.get(id);
  }

  get orderCount() {
    return this.orders.size;
  }

  /** Changes an order as a seller or buyer action would; `last_updated` moves to now. */
  updateOrder(id: number, patch: Record<string, unknown>, now = Date.now()) {
    const o = this.orders.get(id);
    if (!o) throw new Error(`no order ${id}`);
    Object.assign(o.order, patch, { last_updated: mlTimestamp(now) });
  }

  /** Issues tokens for a seller without the browser flow (tests that start "already connected"). */
  issueTokens(sellerId = this.sellerId) {
    return this.mint(sellerId, this.clientId);
  }

  /** Every access token issued so far stops working (as if their 6 h passed). */
  expireAccessTokens() {
    for (const g of this.accessTokens.values()) g.expiresAt = 0;
  }

  /** Every refresh token stops working (password change, revocation). */
  revokeRefreshTokens() {
    for (const g of this.refreshTokens.values()) g.used = true;
  }

  fault(rule: FaultRule) {
    this.faults.push({ ...rule, seen: 0, hit: 0 });
  }

  clearFaults() {
    this.faults = [];
  }

  /** Requests to a path (prefix or regexp), optionally of one method. */
  requestsTo(path: string | RegExp, method?: string): LoggedRequest[] {
    return this.requests.filter((r) => matches(path, r.path) && (!method || r.method === method));
  }

  /** An `orders_v2` notification body as ML sends it. */
  notification(orderId: number, o: { sellerId?: number; attempts?: number; topic?: string; applicationId?: string } = {}) {
    const now = Date.now();
    return {
      _id: randomBytes(12).toString('hex'),
      resource: `/orders/${orderId}`,
      user_id: o.sellerId ?? this.sellerId,
      topic: o.topic ?? 'orders_v2',
      application_id: Number(o.applicationId ?? this.clientId),
      attempts: o.attempts ?? 1,
      sent: new Date(now).toISOString(),
      received: new Date(now).toISOString(),
    };
  }

  /** POSTs a notification to the CDP as ML does; reports the status and whether it answered within ML's 500 ms. */
  async notify(targetUrl: string, body: unknown): Promise<{ status: number; ms: number; within500ms: boolean }> {
    const started = performance.now();
    const res = await fetch(targetUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    await res.arrayBuffer();
    const ms = performance.now() - started;
    return { status: res.status, ms, within500ms: ms <= 500 };
  }

  /** Records a notification as undelivered: it shows up in `/missed_feeds`. */
  missFeed(orderId: number, o: { sellerId?: number } = {}) {
    const n = this.notification(orderId, { ...o, attempts: 8 });
    this.missedFeeds.push({ ...n, request: { url: 'https://cdp.example/webhooks/mercadolibre' }, response: { req_time: 10_000, http_code: 504 } });
    return n;
  }

  // ------------------------------------------------------------------------------------------------------------
  // HTTP

  private send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
    res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8', ...headers });
    res.end(JSON.stringify(body));
  }

  private mint(sellerId: number, clientId: string) {
    const access = `APP_USR-${clientId}-${randomBytes(12).toString('hex')}-${sellerId}`;
    const refresh = `TG-${randomBytes(16).toString('hex')}-${sellerId}`;
    const now = Date.now();
    this.accessTokens.set(access, { sellerId, clientId, expiresAt: now + this.accessTokenTtlSeconds * 1000 });
    this.refreshTokens.set(refresh, { sellerId, clientId, expiresAt: now + 180 * 24 * 3600_000 });
    return { access_token: access, token_type: 'Bearer', expires_in: this.accessTokenTtlSeconds, scope: 'offline_access read write', user_id: sellerId, refresh_token: refresh };
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://fake');
    const entry: LoggedRequest = { method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), status: 0, at: Date.now() };
    this.requests.push(entry);
    const finish = (status: number, body: unknown, headers?: Record<string, string>) => {
      entry.status = status;
      this.send(res, status, body, headers);
    };

    for (const f of this.faults) {
      if (!matches(f.path, url.pathname) || (f.method && f.method !== req.method)) continue;
      f.seen++;
      if (f.seen <= (f.skip ?? 0) || f.hit >= (f.times ?? 1)) continue;
      f.hit++;
      if (f.delayMs) await new Promise((r) => setTimeout(r, f.delayMs));
      if (f.expireTokens) this.expireAccessTokens();
      if (f.reset) {
        entry.status = -1;
        req.socket.destroy();
        return;
      }
      if (f.status) {
        const headers: Record<string, string> = f.retryAfter !== undefined ? { 'retry-after': String(f.retryAfter) } : {};
        const body = f.body ?? (f.status === 429 ? mlError(429, 'local_rate_limited', 'Too many requests') : mlError(f.status, 'internal_error', 'Internal server error'));
        return finish(f.status, body, headers);
      }
      break;
    }

    if (req.method === 'GET' && url.pathname === '/authorization') return this.authorize(url, res, entry);
    if (req.method === 'POST' && url.pathname === '/oauth/token') return this.token(req, entry, finish);

    // Everything else is the API: Bearer token (the query-string access_token is legacy; not accepted here).
    const auth = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    entry.token = auth;
    if (!auth) return finish(401, mlError(401, 'unauthorized', 'authorization value not present'));
    const grant = this.accessTokens.get(auth);
    if (!grant) return finish(401, mlError(401, 'invalid_token', 'invalid access token'));
    if (grant.expiresAt <= Date.now()) return finish(401, mlError(401, 'invalid_token', 'expired_token'));
    const caller = grant.sellerId;

    if (req.method !== 'GET') return finish(405, mlError(405, 'method_not_allowed', `${req.method} not allowed`));
    if (url.pathname === '/users/me') {
      const s = this.sellers.get(caller)!;
      return finish(200, { ...s, country_id: 'AR', site_id: 'MLA', user_type: 'normal', tags: ['normal'], status: { site_status: 'active' } });
    }
    let m = /^\/users\/(\d+)$/.exec(url.pathname);
    if (m) {
      const s = this.sellers.get(Number(m[1]));
      if (!s) return finish(404, mlError(404, 'not_found', 'User not found'));
      return finish(200, { id: s.id, nickname: s.nickname, country_id: 'AR', site_id: 'MLA', user_type: 'normal' });
    }
    if (url.pathname === '/orders/search') return this.search(url, caller, finish);
    m = /^\/orders\/(\d+)(\/billing_info)?$/.exec(url.pathname);
    if (m) {
      const o = this.orders.get(Number(m[1]));
      if (!o) return finish(404, mlError(404, 'not_found', `Order ${m[1]} not found`));
      if (o.order.seller.id !== caller) return finish(403, mlError(403, 'forbidden', 'Invalid caller.id'));
      if (!m[2]) return finish(200, o.order);
      if (!o.buyer) return finish(404, mlError(404, 'not_found', 'billing info not found'));
      return req.headers['x-version'] === '2' ? finish(200, billingInfoV2(o.buyer, caller)) : finish(200, billingInfoV1(o.buyer));
    }
    if (url.pathname === '/missed_feeds') {
      const appId = url.searchParams.get('app_id');
      if (appId !== grant.clientId) return finish(403, mlError(403, 'forbidden', 'The caller is not authorized to access this resource'));
      const topic = url.searchParams.get('topic');
      const offset = Number(url.searchParams.get('offset') ?? 0);
      const limit = Number(url.searchParams.get('limit') ?? 10);
      const all = this.missedFeeds.filter((n) => !topic || n.topic === topic);
      return finish(200, { messages: all.slice(offset, offset + limit), paging: { total: all.length, offset, limit } });
    }
    return finish(404, mlError(404, 'not_found', `Resource ${url.pathname} not found`));
  }

  private authorize(url: URL, res: http.ServerResponse, entry: LoggedRequest) {
    const p = url.searchParams;
    const redirectUri = p.get('redirect_uri');
    const bad = (message: string) => {
      entry.status = 400;
      res.writeHead(400, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<h1>Error</h1><p>${message}</p>`);
    };
    if (p.get('response_type') !== 'code') return bad('response_type must be code');
    if (p.get('client_id') !== this.clientId) return bad('unknown client_id');
    if (!redirectUri || (this.redirectUri && redirectUri !== this.redirectUri)) return bad('redirect_uri does not match the application');
    const back = new URL(redirectUri);
    if (this.authorization === 'page') {
      entry.status = 200;
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<h1>Autorizar aplicación</h1><p>Nerdistan CDP quiere acceder a tu cuenta.</p>');
      return;
    }
    if (this.authorization === 'deny') back.searchParams.set('error', 'access_denied');
    else {
      const code = `TG-${randomBytes(12).toString('hex')}-${this.sellerId}`;
      this.codes.set(code, { sellerId: this.sellerId, clientId: this.clientId, expiresAt: Date.now() + 10 * 60_000, redirectUri });
      back.searchParams.set('code', code);
    }
    if (p.get('state') !== null) back.searchParams.set('state', p.get('state')!);
    entry.status = 302;
    res.writeHead(302, { location: back.toString() });
    res.end();
  }

  private async token(req: http.IncomingMessage, entry: LoggedRequest, finish: (s: number, b: unknown) => void) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const form: Record<string, string> = (req.headers['content-type'] ?? '').includes('json')
      ? (JSON.parse(text || '{}') as Record<string, string>)
      : Object.fromEntries(new URLSearchParams(text));
    entry.form = { ...form, ...(form.client_secret ? { client_secret: '***' } : {}) };
    const invalidGrant = () =>
      finish(400, {
        error: 'invalid_grant',
        error_description: 'Error validating grant. Your authorization code or refresh token may be expired or it was already used',
        status: 400,
        cause: [],
      });
    if (form.client_id !== this.clientId || form.client_secret !== this.clientSecret)
      return finish(400, { error: 'invalid_client', error_description: 'invalid client_id or client_secret', status: 400, cause: [] });
    if (form.grant_type === 'authorization_code') {
      const g = form.code ? this.codes.get(form.code) : undefined;
      if (!g || g.used || g.expiresAt <= Date.now()) return invalidGrant();
      if (form.redirect_uri !== g.redirectUri) return finish(400, { error: 'invalid_grant', error_description: 'the redirect_uri does not match the original', status: 400, cause: [] });
      g.used = true;
      return finish(200, this.mint(g.sellerId, g.clientId));
    }
    if (form.grant_type === 'refresh_token') {
      const g = form.refresh_token ? this.refreshTokens.get(form.refresh_token) : undefined;
      if (!g || g.used || g.expiresAt <= Date.now()) return invalidGrant();
      // Single use: this refresh token is spent whether or not the caller stores the new pair.
      g.used = true;
      return finish(200, this.mint(g.sellerId, g.clientId));
    }
    return finish(400, { error: 'unsupported_grant_type', error_description: `grant_type ${form.grant_type ?? '(none)'} is not supported`, status: 400, cause: [] });
  }

  private search(url: URL, caller: number, finish: (s: number, b: unknown) => void) {
    const p = url.searchParams;
    const seller = p.get('seller');
    if (!seller) return finish(400, mlError(400, 'bad_request', 'seller or buyer is required'));
    if (Number(seller) !== caller) return finish(403, mlError(403, 'forbidden', 'Invalid caller.id'));
    const offset = Number(p.get('offset') ?? 0);
    const limit = Number(p.get('limit') ?? 50);
    if (!Number.isInteger(limit) || limit < 1 || limit > this.maxLimit) return finish(400, mlError(400, 'bad_request', `Invalid limit. Max limit is ${this.maxLimit}`));
    if (!Number.isInteger(offset) || offset < 0) return finish(400, mlError(400, 'bad_request', 'Invalid offset'));
    if (offset >= this.maxOffset) return finish(400, mlError(400, 'bad_request', `The offset must be lower than ${this.maxOffset}`));
    const range = (field: string) => {
      const from = p.get(`order.${field}.from`);
      const to = p.get(`order.${field}.to`);
      const a = from ? Date.parse(from) : -Infinity;
      const b = to ? Date.parse(to) : Infinity;
      return Number.isNaN(a) || Number.isNaN(b) ? undefined : ([a, b] as const);
    };
    const created = range('date_created');
    const updated = range('date_last_updated');
    if (!created || !updated) return finish(400, mlError(400, 'bad_request', 'Invalid date filter'));
    const status = p.get('order.status');
    const sort = p.get('sort') ?? 'date_asc';
    if (sort !== 'date_asc' && sort !== 'date_desc') return finish(400, mlError(400, 'bad_request', `Invalid sort ${sort}`));
    this.sorted ??= [...this.orders.values()].sort((x, y) => Date.parse(x.order.date_created) - Date.parse(y.order.date_created) || x.order.id - y.order.id);
    // Both bounds inclusive, as ML's filters are.
    const hits = this.sorted.filter((o) => {
      if (o.order.seller.id !== caller || (status && o.order.status !== status)) return false;
      const c = Date.parse(o.order.date_created);
      const u = Date.parse(o.order.last_updated);
      return c >= created[0] && c <= created[1] && u >= updated[0] && u <= updated[1];
    });
    if (sort === 'date_desc') hits.reverse();
    return finish(200, {
      query: null,
      results: hits.slice(offset, offset + limit).map((o) => o.order),
      sort: { id: sort, name: sort === 'date_asc' ? 'Date ascending' : 'Date descending' },
      available_sorts: [{ id: sort === 'date_asc' ? 'date_desc' : 'date_asc' }],
      filters: [],
      paging: { total: hits.length, offset, limit },
      display: 'complete',
    });
  }
}

function matches(rule: string | RegExp, path: string) {
  return typeof rule === 'string' ? path.startsWith(rule) : rule.test(path);
}

/** Starts a fake; `stop()` when done. */
export async function startFakeMercadoLibre(o: FakeMercadoLibreOptions = {}) {
  const fake = new FakeMercadoLibre(o);
  await fake.start();
  return fake;
}
