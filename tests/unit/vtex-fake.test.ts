// The fake VTEX keeps the documented contract (integrations.md §1) the connector is tested against.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeVtex } from '../fakes/vtex.ts';
import { VtexDataset } from '../fakes/vtex-data.ts';

const DAY = 86_400_000;
const from = Date.UTC(2025, 0, 1);
let fake: FakeVtex;
let auth: Record<string, string>;

beforeAll(async () => {
  const data = new VtexDataset({ seed: 11, customers: 300, products: 60 });
  data.addOrders(3500, { from, to: from + 30 * DAY, spike: { at: from + 10 * DAY, spanMs: DAY, count: 3200 } });
  fake = new FakeVtex({ data });
  await fake.start();
  auth = { 'x-vtex-api-appkey': fake.appKey, 'x-vtex-api-apptoken': fake.appToken };
});
afterAll(() => fake.stop());

const get = async (path: string, headers: Record<string, string> = auth) => {
  const res = await fetch(fake.url + path, { headers });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
};

describe('fake VTEX', () => {
  it('enforces both auth headers', async () => {
    expect((await get('/api/oms/pvt/orders', {})).status).toBe(401);
    expect((await get('/api/oms/pvt/orders', { 'x-vtex-api-appkey': fake.appKey })).status).toBe(401);
    expect((await get('/api/oms/pvt/orders', { ...auth, 'x-vtex-api-apptoken': 'wrong' })).status).toBe(401);
    expect((await get('/api/oms/pvt/orders')).status).toBe(200);
  });

  it('lists by creationDate window, ascending, with the 30 × 100 cap', async () => {
    const f = `creationDate:[${new Date(from + 10 * DAY).toISOString()} TO ${new Date(from + 11 * DAY - 1).toISOString()}]`;
    const first = await get(`/api/oms/pvt/orders?f_creationDate=${encodeURIComponent(f)}&orderBy=creationDate,asc&per_page=100&page=1`);
    expect(first.body.paging.total).toBeGreaterThan(3000);
    expect(first.body.paging.pages).toBe(Math.ceil(first.body.paging.total / 100));
    const dates = first.body.list.map((o: any) => Date.parse(o.creationDate));
    expect([...dates].sort((a, b) => a - b)).toEqual(dates);
    expect((await get(`/api/oms/pvt/orders?f_creationDate=${encodeURIComponent(f)}&per_page=100&page=31`)).status).toBe(400);
    expect((await get(`/api/oms/pvt/orders?per_page=101`)).status).toBe(400);
  });

  it('serves order details in cents with relay e-mails on some orders', async () => {
    const masked = fake.data.orders.find((o) => o.emailMode === 'hard')!;
    const d = await get(`/api/oms/pvt/orders/${masked.orderId}`);
    expect(d.body.clientProfileData.email).toMatch(/@ct\.vtex\.com\.br$/);
    expect(d.body.value).toBe(d.body.totals.reduce((s: number, t: any) => s + t.value, 0));
    expect(d.body.storePreferencesData).toMatchObject({ countryCode: 'ARG', currencyCode: 'ARS' });
    expect((await get('/api/oms/pvt/orders/nope-01')).status).toBe(404);
  });

  it('Master Data search needs REST-Range (≤ 100) and answers REST-Content-Range', async () => {
    expect((await get('/api/dataentities/CL/search?_fields=id')).status).toBe(400);
    expect((await get('/api/dataentities/CL/search?_fields=id', { ...auth, 'rest-range': 'resources=0-101' })).status).toBe(400);
    const r = await get('/api/dataentities/CL/search?_fields=id,email&_sort=updatedIn%20ASC', { ...auth, 'rest-range': 'resources=10-20' });
    expect(r.body).toHaveLength(10);
    expect(r.headers.get('rest-content-range')).toMatch(/^resources=10-20\/\d+$/);
    const c = fake.data.customers.find((x) => x.inCl && x.userId)!;
    const byUser = await get(`/api/dataentities/CL/search?_fields=id,email&_where=${encodeURIComponent(`userId=${c.userId} OR userId=nobody`)}`, { ...auth, 'rest-range': 'resources=0-100' });
    expect(byUser.body).toEqual([{ id: c.clId, email: c.email }]);
    const since = new Date(from).toISOString();
    const where = await get(`/api/dataentities/CL/search?_fields=id,updatedIn&_where=${encodeURIComponent(`updatedIn>${since} AND (isNewsletterOptIn=true OR isCorporate=true)`)}`, { ...auth, 'rest-range': 'resources=0-100' });
    expect(where.status).toBe(200);
    expect(where.body.every((d: any) => Date.parse(d.updatedIn) > from)).toBe(true);
  });

  it('scrolls with X-VTEX-MD-TOKEN until an empty page; a bad token is refused', async () => {
    const first = await get('/api/dataentities/CL/scroll?_size=100&_fields=id&_sort=updatedIn%20ASC');
    const token = first.headers.get('x-vtex-md-token')!;
    const total = Number(first.headers.get('rest-content-total'));
    let seen = first.body.length;
    for (;;) {
      const next = await get(`/api/dataentities/CL/scroll?_token=${token}`);
      if (!next.body.length) break;
      seen += next.body.length;
    }
    expect(seen).toBe(total);
    expect((await get('/api/dataentities/CL/scroll?_token=nope')).status).toBe(400);
    expect((await get('/api/dataentities/CL/scroll?_size=1001')).status).toBe(400);
  });

  it('catalog search caps a response at 50 products', async () => {
    const r = await get('/api/catalog_system/pub/products/search?_from=0&_to=49', {});
    expect(r.body).toHaveLength(50);
    expect(r.headers.get('resources')).toBe('0-49/60');
    expect((await get('/api/catalog_system/pub/products/search?_from=0&_to=50', {})).status).toBe(400);
  });

  it('injects 429 with Retry-After, 500, slow responses and resets', async () => {
    fake.inject('orders.list', { kind: '429', retryAfterSeconds: 7 });
    fake.inject('orders.list', { kind: '500' });
    const a = await get('/api/oms/pvt/orders');
    expect([a.status, a.headers.get('retry-after')]).toEqual([429, '7']);
    expect((await get('/api/oms/pvt/orders')).status).toBe(500);
    expect((await get('/api/oms/pvt/orders')).status).toBe(200);
    fake.inject('orders.list', { kind: 'reset' });
    await expect(get('/api/oms/pvt/orders')).rejects.toThrow();
    fake.inject('orders.list', { kind: 'slow', ms: 50 });
    expect((await get('/api/oms/pvt/orders')).status).toBe(200);
  });

  it('feed: visibility timeout, re-delivery of uncommitted items, commit by handle', async () => {
    expect((await get('/api/orders/feed?maxlot=10')).status).toBe(404);
    const cfg = await fetch(`${fake.url}/api/orders/feed/config`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ filter: { type: 'FromWorkflow', status: ['invoiced', 'canceled'] }, queue: { visibilityTimeoutInSeconds: 60, MessageRetentionPeriodInSeconds: 345600 } }),
    });
    expect(cfg.status).toBe(200);
    const [o1, o2] = fake.data.orders;
    await fake.changeStatus(o1!.orderId, 'canceled');
    await fake.changeStatus(o2!.orderId, 'handling'); // not in the filter
    const batch = await get('/api/orders/feed?maxlot=10');
    expect(batch.body.map((e: any) => [e.orderId, e.state])).toEqual([[o1!.orderId, 'canceled']]);
    expect((await get('/api/orders/feed?maxlot=10')).body).toEqual([]);
    fake.advance(61_000);
    const again = await get('/api/orders/feed?maxlot=10');
    expect(again.body).toHaveLength(1);
    expect(again.body[0].handle).not.toBe(batch.body[0].handle);
    await fetch(`${fake.url}/api/orders/feed`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ handles: [again.body[0].handle] }) });
    fake.advance(61_000);
    expect((await get('/api/orders/feed?maxlot=10')).body).toEqual([]);
    expect((await get('/api/orders/feed?maxlot=11')).status).toBe(400);
  });

  it('hook config pings the URL and is refused unless it answers 200', async () => {
    let answer = 500;
    const received: unknown[] = [];
    const sink = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push({ body: JSON.parse(body), secret: req.headers['x-cdp-secret'] });
        res.writeHead(answer).end();
      });
    });
    await new Promise<void>((r) => sink.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(sink.address() as AddressInfo).port}/hook`;
    const config = (headers: Record<string, string>) =>
      fetch(`${fake.url}/api/orders/hook/config`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ filter: { type: 'FromWorkflow', status: ['invoiced'] }, hook: { url, headers } }),
      });
    expect((await config({ 'x-cdp-secret': 's1' })).status).toBe(400);
    answer = 200;
    expect((await config({ 'x-cdp-secret': 's2' })).status).toBe(200);
    await fake.changeStatus(fake.data.orders[5]!.orderId, 'invoiced');
    expect(received).toEqual([
      { body: { hookConfig: 'ping' }, secret: 's1' },
      { body: { hookConfig: 'ping' }, secret: 's2' },
      { body: expect.objectContaining({ OrderId: fake.data.orders[5]!.orderId, State: 'invoiced', Origin: { Account: fake.account, Key: fake.appKey } }), secret: 's2' },
    ]);
    sink.close();
  });
});
