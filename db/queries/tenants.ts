import { and, eq, isNull, sql } from 'drizzle-orm';
import { hashPassword, randomToken, sha256Hex } from '#platform/crypto.ts';
import { readTenantSettings, type IdentitySettings } from '#core/tenants/settings.ts';
import type { Db } from '../client.ts';
import { apiKeys, tenants, users, type Tenant } from '../schema/index.ts';

export const API_KEY_PREFIX = 'ncdp_';

export class TenantExistsError extends Error {
  override name = 'TenantExistsError';
}

export const slugPattern = /^[a-z0-9][a-z0-9-]{1,62}$/;

export async function createTenant(
  db: Db,
  input: { slug: string; name?: string; defaultCountry?: string; timezone?: string; currency?: string },
): Promise<Tenant> {
  if (!slugPattern.test(input.slug)) throw new Error(`Invalid tenant slug "${input.slug}": use 2-63 lowercase letters, digits or "-".`);
  const [row] = await db
    .insert(tenants)
    .values({ slug: input.slug, name: input.name ?? input.slug, ...pick(input) })
    .onConflictDoNothing({ target: tenants.slug })
    .returning();
  if (!row) throw new TenantExistsError(`Tenant "${input.slug}" already exists.`);
  return row;
}

function pick(input: { defaultCountry?: string; timezone?: string; currency?: string }) {
  return Object.fromEntries(Object.entries(input).filter(([k, v]) => v !== undefined && ['defaultCountry', 'timezone', 'currency'].includes(k)));
}

export async function getTenantBySlug(db: Db, slug: string): Promise<Tenant | undefined> {
  return db.query.tenants.findFirst({ where: eq(tenants.slug, slug) });
}

/** Creates an API key and returns its plaintext once; only its hash is stored. */
export async function createApiKey(db: Db, tenantId: string, name = 'default'): Promise<{ id: string; key: string; prefix: string }> {
  const key = `${API_KEY_PREFIX}${randomToken(32)}`;
  const prefix = key.slice(0, API_KEY_PREFIX.length + 6);
  const [row] = await db.insert(apiKeys).values({ tenantId, name, prefix, keyHash: sha256Hex(key) }).returning({ id: apiKeys.id });
  return { id: row!.id, key, prefix };
}

export async function listApiKeys(db: Db, tenantId: string) {
  return db
    .select({ id: apiKeys.id, name: apiKeys.name, prefix: apiKeys.prefix, createdAt: apiKeys.createdAt, lastUsedAt: apiKeys.lastUsedAt, revokedAt: apiKeys.revokedAt })
    .from(apiKeys)
    .where(eq(apiKeys.tenantId, tenantId))
    .orderBy(apiKeys.createdAt);
}

export async function revokeApiKey(db: Db, tenantId: string, id: string): Promise<boolean> {
  const rows = await db
    .update(apiKeys)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(apiKeys.tenantId, tenantId), eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id });
  return rows.length > 0;
}

export interface ApiPrincipal {
  tenantId: string;
  tenantSlug: string;
  apiKeyId: string;
}

/** Resolves a bearer key to its tenant, or undefined for unknown and revoked keys. */
export async function authenticateApiKey(db: Db, key: string): Promise<ApiPrincipal | undefined> {
  if (!key.startsWith(API_KEY_PREFIX)) return undefined;
  const [row] = await db
    .select({ tenantId: apiKeys.tenantId, tenantSlug: tenants.slug, apiKeyId: apiKeys.id })
    .from(apiKeys)
    .innerJoin(tenants, eq(tenants.id, apiKeys.tenantId))
    .where(and(eq(apiKeys.keyHash, sha256Hex(key)), isNull(apiKeys.revokedAt)));
  return row;
}

export async function touchApiKey(db: Db, id: string): Promise<void> {
  await db.update(apiKeys).set({ lastUsedAt: sql`now()` }).where(eq(apiKeys.id, id));
}

export async function createUser(
  db: Db,
  input: { tenantId: string; email: string; password: string; name?: string; role?: 'owner' | 'admin' | 'member' },
) {
  if (input.password.length < 10) throw new Error('Passwords need at least 10 characters.');
  const [row] = await db
    .insert(users)
    .values({
      tenantId: input.tenantId,
      email: input.email.trim().toLowerCase(),
      name: input.name ?? '',
      role: input.role ?? 'member',
      passwordHash: await hashPassword(input.password),
    })
    .returning({ id: users.id, email: users.email });
  return row!;
}

export async function getTenantById(db: Db, id: string): Promise<Tenant | undefined> {
  return db.query.tenants.findFirst({ where: eq(tenants.id, id) });
}

export async function getIdentitySettings(db: Db, tenantId: string): Promise<IdentitySettings> {
  const t = await getTenantById(db, tenantId);
  return readTenantSettings(t?.settings).identity;
}

export async function updateIdentitySettings(db: Db, tenantId: string, identity: IdentitySettings): Promise<IdentitySettings> {
  await db.$client.query(`update tenants set settings = jsonb_set(settings, '{identity}', $2::jsonb) where id = $1`, [tenantId, JSON.stringify(identity)]);
  return identity;
}
