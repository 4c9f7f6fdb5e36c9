import { describe, expect, it } from 'vitest';
import { timeOrderedUuid } from '#db/queries/time-ordered-id.ts';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('timeOrderedUuid', () => {
  it('is a version 7 UUID whose first 48 bits are the millisecond given', () => {
    const ms = Date.UTC(2030, 0, 1); // later than any id drawn before in this process
    const id = timeOrderedUuid(ms);
    expect(id).toMatch(V7);
    expect(parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).toBe(ms);
  });

  it('increases strictly, also for many ids in one millisecond and when the clock goes back', () => {
    const ms = Date.UTC(2031, 0, 1);
    const ids = [...Array.from({ length: 10_000 }, () => timeOrderedUuid(ms)), timeOrderedUuid(ms - 5000), timeOrderedUuid(ms + 1)];
    for (let i = 1; i < ids.length; i++) expect(ids[i]! > ids[i - 1]!, `${ids[i - 1]} < ${ids[i]}`).toBe(true);
    expect(ids.every((id) => V7.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
