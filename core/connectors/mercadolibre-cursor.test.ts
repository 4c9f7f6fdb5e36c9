import { describe, expect, it } from 'vitest';
import { advance, inclusiveBounds, planOrders, progressOf, splitIfTooBig, stepBackIfShrunk, type OrdersCursor } from './mercadolibre-cursor.ts';

const DAY = 24 * 3600_000;
const now = Date.parse('2026-03-31T00:00:00.000Z');
const opts = { nowMs: now, defaultBackfillDays: 90, windowMs: 30 * DAY, overlapMs: 10 * 60_000 };

describe('MercadoLibre orders cursor', () => {
  it('plans a backfill over date_created windows on the first run', () => {
    const c = planOrders(undefined, { ...opts, backfillFrom: '2026-01-01' });
    expect(c.plan).toMatchObject({ kind: 'backfill', field: 'date_created', to: '2026-03-31T00:00:00.000Z', offset: 0, doneWindows: 0, totalWindows: 3 });
    expect(c.plan!.windows[0]).toEqual({ from: '2026-01-01T00:00:00.000Z', to: '2026-01-31T00:00:00.000Z' });
    expect(c.plan!.windows.at(-1)!.to).toBe('2026-03-31T00:00:00.000Z');
    expect(planOrders(undefined, opts).plan!.windows[0]!.from).toBe('2025-12-31T00:00:00.000Z');
  });

  it('resumes a plan in progress unchanged', () => {
    const c = planOrders(undefined, opts);
    const moved = advance(c, { received: 50, total: 120 });
    expect(planOrders(moved, { ...opts, nowMs: now + DAY })).toBe(moved);
  });

  it('plans an incremental run over date_last_updated from syncedTo minus the overlap', () => {
    const c = planOrders({ syncedTo: '2026-03-30T23:00:00.000Z' }, opts);
    expect(c.plan).toMatchObject({ kind: 'incremental', field: 'date_last_updated', totalWindows: 1 });
    expect(c.plan!.windows).toEqual([{ from: '2026-03-30T22:50:00.000Z', to: '2026-03-31T00:00:00.000Z' }]);
  });

  it('with nothing to read it is finished at once', () => {
    expect(planOrders(undefined, { ...opts, backfillFrom: '2026-04-01' })).toEqual({ syncedTo: '2026-03-31T00:00:00.000Z', lastPlan: { kind: 'backfill', totalWindows: 0 } });
  });

  it('pages through a window, then moves to the next, then finishes at the plan time', () => {
    let c: OrdersCursor = planOrders(undefined, { ...opts, backfillFrom: '2026-02-28' });
    expect(c.plan!.totalWindows).toBe(2);
    c = advance(c, { received: 50, total: 70 });
    expect(c.plan).toMatchObject({ offset: 50, lastTotal: 70, doneWindows: 0 });
    c = advance(c, { received: 20, total: 70 });
    expect(c.plan).toMatchObject({ offset: 0, doneWindows: 1 });
    expect(c.plan).not.toHaveProperty('lastTotal');
    expect(progressOf(c)).toMatchObject({ stream: 'orders', doneWindows: 1, totalWindows: 2, window: c.plan!.windows[0] });
    c = advance(c, { received: 0, total: 0 });
    expect(c).toEqual({ syncedTo: '2026-03-31T00:00:00.000Z', lastPlan: { kind: 'backfill', totalWindows: 2 } });
    expect(progressOf(c)).toEqual({ stream: 'orders', doneWindows: 2, totalWindows: 2 });
  });

  it('an empty page ends the window even if the total disagrees (no endless loop)', () => {
    const c = advance(advance(planOrders(undefined, opts), { received: 50, total: 200 }), { received: 0, total: 200 });
    expect(c.plan!.doneWindows).toBe(1);
  });

  it('splits a window that holds at least the offset cap, only before paging it', () => {
    const c = planOrders(undefined, opts);
    const s = splitIfTooBig(c, 25_000, 10_000)!;
    // 25,000 orders in parts of at most 5,000 (half the cap): 5 parts, then the 2 other windows.
    expect(s.plan!.windows).toHaveLength(5 + 2);
    expect(s.plan!.totalWindows).toBe(7);
    expect(s.plan!.windows[0]!.from).toBe(c.plan!.windows[0]!.from);
    expect(s.plan!.windows[5]!.from).toBe(c.plan!.windows[1]!.from);
    expect(s.plan!.windows[4]!.to).toBe(c.plan!.windows[0]!.to);
    expect(splitIfTooBig(c, 9_999, 10_000)).toBeUndefined();
    expect(splitIfTooBig(advance(c, { received: 50, total: 20_000 }), 20_000, 10_000)).toBeUndefined();
    const tiny = { plan: { ...c.plan!, windows: [{ from: '2026-01-01T00:00:00.000Z', to: '2026-01-01T00:00:00.001Z' }] } };
    expect(splitIfTooBig(tiny, 20_000, 10_000)).toBeUndefined();
  });

  it('steps back when the window shrank between pages, so no row is skipped', () => {
    const c = advance(advance(planOrders(undefined, opts), { received: 50, total: 160 }), { received: 50, total: 160 });
    expect(c.plan!.offset).toBe(100);
    expect(stepBackIfShrunk(c, 157)!.plan).toMatchObject({ offset: 97, lastTotal: 157 });
    expect(stepBackIfShrunk(c, 160)).toBeUndefined();
    expect(stepBackIfShrunk(c, 170)).toBeUndefined();
  });

  it('searches a half-open window with inclusive bounds', () => {
    expect(inclusiveBounds({ from: '2026-01-01T00:00:00.000Z', to: '2026-01-02T00:00:00.000Z' })).toEqual({ from: '2026-01-01T00:00:00.000Z', to: '2026-01-01T23:59:59.999Z' });
  });
});
