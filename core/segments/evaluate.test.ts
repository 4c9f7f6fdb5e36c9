import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CustomerFacts, evaluateSegment } from './evaluate.ts';
import { segmentRule, type SegmentRule, type SegmentRuleInput } from './rule.ts';
import { parseDateString } from './semantics.ts';

const now = new Date('2026-12-03T12:00:00.000Z');
const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);
const rule = (r: SegmentRuleInput): SegmentRule => segmentRule.parse(r);

const ana: CustomerFacts = {
  profile: {
    email: 'ana@example.com',
    firstName: 'Ana',
    birthDate: '1990-02-28',
    createdAt: '2026-11-20T10:00:00Z',
    address: { city: 'Rosario', country: 'AR' },
    attributes: { tier: 'gold', points: 120, vip: true, lastVisit: '2026-12-01T09:00:00', badDate: '2026-02-30', numericString: '12' },
  },
  scores: { rfmSegment: 'champions', lifecycleState: 'LOYAL', clv1yMinor: 500_000, churnRisk: 0.1, pAlive: 0.9, propensity: { Shoes: 0.4, Hats: 'x' } },
  orders: [
    { status: 'invoiced', currency: 'ARS', totalMinor: 10_000, placedAt: daysAgo(10), items: [{ category: 'Shoes', sku: 'S-1', totalMinor: 8_000 }, { category: 'Socks', totalMinor: 2_000 }] },
    { status: 'invoiced', currency: 'USD', totalMinor: 3_000, placedAt: daysAgo(100), items: [{ category: 'Hats', productId: 'p-9', totalMinor: 3_000 }] },
    { status: 'Canceled', currency: 'ARS', totalMinor: 99_000, placedAt: daysAgo(1), items: [{ category: 'Shoes', totalMinor: 99_000 }] },
  ],
  events: [
    { event: 'Product Viewed', timestamp: daysAgo(1), properties: { product: { category: 'Shoes', price: 4_000 } } },
    { event: 'Product Viewed', timestamp: daysAgo(2), properties: { product: { category: 'Shoes', price: 9_000 } } },
    { event: 'Product Viewed', timestamp: daysAgo(40), properties: { product: { category: 'Hats' } } },
    { event: 'Cart Viewed', timestamp: daysAgo(3), properties: null },
  ],
  segments: ['vip'],
  consents: [{ channel: 'email', status: 'granted' }, { channel: 'sms', status: 'denied' }],
};

