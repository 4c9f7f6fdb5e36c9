import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareMatchKeys, matchKeys } from './keys.ts';
import { MATCH_RULES, type MatchKey, type MatchRule, type NormalizedIdentity } from './types.ts';

const identity = (fields: Partial<NormalizedIdentity> = {}): NormalizedIdentity => ({
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
  ...fields,
});

const full = identity({
  dnis: ['32659430', '12345678'],
  cuits: ['27326594305'],
  email: 'ana@example.com',
  phone: '+5491155551234',
  phoneIsMobile: true,
  lastName: 'perez garcia',
});

const doc = (value: string): MatchKey => ({ rule: 'document', value });

describe('matchKeys', () => {
  it.each<[string, NormalizedIdentity, readonly MatchRule[], MatchKey[]]>([
    [
      'all rules, sorted by rule then value',
      full,
      MATCH_RULES,
      [
        doc('cuit:27326594305'),
        doc('dni:12345678'),
        doc('dni:32659430'),
        { rule: 'email', value: 'email:ana@example.com' },
        { rule: 'phone_last_name', value: 'phone:+5491155551234|perez garcia' },
      ],
    ],
    ['no rules → no keys', full, [], []],
    ['document only', full, ['document'], [doc('cuit:27326594305'), doc('dni:12345678'), doc('dni:32659430')]],
    ['email only', full, ['email'], [{ rule: 'email', value: 'email:ana@example.com' }]],
    ['phone_last_name only', full, ['phone_last_name'], [{ rule: 'phone_last_name', value: 'phone:+5491155551234|perez garcia' }]],
    ['rule order in the argument does not matter', full, ['phone_last_name', 'email'], [
      { rule: 'email', value: 'email:ana@example.com' },
      { rule: 'phone_last_name', value: 'phone:+5491155551234|perez garcia' },
    ]],
    ['repeated rules and values give one key each', identity({ dnis: ['12345678', '12345678'], cuits: ['20123456786', '20123456786'] }), ['document', 'document'], [
      doc('cuit:20123456786'),
      doc('dni:12345678'),
    ]],
    ['company CUIT: cuit key, no dni key', identity({ cuits: ['33693450239'] }), MATCH_RULES, [doc('cuit:33693450239')]],
    ['a fixed line gives no phone key', identity({ phone: '+541143215678', phoneIsMobile: false, lastName: 'perez' }), MATCH_RULES, []],
    ['a mobile without last name gives no phone key', identity({ phone: '+5491155551234', phoneIsMobile: true }), MATCH_RULES, []],
    ['a last name without phone gives no phone key', identity({ phoneIsMobile: true, lastName: 'perez' }), MATCH_RULES, []],
    ['empty identity → no keys', identity(), MATCH_RULES, []],
    ['empty strings are not values', identity({ dnis: [''], cuits: [''], email: '', phone: '', phoneIsMobile: true, lastName: '' }), MATCH_RULES, []],
  ])('%s', (_name, n, rules, expected) => {
    expect(matchKeys(n, rules)).toEqual(expected);
  });

  it('output is sorted and unique for any identity and any rules (property)', () => {
    const digits = (min: number, max: number) => fc.stringMatching(new RegExp(`^\\d{${min},${max}}$`));
    const arbIdentity = fc.record({
      dnis: fc.array(fc.oneof(digits(7, 8), fc.string()), { maxLength: 4 }),
      cuits: fc.array(fc.oneof(digits(11, 11), fc.string()), { maxLength: 3 }),
      email: fc.option(fc.oneof(fc.emailAddress(), fc.string())),
      phone: fc.option(fc.oneof(fc.constantFrom('+5491155551234', '+541143215678'), fc.string())),
      phoneIsMobile: fc.boolean(),
      lastName: fc.option(fc.string()),
    });
    const arbRules = fc.array(fc.constantFrom(...MATCH_RULES), { maxLength: 5 });
    fc.assert(
      fc.property(arbIdentity, arbRules, (fields, rules) => {
        const keys = matchKeys(identity(fields), rules);
        for (let i = 1; i < keys.length; i++) expect(compareMatchKeys(keys[i - 1] as MatchKey, keys[i] as MatchKey)).toBeLessThan(0);
        expect(new Set(keys.map((k) => `${k.rule} ${k.value}`)).size).toBe(keys.length);
        for (const k of keys) expect(rules).toContain(k.rule);
        // Deterministic: the same input, in any rule order, gives the same keys.
        expect(matchKeys(identity(fields), [...rules].reverse())).toEqual(keys);
      }),
      { numRuns: 500 },
    );
  });
});

describe('compareMatchKeys', () => {
  it.each<[MatchKey, MatchKey, number]>([
    [doc('dni:1'), doc('dni:1'), 0],
    [doc('cuit:2'), doc('dni:1'), -1],
    [{ rule: 'email', value: 'email:a' }, doc('dni:1'), 1],
    [doc('dni:10000000'), doc('dni:9000000'), -1], // code-unit order, not numeric
  ])('%j vs %j → %i', (a, b, sign) => {
    expect(Math.sign(compareMatchKeys(a, b))).toBe(sign);
  });
});
