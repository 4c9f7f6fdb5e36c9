import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_THRESHOLDS,
  defaultModel,
  probabilityToWeight,
  scorePair,
  scoresBelow,
  weightToProbability,
  type FellegiSunterModel,
} from './fellegi-sunter.ts';
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

const juan = id({
  dnis: ['30123456'],
  email: 'juan.perez@gmail.com',
  phone: '+5491155551234',
  phoneIsMobile: true,
  firstName: 'juan',
  lastName: 'perez',
  birthDate: '1985-03-12',
  street: 'av corrientes 1234',
  city: 'ciudad autonoma de buenos aires',
  province: 'ciudad autonoma de buenos aires',
  postalCode: 'C1043AAZ',
});
/** The household: same last name and address, no documents or contacts. */
const atHome = (fields: Partial<NormalizedIdentity>) => ({ ...juan, dnis: [], email: null, phone: null, phoneIsMobile: false, ...fields });

describe('Splink golden example (tests/test_accuracy.py, dedupe only)', () => {
  // 6 records; one comparison (first_name exact), λ 0.5, exact m 0.9 / u 0.1, else m 0.1 / u 0.9.
  type Rec = { firstName: string; cluster: number };
  const records: Rec[] = [
    { firstName: 'john', cluster: 1 },
    { firstName: 'john', cluster: 1 },
    { firstName: 'john', cluster: 1 },
    { firstName: 'john', cluster: 2 },
    { firstName: 'edith', cluster: 3 },
    { firstName: 'mary', cluster: 3 },
  ];
  const model: FellegiSunterModel<Rec> = {
    lambda: 0.5,
    comparisons: [
      {
        name: 'first_name',
        description: 'first name',
        levels: [
          { name: 'exact', m: 0.9, u: 0.1, description: 'exact match' },
          { name: 'else', m: 0.1, u: 0.9, description: 'all other' },
        ],
        compare: (a, b) => (a.firstName === b.firstName ? 'exact' : 'else'),
      },
    ],
  };
  const scored = records.flatMap((a, i) => records.slice(i + 1).map((b) => ({ score: scorePair(a, b, model), match: a.cluster === b.cluster })));

  it('gives weights ±3.17 over 15 pairs', () => {
    expect(scored).toHaveLength(15);
    const weights = [...new Set(scored.map((s) => s.score.weight))].sort((x, y) => x - y);
    expect(weights).toHaveLength(2);
    expect(weights[0]).toBeCloseTo(-3.17, 2);
    expect(weights[1]).toBeCloseTo(3.17, 2);
    expect(weights[1]).toBeCloseTo(Math.log2(9), 12);
    expect(scored[0]!.score.probability).toBeCloseTo(0.9, 12);
    expect(scored[0]!.score.levels).toEqual({ first_name: 'exact' });
  });

  it('reproduces the truth-space table at thresholds −3.17 and 3.17', () => {
    // Splink's truth_space_table: one row per distinct weight; predicted match ⇔ weight ≥ threshold.
    const table = (threshold: number) => ({
      tp: scored.filter((s) => s.score.weight >= threshold && s.match).length,
      fp: scored.filter((s) => s.score.weight >= threshold && !s.match).length,
      tn: scored.filter((s) => s.score.weight < threshold && !s.match).length,
      fn: scored.filter((s) => s.score.weight < threshold && s.match).length,
    });
    expect(table(-Math.log2(9))).toEqual({ tp: 4, fp: 11, tn: 0, fn: 0 });
    expect(table(Math.log2(9))).toEqual({ tp: 3, fp: 3, tn: 8, fn: 1 });
  });
});

