import { randomBytes } from 'node:crypto';
import type { Db } from '#db/client.ts';
import { createApiKey, createTenant, createUser } from '#db/queries/tenants.ts';

/** A new tenant with an API key and an owner login, unique per call. */
export async function seedTenant(db: Db, label = 't') {
  const slug = `${label}-${randomBytes(4).toString('hex')}`;
  const tenant = await createTenant(db, { slug, name: `Tenant ${slug}` });
  const { key } = await createApiKey(db, tenant.id, 'test');
  const password = `pw-${randomBytes(8).toString('hex')}`;
  const user = await createUser(db, { tenantId: tenant.id, email: `owner@${slug}.test`, password, role: 'owner' });
  return { tenant, apiKey: key, user: { email: user.email, password } };
}
