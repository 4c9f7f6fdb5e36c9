// Which customers a write-back covers: those with a profile from the connection's source that carries the
// provider's record id (VTEX: the CL document id), with the customer record's current values.
import type pg from 'pg';

type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;

export interface WriteBackRow {
  profileId: string;
  /** The provider's record id, from the profile's attributes. */
  recordId: string;
  /** The customer's attributes, overlaid with the current scores (rfmSegment, lifecycleState, clv, churnRisk). */
  values: Record<string, unknown>;
}

/** A page of candidates after `after` (a source profile id; keyset order). */
export async function writeBackCandidates(q: Queryable, tenantId: string, source: string, idAttribute: string, after: string | undefined, limit: number): Promise<WriteBackRow[]> {
  const r = await q.query<WriteBackRow>(
    // CLV goes out in major units of the tenant currency (1 year), churn risk rounded: providers show them to people.
    `select sp.id as "profileId", sp.attributes->>$3 as "recordId",
       c.attributes || coalesce(jsonb_strip_nulls(jsonb_build_object(
         'rfmSegment', s.rfm_segment, 'lifecycleState', s.lifecycle_state,
         'clv', round(s.clv1y_minor / 100.0, 2), 'churnRisk', round(s.churn_risk::numeric, 4))), '{}'::jsonb) as "values"
     from source_profiles sp join customers c on c.id = sp.customer_id
     left join customer_scores s on s.customer_id = c.id
     where sp.tenant_id = $1 and sp.source = $2 and sp.attributes ? $3 and ($4::uuid is null or sp.id > $4::uuid)
     order by sp.id limit $5`,
    [tenantId, source, idAttribute, after ?? null, limit],
  );
  return r.rows;
}