describe('weights and probabilities', () => {
  it('converts like Splink: p = 2^w / (1 + 2^w), and back', () => {
    expect(weightToProbability(0)).toBe(0.5);
    expect(weightToProbability(Math.log2(9))).toBeCloseTo(0.9, 12);
    expect(weightToProbability(-Math.log2(9))).toBeCloseTo(0.1, 12);
    expect(weightToProbability(5000)).toBe(1);
    expect(weightToProbability(-5000)).toBe(0);
    expect(probabilityToWeight(0.9)).toBeCloseTo(Math.log2(9), 12);
    expect(probabilityToWeight(DEFAULT_THRESHOLDS.autoMerge)).toBeCloseTo(9.96, 2);
  });

  it('scores two empty profiles at the prior λ: every comparison is missing and contributes 0', () => {
    const s = scorePair(empty, empty);
    expect(s.probability).toBeCloseTo(defaultModel.lambda, 12);
    expect(Object.values(s.levels).every((l) => l === 'missing')).toBe(true);
    expect(Object.values(s.weights).every((w) => w === 0)).toBe(true);
    expect(Object.keys(s.levels)).toEqual(defaultModel.comparisons.map((c) => c.name));
  });

  it('weight = log2(λ/(1−λ)) + Σ level weights', () => {
    const s = scorePair(juan, { ...juan, email: 'otro@gmail.com' });
    const sum = Object.values(s.weights).reduce((x, y) => x + y, 0);
    expect(s.weight).toBeCloseTo(Math.log2(1e-4 / (1 - 1e-4)) + sum, 9);
    expect(s.levels.email).toBe('different');
    expect(s.weights.email).toBeCloseTo(Math.log2(0.38 / 0.9997), 12);
  });

  it('rejects a level a comparison does not declare', () => {
    const bad: FellegiSunterModel<number> = {
      lambda: 0.5,
      comparisons: [{ name: 'x', description: '', levels: [{ name: 'a', m: 1, u: 1, description: '' }], compare: () => 'b' }],
    };
    expect(() => scorePair(1, 2, bad)).toThrow(/unknown level b/);
  });
});

describe('defaultModel', () => {
  it('has, per comparison, probabilities in (0, 1) whose m and u each sum to 1, and unique level names', () => {
    for (const c of defaultModel.comparisons) {
      const names = c.levels.map((l) => l.name);
      expect(new Set(names).size, c.name).toBe(names.length);
      expect(names, c.name).not.toContain('missing');
      for (const l of c.levels) {
        expect(l.m).toBeGreaterThan(0);
        expect(l.m).toBeLessThan(1);
        expect(l.u).toBeGreaterThan(0);
        expect(l.u).toBeLessThan(1);
      }
      expect(c.levels.reduce((s, l) => s + l.m, 0), c.name).toBeCloseTo(1, 9);
      expect(c.levels.reduce((s, l) => s + l.u, 0), c.name).toBeCloseTo(1, 9);
      // Levels are ordered most similar first: the top level is evidence for, the last against.
      expect(c.levels[0]!.m / c.levels[0]!.u, c.name).toBeGreaterThan(1);
      expect(c.levels.at(-1)!.m / c.levels.at(-1)!.u, c.name).toBeLessThan(1);
    }
    expect(DEFAULT_THRESHOLDS.review).toBeLessThan(DEFAULT_THRESHOLDS.autoMerge);
  });
});

