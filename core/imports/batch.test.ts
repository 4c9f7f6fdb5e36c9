import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { waves } from './batch.ts';

describe('waves', () => {
  it('puts the n-th occurrence of a key in wave n, in file order', () => {
    expect(waves(['a1', 'b1', 'a2', 'c1', 'a3', 'b2'], (s) => s[0]!)).toEqual([['a1', 'b1', 'c1'], ['a2', 'b2'], ['a3']]);
    expect(waves([], (s: string) => s)).toEqual([]);
  });

  it('keeps every item once, with distinct keys per wave and per-key order preserved', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c', 'd'), fc.nat())), (items) => {
        const w = waves(items, (i) => i[0]);
        expect(w.flat().length).toBe(items.length);
        for (const wave of w) expect(new Set(wave.map((i) => i[0])).size).toBe(wave.length);
        for (const k of ['a', 'b', 'c', 'd'])
          expect(w.flatMap((wave) => wave.filter((i) => i[0] === k))).toEqual(items.filter((i) => i[0] === k));
      }),
    );
  });
});
