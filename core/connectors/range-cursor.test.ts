import { describe, expect, it } from 'vitest';
import { beginRange, commitPage, dropPartial, isPageCommitted, markDone, mergeIntervals, remaining, type RangeCursor } from './range-cursor.ts';

const d = (day: number) => new Date(Date.UTC(2025, 0, day)).toISOString();
const w = (a: number, b: number) => ({ from: d(a), to: d(b) });

describe('range cursor', () => {
  it.each([
    [[], []],
    [[[d(1), d(3)], [d(3), d(5)]], [[d(1), d(5)]]],
    [[[d(4), d(6)], [d(1), d(2)], [d(5), d(9)]], [[d(1), d(2)], [d(4), d(9)]]],
    [[[d(2), d(2)]], []],
  ] as [string, string][][][])('mergeIntervals %#', (input, out) => {
    expect(mergeIntervals(input as [string, string][])).toEqual(out);
  });

  it('windows committed out of order settle into the watermark once the range is covered', () => {
    let c: RangeCursor = beginRange({}, d(1), d(10));
    c = commitPage(c, w(5, 10), 1, 2);
    expect(isPageCommitted(c, w(5, 10), 1)).toBe(true);
    expect(isPageCommitted(c, w(5, 10), 2)).toBe(false);
    c = commitPage(c, w(1, 5), 3, 3);
    expect(c.range!.done).toEqual([[d(1), d(5)]]);
    expect(remaining(c)).toEqual({ partial: [{ ...w(5, 10), page: 1 }], gaps: [] });
    c = commitPage(c, w(5, 10), 2, 2);
    expect(c).toEqual({ createdThrough: d(10) });
    expect(isPageCommitted(c, w(5, 10), 2)).toBe(true);
  });

  it('remaining lists the gaps around done and partial windows', () => {
    let c = beginRange({ createdThrough: d(1) }, d(1), d(20));
    c = markDone(c, [w(3, 5)]);
    c = commitPage(c, w(8, 9), 4, 10);
    expect(remaining(c)).toEqual({
      partial: [{ ...w(8, 9), page: 4 }],
      gaps: [w(1, 3), w(5, 8), w(9, 20)],
    });
    // A retried page never moves a window backwards.
    expect(remaining(commitPage(c, w(8, 9), 2, 10)).partial[0]!.page).toBe(4);
    expect(remaining(dropPartial(c, w(8, 9))).gaps).toEqual([w(1, 3), w(5, 20)]);
  });

  it('beginRange widens a range under way, never narrows it', () => {
    const c = beginRange({}, d(1), d(10));
    expect(beginRange(c, d(2), d(12)).range).toMatchObject({ from: d(1), until: d(12) });
    expect(beginRange(c, d(2), d(5)).range).toMatchObject({ from: d(1), until: d(10) });
  });

  it('an empty range settles at once', () => {
    expect(markDone(beginRange({}, d(1), d(2)), [w(1, 2)])).toEqual({ createdThrough: d(2) });
  });
});
