import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileSegment, compileSegmentPredicate, SegmentCycleError } from './compile.ts';
import { segmentRule, type SegmentRule, type SegmentRuleInput } from './rule.ts';
import { segmentSqlSchema } from './sql-schema.ts';

const now = new Date('2026-12-03T12:00:00.000Z');
const tenantId = '00000000-0000-0000-0000-000000000001';
const rule = (r: SegmentRuleInput): SegmentRule => segmentRule.parse(r);

/** Highest $n in the SQL: every placeholder must have a parameter and every parameter a placeholder. */
const placeholders = (sql: string) => new Set([...sql.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));

const everyKind = rule({
  kind: 'group',
  op: 'and',
  rules: [
    { kind: 'profile', field: 'email', predicate: { type: 'string', op: 'contains', value: "o'hara" } },
    { kind: 'profile', field: 'address.city', predicate: { type: 'string', op: 'in', values: ['Rosario'] } },
    { kind: 'profile', field: 'birthDate', predicate: { type: 'date', op: 'before', value: '2000-01-01' } },
    { kind: 'attribute', key: 'vip"; drop table customers; --', predicate: { type: 'boolean', op: 'is_true' } },
    { kind: 'attribute', key: 'lastVisit', predicate: { type: 'date', op: 'within_last_days', days: 7 } },
    { kind: 'score', score: 'rfmSegment', predicate: { type: 'string', op: 'equals', value: 'champions' } },
    { kind: 'score', score: 'propensity', category: 'Shoes', predicate: { type: 'number', op: 'gt', value: 0.2 } },
    { kind: 'orders', metric: 'revenue', items: { categories: ['Shoes'], skus: ['A-1'] }, window: { kind: 'last_days', days: 365 }, predicate: { type: 'number', op: 'gte', value: 10000 } },
    { kind: 'orders', metric: 'lastOrderAt', predicate: { type: 'date', op: 'more_than_days_ago', days: 90 } },
    { kind: 'event', event: 'Product Viewed', minCount: 3, where: [{ path: 'product.price', predicate: { type: 'number', op: 'lt', value: 5000 } }] },
    { kind: 'group', op: 'or', negate: true, rules: [{ kind: 'segment', segmentId: 'seg-1' }, { kind: 'consent', channel: 'email', granted: false }] },
  ],
});

