// Journey engine test helpers: customers, published journeys, a recording sendMessage double, a worker with the
// journey activities wired to the test's Temporal client and task queue.
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { inject } from 'vitest';
import { createActivities } from '#activities/index.ts';
import { createJourneyActivities } from '#activities/journeys/index.ts';
import type { SendMessageInput, SendMessageResult } from '#activities/messaging/messaging.contract.ts';
import { journeyDefinition, type JourneyDefinitionInput } from '#core/journeys/definition.ts';
import type { Db } from '#db/client.ts';
import { workflowsPath } from '#workers/bundle-workflows.ts';

export async function createCustomer(db: Db, tenantId: string, opts: { attributes?: Record<string, unknown>; email?: string; userId?: string; birthDate?: string } = {}): Promise<string> {
  const { rows } = await db.$client.query<{ id: string }>('insert into customers (tenant_id, email, attributes, birth_date) values ($1, $2, $3, $4) returning id', [
    tenantId,
    opts.email ?? `${randomUUID()}@example.com`,
    JSON.stringify(opts.attributes ?? {}),
    opts.birthDate ?? null,
  ]);
  const id = rows[0]!.id;
  // Events reach customers through the events source profile (external id = user id).
  if (opts.userId)
    await db.$client.query(`insert into source_profiles (tenant_id, source, external_id, customer_id, pending_resolution) values ($1, 'events', $2, $3, false)`, [tenantId, opts.userId, id]);
  return id;
}

/** A journey with one published version (status active unless given). */
export async function publishJourney(db: Db, tenantId: string, def: JourneyDefinitionInput, status: 'active' | 'paused' | 'archived' = 'active'): Promise<string> {
  const definition = journeyDefinition.parse(def);
  const { rows } = await db.$client.query<{ id: string }>(`insert into journeys (tenant_id, name, status, draft, latest_version) values ($1, $2, $3, $4, 1) returning id`, [
    tenantId,
    `journey ${randomUUID()}`,
    status,
    JSON.stringify(definition),
  ]);
  const id = rows[0]!.id;
  await db.$client.query('insert into journey_versions (journey_id, version, tenant_id, definition) values ($1, 1, $2, $3)', [id, tenantId, JSON.stringify(definition)]);
  return id;
}

export async function createSegment(db: Db, tenantId: string): Promise<string> {
  const { rows } = await db.$client.query<{ id: string }>(`insert into segments (tenant_id, name, definition) values ($1, $2, $3) returning id`, [
    tenantId,
    `segment ${randomUUID()}`,
    JSON.stringify({ kind: 'attribute', key: 'x', predicate: { type: 'boolean', op: 'is_true' } }),
  ]);
  return rows[0]!.id;
}

export type SendBehaviour = (input: SendMessageInput, callsForCustomer: number) => Omit<SendMessageResult, 'messageId' | 'duplicate'> | undefined;

/**
 * Stand-in for the messaging activity, so engine tests can script send outcomes (capped, failed...); the real one over
 * SMTP is exercised in tests/workflows/journey-email.workflow.test.ts. Writes the messages row idempotently on
 * the message id and records every call. `behaviour` may return skipped/failed results per call.
 */
export function sendMessageDouble(db: Db, behaviour?: SendBehaviour) {
  const calls: SendMessageInput[] = [];
  async function sendMessage(input: SendMessageInput): Promise<SendMessageResult> {
    calls.push(input);
    const n = calls.filter((c) => c.customerId === input.customerId).length;
    const r = behaviour?.(input, n) ?? { status: 'sent' as const };
    const source = input.source.kind === 'journey' ? input.source : undefined;
    const { rowCount } = await db.$client.query(
      `insert into messages (id, tenant_id, customer_id, channel, template_id, transactional, journey_id, journey_version, node_id, entry_id, status, skip_reason, sent_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, case when $11 = 'sent' then now() end)
       on conflict (id) do nothing`,
      [input.messageId, input.tenantId, input.customerId, input.channel, input.templateId, input.transactional, source?.journeyId ?? null, source?.journeyVersion ?? null, source?.nodeId ?? null, source?.entryId ?? null, r.status, r.reason ?? null],
    );
    return { messageId: input.messageId, duplicate: rowCount === 0, ...r };
  }
  return { calls, sendMessage };
}

/** A worker on a given (or new) task queue with the journey activities using this client and queue. */
export async function journeyWorker(db: Db, client: Client, sendMessage: (i: SendMessageInput) => Promise<SendMessageResult>, taskQueue = `test-${randomUUID().slice(0, 8)}`) {
  const connection = await NativeConnection.connect({ address: inject('temporalAddress') });
  const worker = await Worker.create({
    connection,
    taskQueue,
    workflowsPath,
    activities: { ...createActivities({ db }), ...createJourneyActivities({ db, temporal: async () => client, taskQueue }), sendMessage },
  });
  const running = worker.run();
  return {
    taskQueue,
    journeyActivities: createJourneyActivities({ db, temporal: async () => client, taskQueue }),
    async stop() {
      worker.shutdown();
      await running;
      await connection.close();
    },
  };
}

export async function messagesOf(db: Db, journeyId: string) {
  const { rows } = await db.$client.query<{ id: string; customer_id: string; node_id: string; status: string; skip_reason: string | null; created_at: Date }>(
    'select id, customer_id, node_id, status, skip_reason, created_at from messages where journey_id = $1 order by created_at',
    [journeyId],
  );
  return rows;
}

export async function entriesOf(db: Db, journeyId: string) {
  const { rows } = await db.$client.query<{ id: string; customer_id: string; status: string; exit_reason: string | null; in_holdout: boolean; converted_at: Date | null; entry_key: string; ended_at: Date | null }>(
    'select id, customer_id, status, exit_reason, in_holdout, converted_at, entry_key, ended_at from journey_entries where journey_id = $1 order by entered_at',
    [journeyId],
  );
  return rows;
}

export async function stepsOf(db: Db, entryId: string) {
  const { rows } = await db.$client.query<{ step_index: number; node_id: string; port: string | null; left_at: Date | null }>(
    'select step_index, node_id, port, left_at from journey_steps where entry_id = $1 order by step_index',
    [entryId],
  );
  return rows;
}

let seq = 0;
/** A track event from user `userId`, as the events API stores it. */
export async function trackEvent(db: Db, tenantId: string, userId: string, event: string, properties: Record<string, unknown> = {}) {
  const messageId = `m-${Date.now()}-${seq++}-${randomUUID().slice(0, 6)}`;
  await db.$client.query(`insert into events (tenant_id, message_id, type, event, user_id, properties, timestamp) values ($1, $2, 'track', $3, $4, $5, now())`, [
    tenantId,
    messageId,
    event,
    userId,
    JSON.stringify(properties),
  ]);
  return messageId;
}
