import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { delaySpec, quietHours } from './definition.ts';
import { birthdayEntryDue, type FrequencyCap, frequencyCapDecision, nextDelayUntil, quietHoursDecision, reEntryAllowed } from './scheduling.ts';
import { localParts } from './zoned-time.ts';

const BA = 'America/Argentina/Buenos_Aires';
const NY = 'America/New_York';
const at = (iso: string) => new Date(iso);

describe('quietHoursDecision', () => {
  const overnight = quietHours.parse({ start: '22:00', end: '08:00' });
  const table: [string, string, string, unknown][] = [
    ['daytime in Buenos Aires', '2026-12-03T15:00:00Z', BA, { action: 'send' }],
    ['just before start', '2026-12-04T00:59:00Z', BA, { action: 'send' }],
    ['at start, before midnight', '2026-12-04T01:00:00Z', BA, { action: 'defer', until: at('2026-12-04T11:00:00Z') }],
    ['after midnight', '2026-12-04T05:00:00Z', BA, { action: 'defer', until: at('2026-12-04T11:00:00Z') }],
    ['at end', '2026-12-04T11:00:00Z', BA, { action: 'send' }],
    // New York springs forward on 2026-03-08: the night before is one hour shorter.
    ['across spring-forward', '2026-03-08T04:00:00Z', NY, { action: 'defer', until: at('2026-03-08T12:00:00Z') }],
    ['across fall-back', '2026-11-01T04:00:00Z', NY, { action: 'defer', until: at('2026-11-01T13:00:00Z') }],
  ];
  it.each(table)('%s', (_n, now, tz, expected) => {
    expect(quietHoursDecision(at(now), tz, overnight)).toEqual(expected);
  });

  it('handles same-day windows, skipping and no quiet hours', () => {
    const lunch = quietHours.parse({ start: '12:00', end: '14:00', behavior: 'skip' });
    expect(quietHoursDecision(at('2026-12-03T16:00:00Z'), BA, lunch)).toEqual({ action: 'skip' });
    expect(quietHoursDecision(at('2026-12-03T17:00:00Z'), BA, lunch)).toEqual({ action: 'send' });
    expect(quietHoursDecision(at('2026-12-03T16:00:00Z'), BA, undefined)).toEqual({ action: 'send' });
    expect(quietHours.safeParse({ start: '10:00', end: '10:00' }).success).toBe(false);
  });

  it('always defers to a local time outside quiet hours, in the future', () => {
    fc.assert(
      fc.property(fc.date({ min: at('2020-01-01T00:00:00Z'), max: at('2035-01-01T00:00:00Z'), noInvalidDate: true }), fc.constantFrom(BA, NY, 'Europe/London', 'Asia/Kolkata'), (now, tz) => {
        const d = quietHoursDecision(now, tz, overnight);
        if (d.action !== 'defer') return;
        expect(d.until.getTime()).toBeGreaterThan(now.getTime());
        expect(d.until.getTime() - now.getTime()).toBeLessThanOrEqual(11 * 3600_000);
        expect(quietHoursDecision(d.until, tz, overnight)).toEqual({ action: 'send' });
        expect(localParts(d.until, tz)).toMatchObject({ hour: 8, minute: 0 });
      }),
    );
  });
});

