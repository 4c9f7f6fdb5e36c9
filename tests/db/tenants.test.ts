import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '#db/client.ts';
import {
  API_KEY_PREFIX,
  authenticateApiKey,
  createApiKey,
  createTenant,
  createUser,
  getTenantBySlug,
  listApiKeys,
  revokeApiKey,
  TenantExistsError,
} from '#db/queries/tenants.ts';
import { sha256Hex, verifyPassword } from '#platform/crypto.ts';
import { createTestDatabase } from '../support/db.ts';
import { seedTenant } from '../support/tenants.ts';

let t: Awaited<ReturnType<typeof createTestDatabase>>;
let db: Db;

beforeAll(async () => {
  t = await createTestDatabase();
  db = t.db;
});
afterAll(async () => {
  await t?.drop();
});

const slug = (label = 'ten') => `${label}-${randomBytes(4).toString('hex')}`;
const q = <R extends Record<string, unknown>>(sql: string, params: unknown[] = []) => db.$client.query<R>(sql, params).then((r) => r.rows);

describe('tenants', () => {
  it('creates a tenant with defaults and finds it by slug', async () => {
    const s = slug();
    const tenant = await createTenant(db, { slug: s });
    expect(tenant).toMatchObject({ slug: s, name: s, defaultCountry: 'AR', currency: 'ARS', timezone: 'America/Argentina/Buenos_Aires' });
    expect((await getTenantBySlug(db, s))?.id).toBe(tenant.id);
    const custom = await createTenant(db, { slug: slug(), name: 'Tienda Uno', defaultCountry: 'UY', currency: 'UYU', timezone: 'America/Montevideo' });
    expect(custom).toMatchObject({ name: 'Tienda Uno', defaultCountry: 'UY', currency: 'UYU', timezone: 'America/Montevideo' });
  });

  it('refuses an existing slug with TenantExistsError and leaves the tenant alone', async () => {
    const s = slug();
    const first = await createTenant(db, { slug: s, name: 'First' });
    await expect(createTenant(db, { slug: s, name: 'Second' })).rejects.toBeInstanceOf(TenantExistsError);
    const rows = await q<{ id: string; name: string }>('select id, name from tenants where slug = $1', [s]);
    expect(rows).toEqual([{ id: first.id, name: 'First' }]);
  });

  it.each(['A-shop', 'x', '-shop', 'shop_1', 'shop 1', 'tienda.ar', '', 'a'.repeat(64)])('rejects the invalid slug %j', async (bad) => {
    const err = await createTenant(db, { slug: bad }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(TenantExistsError);
    expect((err as Error).message).toMatch(/Invalid tenant slug/);
    const rows = await q('select 1 from tenants where slug = $1', [bad]);
    expect(rows).toEqual([]);
  });
});

describe('API keys', () => {
  it('creates a key that authenticates to its tenant', async () => {
    const tenant = await createTenant(db, { slug: slug() });
    const { id, key, prefix } = await createApiKey(db, tenant.id, 'ci');
    expect(key.startsWith(API_KEY_PREFIX)).toBe(true);
    expect(key.length).toBeGreaterThanOrEqual(API_KEY_PREFIX.length + 40);
    expect(key.startsWith(prefix)).toBe(true);
    expect(await authenticateApiKey(db, key)).toEqual({ tenantId: tenant.id, tenantSlug: tenant.slug, apiKeyId: id });
  });

  it('stores only a hash and a short prefix, never the plaintext', async () => {
    const tenant = await createTenant(db, { slug: slug() });
    const { id, key, prefix } = await createApiKey(db, tenant.id);
    const [row] = await q<{ key_hash: string; prefix: string }>('select key_hash, prefix from api_keys where id = $1', [id]);
    expect(row!.key_hash).toBe(sha256Hex(key));
    expect(row!.key_hash).not.toContain(key.slice(API_KEY_PREFIX.length));
    expect(row!.prefix).toBe(prefix);
    expect(row!.prefix).toBe(key.slice(0, API_KEY_PREFIX.length + 6));
    // nowhere in the row
    const [whole] = await q<{ j: string }>('select row_to_json(k)::text as j from api_keys k where id = $1', [id]);
    expect(whole!.j).not.toContain(key);
    expect(whole!.j).not.toContain(key.slice(API_KEY_PREFIX.length + 6));
  });

  it('gives every key a different value', async () => {
    const tenant = await createTenant(db, { slug: slug() });
    const keys = await Promise.all(Array.from({ length: 5 }, () => createApiKey(db, tenant.id)));
    expect(new Set(keys.map((k) => k.key)).size).toBe(5);
    expect((await listApiKeys(db, tenant.id)).map((k) => k.id).sort()).toEqual(keys.map((k) => k.id).sort());
  });

  it('resolves unknown, malformed and revoked keys to undefined', async () => {
    const tenant = await createTenant(db, { slug: slug() });
    const { id, key } = await createApiKey(db, tenant.id);
    const other = await createApiKey(db, tenant.id);
    expect(await authenticateApiKey(db, `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`)).toBeUndefined();
    expect(await authenticateApiKey(db, key.slice(API_KEY_PREFIX.length))).toBeUndefined();
    expect(await authenticateApiKey(db, `${key}x`)).toBeUndefined();
    expect(await authenticateApiKey(db, '')).toBeUndefined();

    expect(await revokeApiKey(db, tenant.id, id)).toBe(true);
    expect(await authenticateApiKey(db, key)).toBeUndefined();
    expect(await revokeApiKey(db, tenant.id, id)).toBe(false);
    // revoking one key leaves the tenant's other keys working
    expect((await authenticateApiKey(db, other.key))?.apiKeyId).toBe(other.id);
    expect((await listApiKeys(db, tenant.id)).find((k) => k.id === id)?.revokedAt).toBeInstanceOf(Date);
  });

  it("cannot revoke another tenant's key", async () => {
    const a = await createTenant(db, { slug: slug() });
    const b = await createTenant(db, { slug: slug() });
    const { id, key } = await createApiKey(db, a.id);
    expect(await revokeApiKey(db, b.id, id)).toBe(false);
    expect((await authenticateApiKey(db, key))?.tenantId).toBe(a.id);
  });
});

describe('users', () => {
  it('stores a scrypt hash of the password, which verifyPassword checks', async () => {
    const tenant = await createTenant(db, { slug: slug() });
    const password = `correct horse ${randomBytes(4).toString('hex')}`;
    const user = await createUser(db, { tenantId: tenant.id, email: '  Owner@Shop.TEST ', password, role: 'owner', name: 'Owner' });
    expect(user.email).toBe('owner@shop.test');
    const [row] = await q<{ password_hash: string; role: string; name: string }>('select password_hash, role, name from users where id = $1', [user.id]);
    expect(row!.role).toBe('owner');
    expect(row!.password_hash).toMatch(/^scrypt\$\d+\$\d+\$\d+\$[\w-]+\$[\w-]+$/);
    expect(row!.password_hash).not.toContain(password);
    expect(await verifyPassword(password, row!.password_hash)).toBe(true);
    expect(await verifyPassword(`${password}!`, row!.password_hash)).toBe(false);
    expect(await verifyPassword('', row!.password_hash)).toBe(false);
    expect(await verifyPassword(password, 'not-a-hash')).toBe(false);
  });

  it('rejects short passwords and duplicate emails within a tenant', async () => {
    const tenant = await createTenant(db, { slug: slug() });
    await expect(createUser(db, { tenantId: tenant.id, email: 'a@shop.test', password: 'short' })).rejects.toThrow(/at least 10 characters/);
    await createUser(db, { tenantId: tenant.id, email: 'a@shop.test', password: 'long enough password' });
    await expect(createUser(db, { tenantId: tenant.id, email: 'A@shop.test', password: 'long enough password' })).rejects.toThrow();
  });

  it('seedTenant gives a working API key and owner login', async () => {
    const { tenant, apiKey, user } = await seedTenant(db, 'seed');
    expect((await authenticateApiKey(db, apiKey))?.tenantId).toBe(tenant.id);
    const [row] = await q<{ password_hash: string; role: string }>('select password_hash, role from users where tenant_id = $1 and email = $2', [tenant.id, user.email]);
    expect(row!.role).toBe('owner');
    expect(await verifyPassword(user.password, row!.password_hash)).toBe(true);
  });
});
