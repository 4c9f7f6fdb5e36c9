// The fake MercadoLibre keeps the contract the connector relies on (integrations.md §2.8).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeMercadoLibre, type FakeMercadoLibre } from '../fakes/mercadolibre.ts';

let ml: FakeMercadoLibre;
beforeAll(async () => {
  ml = await startFakeMercadoLibre({ maxOffset: 100 });
  ml.generate(120, { from: '2026-01-01T00:00:00.000Z', to: '2026-01-11T00:00:00.000Z' });
});
afterAll(() => ml.stop());

const form = (f: Record<string, string>) => ({ method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(f).toString() });
const get = (path: string, token?: string, headers: Record<string, string> = {}) =>
  fetch(ml.url + path, { headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } }).then(async (r) => ({ status: r.status, headers: r.headers, body: await r.json() }));

describe('fake MercadoLibre', () => {
  it('runs the authorization-code flow and rotates single-use refresh tokens', async () => {
    const redirect = 'http://127.0.0.1:1/cb';
    const auth = await fetch(`${ml.url}/authorization?response_type=code&client_id=${ml.clientId}&redirect_uri=${encodeURIComponent(redirect)}&state=s1`, { redirect: 'manual' });
    expect(auth.status).toBe(302);
    const back = new URL(auth.headers.get('location')!);
    expect(back.searchParams.get('state')).toBe('s1');
    const code = back.searchParams.get('code')!;
    const base = { client_id: ml.clientId, client_secret: ml.clientSecret };
    const t1 = await (await fetch(`${ml.url}/oauth/token`, form({ ...base, grant_type: 'authorization_code', code, redirect_uri: redirect }))).json();
    expect(t1).toMatchObject({ token_type: 'Bearer', expires_in: 21600, user_id: ml.sellerId });
    // A code is single-use too.
    expect((await fetch(`${ml.url}/oauth/token`, form({ ...base, grant_type: 'authorization_code', code, redirect_uri: redirect }))).status).toBe(400);

    const r1 = await fetch(`${ml.url}/oauth/token`, form({ ...base, grant_type: 'refresh_token', refresh_token: t1.refresh_token }));
    const t2 = await r1.json();
    expect(t2.refresh_token).not.toBe(t1.refresh_token);
    const reuse = await fetch(`${ml.url}/oauth/token`, form({ ...base, grant_type: 'refresh_token', refresh_token: t1.refresh_token }));
    expect(reuse.status).toBe(400);
    expect(await reuse.json()).toMatchObject({ error: 'invalid_grant' });
    expect((await get('/users/me', t2.access_token)).body).toMatchObject({ id: ml.sellerId });
  });

  it('enforces Bearer auth, the offset cap, the limit and x-version on billing info', async () => {
    const { access_token: token } = ml.issueTokens();
    expect((await get('/users/me')).status).toBe(401);
    expect((await get('/users/me', 'APP_USR-nope')).body).toMatchObject({ status: 401, error: 'invalid_token' });
    const page = await get(`/orders/search?seller=${ml.sellerId}&sort=date_asc&offset=50&limit=50`, token);
    expect(page.body.paging).toEqual({ total: 120, offset: 50, limit: 50 });
    expect(page.body.results).toHaveLength(50);
    expect((await get(`/orders/search?seller=${ml.sellerId}&offset=100&limit=50`, token)).status).toBe(400);
    expect((await get(`/orders/search?seller=${ml.sellerId}&offset=0&limit=52`, token)).status).toBe(400);
    expect((await get(`/orders/search?seller=1&offset=0&limit=50`, token)).status).toBe(403);
    const window = await get(
      `/orders/search?seller=${ml.sellerId}&order.date_created.from=2026-01-01T00:00:00.000-00:00&order.date_created.to=2026-01-01T23:59:59.999-00:00&limit=50`,
      token,
    );
    expect(window.body.paging.total).toBe(12);

    const withBilling = page.body.results.find((o: { id: number }) => ml.getOrder(o.id)?.buyer);
    const v2 = await get(`/orders/${withBilling.id}/billing_info`, token, { 'x-version': '2' });
    expect(v2.body.buyer.billing_info.identification.type).toMatch(/^(DNI|CUIL|CUIT)$/);
    const v1 = await get(`/orders/${withBilling.id}/billing_info`, token);
    expect(v1.body.billing_info).toHaveProperty('doc_type');

    ml.expireAccessTokens();
    expect((await get('/users/me', token)).body).toMatchObject({ status: 401, message: 'expired_token' });
  });

  it('injects 429 with Retry-After, then answers normally', async () => {
    const { access_token: token } = ml.issueTokens();
    ml.fault({ path: '/users/me', status: 429, retryAfter: 2, times: 1 });
    const limited = await get('/users/me', token);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('2');
    expect((await get('/users/me', token)).status).toBe(200);
  });
});
