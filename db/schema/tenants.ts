import { pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const tenants = pgTable('tenants', {
  id: uuid().primaryKey().defaultRandom(),
  slug: text().notNull().unique(),
  name: text().notNull(),
  /** ISO 3166 alpha-2; default country for phone normalization. */
  defaultCountry: text().notNull().default('AR'),
  timezone: text().notNull().default('America/Argentina/Buenos_Aires'),
  /** ISO 4217; money is stored in minor units of this or the row's own currency. */
  currency: text().notNull().default('ARS'),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

export type Tenant = typeof tenants.$inferSelect;
