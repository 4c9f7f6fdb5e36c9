// The journey engine on a real Temporal server and a real database: every node type, entries through the
// dispatcher, re-entry, exit criteria, goals, holdout, quiet hours, caps, pause, a worker restart, batch entry.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SendMessageInput } from '#activities/messaging/messaging.contract.ts';
import type { JourneyDefinitionInput, ReEntry } from '#core/journeys/definition.ts';
import { assignVariant } from '#core/journeys/experiment.ts';
import { abandonedCartJourney } from '#core/journeys/templates.ts';
import { journeyDateScheduleId, upsertJourneyDateSchedule } from '#app/server/journey-dates.server.ts';
import type { journeyBatchEntryWorkflow, journeyDateEntriesWorkflow } from '#workflows/journeys/entries.workflow.ts';
import type { journeyRunWorkflow } from '#workflows/journeys/journey.workflow.ts';
import { journeyBatchProgressQuery, journeyControlSignal, journeyStateQuery, journeyWorkflowId, type JourneyRunInput } from '#workflows/journeys/journey.contract.ts';
import { createTestDatabase } from '../support/db.ts';
import { createCustomer, createSegment, entriesOf, journeyWorker, messagesOf, publishJourney, sendMessageDouble, stepsOf, trackEvent, type SendBehaviour } from '../support/journey-engine.ts';
import { eventually, temporalClient } from '../support/temporal.ts';
import { seedTenant } from '../support/tenants.ts';

let testDb: Awaited<ReturnType<typeof createTestDatabase>>;
let temporal: Awaited<ReturnType<typeof temporalClient>>;
let worker: Awaited<ReturnType<typeof journeyWorker>>;
let tenantId: string;
/** Per-customer behaviour of the send double (default: sent). */
const behaviours = new Map<string, SendBehaviour>();
let double: ReturnType<typeof sendMessageDouble>;

beforeAll(async () => {
  testDb = await createTestDatabase();
  temporal = await temporalClient();
  double = sendMessageDouble(testDb.db, (input, n) => behaviours.get(input.customerId)?.(input, n));
  worker = await journeyWorker(testDb.db, temporal.client, double.sendMessage);
  tenantId = (await seedTenant(testDb.db)).tenant.id;
});
afterAll(async () => {
  await worker?.stop();
  await temporal?.close();
  await testDb?.drop();
});

const record = async (name: string, workflowId: string) => {
  if (!process.env.RECORD_HISTORIES) return;
  const history = await temporal.client.workflow.getHandle(workflowId).fetchHistory();
  fs.writeFileSync(path.resolve(`tests/histories/${name}.json`), historyToJSON(history));
};

const TEMPLATE = '00000000-0000-4000-8000-000000000001';
const TEMPLATE_2 = '00000000-0000-4000-8000-000000000002';

/** Runs one customer through a journey directly (as the dispatcher would start it). */
async function runJourney(journeyId: string, customerId: string, trigger: JourneyRunInput['trigger'] = { kind: 'api', requestId: `r-${customerId}`, at: new Date().toISOString() }, entryKey?: string) {
  const workflowId = journeyWorkflowId(tenantId, journeyId, customerId, entryKey);
  const handle = await temporal.client.workflow.start<typeof journeyRunWorkflow>('journeyRunWorkflow', {
    workflowId,
    taskQueue: worker.taskQueue,
    args: [{ tenantId, journeyId, version: 1, customerId, entryKey, trigger }],
  });
  return handle;
}

const simple = (nodes: JourneyDefinitionInput['nodes'], settings: JourneyDefinitionInput['settings'] = {}): JourneyDefinitionInput => ({ nodes, settings });

