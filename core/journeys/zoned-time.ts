// Wall-clock time in IANA time zones with nothing but Intl.DateTimeFormat: instant → local parts, and local wall
// time → instant with DST handled like Temporal's "compatible" disambiguation (a time skipped by a spring-forward
// gap moves forward by the gap; a repeated time takes the earlier instant).

export interface LocalDateTime {
  year: number;
  /** 1-12. */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 0 = Sunday. */
  weekday: number;
}

export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const weekdays: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
      era: 'short',
    });
    formatters.set(tz, f);
  }
  return f;
}

export function localParts(instant: Date, tz: string): LocalDateTime {
  const parts: Record<string, string> = {};
  for (const p of formatter(tz).formatToParts(instant)) parts[p.type] = p.value;
  const year = parts.era === 'BC' || parts.era === 'B' ? 1 - Number(parts.year) : Number(parts.year);
  return {
    year,
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    weekday: weekdays[parts.weekday!] ?? 0,
  };
}

/** The zone's offset from UTC at an instant, in milliseconds (whole seconds). */
export function offsetAt(instant: Date, tz: string): number {
  const p = localParts(instant, tz);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/** The instant a local wall time occurs in `tz` (see the module comment for DST gaps and overlaps). */
export function zonedInstant(local: { year: number; month: number; day: number; hour?: number; minute?: number; second?: number }, tz: string): Date {
  const wall = Date.UTC(local.year, local.month - 1, local.day, local.hour ?? 0, local.minute ?? 0, local.second ?? 0);
  // Offsets a day either side bracket any transition near this wall time.
  const before = offsetAt(new Date(wall - 86_400_000), tz);
  const after = offsetAt(new Date(wall + 86_400_000), tz);
  const candidates = [...new Set([before, after])]
    .map((o) => wall - o)
    .filter((t) => offsetAt(new Date(t), tz) === wall - t)
    .sort((a, b) => a - b);
  if (candidates.length) return new Date(candidates[0]!);
  // In a gap: read the wall time with the offset from before the transition, which lands after the gap.
  return new Date(wall - before);
}

/** The calendar date `days` after a local date. */
export function addDays(d: LocalDate, days: number): LocalDate {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day + days));
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** The date a yearly occasion (birthday, anniversary) falls on in `year`: Feb 29 is Feb 28 in common years. */
export function occurrenceIn(month: number, day: number, year: number): LocalDate {
  if (month === 2 && day === 29 && !isLeapYear(year)) return { year, month: 2, day: 28 };
  return { year, month, day };
}

export function compareDates(a: LocalDate, b: LocalDate): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

export const formatDate = (d: LocalDate): string => `${String(d.year).padStart(4, '0')}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;

/** "HH:MM" → minutes since midnight. */
export function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 60 + m!;
}
