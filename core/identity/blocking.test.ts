import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blockingKeys, candidatePairs, deletionNeighbourhood, soundex } from './blocking.ts';
import { damerauLevenshtein } from './similarity.ts';
import type { NormalizedIdentity } from './types.ts';

const empty: NormalizedIdentity = {
  dnis: [],
  cuits: [],
  email: null,
  phone: null,
  phoneIsMobile: false,
  firstName: null,
  lastName: null,
  birthDate: null,
  street: null,
  city: null,
  province: null,
  postalCode: null,
  issues: [],
};
const id = (fields: Partial<NormalizedIdentity>): NormalizedIdentity => ({ ...empty, ...fields });
const shared = (a: NormalizedIdentity, b: NormalizedIdentity) => {
  const kb = new Set(blockingKeys(b));
  return blockingKeys(a).filter((k) => kb.has(k));
};

describe('soundex', () => {
  it.each([
    ['robert', 'r163'],
    ['rupert', 'r163'],
    ['rubin', 'r150'],
    ['ashcraft', 'a261'],
    ['tymczak', 't522'],
    ['pfister', 'p236'],
    ['honeyman', 'h555'],
    ['gonzalez', 'g524'],
    ['gonzales', 'g524'],
    ['a', 'a000'],
    ['', ''],
    ['123', ''],
  ])('%s → %s', (name, code) => {
    expect(soundex(name)).toBe(code);
  });
});

describe('deletionNeighbourhood', () => {
  it('is the string and every one-deletion variant, without repeats', () => {
    expect(deletionNeighbourhood('1123')).toEqual(['1123', '123', '113', '112']);
    expect(deletionNeighbourhood('')).toEqual(['']);
  });

  it('gives two strings within one OSA edit a common element', () => {
    const digits = fc.string({ unit: fc.constantFrom('0', '1', '2', '3', '4', '5', '6', '7', '8', '9'), minLength: 7, maxLength: 8 });
    const edit = fc.tuple(fc.constantFrom('sub', 'ins', 'del', 'swap'), fc.nat(), fc.constantFrom('0', '5', '9'));
    fc.assert(
      fc.property(digits, edit, (d, [kind, at, ch]) => {
        const i = at % d.length;
        const e =
          kind === 'sub' ? d.slice(0, i) + ch + d.slice(i + 1)
          : kind === 'ins' ? d.slice(0, i) + ch + d.slice(i)
          : kind === 'del' ? d.slice(0, i) + d.slice(i + 1)
          : i + 1 < d.length ? d.slice(0, i) + d[i + 1] + d[i] + d.slice(i + 2) : d;
        expect(damerauLevenshtein(d, e)).toBeLessThanOrEqual(1);
        const other = new Set(deletionNeighbourhood(e));
        expect(deletionNeighbourhood(d).some((v) => other.has(v))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('blockingKeys', () => {
  const ana = id({
    dnis: ['30123456'],
    email: 'ana.gomez@gmail.com',
    phone: '+5491155551234',
    firstName: 'ana',
    lastName: 'gomez',
    birthDate: '1990-05-17',
    street: 'mitre 1500',
    postalCode: 'S2000',
  });

  it('gives nothing for a profile without values, and no duplicates', () => {
    expect(blockingKeys(empty)).toEqual([]);
    const keys = blockingKeys(ana);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toContain('dni:30123456');
    expect(keys).toContain('em:ana.gomez@gmail.com');
    expect(keys).toContain('eu:ana.gomez');
    expect(keys).toContain('ph:+5491155551234');
    expect(keys).toContain('lb:gomez|1990');
    expect(keys).toContain('st:mitre 1500|S2000');
  });

  it('pairs duplicates with a typo in any single field', () => {
    expect(shared(ana, { ...ana, dnis: ['30124356'] })).not.toEqual([]);
    // A mistyped document with the same surname: one half of the number is intact.
    expect(shared(id({ dnis: ['30123456'], lastName: 'gomez' }), id({ dnis: ['30123956'], lastName: 'gomez' }))).toEqual(['dh:3012|g520']);
    expect(shared(id({ dnis: ['30123456'], lastName: 'gomez' }), id({ dnis: ['31123456'], lastName: 'gomez' }))).toEqual(['dt:3456|g520']);
    expect(shared(id({ email: 'ana.gomez@gmail.com' }), id({ email: 'ana.gomez@gmial.com' }))).toEqual(['eu:ana.gomez']);
    // Names swapped and no postal code: the sorted phonetic pair with the birth year still matches.
    const swapped = id({ firstName: 'gomez', lastName: 'ana', birthDate: '1990-05-17' });
    expect(shared(id({ firstName: 'ana', lastName: 'gomez', birthDate: '1990-05-17' }), swapped)).toEqual(['sy:a500|g520|1990']);
    // Last name misspelled, no document: same soundex + birth date.
    expect(shared(id({ lastName: 'gonzalez', birthDate: '1990-05-17' }), id({ lastName: 'gonzales', birthDate: '1990-05-17' }))).toEqual(['sb:g524|1990-05-17']);
    // Both names mistyped, no birth date: the address.
    expect(shared(id({ firstName: 'ana', lastName: 'gomez', street: 'mitre 1500', postalCode: 'S2000' }), id({ firstName: 'anna', lastName: 'gomes', street: 'mitre 1500', postalCode: 'S2000' }))).toContain('st:mitre 1500|S2000');
  });

  it('does not pair unrelated profiles', () => {
    const other = id({ dnis: ['22333444'], email: 'pedro@yahoo.com', firstName: 'pedro', lastName: 'sosa', birthDate: '1971-11-02', street: 'belgrano 10', postalCode: 'X5000' });
    expect(shared(ana, other)).toEqual([]);
  });
});

describe('candidatePairs', () => {
  it('pairs profiles sharing any key once, in order, and reports the largest block', () => {
    const result = candidatePairs([['a', 'b'], ['a', 'b'], ['c'], ['b', 'c'], []]);
    expect(result.pairs).toEqual([
      [0, 1],
      [0, 3],
      [1, 3],
      [2, 3],
    ]);
    expect(result.maxBlockSize).toBe(3);
    expect(result.skippedKeys).toEqual([]);
  });

  it('skips blocks larger than maxBlockSize', () => {
    const result = candidatePairs([['big', 'x'], ['big', 'x'], ['big'], ['big']], { maxBlockSize: 3 });
    expect(result.pairs).toEqual([[0, 1]]);
    expect(result.skippedKeys).toEqual(['big']);
    expect(result.maxBlockSize).toBe(2);
  });
});
