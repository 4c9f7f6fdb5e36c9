// The VTEX hook route in the running app: ping, secret header, inbox, and the app's own worker applying the order.
import { afterAll, describe, expect, it } from 'vitest';
import { createConnection } from '#db/queries/connections.ts';
import { credentialsKeyring } from '#platform/secrets.ts';
import { FakeVtex } from '../fakes/vtex.ts';
import { VtexDataset } from '../fakes/vtex-data.ts';
import { apiClient, apiTenant, appDatabase, closeAppDatabase } from '../support/api.ts';
import { eventually } from '../support/temporal.ts';

const fake = new FakeVtex({ data: new VtexDataset({ seed: 51, customers: 50, products: 20 }) });
fake.data.addOrders(20, { from: Date.now() - 10 * 86_400_000, to: Date.now() - 86_400_000 });
afterAll(async () => {
  await fake.stop();
  await closeAppDatabase();
});

describe('POST /webhooks/vtex/:connectionId', () => {
  it('answers the ping, refuses a wrong secret, and applies a notification through the inbox workflow', { timeout: 90_000 }, async () => {
    await fake.start();
    const { tenant } = await apiTenant('vtexhook');
    const secret = 'hook-secret-0123456789abcdef';
    const conn = await createConnection(appDatabase().$client, credentialsKeyring(), tenant.id, {
      kind: 'vtex',
      name: 'VTEX hook',
      config: { account: fake.account, baseUrl: fake.url },
      credentials: { appKey: fake.appKey, appToken: fake.appToken, hookSecret: secret },
    });
    const web = apiClient();
    const path = `/webhooks/vtex/${conn.id}`;
    expect((await web.post(path, { hookConfig: 'ping' })).status).toBe(200);
    const order = fake.data.orders[3]!;
    const notification = { Domain: 'Marketplace', OrderId: order.orderId, State: order.status, LastState: 'handling', CurrentChange: '2026-01-01T00:00:00Z', Origin: { Account: fake.account, Key: fake.appKey } };
    expect((await web.post(path, notification, { 'x-cdp-secret': 'nope-nope-nope-nope' })).status).toBe(401);
    const ok = await web.post(path, notification, { 'x-cdp-secret': secret });
    expect(ok).toMatchObject({ status: 200, body: { ok: true, duplicate: false } });
    expect((await web.get(path)).status).toBe(405);
    const row = await eventually(
      async () => (await appDatabase().$client.query('select status, total_minor from orders where tenant_id = $1 and external_id = $2', [tenant.id, order.orderId])).rows[0],
      60_000,
      'the order applied by the app worker',
    );
    expect(row).toEqual({ status: order.status, total_minor: fake.data.totals(order).value });
  });
});
