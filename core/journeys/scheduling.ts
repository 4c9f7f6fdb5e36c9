// Pure time decisions the journey interpreter and the send activity take: quiet hours, frequency caps, re-entry,
// delays and date-based entries. Time is always an argument; time zones go through Intl (zoned-time.ts).
import { parseDateString } from '../segments/semantics.ts';
import type { Channel, DelaySpec, QuietHours, ReEntry } from './definition.ts';
import { addDays, compareDates, formatDate, type LocalDate, localParts, minutesOf, occurrenceIn, zonedInstant } from './zoned-time.ts';

export type QuietHoursDecision = { action: 'send' } | { action: 'defer'; until: Date } | { action: 'skip' };

/**
 * Whether a message may go now in the customer's time zone. Quiet hours are [start, end) in local time and may wrap
 * midnight (22:00–08:00). Deferred messages go when quiet hours end (DST-aware; an end skipped by a gap moves later).
 */
export function quietHoursDecision(now: Date, tz: string, quiet: QuietHours | undefined): QuietHoursDecision {
  if (!quiet) return { action: 'send' };
  const local = localParts(now, tz);
  const m = local.hour * 60 + local.minute;
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  const overnight = start > end;
  const inside = overnight ? m >= start || m < end : m >= start && m < end;
  if (!inside) return { action: 'send' };
  if (quiet.behavior === 'skip') return { action: 'skip' };
  const today: LocalDate = { year: local.year, month: local.month, day: local.day };
  const endDay = overnight && m >= start ? addDays(today, 1) : today;
  return { action: 'defer', until: zonedInstant({ ...endDay, hour: Math.floor(end / 60), minute: end % 60 }, tz) };
}

export interface PastSend {
  at: Date;
  channel: Channel | string;
  /** Transactional sends never count toward caps. */
  transactional?: boolean;
}

export interface FrequencyCap {
  /** A channel, or every channel. */
  channel: Channel | 'any';
  max: number;
  windowSeconds: number;
}

export type FrequencyCapDecision = { allowed: true } | { allowed: false; cap: FrequencyCap; retryAt: Date };

/**
 * Whether one more marketing message on `message.channel` (every cap when no message is given) fits the caps across
 * all journeys: sends in (now − window, now] count. When blocked, retryAt is when enough sends leave the window.
 * A transactional message is always allowed.
 */
export function frequencyCapDecision(pastSends: readonly PastSend[], caps: readonly FrequencyCap[], now: Date, message?: { channel: Channel; transactional?: boolean }): FrequencyCapDecision {
  if (message?.transactional) return { allowed: true };
  let worst: { cap: FrequencyCap; retryAt: Date } | undefined;
  for (const cap of caps) {
    if (message && cap.channel !== 'any' && cap.channel !== message.channel) continue;
    const from = now.getTime() - cap.windowSeconds * 1000;
    const inWindow = pastSends
      .filter((s) => !s.transactional && (cap.channel === 'any' || s.channel === cap.channel) && s.at.getTime() > from && s.at.getTime() <= now.getTime())
      .map((s) => s.at.getTime())
      .sort((a, b) => a - b);
    if (inWindow.length < cap.max) continue;
    // The send that must age out for the count to drop below max.
    const retryAt = new Date(inWindow[inWindow.length - cap.max]! + cap.windowSeconds * 1000);
    if (!worst || retryAt > worst.retryAt) worst = { cap, retryAt };
  }
  return worst ? { allowed: false, ...worst } : { allowed: true };
}

export interface JourneyRun {
  enteredAt: Date;
  /** Null while the customer is still in the journey. */
  exitedAt: Date | null;
}

export type ReEntryDecision = { allowed: true } | { allowed: false; reason: 'in_journey' | 'never' | 'window'; retryAt?: Date };

/**
 * Whether a customer (or, for keyed journeys, a customer + key) may enter again, given their previous runs of this
 * journey. Never more than one run at a time; after_window counts from the last entry.
 */
export function reEntryAllowed(history: readonly JourneyRun[], settings: ReEntry, now: Date): ReEntryDecision {
  if (history.length === 0) return { allowed: true };
  if (history.some((r) => r.exitedAt === null)) return { allowed: false, reason: 'in_journey' };
  switch (settings.mode) {
    case 'never':
      return { allowed: false, reason: 'never' };
    case 'after_exit':
      return { allowed: true };
    case 'after_window': {
      const last = Math.max(...history.map((r) => r.enteredAt.getTime()));
      const retryAt = last + settings.windowSeconds * 1000;
      return now.getTime() >= retryAt ? { allowed: true } : { allowed: false, reason: 'window', retryAt: new Date(retryAt) };
    }
  }
}

