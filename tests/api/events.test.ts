import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/temporal.ts';
import { apiTenant, appDatabase, closeAppDatabase } from '../support/api.ts';

let t: Awaited<ReturnType<typeof apiTenant>>;
beforeAll(async () => {
  t = await apiTenant('events');
});
afterAll(closeAppDatabase);

const track = (i: number, extra: Record<string, unknown> = {}) => ({
  type: 'track',
  messageId: `m-${i}-${randomUUID()}`,
  event: 'Product Viewed',
  userId: `u-${i}`,
  properties: { sku: `SKU-${i}`, price: 1000 + i },
  timestamp: '2026-11-20T10:00:00.000Z',
  ...extra,
});

const storedEvents = async (messageIds: string[]) =>
  (
    await appDatabase().$client.query<{ n: number }>('select count(*)::int as n from events where tenant_id = $1 and message_id = any($2)', [
      t.tenant.id,
      messageIds,
    ])
  ).rows[0]!.n;

describe('POST /api/v1/events', () => {
  it('stores a batch and is idempotent on messageId', async () => {
    const batch = Array.from({ length: 25 }, (_, i) => track(i));
    const first = await t.api.post('/api/v1/events', { batch });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ received: 25, inserted: 25, duplicates: 0 });
    const retry = await t.api.post('/api/v1/events', { batch });
    expect(retry.body).toEqual({ received: 25, inserted: 0, duplicates: 25 });
    expect(await storedEvents(batch.map((m) => m.messageId))).toBe(25);
  });

  it('rejects an invalid batch whole, with per-item errors, and writes nothing', async () => {
    const batch = [track(1), { ...track(2), event: '' }, track(3), { type: 'track', messageId: 'x', event: 'E' }, { type: 'page', messageId: 'y' }];
    const res = await t.api.post('/api/v1/events', { batch });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_batch');
    expect(res.body.error.message).toMatch(/nothing was written/);
    const indexes = [...new Set(res.body.error.details.map((d: { index: number }) => d.index))].sort();
    expect(indexes).toEqual([1, 3, 4]);
    expect(res.body.error.details.find((d: { index: number }) => d.index === 1).path).toBe('event');
    expect(await storedEvents(batch.map((m) => m.messageId))).toBe(0);
  });

  it('rejects more than 1,000 messages, malformed JSON and the wrong content type', async () => {
    const big = await t.api.post('/api/v1/events', { batch: Array.from({ length: 1001 }, (_, i) => track(i)) });
    expect(big.status).toBe(400);
    expect(big.body.error.details[0]).toMatchObject({ path: 'batch' });
    const malformed = await t.api.post('/api/v1/events', '{"batch": [', {});
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('invalid_json');
    const text = await t.api.call('POST', '/api/v1/events', 'hello', { 'content-type': 'text/plain' });
    expect(text.status).toBe(415);
    expect(text.body.error.code).toBe('invalid_request');
  });

  it('answers 405 with Allow for other methods', async () => {
    const res = await t.api.get('/api/v1/events');
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
    expect(res.body.error.code).toBe('method_not_allowed');
  });

  it('turns an identify into a customer through the ingest workflow', async () => {
    const email = `lucia.${randomUUID().slice(0, 8)}@example.com`;
    const res = await t.api.post('/api/v1/events', {
      batch: [
        { type: 'identify', messageId: randomUUID(), userId: 'user-lucia', traits: { email, firstName: 'Lucía', lastName: 'Gómez', dni: '28123456' } },
        { type: 'track', messageId: randomUUID(), userId: 'user-lucia', event: 'Order Completed', properties: { total: 15000 } },
      ],
    });
    expect(res.status).toBe(200);
    const found = await eventually(async () => {
      const list = await t.api.get(`/api/v1/customers?q=${encodeURIComponent(email)}`);
      return list.body.data?.length === 1 && list.body.data[0];
    }, 30_000, 'customer from identify');
    expect(found).toMatchObject({ email, firstName: 'Lucía', lastName: 'Gómez', documentNumber: '28123456' });
    const profile = await t.api.get(`/api/v1/customers/${found.id}`);
    expect(profile.body.recentEvents.map((e: { event: string | null }) => e.event)).toContain('Order Completed');
  });
});