const cases: [string, SegmentRuleInput, boolean][] = [
  ['email ends with', { kind: 'profile', field: 'email', predicate: { type: 'string', op: 'ends_with', value: '@example.com' } }, true],
  ['missing field equals', { kind: 'profile', field: 'phone', predicate: { type: 'string', op: 'not_equals', value: 'x' } }, false],
  ['missing field not exists', { kind: 'profile', field: 'phone', predicate: { type: 'string', op: 'not_exists' } }, true],
  ['city in', { kind: 'profile', field: 'address.city', predicate: { type: 'string', op: 'in', values: ['Rosario', 'Córdoba'] } }, true],
  ['city not in', { kind: 'profile', field: 'address.city', predicate: { type: 'string', op: 'not_in', values: ['Rosario'] } }, false],
  ['born before 2000', { kind: 'profile', field: 'birthDate', predicate: { type: 'date', op: 'before', value: '2000-01-01' } }, true],
  ['signed up within 30 days', { kind: 'profile', field: 'createdAt', predicate: { type: 'date', op: 'within_last_days', days: 30 } }, true],
  ['signed up within 7 days', { kind: 'profile', field: 'createdAt', predicate: { type: 'date', op: 'within_last_days', days: 7 } }, false],
  ['attribute string', { kind: 'attribute', key: 'tier', predicate: { type: 'string', op: 'starts_with', value: 'go' } }, true],
  ['attribute number', { kind: 'attribute', key: 'points', predicate: { type: 'number', op: 'between', min: 100, max: 120 } }, true],
  ['numeric string is not a number', { kind: 'attribute', key: 'numericString', predicate: { type: 'number', op: 'exists' } }, false],
  ['attribute boolean', { kind: 'attribute', key: 'vip', predicate: { type: 'boolean', op: 'is_true' } }, true],
  ['attribute date without offset is UTC', { kind: 'attribute', key: 'lastVisit', predicate: { type: 'date', op: 'after', value: '2026-12-01T08:59:59Z' } }, true],
  ['impossible date is no date', { kind: 'attribute', key: 'badDate', predicate: { type: 'date', op: 'exists' } }, false],
  ['missing attribute', { kind: 'attribute', key: 'nope', predicate: { type: 'boolean', op: 'is_false' } }, false],
  ['rfm', { kind: 'score', score: 'rfmSegment', predicate: { type: 'string', op: 'equals', value: 'champions' } }, true],
  ['lifecycle not in', { kind: 'score', score: 'lifecycleState', predicate: { type: 'string', op: 'not_in', values: ['AT_RISK', 'DORMANT'] } }, true],
  ['clv', { kind: 'score', score: 'clv1y', predicate: { type: 'number', op: 'gte', value: 500_000 } }, true],
  ['clv 5y missing', { kind: 'score', score: 'clv5y', predicate: { type: 'number', op: 'not_exists' } }, true],
  ['churn', { kind: 'score', score: 'churnRisk', predicate: { type: 'number', op: 'lt', value: 0.5 } }, true],
  ['propensity', { kind: 'score', score: 'propensity', category: 'Shoes', predicate: { type: 'number', op: 'gt', value: 0.3 } }, true],
  ['propensity non-number', { kind: 'score', score: 'propensity', category: 'Hats', predicate: { type: 'number', op: 'exists' } }, false],
  ['order count ignores cancelled', { kind: 'orders', metric: 'count', predicate: { type: 'number', op: 'eq', value: 2 } }, true],
  ['order count in window', { kind: 'orders', metric: 'count', window: { kind: 'last_days', days: 30 }, predicate: { type: 'number', op: 'eq', value: 1 } }, true],
  ['revenue all currencies', { kind: 'orders', metric: 'revenue', predicate: { type: 'number', op: 'eq', value: 13_000 } }, true],
  ['revenue in ARS', { kind: 'orders', metric: 'revenue', currency: 'ARS', predicate: { type: 'number', op: 'eq', value: 10_000 } }, true],
  ['revenue of matching items', { kind: 'orders', metric: 'revenue', items: { categories: ['Shoes'] }, predicate: { type: 'number', op: 'eq', value: 8_000 } }, true],
  ['bought category', { kind: 'orders', metric: 'count', items: { categories: ['Hats'] }, predicate: { type: 'number', op: 'gte', value: 1 } }, true],
  ['bought product', { kind: 'orders', metric: 'count', items: { productIds: ['p-9'] }, window: { kind: 'last_days', days: 30 }, predicate: { type: 'number', op: 'gte', value: 1 } }, false],
  ['bought sku', { kind: 'orders', metric: 'lastOrderAt', items: { skus: ['S-1'] }, predicate: { type: 'date', op: 'within_last_days', days: 11 } }, true],
  ['last order recent', { kind: 'orders', metric: 'lastOrderAt', predicate: { type: 'date', op: 'more_than_days_ago', days: 30 } }, false],
  ['first order old', { kind: 'orders', metric: 'firstOrderAt', predicate: { type: 'date', op: 'more_than_days_ago', days: 90 } }, true],
  ['no orders in window', { kind: 'orders', metric: 'lastOrderAt', window: { kind: 'between', from: '2020-01-01', to: '2021-01-01' }, predicate: { type: 'date', op: 'not_exists' } }, true],
  ['viewed 3 times', { kind: 'event', event: 'Product Viewed', minCount: 3 }, true],
  ['viewed 3 times this week', { kind: 'event', event: 'Product Viewed', minCount: 3, window: { kind: 'last_days', days: 7 } }, false],
  ['viewed shoes under 5000', { kind: 'event', event: 'Product Viewed', where: [{ path: 'product.category', predicate: { type: 'string', op: 'equals', value: 'Shoes' } }, { path: 'product.price', predicate: { type: 'number', op: 'lt', value: 5_000 } }] }, true],
  ['viewed hats twice', { kind: 'event', event: 'Product Viewed', minCount: 2, where: [{ path: 'product.category', predicate: { type: 'string', op: 'equals', value: 'Hats' } }] }, false],
  ['never completed an order', { kind: 'event', event: 'Order Completed', performed: false }, true],
  ['viewed fewer than 5 times', { kind: 'event', event: 'Product Viewed', performed: false, minCount: 5 }, true],
  ['did not view cart', { kind: 'event', event: 'Cart Viewed', performed: false, window: { kind: 'last_days', days: 7 } }, false],
  ['filter on null properties', { kind: 'event', event: 'Cart Viewed', where: [{ path: 'x', predicate: { type: 'string', op: 'not_exists' } }] }, true],
  ['member', { kind: 'segment', segmentId: 'vip' }, true],
  ['not member', { kind: 'segment', segmentId: 'vip', member: false }, false],
  ['email consent', { kind: 'consent', channel: 'email' }, true],
  ['sms consent denied', { kind: 'consent', channel: 'sms' }, false],
  ['no push consent', { kind: 'consent', channel: 'push', granted: false }, true],
  ['and', { kind: 'group', op: 'and', rules: [{ kind: 'consent', channel: 'email' }, { kind: 'consent', channel: 'sms' }] }, false],
  ['or', { kind: 'group', op: 'or', rules: [{ kind: 'consent', channel: 'email' }, { kind: 'consent', channel: 'sms' }] }, true],
  ['negated and', { kind: 'group', op: 'and', negate: true, rules: [{ kind: 'consent', channel: 'email' }, { kind: 'consent', channel: 'sms' }] }, true],
];

