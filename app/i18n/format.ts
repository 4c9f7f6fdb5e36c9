// Dates and money rendered the same on server and browser: the time zone is always explicit,
// otherwise server (UTC) and browser (local) would disagree and break hydration.
import type { Locale } from './locale.ts';

export interface FormatOptions {
  locale: Locale;
  timeZone: string;
}

export function formatDateTime(value: string | Date, { locale, timeZone }: FormatOptions): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(new Date(value));
}

/** Calendar dates without a time (e.g. birth dates, "1990-04-02") are not shifted by time zones. */
export function formatCalendarDate(isoDate: string, { locale }: Pick<FormatOptions, 'locale'>): string {
  const date = new Date(`${isoDate.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return isoDate;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(date);
}

/** Money is stored as integer minor units (cents). */
export function formatMoney(minor: number, currency: string, { locale }: Pick<FormatOptions, 'locale'>): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(minor / 100);
}

export function formatNumber(value: number, { locale }: Pick<FormatOptions, 'locale'>): string {
  return new Intl.NumberFormat(locale).format(value);
}

/** A probability as a percentage, truncated (not rounded) to 0.1 so that 0.9996 never reads as a certain 100 %. */
export function formatPercent(probability: number, { locale }: Pick<FormatOptions, 'locale'>): string {
  const truncated = Math.floor(probability * 1000 + 1e-9) / 1000;
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(truncated);
}
