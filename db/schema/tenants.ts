import { jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { TenantSettings } from '#core/tenants/settings.ts';

export const tenants = pgTable('tenants', {
  id: uuid().primaryKey().defaultRandom(),
  slug: text().notNull().unique(),
  name: text().notNull(),
  /** ISO 3166 alpha-2; default country for phone normalization. */
  defaultCountry: text().notNull().default('AR'),
  timezone: text().notNull().default('America/Argentina/Buenos_Aires'),
  /** ISO 4217; money is stored in minor units of this or the row's own currency. */
  currency: text().notNull().default('ARS'),
  /** Validated by core/tenants/settings.ts on read and write; missing keys take their defaults. */
  settings: jsonb().$type<TenantSettings>().notNull().default({}),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

export type Tenant = typeof tenants.$inferSelect;
