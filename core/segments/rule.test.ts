import { describe, expect, it } from 'vitest';
import { MAX_RULE_DEPTH, segmentRule, type SegmentRuleInput } from './rule.ts';
import { validateSegmentRule } from './validate.ts';

const errorsOf = (input: unknown) => {
  const r = validateSegmentRule(input);
  return r.ok ? [] : r.errors;
};

describe('segment rule schema', () => {
  const valid: [string, SegmentRuleInput][] = [
    ['profile string', { kind: 'profile', field: 'email', predicate: { type: 'string', op: 'ends_with', value: '@gmail.com' } }],
    ['birth date relative', { kind: 'profile', field: 'birthDate', predicate: { type: 'date', op: 'more_than_days_ago', days: 6570 } }],
    ['attribute number', { kind: 'attribute', key: 'points', predicate: { type: 'number', op: 'between', min: 1, max: 10 } }],
    ['rfm in', { kind: 'score', score: 'rfmSegment', predicate: { type: 'string', op: 'in', values: ['champions', 'at_risk'] } }],
    ['lifecycle', { kind: 'score', score: 'lifecycleState', predicate: { type: 'string', op: 'equals', value: 'AT_RISK' } }],
    ['propensity', { kind: 'score', score: 'propensity', category: 'shoes', predicate: { type: 'number', op: 'gte', value: 0.3 } }],
    ['orders in window', { kind: 'orders', metric: 'count', window: { kind: 'last_days', days: 90 }, predicate: { type: 'number', op: 'gte', value: 2 } }],
    ['bought category', { kind: 'orders', metric: 'count', items: { categories: ['Shoes'] }, predicate: { type: 'number', op: 'gte', value: 1 } }],
    ['revenue in ARS', { kind: 'orders', metric: 'revenue', currency: 'ARS', predicate: { type: 'number', op: 'gt', value: 100_000 } }],
    ['last order', { kind: 'orders', metric: 'lastOrderAt', predicate: { type: 'date', op: 'within_last_days', days: 30 } }],
    ['event with filters', { kind: 'event', event: 'Product Viewed', minCount: 3, window: { kind: 'last_days', days: 7 }, where: [{ path: 'product.category', predicate: { type: 'string', op: 'equals', value: 'Shoes' } }] }],
    ['event not performed', { kind: 'event', event: 'Order Completed', performed: false, window: { kind: 'between', from: '2026-01-01', to: '2026-02-01T00:00:00Z' } }],
    ['segment', { kind: 'segment', segmentId: 'vip', member: false }],
    ['consent', { kind: 'consent', channel: 'whatsapp' }],
    ['nested groups', { kind: 'group', op: 'and', rules: [{ kind: 'group', op: 'or', negate: true, rules: [{ kind: 'consent', channel: 'email' }] }] }],
  ];
  it.each(valid)('accepts %s', (_name, input) => {
    expect(errorsOf(input)).toEqual([]);
  });

  it('fills defaults', () => {
    expect(segmentRule.parse({ kind: 'event', event: 'x' })).toEqual({ kind: 'event', event: 'x', performed: true, minCount: 1, where: [] });
    expect(segmentRule.parse({ kind: 'consent', channel: 'sms' })).toEqual({ kind: 'consent', channel: 'sms', granted: true });
  });

  const invalid: [string, unknown, string][] = [
    ['empty group', { kind: 'group', op: 'and', rules: [] }, 'rules'],
    ['unknown kind', { kind: 'group', op: 'and', rules: [{ kind: 'weather' }] }, 'rules.0.kind'],
    ['type mismatch on a field', { kind: 'group', op: 'and', rules: [{ kind: 'profile', field: 'email', predicate: { type: 'number', op: 'gt', value: 1 } }] }, 'rules.0.predicate.type'],
    ['type mismatch on a metric', { kind: 'orders', metric: 'lastOrderAt', predicate: { type: 'number', op: 'gt', value: 1 } }, 'predicate.type'],
    ['unknown rfm segment', { kind: 'score', score: 'rfmSegment', predicate: { type: 'string', op: 'in', values: ['champions', 'Whales'] } }, 'predicate.values.1'],
    ['unknown lifecycle', { kind: 'score', score: 'lifecycleState', predicate: { type: 'string', op: 'equals', value: 'new' } }, 'predicate.value'],
    ['contains on an enum score', { kind: 'score', score: 'rfmSegment', predicate: { type: 'string', op: 'contains', value: 'Champ' } }, 'predicate.op'],
    ['propensity without category', { kind: 'score', score: 'propensity', predicate: { type: 'number', op: 'gt', value: 0.1 } }, 'category'],
    ['category on another score', { kind: 'score', score: 'pAlive', category: 'x', predicate: { type: 'number', op: 'gt', value: 0.1 } }, 'category'],
    ['empty item filter', { kind: 'orders', metric: 'count', items: {}, predicate: { type: 'number', op: 'gt', value: 0 } }, 'items'],
    ['currency on count', { kind: 'orders', metric: 'count', currency: 'ARS', predicate: { type: 'number', op: 'gt', value: 0 } }, 'currency'],
    ['between reversed', { kind: 'attribute', key: 'a', predicate: { type: 'number', op: 'between', min: 5, max: 1 } }, 'predicate.max'],
    ['bad date bound', { kind: 'profile', field: 'createdAt', predicate: { type: 'date', op: 'before', value: '2026-13-01' } }, 'predicate.value'],
    ['zero days', { kind: 'profile', field: 'createdAt', predicate: { type: 'date', op: 'within_last_days', days: 0 } }, 'predicate.days'],
    ['bad property path', { kind: 'event', event: 'x', where: [{ path: 'a..b', predicate: { type: 'string', op: 'exists' } }] }, 'where.0.path'],
    ['bad channel', { kind: 'consent', channel: 'fax' }, 'channel'],
  ];
  it.each(invalid)('rejects %s at its JSON path', (_name, input, path) => {
    expect(errorsOf(input).map((e) => e.path)).toContain(path);
  });

  it('bounds nesting depth', () => {
    let rule: SegmentRuleInput = { kind: 'consent', channel: 'email' };
    for (let i = 0; i <= MAX_RULE_DEPTH; i++) rule = { kind: 'group', op: 'and', rules: [rule] };
    expect(errorsOf(rule).some((e) => e.message.includes('nest'))).toBe(true);
  });
});

