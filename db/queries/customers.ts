// Read side of customers: list with search and cursor paging, and the 360° view.
import type { Db } from '../client.ts';
import type { Address, FieldSources } from '#core/customers/golden-record.ts';
import type { IdentityIssue } from '#core/identity/types.ts';
import { resolveCustomerId } from './identity.ts';

export interface CustomerSummary {
  id: string;
  email: string | null;
  phone: string | null;
  documentNumber: string | null;
  firstName: string | null;
  lastName: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface CustomerCursor {
  createdAt: string;
  id: string;
}

export const encodeCursor = (c: CustomerCursor) => Buffer.from(`${c.createdAt}|${c.id}`).toString('base64url');

export function decodeCursor(raw: string): CustomerCursor | undefined {
  const [createdAt, id] = Buffer.from(raw, 'base64url').toString('utf8').split('|');
  if (!createdAt || !id || Number.isNaN(Date.parse(createdAt)) || !/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  return { createdAt, id };
}

const summaryColumns = `id, email, phone, document_number as "documentNumber", first_name as "firstName", last_name as "lastName",
  to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as "createdAt",
  to_char(updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as "updatedAt"`;

/** Newest first. `q` matches email or name (substring, case-insensitive), document number or phone digits. */
export async function listCustomers(
  db: Db,
  tenantId: string,
  opts: { q?: string | undefined; limit: number; cursor?: CustomerCursor | undefined },
): Promise<{ data: CustomerSummary[]; nextCursor: string | null }> {
  const params: unknown[] = [tenantId];
  const where = ['tenant_id = $1'];
  const q = opts.q?.trim();
  if (q) {
    params.push(`%${q.toLowerCase().replace(/[\\%_]/g, (m) => `\\${m}`)}%`);
    const like = `$${params.length}`;
    const alternatives = [`lower(email) like ${like}`, `lower(coalesce(first_name, '') || ' ' || coalesce(last_name, '')) like ${like}`];
    const digits = q.replace(/\D/g, '');
    if (digits.length >= 6) {
      params.push(digits, `%${digits}%`);
      // Any valid document of any of the customer's profiles (a CUIT finds the customer whose golden DNI is inside it).
      alternatives.push(
        `id in (select sp.customer_id from identity_keys k join source_profiles sp on sp.id = k.profile_id
                where k.tenant_id = $1 and k.rule = 'document' and k.value in ('dni:' || ltrim($${params.length - 1}, '0'), 'cuit:' || $${params.length - 1}))`,
        `regexp_replace(coalesce(document_number, ''), '\\D', '', 'g') = $${params.length - 1}`, `regexp_replace(coalesce(phone, ''), '\\D', '', 'g') like $${params.length}`);
    }
    where.push(`(${alternatives.join(' or ')})`);
  }
  if (opts.cursor) {
    params.push(opts.cursor.createdAt, opts.cursor.id);
    where.push(`(created_at, id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
  }
  params.push(opts.limit + 1);
  const { rows } = await db.$client.query<CustomerSummary>(
    `select ${summaryColumns} from customers where ${where.join(' and ')}
     order by created_at desc, id desc limit $${params.length}`,
    params,
  );
  const more = rows.length > opts.limit;
  const data = more ? rows.slice(0, opts.limit) : rows;
  const last = data.at(-1);
  return { data, nextCursor: more && last ? encodeCursor({ createdAt: last.createdAt, id: last.id }) : null };
}

export interface CustomerProfile extends CustomerSummary {
  birthDate: string | null;
  address: Address | null;
  attributes: Record<string, unknown>;
  fieldSources: FieldSources;
  /** Ids of customers merged into this one; they still resolve here. */
  aliases: string[];
  sourceProfiles: {
    id: string;
    source: string;
    externalId: string;
    email: string | null;
    dni: string | null;
    cuit: string | null;
    phone: string | null;
    firstName: string | null;
    lastName: string | null;
    birthDate: string | null;
    address: Address | null;
    attributes: Record<string, unknown>;
    /** Identifiers that could not be used for matching (invalid document, relay email…), and why. */
    identityIssues: IdentityIssue[];
    updatedAt: string;
  }[];
  orderSummary: { count: number; revenueMinor: number; currency: string | null; firstOrderAt: string | null; lastOrderAt: string | null };
  recentEvents: {
    messageId: string;
    type: string;
    event: string | null;
    properties: Record<string, unknown> | null;
    traits: Record<string, unknown> | null;
    timestamp: string;
  }[];
}

const iso = (col: string) => `to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The 360° view: golden record, source profiles, order summary and recent events. Undefined if not this tenant's. */
export async function getCustomer(db: Db, tenantId: string, requestedId: string): Promise<CustomerProfile | undefined> {
  const c = db.$client;
  // An id absorbed by a merge answers with the customer that survived it.
  const id = await resolveCustomerId(c, tenantId, requestedId);
  if (!id) return undefined;
  const { rows } = await c.query(
    `select ${summaryColumns}, birth_date::text as "birthDate", address, attributes, field_sources as "fieldSources"
     from customers where tenant_id = $1 and id = $2`,
    [tenantId, id],
  );
  const customer = rows[0];
  if (!customer) return undefined;
  const [profiles, orders, events, aliases] = await Promise.all([
    c.query(
      `select id, source, external_id as "externalId", email, dni, cuit, phone, first_name as "firstName", last_name as "lastName",
         birth_date::text as "birthDate", address, attributes, coalesce(normalized->'issues', '[]'::jsonb) as "identityIssues",
         ${iso('updated_at')} as "updatedAt"
       from source_profiles where tenant_id = $1 and customer_id = $2 order by updated_at desc`,
      [tenantId, id],
    ),
    c.query(
      `select count(*)::int as count, coalesce(sum(total_minor), 0)::bigint as "revenueMinor", min(currency) as currency,
         ${iso('min(placed_at)')} as "firstOrderAt", ${iso('max(placed_at)')} as "lastOrderAt"
       from orders where tenant_id = $1 and customer_id = $2 and status not in ('cancelled', 'canceled', 'refunded')`,
      [tenantId, id],
    ),
    c.query(
      `select e.message_id as "messageId", e.type, e.event, e.properties, e.traits, ${iso('e.timestamp')} as "timestamp"
       from source_profiles sp
       join events e on e.tenant_id = sp.tenant_id and e.user_id = sp.external_id
       where sp.tenant_id = $1 and sp.customer_id = $2 and sp.source = 'events'
       order by e.timestamp desc limit 50`,
      [tenantId, id],
    ),
    c.query<{ id: string }>('select alias_id as id from customer_aliases where tenant_id = $1 and customer_id = $2 order by created_at', [tenantId, id]),
  ]);
  return {
    ...customer,
    aliases: aliases.rows.map((a) => a.id),
    sourceProfiles: profiles.rows,
    orderSummary: orders.rows[0],
    recentEvents: events.rows,
  } as CustomerProfile;
}

export async function countCustomers(db: Db, tenantId: string): Promise<number> {
  const r = await db.$client.query<{ n: number }>('select count(*)::int as n from customers where tenant_id = $1', [tenantId]);
  return r.rows[0]?.n ?? 0;
}
