import { bigint, index, integer, jsonb, numeric, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { createdAt, tenantId, updatedAt } from './_columns.ts';
import { customers } from './customers.ts';
import { products } from './products.ts';

// Money is integer minor units (centavos) plus an ISO 4217 currency: no floats anywhere near money.
const minor = () => bigint({ mode: 'number' });

export const orders = pgTable(
  'orders',
  {
    id: uuid().primaryKey().defaultRandom(),
    tenantId: tenantId(),
    source: text().notNull(),
    externalId: text().notNull(),
    customerId: uuid().references(() => customers.id, { onDelete: 'set null' }),
    /** The source's own id for the buyer, kept so the order can be re-linked after identity changes. */
    sourceCustomerId: text(),
    status: text().notNull(),
    currency: text().notNull(),
    totalMinor: minor().notNull(),
    subtotalMinor: minor(),
    discountMinor: minor(),
    shippingMinor: minor(),
    taxMinor: minor(),
    placedAt: timestamp({ withTimezone: true }).notNull(),
    raw: jsonb().$type<Record<string, unknown>>(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique('orders_tenant_source_external_uq').on(t.tenantId, t.source, t.externalId),
    index('orders_tenant_customer_placed_idx').on(t.tenantId, t.customerId, t.placedAt),
    index('orders_tenant_placed_idx').on(t.tenantId, t.placedAt),
    // The activation feed's keyset over changed orders (refreshChangedCustomers): (updated_at, customer_id) after a cursor.
    index('orders_tenant_updated_idx').on(t.tenantId, t.updatedAt, t.customerId),
  ],
);

export const orderItems = pgTable(
  'order_items',
  {
    id: uuid().primaryKey().defaultRandom(),
    tenantId: tenantId(),
    orderId: uuid()
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    productId: uuid().references(() => products.id, { onDelete: 'set null' }),
    /** The source's product id or SKU, kept even when the product is not in the catalog yet. */
    externalProductId: text(),
    sku: text(),
    name: text(),
    category: text(),
    quantity: numeric({ precision: 12, scale: 3, mode: 'number' }).notNull().default(1),
    unitPriceMinor: minor().notNull(),
    totalMinor: minor().notNull(),
    currency: text().notNull(),
    position: integer().notNull().default(0),
  },
  (t) => [
    unique('order_items_order_position_uq').on(t.orderId, t.position),
    index('order_items_tenant_product_idx').on(t.tenantId, t.productId),
  ],
);

export type Order = typeof orders.$inferSelect;
export type OrderItem = typeof orderItems.$inferSelect;