describe('journey run workflow', () => {
  it('interprets delay, split, update profile, webhook, experiment, message and exit, recording every step', async () => {
    const received: unknown[] = [];
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push(JSON.parse(body));
        res.end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      const journeyId = await publishJourney(
        testDb.db,
        tenantId,
        simple([
          { id: 'entry', type: 'entry', trigger: { kind: 'api' }, next: 'delay' },
          { id: 'delay', type: 'delay', delay: { kind: 'duration', seconds: 1 }, next: 'split' },
          {
            id: 'split',
            type: 'split',
            branches: [{ id: 'vip', condition: { kind: 'attribute', key: 'vip', predicate: { type: 'boolean', op: 'is_true' } }, next: 'bump' }],
            elseNext: 'ab',
          },
          {
            id: 'bump',
            type: 'update_profile',
            updates: [
              { op: 'increment', attribute: 'visits', by: 2 },
              { op: 'set', attribute: 'tier', value: 'gold' },
              { op: 'unset', attribute: 'old' },
            ],
            next: 'hook',
          },
          { id: 'hook', type: 'webhook', url: `http://127.0.0.1:${port}/hook`, body: '{"id":"{{ customer.id }}","tier":"{{ customer.attributes.tier }}","cart":"{{ event.cart }}"}', next: 'email-vip' },
          { id: 'email-vip', type: 'message', channel: 'email', templateId: TEMPLATE, next: 'exit' },
          { id: 'ab', type: 'experiment', variants: [{ id: 'a', weight: 50, next: 'email-a' }, { id: 'b', weight: 50, next: 'email-b' }] },
          { id: 'email-a', type: 'message', channel: 'email', templateId: TEMPLATE, next: 'exit' },
          { id: 'email-b', type: 'message', channel: 'email', templateId: TEMPLATE_2, next: 'exit' },
          { id: 'exit', type: 'exit' },
        ]),
      );
      const vip = await createCustomer(testDb.db, tenantId, { attributes: { vip: true, visits: 1, old: 'x' } });
      const plain = await createCustomer(testDb.db, tenantId, { attributes: { vip: false } });
      const trigger = (id: string) => ({ kind: 'api' as const, requestId: `req-${id}`, at: new Date().toISOString(), properties: { cart: 'c-9' } });
      const [a, b] = await Promise.all([runJourney(journeyId, vip, trigger(vip)), runJourney(journeyId, plain, trigger(plain))]);
      expect(await a.result()).toMatchObject({ status: 'completed' });
      expect(await b.result()).toMatchObject({ status: 'completed' });

      const attrs = (await testDb.db.$client.query('select attributes from customers where id = $1', [vip])).rows[0].attributes;
      expect(attrs).toEqual({ vip: true, visits: 3, tier: 'gold' });
      expect(received).toEqual([{ id: vip, tier: 'gold', cart: 'c-9' }]);

      const entries = await entriesOf(testDb.db, journeyId);
      expect(entries.map((e) => e.status)).toEqual(['completed', 'completed']);
      const vipEntry = entries.find((e) => e.customer_id === vip)!;
      expect((await stepsOf(testDb.db, vipEntry.id)).map((s) => [s.node_id, s.port])).toEqual([
        ['entry', 'next'],
        ['delay', 'next'],
        ['split', 'vip'],
        ['bump', 'next'],
        ['hook', 'next'],
        ['email-vip', 'next'],
        ['exit', null],
      ]);
      const plainSteps = await stepsOf(testDb.db, entries.find((e) => e.customer_id === plain)!.id);
      expect(plainSteps.map((s) => s.node_id).slice(0, 3)).toEqual(['entry', 'delay', 'split']);
      expect(plainSteps[2]!.port).toBe('else');
      // Sticky assignment: the variant is the one the pure helper picks.
      const variant = assignVariant('ab', plain, [{ id: 'a', weight: 50 }, { id: 'b', weight: 50 }]);
      expect(plainSteps[3]).toMatchObject({ node_id: 'ab', port: variant.kind === 'variant' ? variant.variantId : 'holdout' });

      const msgs = await messagesOf(testDb.db, journeyId);
      expect(msgs.map((m) => [m.customer_id, m.node_id]).sort()).toEqual(
        [
          [vip, 'email-vip'],
          [plain, variant.kind === 'variant' ? `email-${variant.variantId}` : ''],
        ].sort(),
      );
      const call = double.calls.find((c) => c.customerId === vip)!;
      expect(call).toMatchObject({ channel: 'email', transactional: false, respectGlobalCaps: true, source: { kind: 'journey', journeyId, nodeId: 'email-vip', entryId: vipEntry.id } });
      expect(call.context).toMatchObject({ event: { cart: 'c-9' } });
      await record('journey-run-workflow', journeyWorkflowId(tenantId, journeyId, vip));
    } finally {
      server.close();
    }
  });

  it('a webhook is retried on 5xx; a 4xx follows onFailure', async () => {
    const hits: string[] = [];
    const server = http.createServer((req, res) => {
      hits.push(req.url!);
      const flaky = req.url === '/flaky' && hits.filter((h) => h === '/flaky').length === 1;
      res.statusCode = req.url === '/gone' ? 404 : flaky ? 503 : 200;
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const def = (url: string) =>
        simple([
          { id: 'entry', type: 'entry', trigger: { kind: 'api' }, next: 'hook' },
          { id: 'hook', type: 'webhook', url, onFailure: 'exit', next: 'exit' },
          { id: 'exit', type: 'exit' },
        ]);
      const c = await createCustomer(testDb.db, tenantId);
      const flaky = await publishJourney(testDb.db, tenantId, def(`${base}/flaky`));
      const gone = await publishJourney(testDb.db, tenantId, def(`${base}/gone`));
      expect(await (await runJourney(flaky, c)).result()).toMatchObject({ status: 'completed' });
      expect(hits.filter((h) => h === '/flaky')).toHaveLength(2);
      expect(await (await runJourney(gone, c)).result()).toMatchObject({ status: 'exited', reason: 'webhook_failed' });
      expect(hits.filter((h) => h === '/gone')).toHaveLength(1);
    } finally {
      server.close();
    }
  });

  it('takes the timeout branch of a wait, and the matching branch when a signal arrives at the node', async () => {
    const journeyId = await publishJourney(
      testDb.db,
      tenantId,
      simple([
        { id: 'entry', type: 'entry', trigger: { kind: 'api' }, next: 'wait' },
        {
          id: 'wait',
          type: 'wait',
          conditions: [
            { kind: 'event', id: 'clicked', match: { event: 'Clicked' }, next: 'exit' },
            { kind: 'segment', id: 'joined', segmentId: 'seg-x', change: 'entered', next: 'exit' },
          ],
          timeoutSeconds: 2,
          timeoutNext: 'exit',
        },
        { id: 'exit', type: 'exit' },
      ]),
    );
    const [c1, c2, c3] = await Promise.all([1, 2, 3].map(() => createCustomer(testDb.db, tenantId)));
    const [h1, h2, h3] = await Promise.all([runJourney(journeyId, c1!), runJourney(journeyId, c2!), runJourney(journeyId, c3!)]);
    await eventually(async () => (await h2.query(journeyStateQuery)).nodeId === 'wait' && (await h3.query(journeyStateQuery)).nodeId === 'wait');
    const ev = { messageId: 'click-1', event: 'Clicked', properties: {}, at: new Date().toISOString() };
    await h2.signal('journeyEvent', ev);
    await h2.signal('journeyEvent', ev); // a re-sent signal is harmless
    await h3.signal('journeySegment', { segmentId: 'seg-x', change: 'entered', seq: 7, at: new Date().toISOString() });
    await Promise.all([h1.result(), h2.result(), h3.result()]);
    const ports = async (c: string) => {
      const e = (await entriesOf(testDb.db, journeyId)).find((x) => x.customer_id === c)!;
      return (await stepsOf(testDb.db, e.id)).find((s) => s.node_id === 'wait')!.port;
    };
    expect(await ports(c1!)).toBe('timeout');
    expect(await ports(c2!)).toBe('clicked');
    expect(await ports(c3!)).toBe('joined');
  });

  it('holds out the journey control group: entry and conversion recorded, nothing sent', async () => {
    const journeyId = await publishJourney(
      testDb.db,
      tenantId,
      simple(
        [
          { id: 'entry', type: 'entry', trigger: { kind: 'api' }, next: 'email' },
          { id: 'email', type: 'message', channel: 'email', templateId: TEMPLATE, next: 'exit' },
          { id: 'exit', type: 'exit' },
        ],
        { holdoutPercent: 100, goal: { match: { kind: 'event', match: { event: 'Order Completed' } }, windowSeconds: 10, exitOnGoal: false } },
      ),
    );
    const [c1, c2] = await Promise.all([createCustomer(testDb.db, tenantId), createCustomer(testDb.db, tenantId)]);
    const [h1, h2] = await Promise.all([runJourney(journeyId, c1), runJourney(journeyId, c2)]);
    await eventually(async () => (await entriesOf(testDb.db, journeyId)).length === 2);
    await h1.signal('journeyEvent', { messageId: 'o-1', event: 'Order Completed', properties: {}, at: new Date().toISOString() });
    await Promise.all([h1.result(), h2.result()]);
    const entries = await entriesOf(testDb.db, journeyId);
    expect(entries.every((e) => e.in_holdout && e.status === 'completed' && e.exit_reason === 'holdout')).toBe(true);
    expect(entries.find((e) => e.customer_id === c1)!.converted_at).not.toBeNull();
    expect(entries.find((e) => e.customer_id === c2)!.converted_at).toBeNull();
    expect(await messagesOf(testDb.db, journeyId)).toEqual([]);
  });

  it('records a goal conversion and, with exitOnGoal, ends the run wherever it is', async () => {
    const nodes: JourneyDefinitionInput['nodes'] = [
      { id: 'entry', type: 'entry', trigger: { kind: 'api' }, next: 'delay' },
      { id: 'delay', type: 'delay', delay: { kind: 'duration', seconds: 5 }, next: 'email' },
      { id: 'email', type: 'message', channel: 'email', templateId: TEMPLATE, next: 'exit' },
      { id: 'exit', type: 'exit' },
    ];
    const goal = (exitOnGoal: boolean) => ({ goal: { match: { kind: 'event' as const, match: { event: 'Order Completed' } }, windowSeconds: 3600, exitOnGoal } });
    const keepGoing = await publishJourney(testDb.db, tenantId, simple(nodes, goal(false)));
    const stopOnGoal = await publishJourney(testDb.db, tenantId, simple(nodes, goal(true)));
    const c = await createCustomer(testDb.db, tenantId);
    const [h1, h2] = await Promise.all([runJourney(keepGoing, c), runJourney(stopOnGoal, c)]);
    await eventually(async () => (await h1.query(journeyStateQuery)).nodeId === 'delay' && (await h2.query(journeyStateQuery)).nodeId === 'delay');
    const order = { messageId: 'order-goal', event: 'Order Completed', properties: {}, at: new Date().toISOString() };
    await Promise.all([h1.signal('journeyEvent', order), h2.signal('journeyEvent', order)]);
    expect(await h1.result()).toMatchObject({ status: 'completed' });
    expect(await h2.result()).toMatchObject({ status: 'exited', reason: 'goal' });
    const [e1] = await entriesOf(testDb.db, keepGoing);
    const [e2] = await entriesOf(testDb.db, stopOnGoal);
    expect(e1!.converted_at).not.toBeNull();
    expect(e2).toMatchObject({ status: 'exited', exit_reason: 'goal' });
    expect(e2!.converted_at).not.toBeNull();
    expect((await messagesOf(testDb.db, keepGoing)).length).toBe(1);
    expect(await messagesOf(testDb.db, stopOnGoal)).toEqual([]);
  });

  it('quiet hours with skip continue without sending; transactional messages ignore them', async () => {
    const now = new Date();
    const hhmm = (d: Date) => `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
    const quietHours = { start: hhmm(new Date(now.getTime() - 3600_000)), end: hhmm(new Date(now.getTime() + 3600_000)), behavior: 'skip' as const };
    const journeyId = await publishJourney(
      testDb.db,
      tenantId,
      simple(
        [
          { id: 'entry', type: 'entry', trigger: { kind: 'api' }, next: 'promo' },
          { id: 'promo', type: 'message', channel: 'email', templateId: TEMPLATE, next: 'receipt' },
          { id: 'receipt', type: 'message', channel: 'email', templateId: TEMPLATE_2, transactional: true, next: 'exit' },
          { id: 'exit', type: 'exit' },
        ],
        { quietHours, defaultTimeZone: 'UTC' },
      ),
    );
    const c = await createCustomer(testDb.db, tenantId);
    expect(await (await runJourney(journeyId, c)).result()).toMatchObject({ status: 'completed' });
    expect((await messagesOf(testDb.db, journeyId)).map((m) => m.node_id)).toEqual(['receipt']);
    const [e] = await entriesOf(testDb.db, journeyId);
    expect((await stepsOf(testDb.db, e!.id)).find((s) => s.node_id === 'promo')!.port).toBe('next');
  });

  it('quiet hours with defer hold the send until they end in the customer time zone', { timeout: 120_000 }, async () => {
    // Quiet hours that end at the next minute boundary in the customer's zone (Asia/Kathmandu: +05:45).
    const tz = 'Asia/Kathmandu';
    const now = new Date();
    const local = (d: Date) => new Intl.DateTimeFormat('en-GB', { timeZone: tz, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(d);
    const endAt = new Date(Math.floor(now.getTime() / 60_000) * 60_000 + 60_000);
    if (endAt.getTime() - now.getTime() < 5_000) endAt.setTime(endAt.getTime() + 60_000);
    const quietHours = { start: local(new Date(now.getTime() - 3600_000)), end: local(endAt), behavior: 'defer' as const };
    const journeyId = await publishJourney(
      testDb.db,
      tenantId,
      simple(
        [
          { id: 'entry', type: 'entry', trigger: { kind: 'api' }, next: 'email' },
          { id: 'email', type: 'message', channel: 'email', templateId: TEMPLATE, next: 'exit' },
          { id: 'exit', type: 'exit' },
        ],
        { quietHours },
      ),
    );
    const c = await createCustomer(testDb.db, tenantId, { attributes: { timezone: tz } });
    const h = await runJourney(journeyId, c);
    await eventually(async () => (await h.query(journeyStateQuery)).waitingFor === 'quiet hours');
    expect(await messagesOf(testDb.db, journeyId)).toEqual([]);
    await h.result();
    const [m] = await messagesOf(testDb.db, journeyId);
    expect(m!.created_at.getTime()).toBeGreaterThanOrEqual(endAt.getTime() - 1000);
  });

  it('a frequency-capped send waits until the cap allows once, then sends; capped again, it skips', async () => {
    const journeyId = await publishJourney(
      testDb.db,
      tenantId,
      simple([
        { id: 'entry', type: 'entry', trigger: { kind: 'api' }, next: 'email' },
        { id: 'email', type: 'message', channel: 'email', templateId: TEMPLATE, next: 'exit' },
        { id: 'exit', type: 'exit' },
      ]),
    );
    const [once, always] = await Promise.all([createCustomer(testDb.db, tenantId), createCustomer(testDb.db, tenantId)]);
    const capped = () => ({ status: 'skipped' as const, reason: 'capped', retryAt: new Date(Date.now() + 1500).toISOString() });
    behaviours.set(once, (_i, n) => (n === 1 ? capped() : undefined));
    behaviours.set(always, () => capped());
    await Promise.all([(await runJourney(journeyId, once)).result(), (await runJourney(journeyId, always)).result()]);
    const msgs = await messagesOf(testDb.db, journeyId);
    const of = (c: string) => msgs.filter((m) => m.customer_id === c).map((m) => m.status);
    expect(of(once)).toEqual(['skipped', 'sent']);
    expect(of(always)).toEqual(['skipped', 'skipped']);
    const calls = double.calls.filter((x) => x.customerId === once);
    expect(new Set(calls.map((x) => x.messageId)).size).toBe(2);
  });

  it('a failed send follows onFailure: exit ends the run, continue goes on', async () => {
    const def = (onFailure: 'exit' | 'continue') =>
      simple([
        { id: 'entry', type: 'entry', trigger: { kind: 'api' }, next: 'email' },
        { id: 'email', type: 'message', channel: 'email', templateId: TEMPLATE, onFailure, next: 'email-2' },
        { id: 'email-2', type: 'message', channel: 'email', templateId: TEMPLATE_2, next: 'exit' },
        { id: 'exit', type: 'exit' },
      ]);
    const [exitJ, contJ] = [await publishJourney(testDb.db, tenantId, def('exit')), await publishJourney(testDb.db, tenantId, def('continue'))];
    const c = await createCustomer(testDb.db, tenantId);
    behaviours.set(c, (i: SendMessageInput) => (i.templateId === TEMPLATE ? { status: 'failed', reason: 'rejected' } : undefined));
    expect(await (await runJourney(exitJ, c)).result()).toMatchObject({ status: 'exited', reason: 'message_failed' });
    expect(await (await runJourney(contJ, c)).result()).toMatchObject({ status: 'completed' });
    expect((await messagesOf(testDb.db, exitJ)).map((m) => m.status)).toEqual(['failed']);
    expect((await messagesOf(testDb.db, contJ)).map((m) => m.status)).toEqual(['failed', 'sent']);
  });

  it('a paused journey holds sends until it is resumed', async () => {
    const journeyId = await publishJourney(
      testDb.db,
      tenantId,
      simple([
        { id: 'entry', type: 'entry', trigger: { kind: 'api' }, next: 'email' },
        { id: 'email', type: 'message', channel: 'email', templateId: TEMPLATE, next: 'exit' },
        { id: 'exit', type: 'exit' },
      ]),
      'paused',
    );
    const c = await createCustomer(testDb.db, tenantId);
    const h = await runJourney(journeyId, c);
    await eventually(async () => (await h.query(journeyStateQuery)).waitingFor === 'journey paused');
    expect(await messagesOf(testDb.db, journeyId)).toEqual([]);
    await testDb.db.$client.query(`update journeys set status = 'active' where id = $1`, [journeyId]);
    await h.signal(journeyControlSignal, { status: 'active' });
    expect(await h.result()).toMatchObject({ status: 'completed' });
    expect((await messagesOf(testDb.db, journeyId)).length).toBe(1);
  });

  it('survives a worker restart in the middle of a delay: resumes, nothing sent twice or lost', async () => {
    const journeyId = await publishJourney(
      testDb.db,
      tenantId,
      simple([
        { id: 'entry', type: 'entry', trigger: { kind: 'api' }, next: 'email-1' },
        { id: 'email-1', type: 'message', channel: 'email', templateId: TEMPLATE, next: 'delay' },
        { id: 'delay', type: 'delay', delay: { kind: 'duration', seconds: 3 }, next: 'email-2' },
        { id: 'email-2', type: 'message', channel: 'email', templateId: TEMPLATE_2, next: 'exit' },
        { id: 'exit', type: 'exit' },
      ]),
    );
    const c = await createCustomer(testDb.db, tenantId);
    const own = sendMessageDouble(testDb.db);
    const first = await journeyWorker(testDb.db, temporal.client, own.sendMessage);
    const h = await temporal.client.workflow.start<typeof journeyRunWorkflow>('journeyRunWorkflow', {
      workflowId: journeyWorkflowId(tenantId, journeyId, c),
      taskQueue: first.taskQueue,
      args: [{ tenantId, journeyId, version: 1, customerId: c, trigger: { kind: 'api', requestId: 'restart', at: new Date().toISOString() } }],
    });
    await eventually(async () => (await h.query(journeyStateQuery)).nodeId === 'delay');
    await first.stop();
    const second = await journeyWorker(testDb.db, temporal.client, own.sendMessage, first.taskQueue);
    try {
      expect(await h.result()).toMatchObject({ status: 'completed' });
    } finally {
      await second.stop();
    }
    expect((await messagesOf(testDb.db, journeyId)).map((m) => m.node_id)).toEqual(['email-1', 'email-2']);
    expect(own.calls.filter((x) => x.templateId === TEMPLATE).length).toBe(1);
  });
});

describe('dispatcher', () => {
  it('abandoned cart: the buyer gets no reminder, the one who does not buy gets exactly two', { timeout: 90_000 }, async () => {
    const def = abandonedCartJourney({ firstReminderTemplateId: TEMPLATE, secondReminderTemplateId: TEMPLATE_2 });
    // Short timeouts instead of 1 h and 24 h; no quiet hours so the test does not depend on the clock.
    const nodes = def.nodes.map((n) => (n.type === 'wait' ? { ...n, timeoutSeconds: 6 } : n.type === 'delay' ? { ...n, delay: { kind: 'duration' as const, seconds: 2 } } : n));
    const journeyId = await publishJourney(testDb.db, tenantId, { ...def, nodes, settings: { ...def.settings, quietHours: undefined } });
    const buyer = await createCustomer(testDb.db, tenantId, { userId: 'u-buyer' });
    const browser = await createCustomer(testDb.db, tenantId, { userId: 'u-browser' });
    await trackEvent(testDb.db, tenantId, 'u-buyer', 'Product Added', { cart_id: 'cart-1' });
    await trackEvent(testDb.db, tenantId, 'u-browser', 'Product Added', { cart_id: 'cart-2' });
    const first = await worker.journeyActivities.dispatchEvents({ tenantId, limit: 100 });
    expect(first).toMatchObject({ read: 2, started: 2, more: false });
    await eventually(async () => (await entriesOf(testDb.db, journeyId)).length === 2);
    // Purchase of another cart does not count; the same cart does.
    await trackEvent(testDb.db, tenantId, 'u-browser', 'Order Completed', { cart_id: 'cart-other' });
    await trackEvent(testDb.db, tenantId, 'u-buyer', 'Order Completed', { cart_id: 'cart-1' });
    const second = await worker.journeyActivities.dispatchEvents({ tenantId, limit: 100 });
    expect(second).toMatchObject({ read: 2, started: 0 });
    expect(second.signalled).toBeGreaterThanOrEqual(2);
    await eventually(async () => (await entriesOf(testDb.db, journeyId)).every((e) => e.status !== 'running'), 60_000, 'both runs to end');
    const msgs = await messagesOf(testDb.db, journeyId);
    expect(msgs.filter((m) => m.customer_id === buyer)).toEqual([]);
    expect(msgs.filter((m) => m.customer_id === browser).map((m) => m.node_id)).toEqual(['email-reminder-1', 'email-reminder-2']);
    const entries = await entriesOf(testDb.db, journeyId);
    expect(entries.find((e) => e.customer_id === buyer)).toMatchObject({ status: 'exited', entry_key: 'cart-1' });
    expect(entries.find((e) => e.customer_id === browser)).toMatchObject({ status: 'completed', entry_key: 'cart-2', converted_at: null });
    await record('journey-run-workflow-abandoned-cart', journeyWorkflowId(tenantId, journeyId, browser, 'cart-2'));
    await record('journey-run-workflow-exit-criteria', journeyWorkflowId(tenantId, journeyId, buyer, 'cart-1'));
    // The cursor moved: dispatching again reads nothing.
    expect(await worker.journeyActivities.dispatchEvents({ tenantId, limit: 100 })).toMatchObject({ read: 0, started: 0 });
  });

  it('re-entry: never, after exit, after a window', async () => {
    const make = (reEntry: ReEntry, event: string) =>
      publishJourney(
        testDb.db,
        tenantId,
        simple(
          [
            { id: 'entry', type: 'entry', trigger: { kind: 'event', event }, next: 'exit' },
            { id: 'exit', type: 'exit' },
          ],
          { reEntry },
        ),
      );
    const never = await make({ mode: 'never' }, 'Ping Never');
    const afterExit = await make({ mode: 'after_exit' }, 'Ping Exit');
    const afterWindow = await make({ mode: 'after_window', windowSeconds: 3600 }, 'Ping Window');
    await createCustomer(testDb.db, tenantId, { userId: 'u-reentry' });
    const round = async () => {
      for (const e of ['Ping Never', 'Ping Exit', 'Ping Window']) await trackEvent(testDb.db, tenantId, 'u-reentry', e);
      await worker.journeyActivities.dispatchEvents({ tenantId, limit: 100 });
      await eventually(async () => {
        const all = [...(await entriesOf(testDb.db, never)), ...(await entriesOf(testDb.db, afterExit)), ...(await entriesOf(testDb.db, afterWindow))];
        return all.length > 0 && all.every((x) => x.status !== 'running');
      });
    };
    await round();
    await eventually(async () => (await entriesOf(testDb.db, afterExit)).length === 1);
    await round();
    await eventually(async () => (await entriesOf(testDb.db, afterExit)).length === 2);
    expect((await entriesOf(testDb.db, never)).length).toBe(1);
    expect((await entriesOf(testDb.db, afterWindow)).length).toBe(1);
    // The window passed (backdate the entry): it may enter again.
    await testDb.db.$client.query(`update journey_entries set entered_at = entered_at - interval '2 hours' where journey_id = $1`, [afterWindow]);
    await round();
    await eventually(async () => (await entriesOf(testDb.db, afterWindow)).length === 2);
    expect((await entriesOf(testDb.db, never)).length).toBe(1);
  });

  it('segment entries start runs; a segment exit criterion ends a waiting run', async () => {
    const segment = await createSegment(testDb.db, tenantId);
    const journeyId = await publishJourney(
      testDb.db,
      tenantId,
      simple(
        [
          { id: 'entry', type: 'entry', trigger: { kind: 'segment_entered', segmentId: segment }, next: 'delay' },
          { id: 'delay', type: 'delay', delay: { kind: 'duration', seconds: 3600 }, next: 'exit' },
          { id: 'exit', type: 'exit' },
        ],
        { exitCriteria: [{ kind: 'segment_exited', segmentId: segment }] },
      ),
    );
    const c = await createCustomer(testDb.db, tenantId);
    const change = (kind: 'entered' | 'exited') => testDb.db.$client.query('insert into segment_membership_events (tenant_id, segment_id, customer_id, change) values ($1, $2, $3, $4)', [tenantId, segment, c, kind]);
    await change('entered');
    expect(await worker.journeyActivities.dispatchSegmentChanges({ tenantId, limit: 100 })).toMatchObject({ read: 1, started: 1 });
    const handle = temporal.client.workflow.getHandle(journeyWorkflowId(tenantId, journeyId, c));
    await eventually(async () => (await handle.query(journeyStateQuery)).nodeId === 'delay');
    // The "at node" step is recorded before a long wait: the canvas can count who waits there.
    const [running] = await entriesOf(testDb.db, journeyId);
    expect((await stepsOf(testDb.db, running!.id)).find((s) => s.node_id === 'delay')).toMatchObject({ port: null, left_at: null });
    await change('exited');
    expect(await worker.journeyActivities.dispatchSegmentChanges({ tenantId, limit: 100 })).toMatchObject({ read: 1, started: 0, signalled: 1 });
    expect(await handle.result()).toMatchObject({ status: 'exited', reason: 'exit_criteria' });
    expect((await entriesOf(testDb.db, journeyId))[0]).toMatchObject({ status: 'exited', exit_reason: 'exit_criteria' });
  });

  it('holds the cursor at an event whose user has no customer yet', async () => {
    const cursor = async () => (await testDb.db.$client.query(`select position from activation_cursors where tenant_id = $1 and name = 'journey-events'`, [tenantId])).rows[0]?.position;
    await worker.journeyActivities.dispatchEvents({ tenantId, limit: 100 });
    const before = await cursor();
    await trackEvent(testDb.db, tenantId, 'u-unknown', 'Anything');
    expect(await worker.journeyActivities.dispatchEvents({ tenantId, limit: 100 })).toMatchObject({ read: 0 });
    expect(await cursor()).toEqual(before);
    // Two minutes later it is skipped and counted.
    await testDb.db.$client.query(`update events set received_at = now() - interval '3 minutes' where tenant_id = $1 and user_id = 'u-unknown'`, [tenantId]);
    expect(await worker.journeyActivities.dispatchEvents({ tenantId, limit: 100 })).toMatchObject({ read: 1, started: 0 });
    expect((await cursor()).skipped).toBe((before?.skipped ?? 0) + 1);
  });
});

describe('batch entry', () => {
  it('enters a list of customers at a controlled rate across pages, with progress, skipping unknown ids', async () => {
    const journeyId = await publishJourney(
      testDb.db,
      tenantId,
      simple([
        { id: 'entry', type: 'entry', trigger: { kind: 'api' }, next: 'exit' },
        { id: 'exit', type: 'exit' },
      ]),
    );
    const ids = await Promise.all(Array.from({ length: 150 }, () => createCustomer(testDb.db, tenantId)));
    const workflowId = `journey-batch-test:${journeyId}`;
    const h = await temporal.client.workflow.start<typeof journeyBatchEntryWorkflow>('journeyBatchEntryWorkflow', {
      workflowId,
      taskQueue: worker.taskQueue,
      // 10/s → pages of 100: two pages, one continue-as-new.
      args: [{ tenantId, journeyId, batchId: 'b1', customerIds: [...ids, '00000000-0000-4000-8000-00000000dead'], ratePerSecond: 10 }],
    });
    const result = await h.result();
    expect(result).toMatchObject({ done: 151, total: 151, entered: 150, skipped: 1 });
    expect(await h.query(journeyBatchProgressQuery)).toEqual({ done: 151, total: 151 });
    await eventually(async () => (await entriesOf(testDb.db, journeyId)).filter((e) => e.status === 'completed').length === 150, 120_000);
    await record('journey-batch-entry-workflow', workflowId);
    // 150 runs at a controlled 10/s take 15 s at best; a loaded CI machine needs well over the default 60 s.
  }, 180_000);
});

describe('date-based entries', () => {
  it('enters customers whose birthday is due in their time zone, once per occurrence', async () => {
    const journeyId = await publishJourney(
      testDb.db,
      tenantId,
      simple([
        { id: 'entry', type: 'entry', trigger: { kind: 'date', date: 'birthday', localHour: 0 }, next: 'email' },
        { id: 'email', type: 'message', channel: 'email', templateId: TEMPLATE, next: 'exit' },
        { id: 'exit', type: 'exit' },
      ]),
    );
    const localDate = (tz: string, offsetDays = 0) =>
      new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(Date.now() + offsetDays * 86_400_000));
    const tz = 'America/Argentina/Buenos_Aires';
    const today = await createCustomer(testDb.db, tenantId, { birthDate: `1990${localDate(tz).slice(4)}`, attributes: { timezone: tz } });
    await createCustomer(testDb.db, tenantId, { birthDate: `1990${localDate(tz, 2).slice(4)}`, attributes: { timezone: tz } });
    const run = () =>
      temporal.client.workflow.execute<typeof journeyDateEntriesWorkflow>('journeyDateEntriesWorkflow', {
        workflowId: `journey-dates-test:${journeyId}:${Math.random()}`,
        taskQueue: worker.taskQueue,
        args: [{ tenantId }],
      });
    expect(await run()).toMatchObject({ entered: 1 });
    await eventually(async () => (await entriesOf(testDb.db, journeyId)).some((e) => e.status === 'completed'));
    // The hourly schedule runs it again: the occurrence is the entry key, so nobody enters twice.
    expect(await run()).toMatchObject({ entered: 0, skipped: 1 });
    const entries = await entriesOf(testDb.db, journeyId);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ customer_id: today, entry_key: localDate(tz) });
    expect((await messagesOf(testDb.db, journeyId)).length).toBe(1);
  });

  it('keeps one hourly schedule per tenant (created, then updated)', async () => {
    expect(await upsertJourneyDateSchedule(temporal.client, tenantId, worker.taskQueue)).toBe('created');
    expect(await upsertJourneyDateSchedule(temporal.client, tenantId, worker.taskQueue)).toBe('updated');
    const handle = temporal.client.schedule.getHandle(journeyDateScheduleId(tenantId));
    const d = await handle.describe();
    expect(d.action).toMatchObject({ workflowType: 'journeyDateEntriesWorkflow', taskQueue: worker.taskQueue });
    await handle.delete();
  });
});
