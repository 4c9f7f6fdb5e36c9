// Where a MercadoLibre connection's order sync has got to, and how it moves. Pure: the clock comes in as an argument.
//
// The cursor (sync_cursors, stream "orders") holds either a finished position (`syncedTo`: every order created or
// changed before it is stored) or a plan in progress: date windows still to read and the offset inside the first.
// The plan is written before the first page and advanced in the transaction of each page, so a crashed or
// retried run resumes exactly where the last committed page left it.
import type { SyncProgress } from './types.ts';
import { partsFor, split, windowsByDuration, type TimeWindow } from './windows.ts';

export const ORDERS_STREAM = 'orders';

/** Which date the search filters on: creation for the backfill, last update afterwards (status changes too). */
export type OrdersDateField = 'date_created' | 'date_last_updated';

export interface OrdersPlan {
  kind: 'backfill' | 'incremental';
  field: OrdersDateField;
  /** When the plan was made: becomes `syncedTo` once every window is read. */
  to: string;
  /** Windows still to read; the first is the current one. */
  windows: TimeWindow[];
  /** Offset of the next page inside the current window. */
  offset: number;
  /** paging.total of the current window at the last page read (a shrinking total means rows moved out). */
  lastTotal?: number;
  doneWindows: number;
  totalWindows: number;
}

export interface OrdersCursor {
  syncedTo?: string;
  plan?: OrdersPlan;
  /** The plan that finished last (its progress stays visible after the run). */
  lastPlan?: { kind: OrdersPlan['kind']; totalWindows: number };
}

export interface PlanOptions {
  nowMs: number;
  /** config.backfillFrom; default: `defaultBackfillDays` before now. */
  backfillFrom?: string;
  defaultBackfillDays: number;
  /** Initial window length; windows holding too many orders are split further when read. */
  windowMs: number;
  /** Incremental runs start this long before `syncedTo`: late writes on ML's side, clock skew. */
  overlapMs: number;
}

const DAY = 24 * 3600_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** The cursor with a plan: the one in progress (resumed as is), a backfill on first run, else an incremental run. */
export function planOrders(cursor: OrdersCursor | undefined, o: PlanOptions): OrdersCursor {
  if (cursor?.plan) return cursor;
  const to = iso(o.nowMs);
  const incremental = cursor?.syncedTo !== undefined;
  const fromMs = incremental
    ? Date.parse(cursor!.syncedTo!) - o.overlapMs
    : o.backfillFrom !== undefined
      ? Date.parse(o.backfillFrom)
      : o.nowMs - o.defaultBackfillDays * DAY;
  const windows = fromMs < o.nowMs ? windowsByDuration(iso(fromMs), to, o.windowMs) : [];
  const plan: OrdersPlan = {
    kind: incremental ? 'incremental' : 'backfill',
    field: incremental ? 'date_last_updated' : 'date_created',
    to,
    windows,
    offset: 0,
    doneWindows: 0,
    totalWindows: windows.length,
  };
  return windows.length ? { ...cursor, plan } : { syncedTo: to, lastPlan: { kind: plan.kind, totalWindows: 0 } };
}

export function progressOf(cursor: OrdersCursor): SyncProgress {
  const p = cursor.plan;
  if (!p) {
    const n = cursor.lastPlan?.totalWindows ?? 0;
    return { stream: ORDERS_STREAM, doneWindows: n, totalWindows: n };
  }
  return { stream: ORDERS_STREAM, doneWindows: p.doneWindows, totalWindows: p.totalWindows, ...(p.windows[0] ? { window: p.windows[0] } : {}) };
}

/**
 * After a page of `received` results out of `total` in the current window: the next offset, or the next window,
 * or (all windows read) the finished position.
 */
export function advance(cursor: OrdersCursor, page: { received: number; total: number }): OrdersCursor {
  const p = cursor.plan!;
  const nextOffset = p.offset + page.received;
  if (page.received > 0 && nextOffset < page.total) return { ...cursor, plan: { ...p, offset: nextOffset, lastTotal: page.total } };
  return nextWindow(cursor);
}

/** Drops the current window (read, or given up on). */
export function nextWindow(cursor: OrdersCursor): OrdersCursor {
  const p = cursor.plan!;
  const windows = p.windows.slice(1);
  if (!windows.length) return { syncedTo: p.to, lastPlan: { kind: p.kind, totalWindows: p.totalWindows } };
  const { lastTotal: _drop, ...rest } = p;
  return { ...cursor, plan: { ...rest, windows, offset: 0, doneWindows: p.doneWindows + 1 } };
}

/**
 * Splits the current window when it holds at least `maxOffset` orders (ML rejects offsets ≥ 10,000): into parts of
 * about half the cap each, so unevenly spread orders rarely need a second split. Undefined when no split is
 * needed or the window is down to a millisecond.
 */
export function splitIfTooBig(cursor: OrdersCursor, total: number, maxOffset: number): OrdersCursor | undefined {
  const p = cursor.plan!;
  if (p.offset !== 0 || total < maxOffset) return undefined;
  const parts = split(p.windows[0]!, partsFor(total, Math.max(1, Math.floor(maxOffset / 2))));
  if (parts.length < 2) return undefined;
  return { ...cursor, plan: { ...p, windows: [...parts, ...p.windows.slice(1)], totalWindows: p.totalWindows + parts.length - 1 } };
}

/**
 * Offset paging over a changing result set: when the window's total shrank since the last page (orders changed
 * again and left an incremental window), later rows moved toward the start; stepping back by the shrinkage
 * re-reads a few rows (idempotent) instead of skipping any. Undefined when nothing shrank.
 */
export function stepBackIfShrunk(cursor: OrdersCursor, total: number): OrdersCursor | undefined {
  const p = cursor.plan!;
  if (p.lastTotal === undefined || total >= p.lastTotal || p.offset === 0) return undefined;
  return { ...cursor, plan: { ...p, offset: Math.max(0, p.offset - (p.lastTotal - total)), lastTotal: total } };
}

/** The search's inclusive bounds for a half-open window [from, to). */
export const inclusiveBounds = (w: TimeWindow) => ({ from: w.from, to: iso(Date.parse(w.to) - 1) });
