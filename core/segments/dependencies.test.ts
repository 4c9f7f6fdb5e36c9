import { describe, expect, it } from 'vitest';
import { dependencies } from './dependencies.ts';
import { segmentRule, type SegmentRuleInput } from './rule.ts';

const rule = (r: SegmentRuleInput) => segmentRule.parse(r);

describe('dependencies', () => {
  it('list every data kind a rule reads', () => {
    const deps = dependencies(
      rule({
        kind: 'group',
        op: 'or',
        rules: [
          { kind: 'profile', field: 'email', predicate: { type: 'string', op: 'exists' } },
          { kind: 'attribute', key: 'tier', predicate: { type: 'string', op: 'equals', value: 'gold' } },
          { kind: 'score', score: 'churnRisk', predicate: { type: 'number', op: 'gt', value: 0.5 } },
          { kind: 'orders', metric: 'count', predicate: { type: 'number', op: 'gt', value: 0 } },
          { kind: 'event', event: 'Product Viewed' },
          { kind: 'event', event: 'Cart Viewed', performed: false },
          { kind: 'segment', segmentId: 's2' },
          { kind: 'consent', channel: 'whatsapp' },
        ],
      }),
    );
    expect(deps).toEqual({
      events: ['Cart Viewed', 'Product Viewed'],
      orders: true,
      scores: ['churnRisk'],
      profileFields: ['email'],
      attributes: ['tier'],
      segments: ['s2'],
      consentChannels: ['whatsapp'],
      timeDependent: false,
    });
  });

  const timeCases: [string, SegmentRuleInput, boolean][] = [
    ['relative event window', { kind: 'event', event: 'x', window: { kind: 'last_days', days: 3 } }, true],
    ['absolute event window', { kind: 'event', event: 'x', window: { kind: 'between', from: '2026-01-01', to: '2026-02-01' } }, false],
    ['within last days', { kind: 'profile', field: 'createdAt', predicate: { type: 'date', op: 'within_last_days', days: 3 } }, true],
    ['more than days ago', { kind: 'orders', metric: 'lastOrderAt', predicate: { type: 'date', op: 'more_than_days_ago', days: 90 } }, true],
    ['absolute date', { kind: 'profile', field: 'createdAt', predicate: { type: 'date', op: 'after', value: '2026-01-01' } }, false],
    ['relative property filter', { kind: 'event', event: 'x', where: [{ path: 'at', predicate: { type: 'date', op: 'within_last_days', days: 1 } }] }, true],
  ];
  it.each(timeCases)('flag clock dependence: %s', (_n, r, expected) => {
    expect(dependencies(rule(r)).timeDependent).toBe(expected);
  });

  it('follow referenced segments with a lookup, cutting cycles', () => {
    const rules: Record<string, SegmentRuleInput> = {
      a: { kind: 'group', op: 'and', rules: [{ kind: 'segment', segmentId: 'b' }, { kind: 'event', event: 'A' }] },
      b: { kind: 'group', op: 'and', rules: [{ kind: 'segment', segmentId: 'a' }, { kind: 'orders', metric: 'count', predicate: { type: 'number', op: 'gt', value: 1 } }] },
    };
    const lookup = (id: string) => (rules[id] ? rule(rules[id]) : undefined);
    const deps = dependencies(rule({ kind: 'segment', segmentId: 'a' }), lookup);
    expect(deps.segments).toEqual(['a', 'b']);
    expect(deps.events).toEqual(['A']);
    expect(deps.orders).toBe(true);
    expect(dependencies(rule({ kind: 'segment', segmentId: 'a' })).orders).toBe(false);
  });
});
