import { describe, expect, it } from 'vitest';
import { UserError } from '../errors.ts';
import { eventBatch, MAX_EVENTS_PER_BATCH } from './events.ts';
import { parseBatch } from './validation.ts';

const track = (i: number, extra: Record<string, unknown> = {}) => ({
  type: 'track',
  messageId: `m-${i}`,
  userId: `u-${i}`,
  event: 'Order Completed',
  properties: { total: 10 * i },
  ...extra,
});

const identify = (i: number, extra: Record<string, unknown> = {}) => ({
  type: 'identify',
  messageId: `id-${i}`,
  anonymousId: `anon-${i}`,
  traits: { email: `p${i}@example.com` },
  ...extra,
});

/** The UserError parseBatch throws for `body`; fails the test if it does not throw one. */
function batchError(body: unknown): UserError {
  try {
    parseBatch(eventBatch, body, 'batch', 'events');
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return err as UserError;
  }
  throw new Error('parseBatch accepted an invalid batch');
}

describe('eventBatch', () => {
  it('accepts a batch of track messages and keeps their fields', () => {
    const body = {
      batch: [
        track(1, { timestamp: '2024-03-01T12:00:00.000Z', context: { ip: '1.2.3.4' } }),
        track(2, { anonymousId: 'a-2', userId: undefined, timestamp: '2024-03-01T09:00:00-03:00' }),
      ],
    };
    const parsed = eventBatch.parse(body);
    expect(parsed.batch).toHaveLength(2);
    const [first, second] = parsed.batch;
    expect(first).toMatchObject({ type: 'track', event: 'Order Completed', userId: 'u-1', properties: { total: 10 }, context: { ip: '1.2.3.4' } });
    expect(second).toMatchObject({ type: 'track', anonymousId: 'a-2', timestamp: '2024-03-01T09:00:00-03:00' });
  });

  it('accepts a batch of identify messages (userId or anonymousId alone is enough)', () => {
    const parsed = eventBatch.parse({ batch: [identify(1), identify(2, { userId: 'u-2', anonymousId: undefined }), identify(3, { traits: undefined })] });
    expect(parsed.batch.map((m) => m.type)).toEqual(['identify', 'identify', 'identify']);
    expect(parsed.batch[0]).toMatchObject({ anonymousId: 'anon-1', traits: { email: 'p1@example.com' } });
    expect(parsed.batch[1]).toMatchObject({ userId: 'u-2' });
  });

  it('trims ids', () => {
    const parsed = eventBatch.parse({ batch: [track(1, { messageId: '  m-1  ', userId: ' u-1 ' })] });
    expect(parsed.batch[0]).toMatchObject({ messageId: 'm-1', userId: 'u-1' });
  });

  it('rejects a message with neither userId nor anonymousId', () => {
    const r = eventBatch.safeParse({ batch: [track(0, { userId: undefined })] });
    expect(r.success).toBe(false);
    expect(r.error!.issues).toEqual([expect.objectContaining({ path: ['batch', 0, 'userId'], message: 'Either userId or anonymousId is required' })]);
    // blank ids count as missing
    expect(eventBatch.safeParse({ batch: [identify(0, { anonymousId: '   ' })] }).success).toBe(false);
  });

  it('rejects a track message without an event name', () => {
    const missing = eventBatch.safeParse({ batch: [track(0, { event: undefined })] });
    expect(missing.success).toBe(false);
    expect(missing.error!.issues.map((i) => i.path)).toContainEqual(['batch', 0, 'event']);
    expect(eventBatch.safeParse({ batch: [track(0, { event: '  ' })] }).success).toBe(false);
  });

  it('rejects unknown message types and a missing messageId', () => {
    expect(eventBatch.safeParse({ batch: [track(0, { type: 'page' })] }).success).toBe(false);
    expect(eventBatch.safeParse({ batch: [track(0, { messageId: undefined })] }).success).toBe(false);
  });

  it('accepts exactly the maximum batch size and rejects one more, and rejects an empty batch', () => {
    const full = Array.from({ length: MAX_EVENTS_PER_BATCH }, (_, i) => track(i));
    expect(MAX_EVENTS_PER_BATCH).toBe(1000);
    expect(eventBatch.safeParse({ batch: full }).success).toBe(true);
    const over = eventBatch.safeParse({ batch: [...full, track(MAX_EVENTS_PER_BATCH)] });
    expect(over.success).toBe(false);
    expect(over.error!.issues).toEqual([expect.objectContaining({ path: ['batch'], code: 'too_big' })]);
    expect(eventBatch.safeParse({ batch: [] }).success).toBe(false);
  });

  it.each(['yesterday', '2024-03-01', '2024-13-01T00:00:00Z', '2024-02-30T00:00:00Z', '2024-03-01T25:00:00Z', '2024-03-01 12:00:00Z', ''])(
    'rejects the invalid timestamp %j',
    (timestamp) => {
      for (const field of ['timestamp', 'originalTimestamp', 'sentAt']) {
        const r = eventBatch.safeParse({ batch: [track(0, { [field]: timestamp })] });
        expect(r.success, `${field}=${timestamp}`).toBe(false);
        expect(r.error!.issues.map((i) => i.path)).toContainEqual(['batch', 0, field]);
      }
    },
  );

  it('accepts timestamps with Z, an offset and fractional seconds', () => {
    for (const timestamp of ['2024-03-01T12:00:00Z', '2024-03-01T12:00:00.123456Z', '2024-03-01T12:00:00-03:00', '2024-02-29T23:59:59+05:30'])
      expect(eventBatch.safeParse({ batch: [track(0, { timestamp })] }).success, timestamp).toBe(true);
  });
});