describe('frequencyCapDecision', () => {
  const now = at('2026-12-10T12:00:00Z');
  const day = 86_400_000;
  const caps: FrequencyCap[] = [
    { channel: 'email', max: 3, windowSeconds: 7 * 86_400 },
    { channel: 'any', max: 5, windowSeconds: 86_400 },
  ];
  const email = (daysAgo: number, transactional = false) => ({ at: new Date(now.getTime() - daysAgo * day), channel: 'email', transactional });

  it('allows under the cap and ignores transactional sends and sends outside the window', () => {
    expect(frequencyCapDecision([email(1), email(2), email(1, true), email(8)], caps, now, { channel: 'email' })).toEqual({ allowed: true });
  });

  it('blocks at the cap and says when the oldest counted send ages out', () => {
    const d = frequencyCapDecision([email(1), email(2), email(6)], caps, now, { channel: 'email' });
    expect(d).toEqual({ allowed: false, cap: caps[0], retryAt: new Date(now.getTime() + day) });
  });

  it('applies channel caps only to their channel, "any" caps to all', () => {
    const sms = Array.from({ length: 5 }, (_, i) => ({ at: new Date(now.getTime() - (i + 1) * 3600_000), channel: 'sms' }));
    expect(frequencyCapDecision([email(1), email(2), email(3)], caps, now, { channel: 'sms' })).toEqual({ allowed: true });
    expect(frequencyCapDecision(sms, caps, now, { channel: 'email' })).toMatchObject({ allowed: false, cap: caps[1], retryAt: new Date(now.getTime() - 5 * 3600_000 + day) });
  });

  it('lets transactional messages through any cap', () => {
    expect(frequencyCapDecision([email(1), email(2), email(3)], caps, now, { channel: 'email', transactional: true })).toEqual({ allowed: true });
  });

  it('retryAt really is the first moment the send fits', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 10 * 24 }), { maxLength: 12 }), (hoursAgo) => {
        const sends = hoursAgo.map((h) => ({ at: new Date(now.getTime() - h * 3600_000), channel: 'email' }));
        const d = frequencyCapDecision(sends, caps, now, { channel: 'email' });
        if (d.allowed) return;
        expect(frequencyCapDecision(sends, caps, d.retryAt, { channel: 'email' }).allowed).toBe(true);
        expect(frequencyCapDecision(sends, caps, new Date(d.retryAt.getTime() - 1), { channel: 'email' }).allowed).toBe(false);
      }),
    );
  });
});

describe('reEntryAllowed', () => {
  const now = at('2026-12-10T12:00:00Z');
  const run = (enteredDaysAgo: number, exitedDaysAgo: number | null) => ({
    enteredAt: new Date(now.getTime() - enteredDaysAgo * 86_400_000),
    exitedAt: exitedDaysAgo === null ? null : new Date(now.getTime() - exitedDaysAgo * 86_400_000),
  });
  const table: [string, Parameters<typeof reEntryAllowed>[0], Parameters<typeof reEntryAllowed>[1], unknown][] = [
    ['first entry', [], { mode: 'never' }, { allowed: true }],
    ['never again', [run(30, 29)], { mode: 'never' }, { allowed: false, reason: 'never' }],
    ['still inside', [run(1, null)], { mode: 'after_exit' }, { allowed: false, reason: 'in_journey' }],
    ['after exit', [run(2, 1)], { mode: 'after_exit' }, { allowed: true }],
    ['window passed', [run(40, 39), run(31, 30)], { mode: 'after_window', windowSeconds: 30 * 86_400 }, { allowed: true }],
    ['window not passed', [run(40, 39), run(10, 9)], { mode: 'after_window', windowSeconds: 30 * 86_400 }, { allowed: false, reason: 'window', retryAt: new Date(now.getTime() + 20 * 86_400_000) }],
    ['window but still inside', [run(60, null)], { mode: 'after_window', windowSeconds: 30 * 86_400 }, { allowed: false, reason: 'in_journey' }],
  ];
  it.each(table)('%s', (_n, history, settings, expected) => {
    expect(reEntryAllowed(history, settings, now)).toEqual(expected);
  });
});

