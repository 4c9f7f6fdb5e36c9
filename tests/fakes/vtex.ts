// A local VTEX that behaves as integrations.md §1 documents: both auth headers enforced, the OMS list's
// 30-page × 100 cap and creationDate filter, order details in cents with masked (Conversation Tracker) e-mails,
// Master Data CL search (REST-Range in/out) and scroll (X-VTEX-MD-TOKEN), catalog search (≤ 50 per response),
// Feed v3 with visibility timeout and re-delivery, the order Hook with its setup ping, and CL PATCHes.
// Faults can be injected per route: 429 with Retry-After, 500, slow responses, connection resets.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { statusDescription, VtexDataset, vtexDate, type VtexCustomer, type VtexOrder } from './vtex-data.ts';

export type FakeRoute =
  | 'orders.list'
  | 'orders.get'
  | 'cl.search'
  | 'cl.scroll'
  | 'cl.patch'
  | 'catalog.search'
  | 'feed.get'
  | 'feed.commit'
  | 'feed.config'
  | 'hook.config';

export type Fault = { kind: '429'; retryAfterSeconds?: number } | { kind: '500' } | { kind: 'slow'; ms: number } | { kind: 'reset' };

interface ArmedFault {
  route: FakeRoute;
  fault: Fault;
  remaining: number;
  /** Matching requests to let through before the fault starts. */
  skip: number;
}

export interface LoggedRequest {
  method: string;
  route: FakeRoute | 'unknown';
  path: string;
  query: string;
  status: number;
  at: number;
}

export interface FakeVtexOptions {
  account?: string;
  appKey?: string;
  appToken?: string;
  data?: VtexDataset;
  /** Keep a log of every request (tests read it; the benchmark turns it off). */
  logRequests?: boolean;
  /** Master Data scroll tokens expire after this long idle (VTEX: 20 minutes). */
  scrollTtlMs?: number;
}

interface FeedEvent {
  eventId: string;
  orderId: string;
  state: string;
  lastState: string;
  lastChange: string;
  currentChange: string;
  visibleAt: number;
  handle?: string;
  committed: boolean;
}

interface Scroll {
  ids: string[];
  pos: number;
  size: number;
  fields: string[] | undefined;
  lastUsed: number;
}

const MAX_PAGE = 30;
const MAX_PER_PAGE = 100;
const MD_MAX_RANGE = 100;
const MD_MAX_SCROLL_SIZE = 1000;
const MD_MAX_SCROLLS = 10;
const CATALOG_MAX = 50;

/** A response body that is JSON text already (order details, rendered from cached fragments). */
class RawJson {
  constructor(readonly text: string) {}
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`HTTP ${status}`);
  }
}

export class FakeVtex {
  readonly account: string;
  readonly appKey: string;
  appToken: string;
  readonly data: VtexDataset;
  readonly requests: LoggedRequest[] = [];
  /** CL PATCHes received (write-back), in arrival order. */
  readonly patches: { id: string; body: Record<string, unknown>; at: number }[] = [];
  /** Hook notifications the fake sent, with the status the CDP answered. */
  readonly hookDeliveries: { orderId: string; state: string; status: number }[] = [];
  feedConfig: { filter: { type: string; status?: string[]; expression?: string }; queue: { visibilityTimeoutInSeconds: number; MessageRetentionPeriodInSeconds: number } } | undefined;
  hookConfig: { filter: { type: string; status?: string[] }; hook: { url: string; headers?: Record<string, string> } } | undefined;
  private readonly feed: FeedEvent[] = [];
  private readonly scrolls = new Map<string, Scroll>();
  private readonly faults: ArmedFault[] = [];
  private readonly logRequests: boolean;
  private readonly scrollTtlMs: number;
  private server: http.Server | undefined;
  private clockOffset = 0;
  url = '';

