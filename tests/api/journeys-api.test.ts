// The journeys API against the running app: CRUD and drafts (any JSON shape stored, validation reported at nodes),
// ready-made journeys (with their Spanish email templates and segments), publish into immutable versions with stable
// node ids, status transitions, the batch entry of current segment members, and analytics from seeded rows.
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { journeyBatchWorkflowId } from '#workflows/journeys/journey.contract.ts';
import { TASK_QUEUES } from '#workflows/shared/task-queues.ts';
import { apiClient, apiTenant, appDatabase, closeAppDatabase } from '../support/api.ts';

let t: Awaited<ReturnType<typeof apiTenant>>;
let other: Awaited<ReturnType<typeof apiTenant>>;
let temporal: { client: Client; connection: Connection };

beforeAll(async () => {
  [t, other] = await Promise.all([apiTenant('journeys'), apiTenant('journeys-other')]);
  const connection = await Connection.connect({ address: inject('temporalAddress') });
  temporal = { connection, client: new Client({ connection }) };
});

afterAll(async () => {
  await temporal?.connection.close();
  await closeAppDatabase();
});

const patch = (path: string, body: unknown) => t.api.call('PATCH', path, body);
const del = (path: string) => t.api.call('DELETE', path);

async function emailTemplate(tenantId: string, name: string, channel = 'email'): Promise<string> {
  const r = await appDatabase().$client.query<{ id: string }>(`insert into message_templates (tenant_id, name, channel, subject, body) values ($1, $2, $3, 'Hola', '<mjml></mjml>') returning id`, [
    tenantId,
    name,
    channel,
  ]);
  return r.rows[0]!.id;
}

/** api entry → message → exit. */
const simpleDraft = (templateId: string) => ({
  nodes: [
    { id: 'entry', type: 'entry', trigger: { kind: 'api' }, next: 'msg' },
    { id: 'msg', type: 'message', channel: 'email', templateId, next: 'done' },
    { id: 'done', type: 'exit' },
  ],
});

