import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { damerauLevenshtein, jaro, jaroWinkler, levenshtein, levenshteinSimilarity, withinOneEdit } from './similarity.ts';

/** Textbook O(n·m) matrix, for cross-checking the rolling-row implementations. */
function naiveDistance(a: string, b: string, transpositions: boolean): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (transpositions && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

const smallAlphabet = fc.string({ unit: fc.constantFrom('a', 'b', 'c', ' '), maxLength: 12 });
const anyText = fc.string({ maxLength: 30 });

describe('jaroWinkler', () => {
  it.each([
    ['MARTHA', 'MARHTA', 0.9444, 0.9611],
    ['DWAYNE', 'DUANE', 0.8222, 0.84],
    ['DIXON', 'DICKSONX', 0.7667, 0.8133],
    ['martha', 'marhta', 0.9444, 0.9611],
    ['jones', 'johnson', 0.7905, 0.8324],
  ])('%s / %s: Jaro %f, Jaro–Winkler %f', (a, b, j, jw) => {
    expect(jaro(a, b)).toBeCloseTo(j, 4);
    expect(jaroWinkler(a, b)).toBeCloseTo(jw, 4);
    expect(jaroWinkler(b, a)).toBeCloseTo(jw, 4);
  });

  it('counts at most 4 prefix characters and boosts only above Jaro 0.7', () => {
    // Common prefix of 6, Jaro 0.9: boosted with l = 4, not 6.
    expect(jaroWinkler('abcdefgh', 'abcdefhg')).toBeCloseTo(jaro('abcdefgh', 'abcdefhg') + 0.4 * (1 - jaro('abcdefgh', 'abcdefhg')), 12);
    // CRATE / TRACE: Jaro 0.7333 (above 0.7) but no common prefix.
    expect(jaroWinkler('crate', 'trace')).toBeCloseTo(0.7333, 4);
    // Jaro ≤ 0.7: no boost even with a common first letter.
    expect(jaro('abcxyz', 'aqrstu')).toBeLessThanOrEqual(0.7);
    expect(jaroWinkler('abcxyz', 'aqrstu')).toBe(jaro('abcxyz', 'aqrstu'));
  });

  it('handles empty and identical strings', () => {
    expect(jaroWinkler('', '')).toBe(1);
    expect(jaroWinkler('a', '')).toBe(0);
    expect(jaroWinkler('', 'a')).toBe(0);
    expect(jaroWinkler('abc', 'xyz')).toBe(0);
    expect(jaroWinkler('perez', 'perez')).toBe(1);
  });

  it('is symmetric, in [0, 1], and 1 only for equal strings', () => {
    fc.assert(
      fc.property(smallAlphabet, smallAlphabet, (a, b) => {
        const s = jaroWinkler(a, b);
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThanOrEqual(1);
        expect(jaroWinkler(b, a)).toBe(s);
        if (a !== b) expect(s).toBeLessThan(1);
      }),
      { numRuns: 2000 },
    );
  });

  it('does not depend on earlier calls (scratch buffers grow and are reset)', () => {
    const long = 'x'.repeat(300) + 'abc';
    const before = jaroWinkler('martha', 'marhta');
    jaroWinkler(long, long.split('').reverse().join(''));
    expect(jaroWinkler('martha', 'marhta')).toBe(before);
  });
});

describe('levenshtein and damerauLevenshtein (optimal string alignment)', () => {
  it.each([
    ['kitten', 'sitting', 3, 3],
    ['saturday', 'sunday', 3, 3],
    ['flaw', 'lawn', 2, 2],
    ['', 'abc', 3, 3],
    ['abc', '', 3, 3],
    ['', '', 0, 0],
    ['perez', 'perez', 0, 0],
    // Adjacent transposition: 2 edits for Levenshtein, 1 for Damerau.
    ['abcdef', 'abdcef', 2, 1],
    ['20123456', '21023456', 2, 1],
    ['1985-03-12', '1985-03-21', 2, 1],
    // OSA does not edit a substring twice: CA → ABC is 3 (unrestricted Damerau would give 2).
    ['ca', 'abc', 3, 3],
    ['abcdef', 'abcfed', 2, 2],
  ])('%s / %s: Levenshtein %i, Damerau %i', (a, b, lev, dl) => {
    expect(levenshtein(a, b)).toBe(lev);
    expect(levenshtein(b, a)).toBe(lev);
    expect(damerauLevenshtein(a, b)).toBe(dl);
    expect(damerauLevenshtein(b, a)).toBe(dl);
  });

  it('matches the textbook matrix, including strings longer than the initial buffers', () => {
    fc.assert(
      fc.property(smallAlphabet, smallAlphabet, (a, b) => {
        expect(levenshtein(a, b)).toBe(naiveDistance(a, b, false));
        expect(damerauLevenshtein(a, b)).toBe(naiveDistance(a, b, true));
      }),
      { numRuns: 2000 },
    );
    const a = 'ab'.repeat(70);
    const b = 'ba'.repeat(65) + 'c';
    expect(levenshtein(a, b)).toBe(naiveDistance(a, b, false));
    expect(damerauLevenshtein(a, b)).toBe(naiveDistance(a, b, true));
  });

  it('is a metric-like distance: symmetric, bounded, Damerau ≤ Levenshtein, triangle inequality (Levenshtein)', () => {
    fc.assert(
      fc.property(anyText, anyText, anyText, (a, b, c) => {
        const ab = levenshtein(a, b);
        expect(levenshtein(b, a)).toBe(ab);
        expect(ab).toBeLessThanOrEqual(Math.max(a.length, b.length));
        expect(ab).toBeGreaterThanOrEqual(Math.abs(a.length - b.length));
        expect(ab === 0).toBe(a === b);
        expect(damerauLevenshtein(a, b)).toBeLessThanOrEqual(ab);
        expect(levenshtein(a, c)).toBeLessThanOrEqual(ab + levenshtein(b, c));
      }),
    );
  });
});

describe('withinOneEdit', () => {
  it('agrees with damerauLevenshtein ≤ 1', () => {
    fc.assert(
      fc.property(smallAlphabet, smallAlphabet, (a, b) => {
        expect(withinOneEdit(a, b)).toBe(damerauLevenshtein(a, b) <= 1);
      }),
      { numRuns: 3000 },
    );
    expect(withinOneEdit('30123456', '30123465')).toBe(true);
    expect(withinOneEdit('30123456', '3012345')).toBe(true);
    expect(withinOneEdit('30123456', '31123457')).toBe(false);
  });
});

describe('levenshteinSimilarity', () => {
  it('is 1 − distance / longer length', () => {
    expect(levenshteinSimilarity('', '')).toBe(1);
    expect(levenshteinSimilarity('abc', '')).toBe(0);
    expect(levenshteinSimilarity('kitten', 'sitting')).toBeCloseTo(1 - 3 / 7, 12);
    expect(levenshteinSimilarity('12 main street', '12 main streat')).toBeCloseTo(1 - 1 / 14, 12);
  });

  it('stays in [0, 1] and is symmetric', () => {
    fc.assert(
      fc.property(anyText, anyText, (a, b) => {
        const s = levenshteinSimilarity(a, b);
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThanOrEqual(1);
        expect(levenshteinSimilarity(b, a)).toBe(s);
      }),
    );
  });
});
