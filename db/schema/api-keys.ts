import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { createdAt, tenantId } from './_columns.ts';

export const apiKeys = pgTable(
  'api_keys',
  {
    id: uuid().primaryKey().defaultRandom(),
    tenantId: tenantId(),
    name: text().notNull().default('default'),
    /** First characters of the key, shown in lists so people can tell keys apart. */
    prefix: text().notNull(),
    /** sha256 hex of the whole key: keys are high-entropy, so a fast hash is enough and lookups stay O(1). */
    keyHash: text().notNull().unique(),
    createdAt: createdAt(),
    lastUsedAt: timestamp({ withTimezone: true }),
    revokedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index('api_keys_tenant_idx').on(t.tenantId)],
);

export type ApiKey = typeof apiKeys.$inferSelect;