describe('segment references', () => {
  const rules: Record<string, SegmentRuleInput> = {
    a: { kind: 'segment', segmentId: 'b' },
    b: { kind: 'group', op: 'or', rules: [{ kind: 'consent', channel: 'email' }, { kind: 'segment', segmentId: 'c' }] },
    c: { kind: 'segment', segmentId: 'a' },
    leaf: { kind: 'consent', channel: 'sms' },
  };
  const lookup = (id: string) => (rules[id] ? segmentRule.parse(rules[id]) : undefined);

  it('reject a reference to itself, an unknown segment and a cycle through others, at the reference', () => {
    expect(validateSegmentRule({ kind: 'segment', segmentId: 'x' }, { segmentId: 'x' })).toEqual({
      ok: false,
      errors: [{ path: 'segmentId', message: 'a segment cannot reference itself' }],
    });
    expect(validateSegmentRule({ kind: 'group', op: 'and', rules: [{ kind: 'segment', segmentId: 'nope' }] }, { lookup })).toEqual({
      ok: false,
      errors: [{ path: 'rules.0.segmentId', message: 'unknown segment nope' }],
    });
    const r = validateSegmentRule({ kind: 'group', op: 'and', rules: [{ kind: 'segment', segmentId: 'leaf' }, { kind: 'segment', segmentId: 'b' }] }, { segmentId: 'a', lookup });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors).toEqual([{ path: 'rules.1.segmentId', message: 'segment references form a cycle: a → b → c → a' }]);
  });

  it('accept an acyclic chain and catch a cycle the new segment only reaches', () => {
    expect(validateSegmentRule({ kind: 'segment', segmentId: 'leaf' }, { segmentId: 'new', lookup }).ok).toBe(true);
    const r = validateSegmentRule({ kind: 'segment', segmentId: 'a' }, { segmentId: 'new', lookup });
    expect(!r.ok && r.errors[0]!.message).toContain('a → b → c → a');
  });
});
