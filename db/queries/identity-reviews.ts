// Review tasks of the probabilistic pass, and look-ups by identifier, on the read side.
import { UserError } from '#core/errors.ts';
import { normalizeCuit, normalizeDni, normalizeEmail, normalizePhone } from '#core/identity/normalize.ts';
import type { Db } from '../client.ts';
import { appendAudit, resolveCustomerId, withTenantLock } from './identity.ts';

const summary = (alias: string) => `jsonb_build_object('email', ${alias}.email, 'firstName', ${alias}.first_name, 'lastName', ${alias}.last_name,
  'dni', ${alias}.dni, 'cuit', ${alias}.cuit, 'phone', ${alias}.phone, 'birthDate', ${alias}.birth_date, 'address', ${alias}.address)`;

export async function listReviews(db: Db, tenantId: string, opts: { status: string; limit: number; offset: number }) {
  const { rows } = await db.$client.query(
    `select r.id, r.probability, r.weight, r.levels, r.status,
       to_char(r.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "createdAt",
       jsonb_build_object('profileId', pa.id, 'customerId', pa.customer_id, 'source', pa.source, 'externalId', pa.external_id, 'summary', ${summary('pa')}) as a,
       jsonb_build_object('profileId', pb.id, 'customerId', pb.customer_id, 'source', pb.source, 'externalId', pb.external_id, 'summary', ${summary('pb')}) as b
     from identity_reviews r join source_profiles pa on pa.id = r.profile_a join source_profiles pb on pb.id = r.profile_b
     where r.tenant_id = $1 and r.status = $2
     order by r.probability desc, r.id limit $3 offset $4`,
    [tenantId, opts.status, opts.limit + 1, opts.offset],
  );
  const more = rows.length > opts.limit;
  return { data: more ? rows.slice(0, opts.limit) : rows, nextCursor: more ? String(opts.offset + opts.limit) : null };
}

export async function getReview(db: Db, tenantId: string, id: string) {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  const { rows } = await db.$client.query<{ id: string; status: string; customerA: string | null; customerB: string | null; probability: number; levels: unknown; profileA: string; profileB: string }>(
    `select r.id, r.status, r.probability, r.levels, r.profile_a as "profileA", r.profile_b as "profileB",
       pa.customer_id as "customerA", pb.customer_id as "customerB"
     from identity_reviews r join source_profiles pa on pa.id = r.profile_a join source_profiles pb on pb.id = r.profile_b
     where r.tenant_id = $1 and r.id = $2`,
    [tenantId, id],
  );
  return rows[0];
}

/** Marks a review decided; the merge itself (for "merge") runs as a workflow before this is called. */
export async function closeReview(db: Db, tenantId: string, id: string, status: 'merged' | 'rejected', actor: string, reason: string) {
  await db.$client.query(
    `update identity_reviews set status = $3, decided_by = $4, decision_reason = $5, decided_at = now() where tenant_id = $1 and id = $2`,
    [tenantId, id, status, actor, reason],
  );
}

/** "Not the same person": the pair never merges again (do-not-merge), and the decision is audited. */
export async function rejectReview(db: Db, tenantId: string, id: string, actor: string, reason: string) {
  return withTenantLock(db, tenantId, async (tx) => {
    const { rows } = await tx.query<{ profileA: string; profileB: string; customerA: string | null; customerB: string | null; status: string; probability: number; levels: unknown }>(
      `select r.profile_a as "profileA", r.profile_b as "profileB", pa.customer_id as "customerA", pb.customer_id as "customerB", r.status, r.probability, r.levels
       from identity_reviews r join source_profiles pa on pa.id = r.profile_a join source_profiles pb on pb.id = r.profile_b
       where r.tenant_id = $1 and r.id = $2 for update of r`,
      [tenantId, id],
    );
    const r = rows[0];
    if (!r) throw new UserError('not_found', `No review ${id}.`, 404);
    if (r.status !== 'open') throw new UserError('conflict', `The review is already ${r.status}.`, 409);
    await tx.query(
      `insert into do_not_merge (tenant_id, profile_a, profile_b, reason, created_by) values ($1, least($2::uuid, $3::uuid), greatest($2::uuid, $3::uuid), $4, $5) on conflict do nothing`,
      [tenantId, r.profileA, r.profileB, reason, actor],
    );
    await tx.query(`update identity_reviews set status = 'rejected', decided_by = $3, decision_reason = $4, decided_at = now() where tenant_id = $1 and id = $2`, [tenantId, id, actor, reason]);
    const customers = [r.customerA, r.customerB].filter((c): c is string => !!c);
    const auditId = await appendAudit(tx, tenantId, {
      customerId: customers[0] ?? r.profileA,
      customerIds: customers,
      kind: 'review_reject',
      actor,
      reason,
      details: { reviewId: id, profiles: [r.profileA, r.profileB], probability: r.probability, levels: r.levels },
    });
    return { auditId };
  });
}

/** The surviving customer behind an identifier, or undefined. */
export async function lookupCustomer(
  db: Db,
  tenantId: string,
  q: { source?: string | undefined; externalId?: string | undefined; email?: string | undefined; document?: string | undefined; phone?: string | undefined },
  defaultCountry: string,
): Promise<string | undefined> {
  const c = db.$client;
  let found: string | undefined;
  if (q.source && q.externalId) {
    const r = await c.query<{ id: string }>('select customer_id as id from source_profiles where tenant_id = $1 and source = $2 and external_id = $3', [tenantId, q.source, q.externalId]);
    found = r.rows[0]?.id;
  } else {
    // The same match keys the resolution engine stores (core/identity/keys.ts).
    const keys: [rule: string, value: string][] = [];
    if (q.email) {
      const e = normalizeEmail(q.email);
      if (e.valid && !e.relay && e.value) keys.push(['email', `email:${e.value}`]);
    }
    if (q.document) {
      const cuit = normalizeCuit(q.document);
      const dni = normalizeDni(q.document);
      if (cuit.valid && cuit.value) keys.push(['document', `cuit:${cuit.value}`]);
      if (cuit.valid && cuit.dni) keys.push(['document', `dni:${cuit.dni}`]);
      if (dni.valid && dni.value) keys.push(['document', `dni:${dni.value}`]);
    }
    if (q.phone) {
      const p = normalizePhone(q.phone, defaultCountry);
      if (p.e164) {
        const r = await c.query<{ id: string }>(
          `select customer_id as id from source_profiles where tenant_id = $1 and normalized->>'phone' = $2 and customer_id is not null order by created_at limit 1`,
          [tenantId, p.e164],
        );
        found = r.rows[0]?.id;
      }
    }
    if (!found && keys.length) {
      const r = await c.query<{ id: string }>(
        `select sp.customer_id as id from identity_keys k join source_profiles sp on sp.id = k.profile_id
         where k.tenant_id = $1 and (k.rule, k.value) in (select * from unnest($2::text[], $3::text[])) and sp.customer_id is not null
         order by sp.created_at limit 1`,
        [tenantId, keys.map((k) => k[0]), keys.map((k) => k[1])],
      );
      found = r.rows[0]?.id;
    }
  }
  return found ? resolveCustomerId(c, tenantId, found) : undefined;
}
