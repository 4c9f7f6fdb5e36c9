// Key rotation of connection credentials and channel secrets: stale envelopes are re-encrypted under the current key, nothing else moves.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '#db/client.ts';
import { createConnection, loadConnection } from '#db/queries/connections.ts';
import { rotateCredentials } from '#db/queries/credential-rotation.ts';
import { createTenant } from '#db/queries/tenants.ts';
import { loadEmailTransportConfig, putEmailSettings } from '#db/queries/messaging-settings.ts';
import { encryptJson, isStale, keyringFrom } from '#platform/secrets.ts';
import { createTestDatabase } from '../support/db.ts';

let t: Awaited<ReturnType<typeof createTestDatabase>>;
let db: Db;
beforeAll(async () => {
  t = await createTestDatabase();
  db = t.db;
});
afterAll(async () => {
  await t?.drop();
});

const key = () => randomBytes(32).toString('base64');
const envelopes = async () =>
  new Map((await db.$client.query<{ id: string; credentials: string | null }>('select id, credentials from connections')).rows.map((r) => [r.id, r.credentials]));

describe('rotateCredentials', () => {
  it('re-encrypts envelopes under older keys with the current one, is idempotent, and reports what it cannot open', async () => {
    const tenantId = (await createTenant(db, { slug: `rot-${randomBytes(3).toString('hex')}` })).id;
    const [oldKey, newKey, lostKey] = [key(), key(), key()];
    const oldRing = keyringFrom(oldKey);
    const a = await createConnection(db.$client, oldRing, tenantId, { kind: 'vtex', name: 'A', config: { account: 'a' }, credentials: { appKey: 'ka', appToken: 'ta' } });
    const b = await createConnection(db.$client, oldRing, tenantId, { kind: 'mercadolibre', name: 'B', config: { clientId: '1' }, credentials: { clientSecret: 'sb', refreshToken: 'TG-1' } });
    const file = await createConnection(db.$client, oldRing, tenantId, { kind: 'file', name: 'F', config: {} });
    const lost = await createConnection(db.$client, keyringFrom(lostKey), tenantId, { kind: 'vtex', name: 'L', config: { account: 'l' }, credentials: { appKey: 'kl', appToken: 'tl' } });

    const rotated = keyringFrom(newKey, [oldKey]);
    const already = await createConnection(db.$client, rotated, tenantId, { kind: 'vtex', name: 'C', config: { account: 'c' }, credentials: { appKey: 'kc', appToken: 'tc' } });
    const before = await envelopes();

    const report = await rotateCredentials(db.$client, rotated);
    expect(report.checked).toBe(4);
    expect(report.rotated).toBe(2);
    expect(report.skipped).toBe(0);
    expect(report.failed).toEqual([{ connectionId: lost.id, reason: expect.stringContaining('CREDENTIALS_PREVIOUS_KEYS') }]);

    const after = await envelopes();
    for (const id of [a.id, b.id]) {
      expect(after.get(id)).not.toBe(before.get(id));
      expect(isStale(rotated, after.get(id)!)).toBe(false);
    }
    expect(after.get(already.id)).toBe(before.get(already.id));
    expect(after.get(lost.id)).toBe(before.get(lost.id));
    expect(after.get(file.id)).toBeNull();

    // The new key alone now opens them: the old key can be dropped.
    const newOnly = keyringFrom(newKey);
    expect((await loadConnection(db.$client, newOnly, a.id))!.credentials).toEqual({ appKey: 'ka', appToken: 'ta' });
    expect((await loadConnection(db.$client, newOnly, b.id))!.credentials).toEqual({ clientSecret: 'sb', refreshToken: 'TG-1' });

    const again = await rotateCredentials(db.$client, rotated);
    expect(again).toMatchObject({ checked: 4, rotated: 0, skipped: 0 });
    expect(again.failed).toHaveLength(1);
  });

  it('re-encrypts channel secrets (the SMTP password) too, keeping the settings', async () => {
    const tenantId = (await createTenant(db, { slug: `rot-${randomBytes(3).toString('hex')}` })).id;
    const [oldKey, newKey] = [key(), key()];
    const config = { host: 'smtp.example.com', port: 587, secure: false, user: 'mailer', from: 'Tienda <hola@example.com>' };
    await putEmailSettings(db.$client, keyringFrom(oldKey), tenantId, config, 's3cret');
    const rotated = keyringFrom(newKey, [oldKey]);
    const report = await rotateCredentials(db.$client, rotated);
    expect(report.channelSettings.rotated).toBe(1);
    expect(report.channelSettings.failed.filter((f) => f.tenantId === tenantId)).toEqual([]);
    const loaded = await loadEmailTransportConfig(db.$client, keyringFrom(newKey), tenantId);
    expect(loaded).toMatchObject({ ...config, password: 's3cret' });
    expect((await rotateCredentials(db.$client, rotated)).channelSettings.rotated).toBe(0);
  });

  it('never overwrites an envelope that changed after it was read (a token refresh in between)', async () => {
    const tenantId = (await createTenant(db, { slug: `rot-${randomBytes(3).toString('hex')}` })).id;
    const [oldKey, newKey] = [key(), key()];
    const rotated = keyringFrom(newKey, [oldKey]);
    const c = await createConnection(db.$client, keyringFrom(oldKey), tenantId, { kind: 'mercadolibre', name: 'Race', config: { clientId: '1' }, credentials: { clientSecret: 's', refreshToken: 'TG-old' } });
    // A client whose first update finds the row already refreshed: simulate the refresh landing between read and write.
    const refreshed = encryptJson(rotated, { clientSecret: 's', refreshToken: 'TG-new' });
    let raced = false;
    const racing = {
      query: async (text: string, params?: unknown[]) => {
        if (!raced && text.startsWith('update connections')) {
          raced = true;
          await db.$client.query('update connections set credentials = $2 where id = $1', [c.id, refreshed]);
        }
        return db.$client.query(text, params);
      },
    } as unknown as Db['$client'];
    const report = await rotateCredentials(racing, rotated);
    // (The first test's connections are under keys this keyring lacks: reported as failed, untouched.)
    expect(report).toMatchObject({ rotated: 0, skipped: 1 });
    expect(report.failed.map((f) => f.connectionId)).not.toContain(c.id);
    expect((await loadConnection(db.$client, rotated, c.id))!.credentials).toEqual({ clientSecret: 's', refreshToken: 'TG-new' });
  });
});
