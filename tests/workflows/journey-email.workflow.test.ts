// Issue 6 end to end on the real parts together: track events → the activation workflow (segment refresh, journey
// dispatch) → per-customer journey runs → the real send activity → a real SMTP server. The engine's own tests use a
// send double; these check the pieces fit, including a worker restart with real email.
import { randomUUID } from 'node:crypto';
import { WorkflowIdConflictPolicy } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMessagingActivities } from '#activities/messaging/messaging.activities.ts';
import { closeEmailTransports } from '#activities/messaging/transport.ts';
import { abandonedCartJourney } from '#core/journeys/templates.ts';
import { createTemplate } from '#db/queries/message-templates.ts';
import { putEmailSettings } from '#db/queries/messaging-settings.ts';
import { createSegment } from '#db/queries/segments.ts';
import { credentialsKeyring } from '#platform/secrets.ts';
import { activationChangesSignal, activationWorkflowId } from '#workflows/activation/activation.contract.ts';
import type { journeyRunWorkflow } from '#workflows/journeys/journey.workflow.ts';
import { journeyStateQuery, journeyWorkflowId } from '#workflows/journeys/journey.contract.ts';
import { createTestDatabase } from '../support/db.ts';
import { createCustomer, entriesOf, journeyWorker, publishJourney, trackEvent } from '../support/journey-engine.ts';
import { startSmtpSink, type SmtpSink } from '../support/smtp.ts';
import { eventually, temporalClient } from '../support/temporal.ts';
import { seedTenant } from '../support/tenants.ts';

let testDb: Awaited<ReturnType<typeof createTestDatabase>>;
let temporal: Awaited<ReturnType<typeof temporalClient>>;
let smtp: SmtpSink;
const sendMessage = () => createMessagingActivities({ db: testDb.db }).sendMessage;

beforeAll(async () => {
  testDb = await createTestDatabase();
  temporal = await temporalClient();
  smtp = await startSmtpSink();
});
afterAll(async () => {
  closeEmailTransports();
  await smtp?.close();
  await temporal?.close();
  await testDb?.drop();
});

/** A tenant whose email goes to the test SMTP server, with two templates that show the cart. */
async function emailTenant() {
  const tenantId = (await seedTenant(testDb.db, `mail-${randomUUID().slice(0, 6)}`)).tenant.id;
  await putEmailSettings(testDb.db.$client, credentialsKeyring(), tenantId, { host: smtp.host, port: smtp.port, secure: false, from: 'Tienda <news@shop.example.com>' }, null);
  const body = (title: string) =>
    `<mjml><mj-body><mj-section><mj-column><mj-text>${title} {{ customer.firstName }}</mj-text>` +
    `{% for p in event.products %}<mj-text>{{ p.name }} x{{ p.quantity }}</mj-text>{% endfor %}` +
    `<mj-button href="{{ event.cart_url }}">Volver al carrito</mj-button></mj-column></mj-section></mj-body></mjml>`;
  const t1 = await createTemplate(testDb.db.$client, tenantId, { name: 'Cart 1', channel: 'email', category: 'marketing', subject: '¿Te olvidaste algo?', body: body('Hola') });
  const t2 = await createTemplate(testDb.db.$client, tenantId, { name: 'Cart 2', channel: 'email', category: 'marketing', subject: 'Último aviso', body: body('Otra vez hola') });
  return { tenantId, t1: t1.id, t2: t2.id };
}

/** Wakes (or starts) the tenant's activation loop on the test worker's queue, as the events API does. */
async function wake(tenantId: string, taskQueue: string) {
  await temporal.client.workflow.signalWithStart('activationWorkflow', {
    workflowId: activationWorkflowId(tenantId),
    taskQueue,
    args: [{ tenantId }],
    signal: activationChangesSignal,
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
  });
}

const mailsTo = (address: string) => smtp.messages.filter((m) => m.envelope.to.includes(address));

