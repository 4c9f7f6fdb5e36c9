// The durable cursor of a time-windowed stream (VTEX orders): which parts of the range being synced are
// committed, so a run that crashed, failed or continued-as-new resumes exactly where its commits got to.
// Windows are fetched concurrently, so "done" is a set of intervals (merged, hence small) plus the pages
// committed of windows under way. Every function returns a new cursor: the caller stores it in the page's
// transaction.
import type { TimeWindow } from './windows.ts';

export interface PartialWindow extends TimeWindow {
  /** Pages committed so far, 1..page (pages of a window are fetched in order). */
  page: number;
}

export interface RangeCursor {
  /** Everything created before this instant is stored: the next run starts here (minus an overlap). */
  createdThrough?: string;
  /** The range being synced, while one is under way. */
  range?: {
    from: string;
    until: string;
    /** Fully committed windows, merged into sorted, disjoint [from, to) intervals. */
    done: [string, string][];
    partial: PartialWindow[];
  };
}

const ms = Date.parse;
const iso = (t: number) => new Date(t).toISOString();

/** Sorted, merged intervals (touching ones join). */
export function mergeIntervals(xs: readonly [string, string][]): [string, string][] {
  const sorted = xs.map(([a, b]) => [ms(a), ms(b)] as [number, number]).filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0]);
  const out: [number, number][] = [];
  for (const [a, b] of sorted) {
    const last = out[out.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out.map(([a, b]) => [iso(a), iso(b)]);
}

const sameWindow = (a: TimeWindow, b: TimeWindow) => ms(a.from) === ms(b.from) && ms(a.to) === ms(b.to);

/** Starts (or widens to `until`) the range being synced. */
export function beginRange(c: RangeCursor, from: string, until: string): RangeCursor {
  if (c.range) return { ...c, range: { ...c.range, until: ms(until) > ms(c.range.until) ? until : c.range.until } };
  return { ...c, range: { from, until, done: [], partial: [] } };
}

/** True when that page of that window is already committed (a retried activity whose completion was lost). */
export function isPageCommitted(c: RangeCursor, w: TimeWindow, page: number): boolean {
  if (!c.range) return c.createdThrough !== undefined && ms(w.to) <= ms(c.createdThrough);
  if (c.range.done.some(([a, b]) => ms(a) <= ms(w.from) && ms(w.to) <= ms(b))) return true;
  return c.range.partial.some((p) => sameWindow(p, w) && p.page >= page);
}

/** Range complete: only the watermark remains. */
function settle(c: RangeCursor): RangeCursor {
  const r = c.range;
  if (!r || r.partial.length) return c;
  const [first] = r.done;
  if (r.done.length === 1 && first && ms(first[0]) <= ms(r.from) && ms(first[1]) >= ms(r.until)) return { createdThrough: r.until };
  return c;
}

/** Marks intervals with nothing in them (or nothing left to fetch) as done. */
export function markDone(c: RangeCursor, windows: readonly TimeWindow[]): RangeCursor {
  if (!c.range) return c;
  const done = mergeIntervals([...c.range.done, ...windows.map((w) => [w.from, w.to] as [string, string])]);
  return settle({ ...c, range: { ...c.range, done, partial: c.range.partial.filter((p) => !windows.some((w) => sameWindow(w, p))) } });
}

/** Records page `page` of `pages` of window `w` as committed. */
export function commitPage(c: RangeCursor, w: TimeWindow, page: number, pages: number): RangeCursor {
  if (!c.range) return c;
  if (page >= pages) return markDone(c, [w]);
  const partial = c.range.partial.filter((p) => !sameWindow(p, w));
  const prev = c.range.partial.find((p) => sameWindow(p, w));
  partial.push({ from: w.from, to: w.to, page: Math.max(page, prev?.page ?? 0) });
  return { ...c, range: { ...c.range, partial } };
}

/** Forgets a window's partial progress (it is being split and refetched as smaller windows). */
export function dropPartial(c: RangeCursor, w: TimeWindow): RangeCursor {
  if (!c.range) return c;
  return { ...c, range: { ...c.range, partial: c.range.partial.filter((p) => !sameWindow(p, w)) } };
}

/** What is left of the range: windows under way (resuming after their last committed page) and uncovered gaps. */
export function remaining(c: RangeCursor): { partial: PartialWindow[]; gaps: TimeWindow[] } {
  const r = c.range;
  if (!r) return { partial: [], gaps: [] };
  const covered = mergeIntervals([...r.done, ...r.partial.map((p) => [p.from, p.to] as [string, string])]);
  const gaps: TimeWindow[] = [];
  let at = ms(r.from);
  for (const [a, b] of covered) {
    if (ms(a) > at) gaps.push({ from: iso(at), to: iso(Math.min(ms(a), ms(r.until))) });
    at = Math.max(at, ms(b));
    if (at >= ms(r.until)) break;
  }
  if (at < ms(r.until)) gaps.push({ from: iso(at), to: r.until });
  return { partial: r.partial.map((p) => ({ ...p })), gaps: gaps.filter((g) => ms(g.to) > ms(g.from)) };
}
