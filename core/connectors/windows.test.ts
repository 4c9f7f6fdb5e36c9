import { describe, expect, it } from 'vitest';
import { halve, partsFor, split, windowsByDuration } from './windows.ts';

describe('backfill windows', () => {
  it('cover the range without gaps or overlap', () => {
    const ws = windowsByDuration('2024-01-01T00:00:00.000Z', '2024-01-03T12:00:00.000Z', 24 * 3600_000);
    expect(ws).toEqual([
      { from: '2024-01-01T00:00:00.000Z', to: '2024-01-02T00:00:00.000Z' },
      { from: '2024-01-02T00:00:00.000Z', to: '2024-01-03T00:00:00.000Z' },
      { from: '2024-01-03T00:00:00.000Z', to: '2024-01-03T12:00:00.000Z' },
    ]);
    const parts = split({ from: '2024-01-01T00:00:00.000Z', to: '2024-01-01T00:00:01.000Z' }, 3);
    expect(parts).toHaveLength(3);
    for (let i = 1; i < parts.length; i++) expect(parts[i]!.from).toBe(parts[i - 1]!.to);
    expect(parts.at(-1)!.to).toBe('2024-01-01T00:00:01.000Z');
  });

  it('halve down to a millisecond, then stop', () => {
    expect(halve({ from: '2024-01-01T00:00:00.000Z', to: '2024-01-01T00:00:00.002Z' })).toEqual([
      { from: '2024-01-01T00:00:00.000Z', to: '2024-01-01T00:00:00.001Z' },
      { from: '2024-01-01T00:00:00.001Z', to: '2024-01-01T00:00:00.002Z' },
    ]);
    expect(halve({ from: '2024-01-01T00:00:00.000Z', to: '2024-01-01T00:00:00.001Z' })).toBeUndefined();
    expect(partsFor(3001, 3000)).toBe(2);
    expect(partsFor(0, 3000)).toBe(1);
  });
});
