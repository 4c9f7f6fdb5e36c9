import { describe, expect, it } from 'vitest';
import { decimalToMinor } from './orders.ts';

describe('decimalToMinor', () => {
  it.each([
    ['1234.5', 123450],
    ['1.234,50', 123450],
    ['1,234.50', 123450],
    ['$ 99,90', 9990],
    ['1.005', 101],
    ['-12.30', -1230],
    ['0', 0],
    [12.34, 1234],
  ])('%s → %s', (input, minor) => {
    expect(decimalToMinor(input)).toBe(minor);
  });

  it.each(['', 'abc', '1.2.3,4,5'])('%j is not money', (input) => {
    expect(decimalToMinor(input)).toBeUndefined();
  });
});
