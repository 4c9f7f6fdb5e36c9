import { describe, expect, it } from 'vitest';
import { normalizeDecimal, parseCurrency, parseDate, parseDateTime, parseDecimal, parseMoney } from './values.ts';

const value = <T>(r: { ok: true; value: T } | { ok: false; reason: string }) => (r.ok ? r.value : `ERR ${r.reason}`);

describe('amounts', () => {
  it.each([
    ['1.234,50', 'comma', 123450],
    ['$ 1.234,50', 'comma', 123450],
    ['1234,5', 'comma', 123450],
    ['1.234', 'comma', 123400],
    ['1.234.567,89', 'comma', 123456789],
    ['-15,00', 'comma', -1500],
    ['(1.000,00)', 'comma', -100000],
    ['ARS 99,999', 'comma', 10000],
    ['1,234.50', 'dot', 123450],
    ['1234.5', 'dot', 123450],
    ['USD 10', 'dot', 1000],
    ['1.234,50', 'auto', 123450],
    ['1,234.50', 'auto', 123450],
    ['12,5', 'auto', 1250],
    ['0', 'auto', 0],
  ] as const)('%s (%s) → %d centavos', (input, style, minor) => {
    expect(value(parseMoney(input, style))).toBe(minor);
  });

  it.each([
    ['1234.56', 'comma', 'ambiguous'],
    ['12.5', 'comma', 'ambiguous'],
    ['1,5', 'dot', 'ambiguous'],
    ['1,2,3', 'comma', 'more than one decimal separator'],
    ['abc', 'comma', 'not a number'],
    ['', 'comma', 'not a number'],
    ['12,', 'comma', 'ends in a decimal separator'],
  ] as const)('rejects %j (%s): %s', (input, style, reason) => {
    expect(value(parseMoney(input, style))).toContain(reason);
  });

  it('reads JSON numbers as major units without float error', () => {
    expect(value(parseMoney(1.005, 'comma'))).toBe(101);
    expect(value(parseMoney(1234.5, 'auto'))).toBe(123450);
    expect(value(parseMoney(true, 'auto'))).toContain('not an amount');
  });

  it('normalizes decimals for quantities', () => {
    expect(value(parseDecimal('1,5', 'comma'))).toBe(1.5);
    expect(value(parseDecimal('2', 'comma'))).toBe(2);
    expect(value(parseDecimal(3, 'comma'))).toBe(3);
    expect(value(normalizeDecimal('+1.000,25', 'comma'))).toBe('1000.25');
  });
});

describe('dates', () => {
  it.each([
    ['31/12/1985', '1985-12-31'],
    ['1/2/1990', '1990-02-01'],
    ['29-02-2000', '2000-02-29'],
    ['05.06.2001', '2001-06-05'],
    ['1985-12-31', '1985-12-31'],
    ['1985-12-31T00:00:00Z', '1985-12-31'],
  ])('birth date %s → %s', (input, iso) => {
    expect(value(parseDate(input))).toBe(iso);
  });

  it.each([
    ['31/02/1990', 'not a valid date'],
    ['29/02/1900', 'not a valid date'],
    ['13/13/2000', 'not a valid date'],
    ['1/2/90', 'four digits'],
    ['mañana', 'not a date'],
  ])('rejects birth date %s (%s)', (input, reason) => {
    expect(value(parseDate(input))).toContain(reason);
  });

  it.each([
    ['31/01/2024', '2024-01-31T03:00:00.000Z'],
    ['31/01/2024 14:30', '2024-01-31T17:30:00.000Z'],
    ['31/01/2024 14:30:15 hs', '2024-01-31T17:30:15.000Z'],
    ['2024-01-31 14:30', '2024-01-31T17:30:00.000Z'],
    ['2024-01-31T14:30:00-03:00', '2024-01-31T17:30:00.000Z'],
    ['2024-01-31T14:30:00Z', '2024-01-31T14:30:00.000Z'],
    ['2024-01-31T14:30:00.250+0100', '2024-01-31T13:30:00.250Z'],
  ])('order date %s in Buenos Aires → %s', (input, iso) => {
    expect(value(parseDateTime(input, 'America/Argentina/Buenos_Aires'))).toBe(iso);
  });

  it('reads wall times in the given zone, across a DST change', () => {
    expect(value(parseDateTime('2024-07-01 12:00', 'Europe/Madrid'))).toBe('2024-07-01T10:00:00.000Z');
    expect(value(parseDateTime('2024-01-01 12:00', 'Europe/Madrid'))).toBe('2024-01-01T11:00:00.000Z');
    expect(value(parseDateTime('2024-01-01 25:00', 'UTC'))).toContain('invalid time');
  });
});

describe('currencies', () => {
  it.each([
    ['ars', 'ARS'],
    ['$', 'ARS'],
    ['U$S', 'USD'],
    [' usd ', 'USD'],
  ])('%j → %s', (input, code) => {
    expect(value(parseCurrency(input))).toBe(code);
  });
  it('rejects what is not a code', () => {
    expect(value(parseCurrency('pesitos'))).toContain('not a currency');
  });
});
