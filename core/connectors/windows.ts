// Backfill time windows. Provider list endpoints cap how deep one query can page (VTEX: 30 pages × 100;
// MercadoLibre: offset < 10,000), so a long range is cut into windows, and a window that still holds too
// many records is halved until each fits.

/** Half-open [from, to), ISO timestamps (UTC, millisecond precision). */
export interface TimeWindow {
  from: string;
  to: string;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Consecutive windows of `stepMs` covering [from, to); the last one may be shorter. */
export function windowsByDuration(from: string, to: string, stepMs: number): TimeWindow[] {
  const start = Date.parse(from);
  const end = Date.parse(to);
  if (!(stepMs > 0) || !Number.isFinite(start) || !Number.isFinite(end)) throw new Error('windowsByDuration: invalid range or step');
  const out: TimeWindow[] = [];
  for (let t = start; t < end; t += stepMs) out.push({ from: iso(t), to: iso(Math.min(t + stepMs, end)) });
  return out;
}

/** The two halves of a window; undefined when it is down to one millisecond and cannot be split. */
export function halve(w: TimeWindow): [TimeWindow, TimeWindow] | undefined {
  const a = Date.parse(w.from);
  const b = Date.parse(w.to);
  if (b - a < 2) return undefined;
  const mid = a + Math.floor((b - a) / 2);
  return [
    { from: w.from, to: iso(mid) },
    { from: iso(mid), to: w.to },
  ];
}

/** How many equal parts a window needs so each holds at most `cap` records, if `total` are spread evenly. */
export const partsFor = (total: number, cap: number) => Math.max(1, Math.ceil(total / cap));

/** Cuts a window into n equal parts. */
export function split(w: TimeWindow, n: number): TimeWindow[] {
  const a = Date.parse(w.from);
  const b = Date.parse(w.to);
  const parts = Math.max(1, Math.min(n, b - a));
  return Array.from({ length: parts }, (_, i) => ({ from: iso(a + Math.floor(((b - a) * i) / parts)), to: iso(a + Math.floor(((b - a) * (i + 1)) / parts)) }));
}
