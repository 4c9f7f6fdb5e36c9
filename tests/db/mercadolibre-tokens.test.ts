// Token refresh against the fake MercadoLibre and a real database: serialised per seller, never burning the
// single-use refresh token, and a clear failure when ML no longer accepts it.
import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mercadolibreApi } from '#activities/connectors/mercadolibre/client.ts';
import { checkMercadoLibreCredentials } from '#activities/connectors/mercadolibre/check.ts';
import { accessTokenFor } from '#activities/connectors/mercadolibre/tokens.ts';
import { mercadolibreConfig } from '#core/connectors/config.ts';
import { createConnection, loadConnection } from '#db/queries/connections.ts';
import { credentialsKeyring } from '#platform/secrets.ts';
import { startFakeMercadoLibre, type FakeMercadoLibre } from '../fakes/mercadolibre.ts';
import { createTestDatabase } from '../support/db.ts';
import { seedTenant } from '../support/tenants.ts';

let testDb: Awaited<ReturnType<typeof createTestDatabase>>;
let ml: FakeMercadoLibre;
const keyring = credentialsKeyring();
beforeAll(async () => {
  testDb = await createTestDatabase();
  ml = await startFakeMercadoLibre();
});
afterAll(async () => {
  await ml?.stop();
  await testDb?.drop();
});

/** A connected seller whose stored access token has expired (its refresh token is good). */
async function connection(expired = true) {
  const { tenant } = await seedTenant(testDb.db, 'mltok');
  const t = ml.issueTokens();
  const config = { clientId: ml.clientId, sellerId: String(ml.sellerId), apiBaseUrl: ml.url, authBaseUrl: ml.url };
  const c = await createConnection(testDb.db.$client, keyring, tenant.id, {
    kind: 'mercadolibre',
    name: `ML ${Math.random()}`,
    config,
    credentials: { clientSecret: ml.clientSecret, accessToken: t.access_token, refreshToken: t.refresh_token, expiresAt: expired ? new Date(Date.now() - 1000).toISOString() : new Date(Date.now() + 6 * 3600_000).toISOString() },
  });
  return { id: c.id, config, tokens: t };
}

const stored = async (id: string) => (await loadConnection(testDb.db.$client, keyring, id))!.credentials as Record<string, string>;

describe('MercadoLibre token refresh', () => {
  it('two concurrent refreshes send one token request; both get the new token and the rotated refresh token is stored', async () => {
    const c = await connection();
    ml.fault({ path: '/oauth/token', delayMs: 300 });
    const before = ml.requestsTo('/oauth/token').length;
    const [a, b] = await Promise.all([accessTokenFor({ db: testDb.db, keyring }, c.id), accessTokenFor({ db: testDb.db, keyring }, c.id)]);
    expect(ml.requestsTo('/oauth/token').length - before).toBe(1);
    expect(a.accessToken).toBe(b.accessToken);
    expect(a.accessToken).not.toBe(c.tokens.access_token);
    const creds = await stored(c.id);
    expect(creds.refreshToken).not.toBe(c.tokens.refresh_token);
    expect(creds.accessToken).toBe(a.accessToken);
    // Nothing was burnt: the stored refresh token still works, and the new access token is accepted.
    const api = mercadolibreApi({ config: mercadolibreConfig.parse(c.config), credentials: { clientSecret: ml.clientSecret, accessToken: a.accessToken } });
    expect((await api.me()).id).toBe(String(ml.sellerId));
    const forced = await accessTokenFor({ db: testDb.db, keyring }, c.id, undefined, { rejected: a.accessToken });
    expect(forced.accessToken).not.toBe(a.accessToken);
    expect(ml.requestsTo('/oauth/token').at(-1)!.status).toBe(200);
  });

  it('a token ML rejects (401) is refreshed once and the call retried; a concurrent caller reuses the new token', async () => {
    const c = await connection(false);
    ml.expireAccessTokens();
    const before = ml.requestsTo('/oauth/token').length;
    const api = () =>
      mercadolibreApi({ config: mercadolibreConfig.parse(c.config), credentials: { clientSecret: ml.clientSecret, accessToken: c.tokens.access_token, expiresAt: new Date(Date.now() + 3600_000).toISOString(), refreshToken: c.tokens.refresh_token }, tokens: { db: testDb.db, keyring, connectionId: c.id } });
    const [x, y] = await Promise.all([api().me(), api().me()]);
    expect([x.id, y.id]).toEqual([String(ml.sellerId), String(ml.sellerId)]);
    expect(ml.requestsTo('/oauth/token').length - before).toBe(1);
  });

  it('a spent refresh token fails as non-retryable AuthenticationFailed asking to reconnect', async () => {
    const c = await connection();
    ml.revokeRefreshTokens();
    const err = await accessTokenFor({ db: testDb.db, keyring }, c.id).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect(err).toMatchObject({ type: 'AuthenticationFailed', nonRetryable: true });
    expect((err as Error).message).toMatch(/invalid_grant.*Reconnect MercadoLibre/s);
    // The credentials are untouched (nothing half-written).
    expect((await stored(c.id)).refreshToken).toBe(c.tokens.refresh_token);
  });

  it('check credentials: reports the seller, an expired token without refreshing, and a revoked one', async () => {
    const c = await connection(false);
    const creds = await stored(c.id);
    expect(await checkMercadoLibreCredentials(c.config, creds)).toMatchObject({ ok: true, account: { id: String(ml.sellerId), nickname: 'TIENDANERDISTAN' } });
    const tokenRequests = ml.requestsTo('/oauth/token').length;
    const expired = await checkMercadoLibreCredentials(c.config, { ...creds, expiresAt: new Date(Date.now() - 1).toISOString() });
    expect(expired.ok).toBe(false);
    expect(ml.requestsTo('/oauth/token').length).toBe(tokenRequests);
    expect((await checkMercadoLibreCredentials(c.config, { clientSecret: 'x' })).message).toMatch(/Not connected/);
    ml.expireAccessTokens();
    expect(await checkMercadoLibreCredentials(c.config, creds)).toMatchObject({ ok: false, message: expect.stringMatching(/refused the credentials/) });
    // With the connection, check refreshes the safe way and passes.
    expect(await checkMercadoLibreCredentials(c.config, creds, { db: testDb.db, keyring, connectionId: c.id })).toMatchObject({ ok: true });
  });
});