  constructor(opts: FakeVtexOptions = {}) {
    this.account = opts.account ?? 'nerdistanstore';
    this.appKey = opts.appKey ?? 'vtexappkey-nerdistanstore-ABCDEF';
    this.appToken = opts.appToken ?? 'fake-app-token-0123456789';
    this.data = opts.data ?? new VtexDataset();
    this.logRequests = opts.logRequests ?? true;
    this.scrollTtlMs = opts.scrollTtlMs ?? 20 * 60_000;
  }

  /** The fake's clock: wall time plus whatever a test advanced it by (feed visibility, scroll expiry). */
  now(): number {
    return Date.now() + this.clockOffset;
  }
  advance(ms: number) {
    this.clockOffset += ms;
  }

  /** Listens on 127.0.0.1 (port 0: any free one). */
  async start(port = 0): Promise<string> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, '127.0.0.1', resolve);
    });
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  /** Arms a fault on a route: the next `times` matching requests (after letting `after` through) get it. */
  inject(route: FakeRoute, fault: Fault, opts: { times?: number; after?: number } = {}) {
    this.faults.push({ route, fault, remaining: opts.times ?? 1, skip: opts.after ?? 0 });
  }
  clearFaults() {
    this.faults.length = 0;
  }

  requestsFor(route: FakeRoute, since = 0): LoggedRequest[] {
    return this.requests.filter((r) => r.route === route && r.at >= since);
  }

  /** An order moves to a new status: the OMS records it, the feed queues it and the hook is called. */
  async changeStatus(orderId: string, state: string): Promise<void> {
    const o = this.data.byId.get(orderId);
    if (!o) throw new Error(`no order ${orderId}`);
    const lastState = o.status;
    const lastChange = vtexDate(o.lastChangeMs, true);
    o.status = state;
    o.lastChangeMs = Math.max(this.now(), o.lastChangeMs + 1);
    const currentChange = vtexDate(o.lastChangeMs, true);
    if (this.feedConfig && (this.feedConfig.filter.status ?? []).includes(state))
      this.feed.push({ eventId: `ED${randomBytes(12).toString('hex').toUpperCase()}`, orderId, state, lastState, lastChange, currentChange, visibleAt: this.now(), committed: false });
    if (this.hookConfig && (this.hookConfig.filter.status ?? []).includes(state)) {
      const status = await this.post(this.hookConfig.hook.url, this.hookConfig.hook.headers ?? {}, {
        Domain: 'Marketplace',
        OrderId: orderId,
        State: state,
        LastState: lastState,
        LastChange: lastChange,
        CurrentChange: currentChange,
        Origin: { Account: this.account, Key: this.appKey },
      });
      this.hookDeliveries.push({ orderId, state, status });
    }
  }

  /** Feed items not yet committed (delivered or not). */
  pendingFeedItems(): number {
    return this.feed.filter((e) => !e.committed).length;
  }

  // ---- HTTP plumbing ------------------------------------------------------------------------------------

  private async handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://fake');
    const route = routeOf(req.method ?? 'GET', url.pathname);
    const entry: LoggedRequest = { method: req.method ?? 'GET', route: route ?? 'unknown', path: url.pathname, query: url.search, status: 0, at: Date.now() };
    if (this.logRequests) this.requests.push(entry);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      entry.status = status;
      const text = body === undefined ? '' : body instanceof RawJson ? body.text : JSON.stringify(body);
      res.writeHead(status, { ...(text ? { 'content-type': 'application/json; charset=utf-8' } : {}), ...headers });
      res.end(text);
    };
    try {
      const raw = await readBody(req);
      if (!route) return send(404, { error: { code: '404', message: `No route ${req.method} ${url.pathname}` } });
      const fault = this.takeFault(route);
      if (fault?.kind === 'reset') {
        entry.status = -1;
        req.socket.destroy();
        return;
      }
      if (fault?.kind === 'slow') await new Promise((r) => setTimeout(r, fault.ms));
      if (fault?.kind === '429') return send(429, { error: { code: '429', message: 'Too Many Requests' } }, { 'retry-after': String(fault.retryAfterSeconds ?? 1) });
      if (fault?.kind === '500') return send(500, { error: { code: '500', message: 'Internal Server Error' } });
      // Public catalog routes need no keys on VTEX; everything else does.
      if (route !== 'catalog.search') {
        const key = req.headers['x-vtex-api-appkey'];
        const token = req.headers['x-vtex-api-apptoken'];
        if (!key || !token) return send(401, { error: { code: '401', message: 'Unauthorized: X-VTEX-API-AppKey and X-VTEX-API-AppToken are required' } });
        if (key !== this.appKey || token !== this.appToken) return send(401, { error: { code: '401', message: 'Unauthorized' } });
      }
      const body = raw ? (JSON.parse(raw) as unknown) : undefined;
      const out = await this.dispatch(route, req, url, body);
      return send(out.status ?? 200, out.body, out.headers);
    } catch (err) {
      if (err instanceof HttpError) return send(err.status, err.body);
      return send(500, { error: { code: '500', message: String(err) } });
    }
  }

  private takeFault(route: FakeRoute): Fault | undefined {
    for (const f of this.faults) {
      if (f.route !== route || f.remaining <= 0) continue;
      if (f.skip > 0) {
        f.skip--;
        continue;
      }
      f.remaining--;
      return f.fault;
    }
    return undefined;
  }

  private async dispatch(route: FakeRoute, req: http.IncomingMessage, url: URL, body: unknown): Promise<{ status?: number; body?: unknown; headers?: Record<string, string> }> {
    const q = url.searchParams;
    switch (route) {
      case 'orders.list':
        return { body: this.listOrders(q) };
      case 'orders.get': {
        const id = decodeURIComponent(url.pathname.split('/').pop()!);
        const o = this.data.byId.get(id) ?? this.data.orders.find((x) => String(x.sequence) === id);
        if (!o) throw new HttpError(404, { error: { code: 'OMS003', message: 'Order not found', exception: null } });
        return { body: new RawJson(this.data.orderDetailJson(o, this.account)) };
      }
      case 'cl.search':
        return this.clSearch(q, req.headers['rest-range']);
      case 'cl.scroll':
        return this.clScroll(q);
      case 'cl.patch': {
        const id = decodeURIComponent(url.pathname.split('/').pop()!);
        const c = this.data.byClId.get(id);
        if (!c) throw new HttpError(404, { Message: `Document ${id} not found` });
        const fields = (body ?? {}) as Record<string, unknown>;
        this.patches.push({ id, body: fields, at: this.now() });
        Object.assign(c.custom, fields);
        c.updatedIn = this.now();
        return { status: 204 };
      }
      case 'catalog.search':
        return this.catalogSearch(q);
      case 'feed.get':
        return { body: this.feedGet(q) };
      case 'feed.commit': {
        if (!this.feedConfig) throw new HttpError(404, { error: { code: 'FEED404', message: 'Feed not configured for this appKey' } });
        const handles = new Set(((body ?? {}) as { handles?: string[] }).handles ?? []);
        for (const e of this.feed) if (e.handle && handles.has(e.handle)) e.committed = true;
        return { status: 200 };
      }
      case 'feed.config': {
        if (req.method === 'GET') {
          if (!this.feedConfig) throw new HttpError(404, { error: { code: 'FEED404', message: 'Feed not configured for this appKey' } });
          const pending = this.feed.filter((e) => !e.committed);
          return { body: { ...this.feedConfig, quantity: pending.length, approximateAgeOfOldestMessageInSeconds: 0 } };
        }
        const cfg = body as NonNullable<FakeVtex['feedConfig']>;
        if (!cfg?.filter?.type) throw new HttpError(400, { error: { code: '400', message: 'filter.type is required' } });
        if (cfg.filter.status && cfg.filter.expression) throw new HttpError(409, { error: { code: '409', message: 'status and expression cannot be combined' } });
        const retention = cfg.queue?.MessageRetentionPeriodInSeconds ?? 345600;
        if (retention < 345600 || retention > 1209600) throw new HttpError(400, { error: { code: '400', message: 'MessageRetentionPeriodInSeconds must be between 345600 and 1209600' } });
        this.feedConfig = { filter: cfg.filter, queue: { visibilityTimeoutInSeconds: cfg.queue?.visibilityTimeoutInSeconds ?? 240, MessageRetentionPeriodInSeconds: retention } };
        return { status: 200 };
      }
      case 'hook.config': {
        if (req.method === 'GET') {
          if (!this.hookConfig) throw new HttpError(404, { error: { code: 'HOOK404', message: 'Hook not configured' } });
          return { body: this.hookConfig };
        }
        const cfg = body as NonNullable<FakeVtex['hookConfig']>;
        if (!cfg?.hook?.url) throw new HttpError(400, { error: { code: '400', message: 'hook.url is required' } });
        // VTEX pings the URL on save and refuses the configuration unless it answers 200.
        const status = await this.post(cfg.hook.url, cfg.hook.headers ?? {}, { hookConfig: 'ping' });
        if (status !== 200) throw new HttpError(400, { error: { code: '400', message: `The hook URL answered ${status} to the ping` } });
        this.hookConfig = cfg;
        return { status: 200 };
      }
    }
  }

  private listOrders(q: URLSearchParams) {
    const page = Number(q.get('page') ?? 1);
    const perPage = Number(q.get('per_page') ?? 15);
    if (!Number.isInteger(page) || page < 1) throw new HttpError(400, { error: { code: '1', message: 'Invalid page' } });
    if (page > MAX_PAGE) throw new HttpError(400, { error: { code: '1', message: `Max page exceed ( ${MAX_PAGE} ), refine filter` } });
    if (!Number.isInteger(perPage) || perPage < 1 || perPage > MAX_PER_PAGE) throw new HttpError(400, { error: { code: '1', message: `per_page must be between 1 and ${MAX_PER_PAGE}` } });
    let lo = 0;
    let hi = this.data.orders.length;
    const f = q.get('f_creationDate');
    if (f) {
      const m = /^creationDate:\[(.+) TO (.+)\]$/.exec(f);
      const a = m ? Date.parse(m[1]!) : NaN;
      const b = m ? Date.parse(m[2]!) : NaN;
      if (!Number.isFinite(a) || !Number.isFinite(b)) throw new HttpError(400, { error: { code: '1', message: `Invalid f_creationDate: ${f}` } });
      // Both ends inclusive, as VTEX's range filter is.
      lo = this.data.lowerBound(a);
      hi = this.data.lowerBound(b + 1);
    }
    const all = this.data.orders.slice(lo, hi);
    const [field, dir] = (q.get('orderBy') ?? 'creationDate,desc').split(',');
    if (field !== 'creationDate') throw new HttpError(400, { error: { code: '1', message: 'The fake supports orderBy=creationDate only' } });
    if (dir !== 'asc') all.reverse();
    const total = all.length;
    const slice = all.slice((page - 1) * perPage, page * perPage);
    return {
      list: slice.map((o) => this.data.listEntry(o)),
      facets: [],
      paging: { total, pages: Math.ceil(total / perPage), currentPage: page, perPage },
      stats: { stats: { totalValue: { Count: total }, totalItems: { Count: total } } },
    };
  }

  private clRows(where: string | null, filters: [string, string][], sort: string | null): VtexCustomer[] {
    const pred = where ? parseWhere(where) : () => true;
    let rows = this.indexed(where, filters) ?? this.data.customers.filter((c) => c.inCl);
    const docs = new Map(rows.map((c) => [c.clId, this.data.clDocument(c)]));
    rows = rows.filter((c) => {
      const d = docs.get(c.clId)!;
      return pred(d) && filters.every(([k, v]) => String(d[k] ?? '') === v);
    });
    if (sort) {
      const [field, dir] = sort.trim().split(/\s+/);
      const key = (c: VtexCustomer) => String(docs.get(c.clId)![field!] ?? '');
      rows.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.clId < b.clId ? -1 : 1));
      if ((dir ?? 'ASC').toUpperCase() === 'DESC') rows.reverse();
    }
    return rows;
  }

  /** Lookups by id or userId (`userId=a OR userId=b`, `?userId=a`) use the maps instead of a scan. */
  private indexed(where: string | null, filters: [string, string][]): VtexCustomer[] | undefined {
    const byKey = (k: string, v: string) => (k === 'id' ? this.data.byClId.get(v) : this.data.byUserId.get(v));
    if (!where && filters.length === 1 && (filters[0]![0] === 'userId' || filters[0]![0] === 'id')) {
      const c = byKey(filters[0]![0], filters[0]![1]);
      return c?.inCl ? [c] : [];
    }
    const m = where ? /^\s*\(?\s*(userId|id)\s*=/.exec(where) : null;
    if (!where || !m) return undefined;
    const terms = where.replace(/[()]/g, ' ').split(/\s+OR\s+/i).map((t) => /^\s*(userId|id)\s*=\s*"?([^\s"]+)"?\s*$/.exec(t));
    if (terms.some((t) => !t || t[1] !== m[1])) return undefined;
    const out = new Set<VtexCustomer>();
    for (const t of terms) {
      const c = byKey(t![1]!, t![2]!);
      if (c?.inCl) out.add(c);
    }
    return [...out];
  }

  private project(c: VtexCustomer, fields: string[] | undefined) {
    const d = this.data.clDocument(c);
    // Without _fields Master Data returns ids only.
    const keep = fields ?? ['id'];
    if (keep.includes('_all')) return d;
    return Object.fromEntries(keep.map((f) => [f, d[f] ?? null]));
  }

  private clSearch(q: URLSearchParams, rangeHeader: string | string[] | undefined) {
    const m = /^resources=(\d+)-(\d+)$/.exec(String(rangeHeader ?? ''));
    if (!m) throw new HttpError(400, { Message: 'The REST-Range header is required: resources=<from>-<to>' });
    const a = Number(m[1]);
    const b = Number(m[2]);
    if (b <= a || b - a > MD_MAX_RANGE) throw new HttpError(400, { Message: `REST-Range must cover 1 to ${MD_MAX_RANGE} documents` });
    const filters = [...q.entries()].filter(([k]) => !k.startsWith('_'));
    const rows = this.clRows(q.get('_where'), filters, q.get('_sort'));
    const fields = q.get('_fields')?.split(',').filter(Boolean);
    const page = rows.slice(a, b);
    return { body: page.map((c) => this.project(c, fields)), headers: { 'rest-content-range': `resources=${a}-${a + page.length}/${rows.length}` } };
  }

  private clScroll(q: URLSearchParams) {
    const now = this.now();
    for (const [t, s] of this.scrolls) if (now - s.lastUsed > this.scrollTtlMs) this.scrolls.delete(t);
    const token = q.get('_token');
    if (token) {
      const s = this.scrolls.get(token);
      if (!s) throw new HttpError(400, { Message: 'The scroll token is invalid or expired' });
      s.lastUsed = now;
      const ids = s.ids.slice(s.pos, s.pos + s.size);
      s.pos += ids.length;
      if (!ids.length) this.scrolls.delete(token);
      return { body: ids.map((id) => this.project(this.data.byClId.get(id)!, s.fields)), headers: { 'x-vtex-md-token': token, 'rest-content-total': String(s.ids.length) } };
    }
    if (this.scrolls.size >= MD_MAX_SCROLLS) throw new HttpError(400, { Message: `Maximum simultaneous scrolls rate exceeded (${MD_MAX_SCROLLS})` });
    const size = Number(q.get('_size') ?? 100);
    if (!Number.isInteger(size) || size < 1 || size > MD_MAX_SCROLL_SIZE) throw new HttpError(400, { Message: `_size must be between 1 and ${MD_MAX_SCROLL_SIZE}` });
    const filters = [...q.entries()].filter(([k]) => !k.startsWith('_'));
    const rows = this.clRows(q.get('_where'), filters, q.get('_sort'));
    const fields = q.get('_fields')?.split(',').filter(Boolean);
    const t = randomBytes(16).toString('hex');
    const s: Scroll = { ids: rows.map((c) => c.clId), pos: 0, size, fields, lastUsed: now };
    this.scrolls.set(t, s);
    const ids = s.ids.slice(0, size);
    s.pos = ids.length;
    return { body: ids.map((id) => this.project(this.data.byClId.get(id)!, fields)), headers: { 'x-vtex-md-token': t, 'rest-content-total': String(s.ids.length) } };
  }

  private catalogSearch(q: URLSearchParams) {
    const from = Number(q.get('_from') ?? 0);
    const to = Number(q.get('_to') ?? 9);
    if (!Number.isInteger(from) || !Number.isInteger(to) || from < 0 || to < from) throw new HttpError(400, 'Invalid _from/_to');
    if (to - from + 1 > CATALOG_MAX) throw new HttpError(400, `The maximum number of items per request is ${CATALOG_MAX}`);
    let products = this.data.products;
    const ids = q.getAll('fq').flatMap((fq) => (fq.startsWith('productId:') ? [fq.slice('productId:'.length)] : []));
    if (ids.length) products = products.filter((p) => ids.includes(p.productId));
    const page = products.slice(from, to + 1);
    return {
      status: page.length < products.length ? 206 : 200,
      body: page.map((p) => this.data.catalogProduct(p, this.account)),
      headers: { resources: `${from}-${from + Math.max(page.length - 1, 0)}/${products.length}` },
    };
  }

  private feedGet(q: URLSearchParams) {
    if (!this.feedConfig) throw new HttpError(404, { error: { code: 'FEED404', message: 'Feed not configured for this appKey' } });
    const maxlot = Number(q.get('maxlot') ?? 1);
    if (!Number.isInteger(maxlot) || maxlot < 1 || maxlot > 10) throw new HttpError(400, { error: { code: '400', message: 'maxlot must be between 1 and 10' } });
    const now = this.now();
    const out = [];
    for (const e of this.feed) {
      if (out.length >= maxlot) break;
      if (e.committed || e.visibleAt > now) continue;
      // Each delivery gets a new handle; the item stays invisible until the visibility timeout passes.
      e.handle = randomBytes(24).toString('base64url');
      e.visibleAt = now + this.feedConfig.queue.visibilityTimeoutInSeconds * 1000;
      out.push({ eventId: e.eventId, handle: e.handle, domain: 'Fulfillment', state: e.state, lastState: e.lastState, orderId: e.orderId, lastChange: e.lastChange, currentChange: e.currentChange });
    }
    return out;
  }

  private async post(url: string, headers: Record<string, string>, body: unknown): Promise<number> {
    try {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body), signal: AbortSignal.timeout(5000) });
      await res.arrayBuffer();
      return res.status;
    } catch {
      return 0;
    }
  }
}

