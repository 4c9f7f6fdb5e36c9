import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { localParts, occurrenceIn, offsetAt, zonedInstant } from './zoned-time.ts';

const zones = ['UTC', 'America/Argentina/Buenos_Aires', 'America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kolkata', 'Pacific/Chatham'];

describe('zoned time', () => {
  const table: [string, string, Partial<ReturnType<typeof localParts>>][] = [
    ['2026-12-03T12:00:00Z', 'America/Argentina/Buenos_Aires', { year: 2026, month: 12, day: 3, hour: 9, minute: 0, weekday: 4 }],
    ['2026-03-08T06:59:59Z', 'America/New_York', { hour: 1, minute: 59, second: 59 }],
    ['2026-03-08T07:00:00Z', 'America/New_York', { hour: 3, minute: 0 }],
    ['2026-12-31T23:30:00Z', 'Asia/Kolkata', { year: 2027, month: 1, day: 1, hour: 5, minute: 0 }],
  ];
  it.each(table)('%s in %s', (iso, tz, expected) => {
    expect(localParts(new Date(iso), tz)).toMatchObject(expected);
  });

  it('resolves wall times, moving a DST gap forward and taking the earlier of a repeated hour', () => {
    expect(zonedInstant({ year: 2026, month: 12, day: 3, hour: 9 }, 'America/Argentina/Buenos_Aires').toISOString()).toBe('2026-12-03T12:00:00.000Z');
    // New York springs forward at 02:00 → 03:00 on 2026-03-08: 02:30 does not exist, it becomes 03:30 EDT.
    expect(zonedInstant({ year: 2026, month: 3, day: 8, hour: 2, minute: 30 }, 'America/New_York').toISOString()).toBe('2026-03-08T07:30:00.000Z');
    // It falls back at 02:00 → 01:00 on 2026-11-01: 01:30 happens twice; the first (EDT) wins.
    expect(zonedInstant({ year: 2026, month: 11, day: 1, hour: 1, minute: 30 }, 'America/New_York').toISOString()).toBe('2026-11-01T05:30:00.000Z');
    expect(offsetAt(new Date('2026-07-01T00:00:00Z'), 'Europe/London')).toBe(3600_000);
  });

  it('round-trips every instant through its local wall time (up to the repeated hour)', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2060-01-01T00:00:00Z'), noInvalidDate: true }), fc.constantFrom(...zones), (d, tz) => {
        const t = new Date(Math.floor(d.getTime() / 1000) * 1000);
        const back = zonedInstant(localParts(t, tz), tz);
        // Same wall time, and either the same instant or the earlier twin of a repeated hour.
        expect(localParts(back, tz)).toEqual(localParts(t, tz));
        expect(back.getTime()).toBeLessThanOrEqual(t.getTime());
        expect(t.getTime() - back.getTime()).toBeLessThanOrEqual(3 * 3600_000);
      }),
    );
  });

  it('puts Feb 29 on Feb 28 in common years', () => {
    expect(occurrenceIn(2, 29, 2027)).toEqual({ year: 2027, month: 2, day: 28 });
    expect(occurrenceIn(2, 29, 2028)).toEqual({ year: 2028, month: 2, day: 29 });
    expect(occurrenceIn(2, 29, 2100)).toEqual({ year: 2100, month: 2, day: 28 });
    expect(occurrenceIn(3, 1, 2027)).toEqual({ year: 2027, month: 3, day: 1 });
  });
});
