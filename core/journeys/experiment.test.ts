import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assignVariant, bucket, inJourneyHoldout, murmur3, utf8 } from './experiment.ts';

const ids = Array.from({ length: 60_000 }, (_, i) => `customer-${i}`);

describe('murmur3', () => {
  it('matches the reference MurmurHash3_x86_32 vectors', () => {
    expect(murmur3('', 0)).toBe(0);
    expect(murmur3('', 1)).toBe(0x514e28b7);
    expect(murmur3('hello', 0)).toBe(0x248bfa47);
    expect(murmur3('Hello, world!', 1234)).toBe(0xfaf6cdb3);
    expect(murmur3('The quick brown fox jumps over the lazy dog', 0)).toBe(0x2e4ff723);
  });

  it('hashes the UTF-8 bytes of any string (same bytes as TextEncoder)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        expect(utf8(s)).toEqual([...new TextEncoder().encode(s)]);
      }),
    );
    expect(murmur3('ñandú', 0)).not.toBe(murmur3('nandu', 0));
  });

  it('spreads buckets uniformly (chi-square over 20 bins)', () => {
    const bins = new Array<number>(20).fill(0);
    for (const id of ids) bins[Math.floor(bucket('exp', id) * 20)]!++;
    const expected = ids.length / 20;
    const chi2 = bins.reduce((s, o) => s + (o - expected) ** 2 / expected, 0);
    // 19 degrees of freedom: the 99.9th percentile is 43.8.
    expect(chi2).toBeLessThan(43.8);
  });
});

describe('assignVariant', () => {
  const variants = [
    { id: 'a', weight: 50 },
    { id: 'b', weight: 30 },
    { id: 'c', weight: 20 },
  ];

  it('is sticky: the same customer always gets the same answer', () => {
    for (const id of ids.slice(0, 200)) expect(assignVariant('exp-1', id, variants, 10)).toEqual(assignVariant('exp-1', id, variants, 10));
  });

  it('follows the weights and the holdout share', () => {
    const counts: Record<string, number> = {};
    for (const id of ids) {
      const r = assignVariant('exp-1', id, variants, 10);
      const k = r.kind === 'holdout' ? 'holdout' : r.variantId;
      counts[k] = (counts[k] ?? 0) + 1;
    }
    const share = (k: string) => counts[k]! / ids.length;
    expect(share('holdout')).toBeCloseTo(0.1, 2);
    expect(share('a')).toBeCloseTo(0.9 * 0.5, 2);
    expect(share('b')).toBeCloseTo(0.9 * 0.3, 2);
    expect(share('c')).toBeCloseTo(0.9 * 0.2, 2);
  });

  it('draws experiments independently', () => {
    const both = ids.filter((id) => (assignVariant('exp-1', id, variants) as { variantId: string }).variantId === 'a' && (assignVariant('exp-2', id, variants) as { variantId: string }).variantId === 'a').length;
    expect(both / ids.length).toBeCloseTo(0.25, 2);
  });

  it('keeps variant assignments when only the holdout share changes', () => {
    for (const id of ids.slice(0, 2000)) {
      const wide = assignVariant('exp-1', id, variants, 20);
      const narrow = assignVariant('exp-1', id, variants, 5);
      if (wide.kind === 'variant') expect(narrow).toEqual(wide);
      if (narrow.kind === 'holdout') expect(wide.kind).toBe('holdout');
    }
  });

  it('never picks a zero-weight variant and refuses an all-zero experiment', () => {
    for (const id of ids.slice(0, 2000)) expect(assignVariant('e', id, [{ id: 'x', weight: 0 }, { id: 'y', weight: 100 }])).toEqual({ kind: 'variant', variantId: 'y' });
    expect(() => assignVariant('e', 'c', [{ id: 'x', weight: 0 }])).toThrow();
  });

  it('journey holdout matches its percentage and is independent of experiments', () => {
    const held = ids.filter((id) => inJourneyHoldout('j-1', id, 5)).length;
    expect(held / ids.length).toBeCloseTo(0.05, 2);
    expect(ids.some((id) => inJourneyHoldout('j-1', id, 0))).toBe(false);
  });
});
