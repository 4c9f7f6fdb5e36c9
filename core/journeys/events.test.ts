import { describe, expect, it } from 'vitest';
import { entryTrigger, eventMatch } from './definition.ts';
import { correlationKeyOf, entryMatches, eventMatches } from './events.ts';

const now = new Date('2026-12-03T12:00:00Z');

describe('journey event matching', () => {
  const cartEntry = entryTrigger.parse({ kind: 'event', event: 'Product Added', correlationKey: 'cart_id', where: [{ path: 'price', predicate: { type: 'number', op: 'gt', value: 0 } }] });

  it('extracts correlation keys from strings and numbers only', () => {
    expect(correlationKeyOf({ cart: { id: 42 } }, 'cart.id')).toBe('42');
    expect(correlationKeyOf({ cart_id: 'c-1' }, 'cart_id')).toBe('c-1');
    expect(correlationKeyOf({ cart_id: '' }, 'cart_id')).toBeUndefined();
    expect(correlationKeyOf({ cart_id: { x: 1 } }, 'cart_id')).toBeUndefined();
    expect(correlationKeyOf(null, 'cart_id')).toBeUndefined();
  });

  const entries: [string, { event: string; properties?: Record<string, unknown> | null }, unknown][] = [
    ['keyed match', { event: 'Product Added', properties: { cart_id: 'c-1', price: 10 } }, { matches: true, key: 'c-1' }],
    ['other event', { event: 'Product Viewed', properties: { cart_id: 'c-1', price: 10 } }, { matches: false }],
    ['filter fails', { event: 'Product Added', properties: { cart_id: 'c-1', price: 0 } }, { matches: false }],
    ['no key', { event: 'Product Added', properties: { price: 10 } }, { matches: false }],
  ];
  it.each(entries)('entry: %s', (_n, e, expected) => {
    expect(entryMatches(cartEntry, e, now)).toEqual(expected);
  });

  it('unkeyed entries and other triggers', () => {
    expect(entryMatches(entryTrigger.parse({ kind: 'event', event: 'Signed Up' }), { event: 'Signed Up' }, now)).toEqual({ matches: true });
    expect(entryMatches(entryTrigger.parse({ kind: 'api' }), { event: 'Signed Up' }, now)).toEqual({ matches: false });
  });

  it('keyed waits match only the same key, through the entry path or their own', () => {
    const purchase = eventMatch.parse({ event: 'Order Completed', keyed: true });
    const keys = { keyPath: 'cart_id', key: 'c-1' };
    expect(eventMatches(purchase, { event: 'Order Completed', properties: { cart_id: 'c-1' } }, keys, now)).toBe(true);
    expect(eventMatches(purchase, { event: 'Order Completed', properties: { cart_id: 'c-2' } }, keys, now)).toBe(false);
    expect(eventMatches(purchase, { event: 'Order Completed', properties: {} }, keys, now)).toBe(false);
    expect(eventMatches(purchase, { event: 'Order Completed', properties: { cart_id: 'c-1' } }, {}, now)).toBe(false);
    const ownPath = eventMatch.parse({ event: 'Order Completed', keyed: true, keyPath: 'checkout.cart' });
    expect(eventMatches(ownPath, { event: 'Order Completed', properties: { checkout: { cart: 'c-1' } } }, keys, now)).toBe(true);
    const unkeyed = eventMatch.parse({ event: 'Order Completed', where: [{ path: 'total', predicate: { type: 'number', op: 'gte', value: 100 } }] });
    expect(eventMatches(unkeyed, { event: 'Order Completed', properties: { total: 150 } }, {}, now)).toBe(true);
    expect(eventMatches(unkeyed, { event: 'Order Completed', properties: { total: 50 } }, {}, now)).toBe(false);
  });
});