describe('parseBatch(eventBatch)', () => {
  it('returns the parsed batch when every message is valid', () => {
    const out = parseBatch(eventBatch, { batch: [track(1), identify(2)] }, 'batch', 'events');
    expect(out.batch.map((m) => m.messageId)).toEqual(['m-1', 'id-2']);
  });

  it('throws one invalid_batch UserError listing each bad item with its index and path', () => {
    const batch = Array.from({ length: 10 }, (_, i) => track(i));
    batch[3] = track(3, { userId: undefined }); // no identity
    batch[7] = track(7, { timestamp: 'not a date' });
    const err = batchError({ batch });
    expect(err.code).toBe('invalid_batch');
    expect(err.status).toBe(400);
    expect(err.message).toBe('2 events in the batch are invalid; nothing was written.');
    expect(err.details).toEqual([
      { index: 3, path: 'userId', message: 'Either userId or anonymousId is required' },
      { index: 7, path: 'timestamp', message: expect.any(String) },
    ]);
  });

  it('reports nested paths inside an item and counts an item with several problems once', () => {
    const batch = [track(0), identify(1, { traits: 'not an object', sentAt: 'soon' }), track(2, { event: '' })];
    const err = batchError({ batch });
    expect(err.message).toMatch(/^2 events in the batch are invalid/);
    const byIndex = (i: number) => err.details!.filter((d) => d.index === i).map((d) => d.path).sort();
    expect(byIndex(0)).toEqual([]);
    expect(byIndex(1)).toEqual(['sentAt', 'traits']);
    expect(byIndex(2)).toEqual(['event']);
  });

  it('reports body-level problems without an index', () => {
    const tooMany = batchError({ batch: Array.from({ length: MAX_EVENTS_PER_BATCH + 1 }, (_, i) => track(i)) });
    expect(tooMany.code).toBe('invalid_batch');
    expect(tooMany.message).toBe('The request body is invalid; nothing was written.');
    expect(tooMany.details).toEqual([{ path: 'batch', message: expect.any(String) }]);

    const notAnObject = batchError([track(1)]);
    expect(notAnObject.details).toEqual([{ path: '', message: expect.any(String) }]);

    const noBatch = batchError({ events: [] });
    expect(noBatch.details).toEqual([{ path: 'batch', message: expect.any(String) }]);
  });
});