describe('journeys with real email', () => {
  it('abandoned cart through the activation loop: the buyer gets nothing, the other exactly two emails with the cart', { timeout: 120_000 }, async () => {
    const { tenantId, t1, t2 } = await emailTenant();
    const def = abandonedCartJourney({ firstReminderTemplateId: t1, secondReminderTemplateId: t2 });
    // Short timeouts instead of 1 h and 24 h; no quiet hours so the test does not depend on the clock.
    const nodes = def.nodes.map((n) => (n.type === 'wait' ? { ...n, timeoutSeconds: 6 } : n.type === 'delay' ? { ...n, delay: { kind: 'duration' as const, seconds: 2 } } : n));
    const journeyId = await publishJourney(testDb.db, tenantId, { ...def, nodes, settings: { ...def.settings, quietHours: undefined } });
    const worker = await journeyWorker(testDb.db, temporal.client, sendMessage());
    try {
      await createCustomer(testDb.db, tenantId, { userId: 'buyer', email: 'buyer@example.com' });
      await createCustomer(testDb.db, tenantId, { userId: 'browser', email: 'browser@example.com' });
      const cart = (id: string) => ({ cart_id: id, cart_url: `https://shop.example.com/cart/${id}`, products: [{ name: 'Yerba 1 kg', price: 5200, quantity: 2 }] });
      await trackEvent(testDb.db, tenantId, 'buyer', 'Product Added', cart('c-1'));
      await trackEvent(testDb.db, tenantId, 'browser', 'Product Added', cart('c-2'));
      await wake(tenantId, worker.taskQueue);
      await eventually(async () => (await entriesOf(testDb.db, journeyId)).length === 2, 30_000, 'both carts to enter');
      await trackEvent(testDb.db, tenantId, 'buyer', 'Order Completed', { cart_id: 'c-1' });
      await wake(tenantId, worker.taskQueue);
      await eventually(async () => (await entriesOf(testDb.db, journeyId)).every((e) => e.status !== 'running'), 90_000, 'both runs to end');
    } finally {
      await worker.stop();
    }
    expect(mailsTo('buyer@example.com')).toEqual([]);
    const got = mailsTo('browser@example.com');
    expect(got.map((m) => m.parsed.subject)).toEqual(['¿Te olvidaste algo?', 'Último aviso']);
    expect(got[0]!.parsed.html).toContain('Yerba 1 kg x2');
    // The cart link is tracked: it goes through the click redirect, not straight to the shop.
    expect(got[0]!.parsed.html).not.toContain('href="https://shop.example.com/cart/c-2"');
    expect(new Set(got.map((m) => m.header('message-id'))).size).toBe(2);
  });

  it('a track event puts the customer in a segment, and the segment-entry journey emails them once', { timeout: 120_000 }, async () => {
    const { tenantId, t1 } = await emailTenant();
    const segment = await createSegment(testDb.db.$client, tenantId, { name: 'Signed up', definition: { kind: 'event', event: 'Signed Up', window: { kind: 'last_days', days: 7 } } });
    const journeyId = await publishJourney(testDb.db, tenantId, {
      nodes: [
        { id: 'entry', type: 'entry', trigger: { kind: 'segment_entered', segmentId: segment.id }, next: 'welcome' },
        { id: 'welcome', type: 'message', channel: 'email', templateId: t1, next: 'exit' },
        { id: 'exit', type: 'exit' },
      ],
    });
    const worker = await journeyWorker(testDb.db, temporal.client, sendMessage());
    try {
      await createCustomer(testDb.db, tenantId, { userId: 'new-user', email: 'new@example.com' });
      await trackEvent(testDb.db, tenantId, 'new-user', 'Signed Up');
      await wake(tenantId, worker.taskQueue);
      await eventually(async () => (await entriesOf(testDb.db, journeyId)).some((e) => e.status === 'completed'), 60_000, 'the journey to complete');
      // A second event changes nothing: already a member, no second entry.
      await trackEvent(testDb.db, tenantId, 'new-user', 'Signed Up');
      await wake(tenantId, worker.taskQueue);
      await eventually(async () => {
        const s = await temporal.client.workflow.getHandle(activationWorkflowId(tenantId)).query<{ eventsDispatched: number }>('status');
        return s.eventsDispatched >= 2;
      }, 30_000, 'the second event to be dispatched');
    } finally {
      await worker.stop();
    }
    expect(await entriesOf(testDb.db, journeyId)).toHaveLength(1);
    expect(mailsTo('new@example.com')).toHaveLength(1);
  });

  it('a worker killed in the middle of a journey: the new worker resumes, no email twice or lost', { timeout: 120_000 }, async () => {
    const { tenantId, t1, t2 } = await emailTenant();
    const journeyId = await publishJourney(testDb.db, tenantId, {
      nodes: [
        { id: 'entry', type: 'entry', trigger: { kind: 'api' }, next: 'email-1' },
        { id: 'email-1', type: 'message', channel: 'email', templateId: t1, next: 'delay' },
        { id: 'delay', type: 'delay', delay: { kind: 'duration', seconds: 3 }, next: 'email-2' },
        { id: 'email-2', type: 'message', channel: 'email', templateId: t2, next: 'exit' },
        { id: 'exit', type: 'exit' },
      ],
    });
    const c = await createCustomer(testDb.db, tenantId, { email: 'restart@example.com' });
    const first = await journeyWorker(testDb.db, temporal.client, sendMessage());
    const h = await temporal.client.workflow.start<typeof journeyRunWorkflow>('journeyRunWorkflow', {
      workflowId: journeyWorkflowId(tenantId, journeyId, c),
      taskQueue: first.taskQueue,
      args: [{ tenantId, journeyId, version: 1, customerId: c, trigger: { kind: 'api', requestId: 'restart', at: new Date().toISOString() } }],
    });
    await eventually(async () => (await h.query(journeyStateQuery)).nodeId === 'delay', 30_000, 'the run to reach the delay');
    await first.stop();
    const second = await journeyWorker(testDb.db, temporal.client, sendMessage(), first.taskQueue);
    try {
      expect(await h.result()).toMatchObject({ status: 'completed' });
    } finally {
      await second.stop();
    }
    expect(mailsTo('restart@example.com').map((m) => m.parsed.subject)).toEqual(['¿Te olvidaste algo?', 'Último aviso']);
  });
});