export interface DelayContext {
  now: Date;
  /** The customer's time zone (or the journey's default). */
  tz: string;
  /** YYYY-MM-DD. */
  birthDate?: string | null;
  attributes?: Record<string, unknown> | null;
}

export type DelayResult = { kind: 'until'; at: Date } | { kind: 'missing'; ifMissing: 'continue' | 'exit' };

/**
 * When a delay node releases the customer. An instant at or before now means "go on at once" (a date already past).
 * local_time: the next occurrence at or after now of hh:mm on an allowed weekday.
 */
export function nextDelayUntil(delay: DelaySpec, ctx: DelayContext): DelayResult {
  const { now, tz } = ctx;
  switch (delay.kind) {
    case 'duration':
      return { kind: 'until', at: new Date(now.getTime() + delay.seconds * 1000) };
    case 'local_time': {
      const local = localParts(now, tz);
      const today: LocalDate = { year: local.year, month: local.month, day: local.day };
      for (let i = 0; i <= 7; i++) {
        const day = addDays(today, i);
        const at = zonedInstant({ ...day, hour: delay.hour, minute: delay.minute }, tz);
        const weekday = new Date(Date.UTC(day.year, day.month - 1, day.day)).getUTCDay();
        if (at.getTime() >= now.getTime() && (!delay.weekdays || delay.weekdays.includes(weekday))) return { kind: 'until', at };
      }
      throw new Error('unreachable: some day within 8 matches');
    }
    case 'until_date': {
      const raw = delay.source.kind === 'birthDate' ? ctx.birthDate : ctx.attributes?.[delay.source.key];
      const missing: DelayResult = { kind: 'missing', ifMissing: delay.ifMissing };
      if (typeof raw !== 'string') return missing;
      const parsed = parseDateString(raw);
      if (!parsed) return missing;
      const offset = delay.offsetSeconds * 1000;
      const dateOnly = raw.length === 10;
      const dateAt = (d: LocalDate) => zonedInstant({ ...d, hour: delay.hour, minute: delay.minute }, tz).getTime() + offset;
      if (!delay.annual) return { kind: 'until', at: new Date(dateOnly ? dateAt({ year: parsed.getUTCFullYear(), month: parsed.getUTCMonth() + 1, day: parsed.getUTCDate() }) : parsed.getTime() + offset) };
      // Yearly: the first occurrence (this year or later, Feb 29 → Feb 28) whose offset instant is not past.
      const month = Number(raw.slice(5, 7));
      const day = Number(raw.slice(8, 10));
      const startYear = localParts(now, tz).year - 1;
      for (let y = startYear; y <= startYear + 3; y++) {
        const at = dateAt(occurrenceIn(month, day, y));
        if (at >= now.getTime()) return { kind: 'until', at: new Date(at) };
      }
      throw new Error('unreachable: an occurrence within 4 years is in the future');
    }
  }
}

export type DateEntryDecision = { due: true; occurrence: string; at: Date } | { due: false; next: Date };

/**
 * For date-based entries (birthday, anniversaries), checked by a dispatcher at any moment: due from the local hour on
 * the local occurrence date until that local day ends. `occurrence` (YYYY-MM-DD of this year's date) is the entry key,
 * so repeated checks enter once per year. Otherwise `next` is when the next occurrence becomes due.
 * Feb 29 dates fall on Feb 28 in common years.
 */
export function birthdayEntryDue(birthDate: string, tz: string, localHour: number, now: Date, localMinute = 0): DateEntryDecision {
  const month = Number(birthDate.slice(5, 7));
  const day = Number(birthDate.slice(8, 10));
  if (!/^\d{4}-\d{2}-\d{2}$/.test(birthDate) || !(month >= 1 && month <= 12 && day >= 1 && day <= 31)) throw new Error(`invalid date ${birthDate}`);
  const local = localParts(now, tz);
  const today: LocalDate = { year: local.year, month: local.month, day: local.day };
  const thisYear = occurrenceIn(month, day, local.year);
  const at = zonedInstant({ ...thisYear, hour: localHour, minute: localMinute }, tz);
  if (compareDates(thisYear, today) === 0 && now.getTime() >= at.getTime()) return { due: true, occurrence: formatDate(thisYear), at };
  const nextDate = compareDates(thisYear, today) > 0 || (compareDates(thisYear, today) === 0 && now.getTime() < at.getTime()) ? thisYear : occurrenceIn(month, day, local.year + 1);
  return { due: false, next: zonedInstant({ ...nextDate, hour: localHour, minute: localMinute }, tz) };
}