describe('nextDelayUntil', () => {
  const now = at('2026-12-03T15:30:00Z'); // Thursday 12:30 in Buenos Aires
  const delay = (d: unknown) => delaySpec.parse(d);

  it('waits a duration', () => {
    expect(nextDelayUntil(delay({ kind: 'duration', seconds: 3600 }), { now, tz: BA })).toEqual({ kind: 'until', at: at('2026-12-03T16:30:00Z') });
  });

  const local: [string, unknown, string][] = [
    ['later today', { kind: 'local_time', hour: 18 }, '2026-12-03T21:00:00Z'],
    ['tomorrow when already past', { kind: 'local_time', hour: 9 }, '2026-12-04T12:00:00Z'],
    ['exactly now', { kind: 'local_time', hour: 12, minute: 30 }, '2026-12-03T15:30:00Z'],
    ['next Monday', { kind: 'local_time', hour: 9, weekdays: [1] }, '2026-12-07T12:00:00Z'],
    ['today is allowed', { kind: 'local_time', hour: 20, weekdays: [4, 5] }, '2026-12-03T23:00:00Z'],
  ];
  it.each(local)('local time: %s', (_n, d, expected) => {
    expect(nextDelayUntil(delay(d), { now, tz: BA })).toEqual({ kind: 'until', at: at(expected) });
  });

  it('local time in a DST gap moves forward', () => {
    // 02:30 does not exist in New York on 2026-03-08.
    expect(nextDelayUntil(delay({ kind: 'local_time', hour: 2, minute: 30 }), { now: at('2026-03-08T05:00:00Z'), tz: NY })).toEqual({ kind: 'until', at: at('2026-03-08T07:30:00Z') });
  });

  it('until a date property ± offset, at a local hour for dates without time', () => {
    const attrs = { renewalDate: '2026-12-20', trialEndsAt: '2026-12-05T18:00:00Z', junk: 'soon' };
    expect(nextDelayUntil(delay({ kind: 'until_date', source: { kind: 'attribute', key: 'renewalDate' }, offsetSeconds: -3 * 86_400 }), { now, tz: BA, attributes: attrs })).toEqual({ kind: 'until', at: at('2026-12-17T12:00:00Z') });
    expect(nextDelayUntil(delay({ kind: 'until_date', source: { kind: 'attribute', key: 'trialEndsAt' }, offsetSeconds: -3600 }), { now, tz: BA, attributes: attrs })).toEqual({ kind: 'until', at: at('2026-12-05T17:00:00Z') });
    expect(nextDelayUntil(delay({ kind: 'until_date', source: { kind: 'attribute', key: 'junk' } }), { now, tz: BA, attributes: attrs })).toEqual({ kind: 'missing', ifMissing: 'continue' });
    expect(nextDelayUntil(delay({ kind: 'until_date', source: { kind: 'birthDate' }, ifMissing: 'exit' }), { now, tz: BA })).toEqual({ kind: 'missing', ifMissing: 'exit' });
  });

  it('until the next yearly occurrence (3 days before a birthday)', () => {
    const d = delay({ kind: 'until_date', source: { kind: 'birthDate' }, offsetSeconds: -3 * 86_400, annual: true, hour: 10 });
    expect(nextDelayUntil(d, { now, tz: BA, birthDate: '1990-12-25' })).toEqual({ kind: 'until', at: at('2026-12-22T13:00:00Z') });
    // Already past this year → next year.
    expect(nextDelayUntil(d, { now, tz: BA, birthDate: '1990-12-04' })).toEqual({ kind: 'until', at: at('2027-12-01T13:00:00Z') });
    // Feb 29 in a common year falls on Feb 28.
    expect(nextDelayUntil(d, { now, tz: BA, birthDate: '2000-02-29' })).toEqual({ kind: 'until', at: at('2027-02-25T13:00:00Z') });
  });
});

describe('birthdayEntryDue', () => {
  const table: [string, string, string, string, unknown][] = [
    ['birthday after the hour', '1990-12-03', BA, '2026-12-03T13:00:00Z', { due: true, occurrence: '2026-12-03', at: at('2026-12-03T12:00:00Z') }],
    ['birthday before the hour', '1990-12-03', BA, '2026-12-03T11:00:00Z', { due: false, next: at('2026-12-03T12:00:00Z') }],
    ['birthday last local minute', '1990-12-03', BA, '2026-12-04T02:59:00Z', { due: true, occurrence: '2026-12-03', at: at('2026-12-03T12:00:00Z') }],
    ['day after (local)', '1990-12-03', BA, '2026-12-04T03:00:00Z', { due: false, next: at('2027-12-03T12:00:00Z') }],
    ['later this year', '1990-12-25', BA, '2026-12-03T13:00:00Z', { due: false, next: at('2026-12-25T12:00:00Z') }],
    ['UTC date differs from local date', '1990-12-04', 'Asia/Tokyo', '2026-12-03T16:00:00Z', { due: false, next: at('2026-12-04T00:00:00Z') }],
    ['Feb 29 on Feb 28 in a common year', '2000-02-29', BA, '2027-02-28T13:00:00Z', { due: true, occurrence: '2027-02-28', at: at('2027-02-28T12:00:00Z') }],
    ['Feb 29 on Feb 29 in a leap year', '2000-02-29', BA, '2028-02-28T13:00:00Z', { due: false, next: at('2028-02-29T12:00:00Z') }],
  ];
  it.each(table)('%s', (_n, birth, tz, now, expected) => {
    expect(birthdayEntryDue(birth, tz, 9, at(now))).toEqual(expected);
  });

  it('rejects malformed dates', () => {
    expect(() => birthdayEntryDue('03/12/1990', BA, 9, at('2026-12-03T13:00:00Z'))).toThrow();
  });
});