function routeOf(method: string, path: string): FakeRoute | undefined {
  if (method === 'GET' && path === '/api/oms/pvt/orders') return 'orders.list';
  if (method === 'GET' && /^\/api\/oms\/pvt\/orders\/[^/]+$/.test(path)) return 'orders.get';
  if (method === 'GET' && path === '/api/dataentities/CL/search') return 'cl.search';
  if (method === 'GET' && path === '/api/dataentities/CL/scroll') return 'cl.scroll';
  if (method === 'PATCH' && /^\/api\/dataentities\/CL\/documents\/[^/]+$/.test(path)) return 'cl.patch';
  if (method === 'GET' && path === '/api/catalog_system/pub/products/search') return 'catalog.search';
  if (method === 'GET' && path === '/api/orders/feed') return 'feed.get';
  if (method === 'POST' && path === '/api/orders/feed') return 'feed.commit';
  if ((method === 'GET' || method === 'POST') && path === '/api/orders/feed/config') return 'feed.config';
  if ((method === 'GET' || method === 'POST') && path === '/api/orders/hook/config') return 'hook.config';
  return undefined;
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

// ---- Master Data `_where` --------------------------------------------------------------------------------
// The documented grammar: =, <>, >, <, `between A AND B`, `is null`, `is not null`, AND/OR, parentheses.

type Doc = Record<string, unknown>;
type Pred = (d: Doc) => boolean;
const DATE_FIELDS = new Set(['createdIn', 'updatedIn', 'birthDate']);

function compare(field: string, actual: unknown, literal: string): number | undefined {
  if (actual === null || actual === undefined) return undefined;
  if (DATE_FIELDS.has(field)) {
    const a = Date.parse(String(actual));
    const b = Date.parse(literal);
    return Number.isFinite(a) && Number.isFinite(b) ? a - b : undefined;
  }
  if (typeof actual === 'number') return actual - Number(literal);
  if (typeof actual === 'boolean') return actual === (literal === 'true') ? 0 : 1;
  const s = String(actual);
  return s < literal ? -1 : s > literal ? 1 : 0;
}

export function parseWhere(text: string): Pred {
  const tokens: string[] = [];
  const re = /\s*("(?:[^"]*)"|\(|\)|<>|=|>|<|[^\s()<>="]+)/y;
  let m: RegExpExecArray | null;
  while (re.lastIndex < text.length && (m = re.exec(text))) tokens.push(m[1]!);
  if (text.slice(re.lastIndex).trim()) throw new HttpError(400, { Message: `Invalid _where near "${text.slice(re.lastIndex)}"` });
  let i = 0;
  const peek = () => tokens[i];
  const kw = (w: string) => peek()?.toUpperCase() === w;
  const value = () => {
    const t = tokens[i++];
    if (t === undefined) throw new HttpError(400, { Message: 'Invalid _where: value expected' });
    return t.startsWith('"') ? t.slice(1, -1) : t;
  };
  const factor = (): Pred => {
    if (peek() === '(') {
      i++;
      const e = expr();
      if (tokens[i++] !== ')') throw new HttpError(400, { Message: 'Invalid _where: ")" expected' });
      return e;
    }
    const field = tokens[i++];
    if (!field) throw new HttpError(400, { Message: 'Invalid _where: field expected' });
    if (kw('IS')) {
      i++;
      const not = kw('NOT');
      if (not) i++;
      if (!kw('NULL')) throw new HttpError(400, { Message: 'Invalid _where: null expected' });
      i++;
      return (d) => (d[field] === null || d[field] === undefined) !== not;
    }
    if (kw('BETWEEN')) {
      i++;
      const a = value();
      if (!kw('AND')) throw new HttpError(400, { Message: 'Invalid _where: AND expected in between' });
      i++;
      const b = value();
      return (d) => {
        const x = compare(field, d[field], a);
        const y = compare(field, d[field], b);
        return x !== undefined && y !== undefined && x >= 0 && y <= 0;
      };
    }
    const op = tokens[i++];
    const lit = value();
    return (d) => {
      const c = compare(field, d[field], lit);
      if (c === undefined) return op === '<>';
      return op === '=' ? c === 0 : op === '<>' ? c !== 0 : op === '>' ? c > 0 : op === '<' ? c < 0 : false;
    };
  };
  const term = (): Pred => {
    let left = factor();
    while (kw('AND')) {
      i++;
      const l = left;
      const r = factor();
      left = (d) => l(d) && r(d);
    }
    return left;
  };
  const expr = (): Pred => {
    let left = term();
    while (kw('OR')) {
      i++;
      const l = left;
      const r = term();
      left = (d) => l(d) || r(d);
    }
    return left;
  };
  const p = expr();
  if (i !== tokens.length) throw new HttpError(400, { Message: `Invalid _where near "${tokens[i]}"` });
  return p;
}

export { statusDescription, type VtexOrder };