describe('comparison levels', () => {
  const levelsOf = (a: Partial<NormalizedIdentity>, b: Partial<NormalizedIdentity>) => scorePair(id(a), id(b)).levels;

  it('document: shared DNI or CUIT, one typo, different, missing', () => {
    expect(levelsOf({ dnis: ['30123456'] }, { dnis: ['30123456'] }).document).toBe('exact');
    expect(levelsOf({ cuits: ['30712345671'] }, { dnis: ['1234567'], cuits: ['30712345671'] }).document).toBe('exact');
    expect(levelsOf({ dnis: ['30123456', '1234567'] }, { dnis: ['1234567'] }).document).toBe('exact');
    expect(levelsOf({ dnis: ['30123456'] }, { dnis: ['30123465'] }).document).toBe('close'); // swapped digits
    expect(levelsOf({ dnis: ['30123456'] }, { dnis: ['30183456'] }).document).toBe('close'); // one digit
    expect(levelsOf({ dnis: ['30123456'] }, { dnis: ['3012346'] }).document).toBe('close'); // one missing
    // Consecutive numbers are siblings registered together, not a typo.
    expect(levelsOf({ dnis: ['30123456'] }, { dnis: ['30123457'] }).document).toBe('different');
    expect(levelsOf({ dnis: ['30123456'] }, { dnis: ['22333444'] }).document).toBe('different');
    expect(levelsOf({ dnis: ['30123456'] }, {}).document).toBe('missing');
  });

  it('names: exact, Jaro–Winkler bands, swapped first/last, spacing ignored', () => {
    expect(levelsOf({ firstName: 'martha' }, { firstName: 'martha' }).firstName).toBe('exact');
    expect(levelsOf({ firstName: 'martha' }, { firstName: 'marhta' }).firstName).toBe('close'); // 0.961
    expect(levelsOf({ firstName: 'dwayne' }, { firstName: 'duane' }).firstName).toBe('different'); // 0.84 < 0.85
  });

  it('names: thresholds 0.94 and 0.85', () => {
    // jones/johnson 0.832 → different; dixon/dicksonx 0.813 → different; gonzalez/gonzales 0.95 → close;
    // ramirez/ramires 0.943 → close; sofia/sophia 0.889 → similar.
    expect(levelsOf({ lastName: 'jones' }, { lastName: 'johnson' }).lastName).toBe('different');
    expect(levelsOf({ lastName: 'gonzalez' }, { lastName: 'gonzales' }).lastName).toBe('close');
    expect(levelsOf({ firstName: 'sofia' }, { firstName: 'sophia' }).firstName).toBe('similar');
    expect(levelsOf({ firstName: 'soph ie' }, { firstName: 'sophie' }).firstName).toBe('close');
    expect(levelsOf({ lastName: 'de la fuente' }, { lastName: 'delafuente' }).lastName).toBe('close');
    const swapped = levelsOf({ firstName: 'juan', lastName: 'perez' }, { firstName: 'perez', lastName: 'juan' });
    expect(swapped.firstName).toBe('swapped');
    expect(swapped.lastName).toBe('swapped');
    expect(levelsOf({ firstName: 'juan', lastName: null }, { firstName: 'perez', lastName: 'juan' }).firstName).toBe('different');
  });

  it('birth date: exact, day/month swapped, one digit, same year, different', () => {
    const dob = (a: string, b: string) => levelsOf({ birthDate: a }, { birthDate: b }).birthDate;
    expect(dob('1985-03-12', '1985-03-12')).toBe('exact');
    expect(dob('1985-03-12', '1985-12-03')).toBe('close');
    expect(dob('1985-03-12', '1985-03-21')).toBe('close');
    expect(dob('1985-03-12', '1986-03-12')).toBe('close');
    expect(dob('1985-03-12', '1985-07-30')).toBe('year');
    expect(dob('1985-03-12', '1960-07-30')).toBe('different');
    expect(dob('1985-03-12', null as unknown as string)).toBe('missing');
  });

  it('address parts, email and phone', () => {
    const l = levelsOf(
      { street: 'av corrientes 1234', postalCode: 'C1043AAZ', city: 'rosario', province: 'santa fe', email: 'ana@gmail.com', phone: '+5491155551234', phoneIsMobile: true },
      { street: 'av corientes 1234', postalCode: 'C1043AAX', city: 'rosarion', province: 'santa fe', email: 'ana@gmial.com', phone: '+5491155551234', phoneIsMobile: true },
    );
    expect(l).toMatchObject({ street: 'close', postalCode: 'close', city: 'close', province: 'exact', email: 'close', phone: 'exact' });
    const land = levelsOf({ phone: '+541145678901' }, { phone: '+541145678901' });
    expect(land.phone).toBe('exact_landline');
    expect(levelsOf({ street: 'mitre 100' }, { street: 'san martin 2500' }).street).toBe('different');
    expect(levelsOf({ street: 'belgrano 1500' }, { street: 'belgrano 150' }).street).toBe('close');
    expect(levelsOf({ street: 'calle 7 nro 1234' }, { street: 'calle 7 1234' }).street).toBe('similar');
  });
});

describe('default model decisions on Argentine households (why the thresholds are where they are)', () => {
  const decide = (a: NormalizedIdentity, b: NormalizedIdentity) => {
    const { probability } = scorePair(a, b);
    return probability >= DEFAULT_THRESHOLDS.autoMerge ? 'merge' : probability >= DEFAULT_THRESHOLDS.review ? 'review' : 'none';
  };

  it('merges the same person across typos, a swap of names, or a new email and phone', () => {
    expect(decide(juan, { ...juan, dnis: ['30123465'], firstName: 'jaun', street: 'av corientes 1234' })).toBe('merge');
    expect(decide(juan, atHome({ firstName: 'perez', lastName: 'juan' }))).toBe('merge');
    expect(decide(juan, { ...juan, dnis: [], email: 'jp@hotmail.com', phone: '+5491166667777' })).toBe('merge');
    expect(decide(juan, id({ firstName: 'juan', lastName: 'perez', birthDate: '1985-03-12' }))).toBe('merge');
    expect(decide(juan, id({ firstName: 'juan', lastName: 'perez', email: 'juan.perez@gmail.com' }))).toBe('merge');
  });

  it('never merges household members on the shared address alone', () => {
    // Sibling: same last name and address, different first name and birth date.
    expect(decide(juan, atHome({ firstName: 'pedro', birthDate: '1988-01-20' }))).toBe('none');
    // Spouse.
    expect(decide(juan, atHome({ firstName: 'maria', lastName: 'gomez', birthDate: '1987-07-01' }))).toBe('none');
    // Father and son with the same name: a person decides.
    expect(decide(juan, atHome({ birthDate: '2010-05-05' }))).toBe('review');
    // Twins with their own DNIs (consecutive numbers): a person decides.
    expect(decide(juan, atHome({ dnis: ['30123457'], firstName: 'martin' }))).toBe('review');
    expect(decide({ ...juan, email: null, phone: null }, atHome({ dnis: ['31987654'], firstName: 'martin' }))).toBe('review');
  });

  it('sends the same name and birth date at a different address, with nothing else shared, to review', () => {
    expect(decide(juan, atHome({ street: 'calle falsa 123', city: 'cordoba', province: 'cordoba', postalCode: 'X5000' }))).toBe('review');
  });

  it('does not merge on a shared email or phone alone, nor on a common name alone', () => {
    expect(decide(juan, id({ email: 'juan.perez@gmail.com' }))).toBe('none');
    expect(decide(juan, id({ phone: '+5491155551234', phoneIsMobile: true }))).toBe('none');
    expect(decide(juan, id({ firstName: 'juan', lastName: 'perez', city: juan.city, province: juan.province }))).toBe('none');
  });
});