describe('journeys CRUD and drafts', () => {
  it('needs an API key', async () => {
    expect((await apiClient().get('/api/v1/journeys')).status).toBe(401);
    expect((await apiClient().post('/api/v1/journeys', { name: 'x' })).status).toBe(401);
  });

  it('creates a blank journey (api entry → exit) that already validates, lists and gets it', async () => {
    const created = await t.api.post('/api/v1/journeys', { name: 'Blank one' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Blank one', status: 'draft', latestVersion: null, entryKind: 'api', validation: { ok: true, errors: [] }, versions: [] });
    expect(created.body.draft.nodes.map((n: { type: string }) => n.type)).toEqual(['entry', 'exit']);
    expect(Object.keys(created.body.draftLayout).sort()).toEqual(['entry', 'exit']);

    const list = await t.api.get('/api/v1/journeys');
    expect(list.status).toBe(200);
    const row = list.body.data.find((j: { id: string }) => j.id === created.body.id);
    expect(row).toMatchObject({ name: 'Blank one', status: 'draft', stats: { entered: 0, running: 0, completed: 0, converted: 0, messagesSent: 0 } });

    const got = await t.api.get(`/api/v1/journeys/${created.body.id}`);
    expect(got.status).toBe(200);
    expect(got.body.id).toBe(created.body.id);
  });

  it('refuses bad bodies and duplicate names', async () => {
    expect((await t.api.post('/api/v1/journeys', {})).body.error.code).toBe('invalid_request');
    expect((await t.api.post('/api/v1/journeys', { name: 'x', bogus: 1 })).body.error.code).toBe('invalid_request');
    expect((await t.api.post('/api/v1/journeys', '{"name": ')).body.error.code).toBe('invalid_json');
    const unknown = await t.api.post('/api/v1/journeys', { name: 'From nowhere', template: 'no-such-template' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details[0].path).toBe('template');
    await t.api.post('/api/v1/journeys', { name: 'Taken' });
    const dup = await t.api.post('/api/v1/journeys', { name: 'Taken' });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('conflict');
  });

  it('stores drafts of any JSON shape as sent and reports (not enforces) their validation', async () => {
    const weird = { nodes: [{ id: 'a', type: 'teleport' }], whatever: [1, 2, { x: null }] };
    const created = await t.api.post('/api/v1/journeys', { name: 'Weird draft', definition: weird });
    expect(created.status).toBe(201);
    expect(created.body.draft).toEqual(weird);
    expect(created.body.validation.ok).toBe(false);
    expect(created.body.validation.errors[0]).toMatchObject({ nodeId: 'a', code: 'schema' });
    expect(created.body.draftLayout).toEqual({});

    const saved = await patch(`/api/v1/journeys/${created.body.id}`, { definition: 'just a string', layout: { a: { x: 10, y: 20 } } });
    expect(saved.status).toBe(200);
    expect(saved.body.draft).toBe('just a string');
    expect(saved.body.draftLayout).toEqual({ a: { x: 10, y: 20 } });
    expect(saved.body.validation.errors[0].code).toBe('schema');
    expect((await t.api.get(`/api/v1/journeys/${created.body.id}`)).body.draft).toBe('just a string');
    // Publishing it is what refuses.
    const publish = await t.api.post(`/api/v1/journeys/${created.body.id}/publish`, {});
    expect(publish.status).toBe(422);
    expect(publish.body.error.code).toBe('journey_invalid');
  });

  it('locates validation errors at nodes and ports', async () => {
    const tpl = await emailTemplate(t.tenant.id, `whatsapp-${randomUUID()}`, 'whatsapp');
    const draft = {
      nodes: [
        { id: 'entry', type: 'entry', trigger: { kind: 'api' }, next: 'msg' },
        { id: 'msg', type: 'message', channel: 'email', templateId: tpl, next: null },
        { id: 'ghost', type: 'message', channel: 'email', templateId: randomUUID(), next: 'done' },
        { id: 'split', type: 'experiment', variants: [{ id: 'a', weight: 30, next: 'done' }, { id: 'b', weight: 30, next: 'done' }] },
        { id: 'done', type: 'exit' },
      ],
    };
    const created = await t.api.post('/api/v1/journeys', { name: 'Broken', definition: draft });
    const v = await t.api.post(`/api/v1/journeys/${created.body.id}/validate`, {});
    expect(v.status).toBe(200);
    expect(v.body.ok).toBe(false);
    const errors = v.body.errors as { nodeId?: string; port?: string; code: string }[];
    expect(errors).toContainEqual(expect.objectContaining({ nodeId: 'msg', port: 'next', code: 'port_unconnected' }));
    expect(errors).toContainEqual(expect.objectContaining({ nodeId: 'msg', code: 'template_channel_mismatch' }));
    expect(errors).toContainEqual(expect.objectContaining({ nodeId: 'ghost', code: 'template_missing' }));
    expect(errors).toContainEqual(expect.objectContaining({ nodeId: 'ghost', code: 'unreachable' }));
    expect(errors).toContainEqual(expect.objectContaining({ nodeId: 'split', code: 'weights_sum' }));
    const publish = await t.api.post(`/api/v1/journeys/${created.body.id}/publish`, {});
    expect(publish.status).toBe(422);
    expect(publish.body.error.details).toEqual(errors);
    expect((await t.api.get(`/api/v1/journeys/${created.body.id}/versions`)).body.data).toEqual([]);
  });

  it('is tenant-scoped: another tenant sees 404', async () => {
    const created = await t.api.post('/api/v1/journeys', { name: 'Mine only' });
    for (const res of [
      await other.api.get(`/api/v1/journeys/${created.body.id}`),
      await other.api.post(`/api/v1/journeys/${created.body.id}/publish`, {}),
      await other.api.call('DELETE', `/api/v1/journeys/${created.body.id}`),
      await other.api.get(`/api/v1/journeys/${created.body.id}/analytics`),
    ])
      expect(res.status).toBe(404);
    expect((await other.api.get('/api/v1/journeys')).body.data.map((j: { id: string }) => j.id)).not.toContain(created.body.id);
    expect((await t.api.get('/api/v1/journeys/not-a-uuid')).status).toBe(404);
    expect((await t.api.post(`/api/v1/journeys/${created.body.id}/fly`, {})).status).toBe(404);
  });
});

describe('ready-made journeys', () => {
  it('lists the five templates', async () => {
    const res = await t.api.get('/api/v1/journeys/templates');
    expect(res.status).toBe(200);
    expect(res.body.data.map((x: { id: string }) => x.id)).toEqual(['abandoned-cart', 'welcome-series', 're-engagement', 'birthday', 'purchase-anniversary']);
  });

  it('creates each one valid, with its Spanish email templates and segments, and never duplicates them', async () => {
    const tenant = await apiTenant('journeys-tpl');
    const templates = (await tenant.api.get('/api/v1/journeys/templates')).body.data as { id: string; messages: string[]; segments: string[] }[];
    for (const tpl of templates) {
      const res = await tenant.api.post('/api/v1/journeys', { name: `From ${tpl.id}`, template: tpl.id });
      expect(res.status, tpl.id).toBe(201);
      expect(res.body.templateKey).toBe(tpl.id);
      expect(res.body.validation, tpl.id).toEqual({ ok: true, errors: [] });
      expect(Object.keys(res.body.draftLayout).length).toBe(res.body.draft.nodes.length);
    }
    const db = appDatabase().$client;
    const rows = (await db.query<{ name: string; channel: string; subject: string | null; body: string }>(`select name, channel, subject, body from message_templates where tenant_id = $1`, [tenant.tenant.id])).rows;
    expect(rows.length).toBe(10);
    const cart = rows.find((r) => r.name === 'Carrito abandonado · primer recordatorio')!;
    expect(cart.channel).toBe('email');
    expect(cart.body).toContain('<mjml>');
    expect(cart.body).toContain('{% for p in event.products %}');
    expect(cart.body).toContain('{{ unsubscribe_url }}');
    expect(rows.find((r) => r.channel === 'whatsapp')?.subject).toBeNull();
    const segs = (await db.query<{ name: string; definition: unknown }>(`select name, definition from segments where tenant_id = $1 order by name`, [tenant.tenant.id])).rows;
    expect(segs.map((s) => s.name)).toEqual(['Clientes en riesgo (AT_RISK)', 'Clientes nuevos (NEW)']);
    expect(segs[1]!.definition).toEqual({ kind: 'score', score: 'lifecycleState', predicate: { type: 'string', op: 'equals', value: 'NEW' } });

    // A second abandoned cart journey reuses the same templates.
    const again = await tenant.api.post('/api/v1/journeys', { name: 'Another cart', template: 'abandoned-cart' });
    const first = (await tenant.api.get('/api/v1/journeys')).body.data.find((j: { name: string }) => j.name === 'From abandoned-cart');
    const firstDraft = (await tenant.api.get(`/api/v1/journeys/${first.id}`)).body.draft;
    expect(again.body.draft).toEqual(firstDraft);
    expect(Number((await db.query(`select count(*) from message_templates where tenant_id = $1`, [tenant.tenant.id])).rows[0].count)).toBe(10);
    expect(Number((await db.query(`select count(*) from segments where tenant_id = $1`, [tenant.tenant.id])).rows[0].count)).toBe(2);

    // And each publishes.
    for (const j of (await tenant.api.get('/api/v1/journeys')).body.data as { id: string }[]) expect((await tenant.api.post(`/api/v1/journeys/${j.id}/publish`, {})).status).toBe(201);
  });
});

describe('publish, versions and transitions', () => {
  it('publishes version 1, then an edited draft as version 2 with the same node ids; v1 stays as it was', async () => {
    const tpl = await emailTemplate(t.tenant.id, `welcome-${randomUUID()}`);
    const j = (await t.api.post('/api/v1/journeys', { name: 'Versioned', definition: simpleDraft(tpl) })).body;
    const v1 = await t.api.post(`/api/v1/journeys/${j.id}/publish`, {});
    expect(v1.status).toBe(201);
    expect(v1.body).toMatchObject({ version: 1, created: true, batch: null, journey: { status: 'active', latestVersion: 1, unpublishedChanges: false } });

    // Publishing the same draft again creates nothing.
    const same = await t.api.call('POST', `/api/v1/journeys/${j.id}/publish`);
    expect(same.status).toBe(200);
    expect(same.body).toMatchObject({ version: 1, created: false });

    // Insert a delay between the message and the exit.
    const draft = simpleDraft(tpl);
    draft.nodes[1]!.next = 'wait-1d';
    draft.nodes.push({ id: 'wait-1d', type: 'delay', delay: { kind: 'duration', seconds: 86_400 }, next: 'done' } as never);
    const saved = await patch(`/api/v1/journeys/${j.id}`, { definition: draft });
    expect(saved.body.unpublishedChanges).toBe(true);
    const v2 = await t.api.post(`/api/v1/journeys/${j.id}/publish`, { enterCurrentMembers: false });
    expect(v2.status).toBe(201);
    expect(v2.body).toMatchObject({ version: 2, created: true, journey: { latestVersion: 2, status: 'active' } });

    const versions = (await t.api.get(`/api/v1/journeys/${j.id}/versions`)).body.data as { version: number; definition: { nodes: { id: string; next?: string }[] } }[];
    expect(versions.map((v) => v.version)).toEqual([2, 1]);
    const ids = (v: (typeof versions)[number]) => v.definition.nodes.map((n) => n.id).sort();
    expect(ids(versions[1]!)).toEqual(['done', 'entry', 'msg']);
    expect(ids(versions[0]!)).toEqual(['done', 'entry', 'msg', 'wait-1d']);
    expect(versions[1]!.definition.nodes.find((n) => n.id === 'msg')!.next).toBe('done');
    expect(versions[0]!.definition.nodes.find((n) => n.id === 'msg')!.next).toBe('wait-1d');
    // Stored normalized (defaults applied) for the engine.
    expect(versions[0]!.definition).toMatchObject({ schemaVersion: 1, settings: { reEntry: { mode: 'never' }, defaultTimeZone: 'UTC' } });
  });

  it('checks status transitions: 409 invalid_transition where the status does not allow it', async () => {
    const tpl = await emailTemplate(t.tenant.id, `tx-${randomUUID()}`);
    const j = (await t.api.post('/api/v1/journeys', { name: 'Transitions', definition: simpleDraft(tpl) })).body;
    const act = (a: string) => t.api.post(`/api/v1/journeys/${j.id}/${a}`, {});
    for (const a of ['pause', 'resume', 'archive']) {
      const r = await act(a);
      expect(r.status, `draft ${a}`).toBe(409);
      expect(r.body.error.code).toBe('invalid_transition');
    }
    await act('publish');
    expect((await act('resume')).status).toBe(409);
    expect((await act('pause')).body.status).toBe('paused');
    expect((await act('pause')).status).toBe(409);
    // Publishing a paused journey keeps it paused.
    const draft = simpleDraft(tpl);
    (draft.nodes[1] as { name?: string }).name = 'Renamed';
    await patch(`/api/v1/journeys/${j.id}`, { definition: draft });
    expect((await act('publish')).body.journey).toMatchObject({ status: 'paused', latestVersion: 2 });
    expect((await act('resume')).body.status).toBe('active');
    expect((await act('archive')).body.status).toBe('archived');
    for (const a of ['pause', 'resume', 'archive', 'publish']) expect((await act(a)).status, `archived ${a}`).toBe(409);
    expect((await patch(`/api/v1/journeys/${j.id}`, { definition: draft })).status).toBe(409);
    // Renaming an archived journey is fine.
    expect((await patch(`/api/v1/journeys/${j.id}`, { name: 'Transitions (old)' })).status).toBe(200);
    const d = await del(`/api/v1/journeys/${j.id}`);
    expect(d.status).toBe(409);
    expect(d.body.error.code).toBe('invalid_transition');
  });

  it('deletes never-published drafts only, and duplicates into a new draft', async () => {
    const tpl = await emailTemplate(t.tenant.id, `dup-${randomUUID()}`);
    const j = (await t.api.post('/api/v1/journeys', { name: 'Original', definition: simpleDraft(tpl), layout: { entry: { x: 1, y: 2 } } })).body;
    await t.api.post(`/api/v1/journeys/${j.id}/publish`, {});
    const copy = await t.api.call('POST', `/api/v1/journeys/${j.id}/duplicate`);
    expect(copy.status).toBe(201);
    expect(copy.body).toMatchObject({ name: 'Original (copy)', status: 'draft', latestVersion: null, draftLayout: { entry: { x: 1, y: 2 } } });
    expect(copy.body.draft).toEqual(j.draft);
    expect((await t.api.post(`/api/v1/journeys/${j.id}/duplicate`, {})).body.name).toBe('Original (copy) (2)');
    expect((await t.api.post(`/api/v1/journeys/${j.id}/duplicate`, { name: 'Named copy' })).body.name).toBe('Named copy');

    const gone = await del(`/api/v1/journeys/${copy.body.id}`);
    expect(gone.body).toEqual({ id: copy.body.id, deleted: true });
    expect((await t.api.get(`/api/v1/journeys/${copy.body.id}`)).status).toBe(404);
    expect((await del(`/api/v1/journeys/${copy.body.id}`)).status).toBe(404);
  });

  it('enters current segment members through journeyBatchEntryWorkflow when asked, and only for segment entries', async () => {
    const tpl = await emailTemplate(t.tenant.id, `seg-${randomUUID()}`);
    const apiEntry = (await t.api.post('/api/v1/journeys', { name: 'Api entry batch', definition: simpleDraft(tpl) })).body;
    const refused = await t.api.post(`/api/v1/journeys/${apiEntry.id}/publish`, { enterCurrentMembers: true });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details[0].path).toBe('enterCurrentMembers');

    const seg = (await appDatabase().$client.query<{ id: string }>(`insert into segments (tenant_id, name, definition) values ($1, $2, '{"kind":"consent","channel":"email"}') returning id`, [t.tenant.id, `Seg ${randomUUID()}`])).rows[0]!.id;
    const draft = simpleDraft(tpl);
    draft.nodes[0] = { id: 'entry', type: 'entry', trigger: { kind: 'segment_entered', segmentId: seg }, next: 'msg' } as never;
    const j = (await t.api.post('/api/v1/journeys', { name: 'Segment batch', definition: draft })).body;
    const res = await t.api.post(`/api/v1/journeys/${j.id}/publish`, { enterCurrentMembers: true });
    expect(res.status).toBe(201);
    const workflowId = journeyBatchWorkflowId(t.tenant.id, j.id, 'v1');
    expect(res.body.batch).toEqual({ workflowId, batchId: 'v1' });
    const handle = temporal.client.workflow.getHandle(workflowId);
    const desc = await handle.describe();
    expect(desc.type).toBe('journeyBatchEntryWorkflow');
    expect(desc.taskQueue).toBe(TASK_QUEUES.journeys);
    // Publishing again with the same draft joins the same batch.
    const again = await t.api.post(`/api/v1/journeys/${j.id}/publish`, { enterCurrentMembers: true });
    expect(again.body).toMatchObject({ version: 1, created: false, batch: { workflowId } });
    expect((await handle.describe()).runId).toBe(desc.runId);
    // The engine that runs it lands with the engine branch; leave nothing running on the shared server.
    if ((await handle.describe()).status.name === 'RUNNING') await handle.terminate('test done');
  });
});

describe('analytics', () => {
  it('counts per node, per port, messages, conversions and holdout from journey_entries / journey_steps / messages', async () => {
    const db = appDatabase().$client;
    const tpl = await emailTemplate(t.tenant.id, `an-${randomUUID()}`);
    const draft = {
      nodes: [
        { id: 'entry', type: 'entry', trigger: { kind: 'api' }, next: 'wait' },
        { id: 'wait', type: 'wait', conditions: [{ kind: 'event', id: 'bought', match: { event: 'Order Completed' }, next: 'done' }], timeoutSeconds: 3600, timeoutNext: 'msg' },
        { id: 'msg', type: 'message', channel: 'email', templateId: tpl, next: 'done' },
        { id: 'done', type: 'exit' },
      ],
    };
    const j = (await t.api.post('/api/v1/journeys', { name: 'Analytics', definition: draft })).body;
    await t.api.post(`/api/v1/journeys/${j.id}/publish`, {});
    await t.api.post(`/api/v1/journeys/${j.id}/publish`, {}); // unchanged: still v1
    (draft.nodes[2] as { name?: string }).name = 'v2';
    await patch(`/api/v1/journeys/${j.id}`, { definition: draft });
    expect((await t.api.post(`/api/v1/journeys/${j.id}/publish`, {})).body.version).toBe(2);

    const customers = (await db.query<{ id: string }>(`insert into customers (tenant_id) select $1 from generate_series(1, 6) returning id`, [t.tenant.id])).rows.map((r) => r.id);
    const at = '2026-01-01T00:00:00Z';
    // c0..c3 on v1: c0 bought (converted), c1 and c2 timed out and got the email (c2 still at the exit? no: completed),
    // c3 still waiting; c4 on v2 still waiting at the message (send in flight); c5 on v2 in the holdout.
    const entries: [number, number, string, boolean, boolean][] = [
      [0, 1, 'completed', false, true],
      [1, 1, 'completed', false, false],
      [2, 1, 'completed', false, true],
      [3, 1, 'running', false, false],
      [4, 2, 'running', false, false],
      [5, 2, 'exited', true, true],
    ];
    const entryIds: string[] = [];
    for (const [c, version, status, holdout, converted] of entries) {
      const id = randomUUID();
      entryIds.push(id);
      await db.query(
        `insert into journey_entries (id, tenant_id, journey_id, version, customer_id, workflow_id, status, in_holdout, entered_at, converted_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [id, t.tenant.id, j.id, version, customers[c], `wf-${id}`, status, holdout, at, converted ? at : null],
      );
    }
    const steps: [number, number, string, string | null][] = [
      [0, 0, 'entry', 'next'],
      [0, 1, 'wait', 'bought'],
      [0, 2, 'done', 'next'],
      [1, 0, 'entry', 'next'],
      [1, 1, 'wait', 'timeout'],
      [1, 2, 'msg', 'next'],
      [1, 3, 'done', 'next'],
      [2, 0, 'entry', 'next'],
      [2, 1, 'wait', 'timeout'],
      [2, 2, 'msg', 'next'],
      [2, 3, 'done', 'next'],
      [3, 0, 'entry', 'next'],
      [3, 1, 'wait', null],
      [4, 0, 'entry', 'next'],
      [4, 1, 'wait', 'timeout'],
      [4, 2, 'msg', null],
      [5, 0, 'entry', 'next'],
    ];
    for (const [e, idx, node, port] of steps) {
      const version = entries[e]![1];
      await db.query(
        `insert into journey_steps (tenant_id, journey_id, version, entry_id, step_index, node_id, node_type, port, entered_at, left_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [t.tenant.id, j.id, version, entryIds[e], idx, node, draft.nodes.find((n) => n.id === node)!.type, port, at, port ? at : null],
      );
    }
    const msgs: [number, string, { delivered?: boolean; opened?: boolean; clicked?: boolean }][] = [
      [1, 'sent', { delivered: true, opened: true, clicked: true }],
      [2, 'sent', { delivered: true, opened: true }],
      [4, 'skipped', {}],
    ];
    for (const [e, status, f] of msgs)
      await db.query(
        `insert into messages (id, tenant_id, customer_id, channel, template_id, journey_id, journey_version, node_id, entry_id, status, sent_at, delivered_at, opened_at, clicked_at)
         values ($1, $2, $3, 'email', $4, $5, $6, 'msg', $7, $8, $9, $10, $11, $12)`,
        [
          `m-${entryIds[e]}`,
          t.tenant.id,
          customers[entries[e]![0]],
          tpl,
          j.id,
          entries[e]![1],
          entryIds[e],
          status,
          status === 'sent' ? at : null,
          f.delivered ? at : null,
          f.opened ? at : null,
          f.clicked ? at : null,
        ],
      );

    const all = await t.api.get(`/api/v1/journeys/${j.id}/analytics`);
    expect(all.status).toBe(200);
    expect(all.body.version).toBeNull();
    expect(all.body.totals).toEqual({ entered: 6, running: 2, completed: 4, exited: 1, failed: 0, converted: 3, messagesSent: 2 });
    expect(all.body.holdout).toEqual({ entered: 1, converted: 1 });
    expect(all.body.treatment).toEqual({ entered: 5, converted: 2 });
    const node = (body: { nodes: { nodeId: string }[] }, id: string) => body.nodes.find((n) => n.nodeId === id) as Record<string, unknown>;
    expect(node(all.body, 'entry')).toMatchObject({ entered: 6, waiting: 0, exits: { next: 6 }, converted: 3 });
    expect(node(all.body, 'wait')).toEqual({
      nodeId: 'wait',
      entered: 5,
      waiting: 1,
      exits: { bought: 1, timeout: 3 },
      converted: 2,
      messages: { sent: 0, delivered: 0, opened: 0, clicked: 0, failed: 0, skipped: 0 },
    });
    expect(node(all.body, 'msg')).toMatchObject({ entered: 3, waiting: 1, exits: { next: 2 }, converted: 1, messages: { sent: 2, delivered: 2, opened: 2, clicked: 1, failed: 0, skipped: 1 } });

    const v1 = await t.api.get(`/api/v1/journeys/${j.id}/analytics?version=1`);
    expect(v1.body.version).toBe(1);
    expect(v1.body.totals).toMatchObject({ entered: 4, running: 1, converted: 2, messagesSent: 2 });
    expect(node(v1.body, 'wait')).toMatchObject({ entered: 4, waiting: 1, exits: { bought: 1, timeout: 2 } });
    expect(node(v1.body, 'msg')).toMatchObject({ entered: 2, waiting: 0, messages: { sent: 2, skipped: 0 } });
    const v2 = await t.api.get(`/api/v1/journeys/${j.id}/analytics?version=2`);
    expect(node(v2.body, 'msg')).toMatchObject({ entered: 1, waiting: 1, messages: { sent: 0, skipped: 1 } });
    expect(v2.body.holdout).toEqual({ entered: 1, converted: 1 });

    expect((await t.api.get(`/api/v1/journeys/${j.id}/analytics?version=3`)).status).toBe(404);
    expect((await t.api.get(`/api/v1/journeys/${j.id}/analytics?version=zero`)).status).toBe(400);

    // The list's headline numbers.
    const row = (await t.api.get('/api/v1/journeys')).body.data.find((x: { id: string }) => x.id === j.id);
    expect(row.stats).toEqual({ entered: 6, running: 2, completed: 4, converted: 3, messagesSent: 2 });
  });
});
