import { bigint, index, jsonb, pgTable, text, unique, uuid } from 'drizzle-orm/pg-core';
import { createdAt, tenantId, updatedAt } from './_columns.ts';

export const products = pgTable(
  'products',
  {
    id: uuid().primaryKey().defaultRandom(),
    tenantId: tenantId(),
    source: text().notNull(),
    externalId: text().notNull(),
    sku: text(),
    name: text().notNull(),
    category: text(),
    brand: text(),
    priceMinor: bigint({ mode: 'number' }),
    currency: text(),
    url: text(),
    imageUrl: text(),
    attributes: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique('products_tenant_source_external_uq').on(t.tenantId, t.source, t.externalId),
    index('products_tenant_category_idx').on(t.tenantId, t.category),
  ],
);

export type Product = typeof products.$inferSelect;
