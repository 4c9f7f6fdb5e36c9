import { sql } from 'drizzle-orm';
import { boolean, date, index, jsonb, pgTable, text, unique, uuid } from 'drizzle-orm/pg-core';
import type { Address, FieldSources } from '#core/customers/golden-record.ts';
import type { NormalizedIdentity } from '#core/identity/types.ts';
import { createdAt, tenantId, updatedAt } from './_columns.ts';

/** The master customer: one person, whatever the source. Fields are the golden record. */
export const customers = pgTable(
  'customers',
  {
    id: uuid().primaryKey().defaultRandom(),
    tenantId: tenantId(),
    email: text(),
    phone: text(),
    documentNumber: text(),
    firstName: text(),
    lastName: text(),
    birthDate: date({ mode: 'string' }),
    address: jsonb().$type<Address>(),
    attributes: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    /** Which source profile each golden field came from. */
    fieldSources: jsonb().$type<FieldSources>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // Cursor pagination of the customer list walks (tenant, created_at desc, id).
    index('customers_tenant_created_idx').on(t.tenantId, t.createdAt.desc(), t.id.desc()),
    index('customers_tenant_email_idx').on(t.tenantId, t.email),
    index('customers_tenant_document_idx').on(t.tenantId, t.documentNumber),
    index('customers_tenant_phone_idx').on(t.tenantId, t.phone),
    // The activation feed's keyset over changed customers (refreshChangedCustomers): (updated_at, id) after a cursor.
    index('customers_tenant_updated_idx').on(t.tenantId, t.updatedAt, t.id),
  ],
);

/** What one source knows about a person. Idempotent on (tenant, source, external id). */
export const sourceProfiles = pgTable(
  'source_profiles',
  {
    id: uuid().primaryKey().defaultRandom(),
    tenantId: tenantId(),
    source: text().notNull(),
    externalId: text().notNull(),
    customerId: uuid().references(() => customers.id, { onDelete: 'set null' }),
    email: text(),
    dni: text(),
    cuit: text(),
    phone: text(),
    firstName: text(),
    lastName: text(),
    birthDate: date({ mode: 'string' }),
    address: jsonb().$type<Address>(),
    attributes: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    /** Comparison-ready identifiers and the invalid ones (issues), written by identity resolution. */
    normalized: jsonb().$type<NormalizedIdentity>(),
    /** Set on every insert or change; the ingest workflow clears it when the profile is folded into a customer. */
    pendingResolution: boolean().notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique('source_profiles_tenant_source_external_uq').on(t.tenantId, t.source, t.externalId),
    index('source_profiles_tenant_customer_idx').on(t.tenantId, t.customerId),
    index('source_profiles_tenant_email_idx').on(t.tenantId, t.email),
    index('source_profiles_tenant_dni_idx').on(t.tenantId, t.dni),
    index('source_profiles_tenant_cuit_idx').on(t.tenantId, t.cuit),
    index('source_profiles_tenant_phone_idx').on(t.tenantId, sql`(${t.normalized}->>'phone')`),
    index('source_profiles_pending_idx')
      .on(t.tenantId, t.updatedAt)
      .where(sql`${t.pendingResolution}`),
  ],
);

export type Customer = typeof customers.$inferSelect;
export type SourceProfile = typeof sourceProfiles.$inferSelect;