describe('scorePair properties', () => {
  const pick = <T>(values: readonly T[]) => fc.constantFrom(...values);
  const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null, freq: 3 });
  const identity: fc.Arbitrary<NormalizedIdentity> = fc.record({
    dnis: fc.subarray(['30123456', '30123465', '30123457', '22333444', '3012345']),
    cuits: fc.subarray(['20301234569', '30712345671']),
    email: maybe(pick(['ana@gmail.com', 'ana@gmial.com', 'juan@hotmail.com'])),
    phone: maybe(pick(['+5491155551234', '+541145678901'])),
    phoneIsMobile: fc.boolean(),
    firstName: maybe(pick(['juan', 'jaun', 'perez', 'maria jose', 'mariajose', 'sofia', 'sophia'])),
    lastName: maybe(pick(['perez', 'peres', 'juan', 'gonzalez', 'de la fuente'])),
    birthDate: maybe(pick(['1985-03-12', '1985-12-03', '1985-03-21', '1985-07-30', '1960-01-01'])),
    street: maybe(pick(['av corrientes 1234', 'av corientes 1234', 'corrientes 1234', 'mitre 5'])),
    city: maybe(pick(['rosario', 'rosarion', 'cordoba'])),
    province: maybe(pick(['santa fe', 'cordoba'])),
    postalCode: maybe(pick(['S2000', 'S2001', 'X5000'])),
    issues: fc.constant([]),
  });

  it('is symmetric and gives a probability in [0, 1]', () => {
    fc.assert(
      fc.property(identity, identity, (a, b) => {
        const ab = scorePair(a, b);
        const ba = scorePair(b, a);
        expect(ba.levels).toEqual(ab.levels);
        expect(ba.weight).toBe(ab.weight);
        expect(ba.probability).toBe(ab.probability);
        expect(ab.probability).toBeGreaterThanOrEqual(0);
        expect(ab.probability).toBeLessThanOrEqual(1);
        expect(Number.isFinite(ab.weight)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('scoresBelow (the early-exit bound) agrees with the full score at every threshold', () => {
    fc.assert(
      fc.property(identity, identity, fc.double({ min: -40, max: 40, noNaN: true }), (a, b, minWeight) => {
        const full = scorePair(a, b).weight;
        // Summation order differs, so only a tie within rounding may disagree.
        if (Math.abs(full - minWeight) > 1e-9) expect(scoresBelow(a, b, minWeight)).toBe(full < minWeight);
      }),
      { numRuns: 5000 },
    );
    const review = probabilityToWeight(DEFAULT_THRESHOLDS.review);
    fc.assert(
      fc.property(identity, identity, (a, b) => {
        expect(scoresBelow(a, b, review)).toBe(scorePair(a, b).probability < DEFAULT_THRESHOLDS.review);
      }),
      { numRuns: 3000 },
    );
  });

  it('scores a profile against itself at least as high as against anyone else', () => {
    fc.assert(
      fc.property(identity, identity, (a, b) => {
        expect(scorePair(a, a).weight).toBeGreaterThanOrEqual(scorePair(a, b).weight - 1e-9);
      }),
      { numRuns: 1000 },
    );
  });
});