describe('evaluateSegment', () => {
  it.each(cases)('%s', (_name, r, expected) => {
    expect(evaluateSegment(rule(r), ana, now)).toBe(expected);
  });

  it('treats a customer with no scores, orders or events as lacking them', () => {
    const bare: CustomerFacts = { profile: {} };
    expect(evaluateSegment(rule({ kind: 'score', score: 'pAlive', predicate: { type: 'number', op: 'not_exists' } }), bare, now)).toBe(true);
    expect(evaluateSegment(rule({ kind: 'orders', metric: 'count', predicate: { type: 'number', op: 'eq', value: 0 } }), bare, now)).toBe(true);
    expect(evaluateSegment(rule({ kind: 'orders', metric: 'revenue', predicate: { type: 'number', op: 'eq', value: 0 } }), bare, now)).toBe(true);
    expect(evaluateSegment(rule({ kind: 'event', event: 'x', performed: false }), bare, now)).toBe(true);
  });

  it('evaluates other segments inline on request', () => {
    const rules: Record<string, SegmentRule> = { gold: rule({ kind: 'attribute', key: 'tier', predicate: { type: 'string', op: 'equals', value: 'gold' } }) };
    const r = rule({ kind: 'segment', segmentId: 'gold' });
    expect(evaluateSegment(r, ana, now)).toBe(false);
    expect(evaluateSegment(r, ana, now, { segments: 'inline', lookup: (id) => rules[id] })).toBe(true);
  });

  it('respects boolean algebra: NOT flips, De Morgan holds, AND/OR of one is identity', () => {
    const leaves = cases.map(([, r]) => rule(r)).filter((r) => r.kind !== 'group');
    const leaf = fc.constantFrom(...leaves);
    fc.assert(
      fc.property(fc.array(leaf, { minLength: 1, maxLength: 5 }), (rs) => {
        const and = evaluateSegment({ kind: 'group', op: 'and', rules: rs }, ana, now);
        const notAnd = evaluateSegment({ kind: 'group', op: 'and', negate: true, rules: rs }, ana, now);
        const orOfNots = evaluateSegment({ kind: 'group', op: 'or', rules: rs.map((r) => ({ kind: 'group', op: 'and', negate: true, rules: [r] })) }, ana, now);
        expect(notAnd).toBe(!and);
        expect(orOfNots).toBe(!and);
        expect(evaluateSegment({ kind: 'group', op: 'or', rules: [rs[0]!] }, ana, now)).toBe(evaluateSegment(rs[0]!, ana, now));
      }),
    );
  });
});

describe('date strings', () => {
  const table: [string, string | undefined][] = [
    ['2026-02-28', '2026-02-28T00:00:00.000Z'],
    ['2024-02-29', '2024-02-29T00:00:00.000Z'],
    ['2026-02-29', undefined],
    ['2026-04-31', undefined],
    ['2026-12-01T09:00', '2026-12-01T09:00:00.000Z'],
    ['2026-12-01 09:00:30.5', '2026-12-01T09:00:30.500Z'],
    ['2026-12-01T09:00:00-03:00', '2026-12-01T12:00:00.000Z'],
    ['2026-12-01T24:00', undefined],
    ['2026-12-01T09:00+0300', undefined],
    ['12/01/2026', undefined],
    ['', undefined],
  ];
  it.each(table)('%s', (input, iso) => {
    expect(parseDateString(input)?.toISOString()).toBe(iso);
  });
});
