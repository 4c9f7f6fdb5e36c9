// MercadoLibre against the running app: the OAuth connect flow through the fake's authorization page, and
// notifications answered at once and processed by the app's own worker.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createConnection, loadConnection } from '#db/queries/connections.ts';
import { credentialsKeyring } from '#platform/secrets.ts';
import { startFakeMercadoLibre, type FakeMercadoLibre } from '../fakes/mercadolibre.ts';
import { apiTenant, appDatabase, closeAppDatabase } from '../support/api.ts';
import { eventually } from '../support/temporal.ts';

const keyring = credentialsKeyring();
let ml: FakeMercadoLibre;
let t: Awaited<ReturnType<typeof apiTenant>>;
let cookie: string;
const web = () => inject('webUrl');

beforeAll(async () => {
  ml = await startFakeMercadoLibre();
  ml.generate(20, { from: '2026-01-01T00:00:00.000Z', to: '2026-02-01T00:00:00.000Z' });
  t = await apiTenant('ml');
  const res = await fetch(`${web()}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ workspace: t.tenant.slug, email: t.user.email, password: t.user.password, redirectTo: '/' }),
    redirect: 'manual',
  });
  cookie = res.headers.get('set-cookie')!.split(';')[0]!;
});
afterAll(async () => {
  await ml?.stop();
  await closeAppDatabase();
});

let n = 0;
async function connection(config: Record<string, unknown> = {}, credentials: Record<string, unknown> = {}) {
  return createConnection(appDatabase().$client, keyring, t.tenant.id, {
    kind: 'mercadolibre',
    name: `MercadoLibre ${++n}`,
    config: { clientId: ml.clientId, apiBaseUrl: ml.url, authBaseUrl: ml.url, ...config },
    credentials: { clientSecret: ml.clientSecret, ...credentials },
  });
}

const get = (url: string, withCookie = true) => fetch(url.startsWith('http') ? url : `${web()}${url}`, { redirect: 'manual', headers: withCookie ? { cookie } : {} });
const location = (res: Response) => res.headers.get('location') ?? '';

/** Connect → MercadoLibre's authorization page → back to the callback URL (not followed yet). */
async function authorize(connectionId: string): Promise<URL> {
  const start = await get(`/connections/${connectionId}/mercadolibre/connect`);
  expect(start.status).toBe(302);
  const atMl = new URL(location(start));
  expect(atMl.origin + atMl.pathname).toBe(`${ml.url}/authorization`);
  expect(Object.fromEntries(atMl.searchParams)).toMatchObject({ response_type: 'code', client_id: ml.clientId, redirect_uri: `${web()}/oauth/mercadolibre/callback` });
  const back = await get(atMl.toString(), false);
  expect(back.status).toBe(302);
  return new URL(location(back));
}

describe('MercadoLibre OAuth connect', () => {
  it('exchanges the code, stores the tokens encrypted and the seller, and lands on the connection page', async () => {
    const c = await connection();
    const callback = await authorize(c.id);
    expect(callback.pathname).toBe('/oauth/mercadolibre/callback');
    const done = await get(callback.toString());
    expect(done.status).toBe(302);
    expect(location(done)).toBe(`/connections/${c.id}?mercadolibre=connected`);

    const stored = (await loadConnection(appDatabase().$client, keyring, c.id))!;
    expect(stored.config.sellerId).toBe(String(ml.sellerId));
    expect(stored.credentials).toMatchObject({ clientSecret: ml.clientSecret, accessToken: expect.stringMatching(/^APP_USR-/), refreshToken: expect.stringMatching(/^TG-/) });
    expect(Date.parse(stored.credentials.expiresAt as string)).toBeGreaterThan(Date.now() + 5 * 3600_000);
    const raw = await appDatabase().$client.query('select credentials from connections where id = $1', [c.id]);
    expect(raw.rows[0].credentials).not.toContain(stored.credentials.accessToken as string);
    const exchange = ml.requestsTo('/oauth/token').at(-1)!;
    expect(exchange.form).toMatchObject({ grant_type: 'authorization_code', redirect_uri: `${web()}/oauth/mercadolibre/callback`, client_secret: '***' });

    // The state is single-use: replaying the callback changes nothing.
    const tokenRequests = ml.requestsTo('/oauth/token').length;
    const replay = await get(callback.toString());
    expect(location(replay)).toBe('/connections?mercadolibre=invalid-state');
    expect(ml.requestsTo('/oauth/token').length).toBe(tokenRequests);
  });

  it('refuses a state older than 10 minutes, a declined authorization, another seller and a visitor without a session', async () => {
    const c = await connection();
    const callback = await authorize(c.id);
    await appDatabase().$client.query(`update oauth_states set created_at = now() - interval '11 minutes' where state = $1`, [callback.searchParams.get('state')]);
    const tokenRequests = ml.requestsTo('/oauth/token').length;
    expect(location(await get(callback.toString()))).toBe(`/connections/${c.id}?mercadolibre=expired`);
    expect(ml.requestsTo('/oauth/token').length).toBe(tokenRequests);

    const anonymous = await get(callback.toString(), false);
    expect(location(anonymous)).toMatch(/^\/login\?redirectTo=%2Foauth%2Fmercadolibre%2Fcallback/);

    ml.authorization = 'deny';
    try {
      const declined = await authorize(c.id);
      expect(declined.searchParams.get('error')).toBe('access_denied');
      expect(location(await get(declined.toString()))).toBe(`/connections/${c.id}?mercadolibre=denied`);
    } finally {
      ml.authorization = 'approve';
    }

    const other = await connection({ sellerId: '42' });
    const otherCallback = await authorize(other.id);
    expect(location(await get(otherCallback.toString()))).toBe(`/connections/${other.id}?mercadolibre=other-seller&seller=${ml.sellerId}&expected=42`);
    expect((await loadConnection(appDatabase().$client, keyring, other.id))!.credentials.accessToken).toBeUndefined();

    expect((await get(`/connections/00000000-0000-0000-0000-000000000000/mercadolibre/connect`)).status).toBe(404);
  });
});

describe('POST /webhooks/mercadolibre', () => {
  it('answers 200 at once and the app stores the notified order with its buyer', async () => {
    const tokens = ml.issueTokens();
    const c = await connection({ sellerId: String(ml.sellerId) }, { accessToken: tokens.access_token, refreshToken: tokens.refresh_token, expiresAt: new Date(Date.now() + 3600_000).toISOString() });
    const order = ml.getOrder(2_000_008_000_000_005)!;
    const body = ml.notification(order.order.id);
    const answer = await ml.notify(`${web()}/webhooks/mercadolibre`, body);
    expect(answer.status).toBe(200);
    // ML disables topics whose callbacks are slow; logged rather than asserted (no timing assertions in tests).
    if (!answer.within500ms) console.warn(`webhook answered in ${Math.round(answer.ms)} ms`);

    const stored = await eventually(
      async () => (await appDatabase().$client.query(`select * from orders where tenant_id = $1 and source = 'mercadolibre' and external_id = $2`, [t.tenant.id, String(order.order.id)])).rows[0],
      30_000,
      'the notified order',
    );
    expect(stored).toMatchObject({ total_minor: Math.round(order.order.total_amount * 100), source_customer_id: String(order.order.buyer.id) });
    const profile = await appDatabase().$client.query(`select * from source_profiles where tenant_id = $1 and source = 'mercadolibre'`, [t.tenant.id]);
    expect(profile.rows).toEqual([expect.objectContaining({ external_id: String(order.order.buyer.id), email: null })]);
    await eventually(
      async () => (await appDatabase().$client.query(`select processed_at from webhook_inbox where connection_id = $1`, [c.id])).rows[0]?.processed_at,
      15_000,
      'inbox row processed',
    );
    // ML's retry of the same notification is answered 200 and dropped.
    expect(await (await fetch(`${web()}/webhooks/mercadolibre`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...body, attempts: 2 }) })).json()).toEqual({ ok: true, stored: 0 });
  });

  it('answers 200 to unknown sellers and other topics, 400 to what is not a notification', async () => {
    const post = (b: unknown) => fetch(`${web()}/webhooks/mercadolibre`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(b) });
    const unknown = await post(ml.notification(1, { sellerId: 987654 }));
    expect(unknown.status).toBe(200);
    expect(await unknown.json()).toEqual({ ok: true, stored: 0 });
    expect((await post(ml.notification(1, { topic: 'questions' }))).status).toBe(200);
    const bad = await post({ resource: '/orders/1', topic: 'orders_v2' });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.code).toBe('invalid_request');
    expect((await fetch(`${web()}/webhooks/mercadolibre`)).status).toBe(405);
    // JSON without a JSON Content-Type is still read (ML must never get an error for a valid notification).
    const untyped = await fetch(`${web()}/webhooks/mercadolibre`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify(ml.notification(1, { sellerId: 987654 })) });
    expect(untyped.status).toBe(200);
    expect((await fetch(`${web()}/webhooks/mercadolibre`, { method: 'POST', body: 'not json' })).status).toBe(400);
  });
});