describe('compileSegment', () => {
  it('produces one query over the mapped tables with a placeholder for every parameter', () => {
    const { sql, params } = compileSegment(everyKind, { tenantId, now });
    expect(sql.startsWith('select c."id" as customer_id from "customers" c where ')).toBe(true);
    expect(sql).toContain(' where c."tenant_id" = $1::uuid and (');
    expect(params[0]).toBe(tenantId);
    expect(placeholders(sql)).toEqual(new Set(params.map((_, i) => i + 1)));
    for (const table of ['orders', 'order_items', 'events', 'source_profiles', 'customer_scores', 'segment_memberships', 'customer_consents']) {
      expect(sql).toContain(`"${table}"`);
    }
    // Relative windows are computed from `now` and passed as instants.
    expect(params).toContain(new Date(now.getTime() - 7 * 86_400_000).toISOString());
    expect(params).toContain(new Date(now.getTime() - 365 * 86_400_000).toISOString());
  });

  it('never puts a value into the SQL text', () => {
    // Marked so an occurrence in the SQL can only come from interpolation; the quote tries to break out of a literal.
    const text = fc.string({ maxLength: 30 }).map((s) => `«${s}'»`);
    fc.assert(
      fc.property(text, text, fc.double({ noNaN: true, noDefaultInfinity: true }), (value, key, n) => {
        const r = rule({
          kind: 'group',
          op: 'or',
          rules: [
            { kind: 'profile', field: 'firstName', predicate: { type: 'string', op: 'equals', value } },
            { kind: 'attribute', key, predicate: { type: 'number', op: 'gt', value: n } },
            { kind: 'event', event: value, where: [{ path: 'a', predicate: { type: 'string', op: 'starts_with', value } }] },
            { kind: 'segment', segmentId: value },
          ],
        });
        const { sql, params } = compileSegment(r, { tenantId, now });
        expect(sql.includes(value)).toBe(false);
        expect(sql.includes(key)).toBe(false);
        expect(params).toContain(value);
        expect(params).toContain(key);
        expect(placeholders(sql)).toEqual(new Set(params.map((_, i) => i + 1)));
      }),
    );
  });

  it('takes identifiers from the schema map, so the db layer can rename tables and columns', () => {
    const schema = structuredClone(segmentSqlSchema);
    schema.customers.table = 'golden_customers';
    schema.scores.table = 'scores_current';
    schema.scores.rfmSegment = 'rfm';
    const { sql } = compileSegment(rule({ kind: 'score', score: 'rfmSegment', predicate: { type: 'string', op: 'exists' } }), { tenantId, now, schema });
    expect(sql).toContain('from "golden_customers" c');
    expect(sql).toMatch(/c\."id" in \(select sc\."customer_id" from "scores_current" sc .*sc\."rfm"/);
    expect(sql).not.toContain('customer_scores');
    // The correlated form (a batch of customers) reads the same mapped names.
    const batch = compileSegment(rule({ kind: 'score', score: 'rfmSegment', predicate: { type: 'string', op: 'exists' } }), { tenantId, now, schema, customerIds: ['c1'] });
    expect(batch.sql).toContain('sc."rfm"');
    schema.customers.table = 'customers; drop table x';
    expect(() => compileSegment(rule({ kind: 'consent', channel: 'email' }), { tenantId, now, schema })).toThrow(/safe SQL identifier/);
  });

  it('wraps every condition so NULLs never leak into NOT', () => {
    const { sql } = compileSegment(rule({ kind: 'group', op: 'and', negate: true, rules: [{ kind: 'attribute', key: 'a', predicate: { type: 'string', op: 'equals', value: 'x' } }] }), { tenantId, now });
    expect(sql).toMatch(/\(not \(coalesce\(.*, false\)\)\)$/);
  });

  it('restricts to given customers for incremental batches', () => {
    const { sql, params } = compileSegment(rule({ kind: 'consent', channel: 'sms' }), { tenantId, now, customerIds: ['c1', 'c2'] });
    expect(sql).toMatch(/c\."id" = any\(\$\d+::uuid\[\]\)$/);
    expect(params.at(-1)).toEqual(['c1', 'c2']);
  });

  it('inlines referenced segments on request and refuses cycles', () => {
    const rules: Record<string, SegmentRule> = {
      a: rule({ kind: 'segment', segmentId: 'b' }),
      b: rule({ kind: 'consent', channel: 'push' }),
      x: rule({ kind: 'segment', segmentId: 'y' }),
      y: rule({ kind: 'group', op: 'and', rules: [{ kind: 'segment', segmentId: 'x' }] }),
    };
    const lookup = (id: string) => rules[id];
    const inline = compileSegment(rules.a!, { tenantId, now, segments: 'inline', lookup });
    expect(inline.sql).toContain('"customer_consents"');
    expect(inline.sql).not.toContain('"segment_memberships"');
    expect(() => compileSegment(rules.x!, { tenantId, now, segments: 'inline', lookup })).toThrow(SegmentCycleError);
    expect(() => compileSegment(rules.x!, { tenantId, now, segments: 'inline', lookup, segmentId: 'x' })).toThrow('x → y → x');
    // Memberships mode reads stored state, so it needs no lookup.
    expect(compileSegment(rules.x!, { tenantId, now }).sql).toContain('"segment_memberships"');
  });

  it('counts events only up to the threshold and supports "fewer than" (per customer, for a batch)', () => {
    const batch = { tenantId, now, customerIds: ['c1'] };
    const performed = compileSegment(rule({ kind: 'event', event: 'Login', minCount: 5 }), batch);
    expect(performed.sql).toMatch(/limit \$\d+::int\) x\) >= \$\d+::int\)/);
    const notPerformed = compileSegment(rule({ kind: 'event', event: 'Login', performed: false }), batch);
    expect(notPerformed.sql).toMatch(/\) x\) < \$\d+::int\)/);
  });

  it('over the whole tenant, reads each other table once: membership in a set of customer ids per condition', () => {
    const { sql } = compileSegment(
      rule({ kind: 'group', op: 'or', rules: [{ kind: 'event', event: 'Login', minCount: 2 }, { kind: 'orders', metric: 'count', predicate: { type: 'number', op: 'eq', value: 0 } }] }),
      { tenantId, now },
    );
    expect(sql).toMatch(/\(c\."id" in \(select sp\."customer_id" from "events" e .* group by sp\."customer_id" having count\(\*\) >= \$\d+::int\)\)/);
    // "No orders" matches customers without orders: the set holds those with orders that do not match, negated.
    expect(sql).toMatch(/\(not \(c\."id" in \(select o\."customer_id" from "orders" o .* group by o\."customer_id" having not coalesce\(\(count\(\*\)::float8 = \$\d+::float8\), false\)\)\)\)/);
    expect(sql).not.toMatch(/left join|select count\(\*\) from \(select 1/);
    // The predicate alone (for other queries, e.g. journey splits) stays correlated: it has nowhere to put sets.
    expect(compileSegmentPredicate(rule({ kind: 'event', event: 'Login' }), { tenantId, now }, [tenantId])).toMatch(/^coalesce\(\(\(select count/);
  });

  it('puts conditions on the customer row first and reads the scores row once per group', () => {
    const { sql } = compileSegment(
      rule({
        kind: 'group',
        op: 'and',
        rules: [
          { kind: 'score', score: 'churnRisk', predicate: { type: 'number', op: 'gt', value: 0.8 } },
          { kind: 'orders', metric: 'revenue', predicate: { type: 'number', op: 'gte', value: 100 } },
          { kind: 'score', score: 'clv1y', predicate: { type: 'number', op: 'gte', value: 500 } },
          { kind: 'attribute', key: 'tier', predicate: { type: 'string', op: 'equals', value: 'gold' } },
        ],
      }),
      { tenantId, now },
    );
    const where = sql.slice(sql.indexOf(' and (') + 6);
    expect(where.startsWith('coalesce(((case when jsonb_typeof(c."attributes"')).toBe(true);
    expect(sql.match(/from "customer_scores" sc/g)).toHaveLength(1);
    expect(sql).toMatch(/sc\."churn_risk"::float8 > .* and coalesce\(\(sc\."clv1y_minor"::float8 >= /);
    // A score condition a customer without scores satisfies keeps its own (negated) set.
    const missing = compileSegment(
      rule({ kind: 'group', op: 'or', rules: [{ kind: 'score', score: 'clv5y', predicate: { type: 'number', op: 'not_exists' } }, { kind: 'score', score: 'pAlive', predicate: { type: 'number', op: 'lt', value: 0.1 } }] }),
      { tenantId, now },
    );
    expect(missing.sql).toMatch(/\(not \(c\."id" in \(select sc\."customer_id" from "customer_scores" sc where .* and not coalesce\(\(sc\."clv5y_minor"::float8 is null\), false\)\)\)\)/);
  });
});
