// Connections through the API against the running app: CRUD and validation, tenancy, credentials encrypted and
// never returned or logged, the Temporal Schedule behind each connection, check credentials, sync now and runs.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Client, Connection, ScheduleNotFoundError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createConnectionFor, deleteConnectionFor, getConnectionView, patchConnectionFor, reconcileSchedules, type ConnectionsDeps } from '#app/server/connections.server.ts';
import { createConnectionRequest } from '#core/api/connections.ts';
import { credentialsKeyring, decryptJson } from '#platform/secrets.ts';
import { syncScheduleId } from '#workflows/connectors/sync.contract.ts';
import { TASK_QUEUES } from '#workflows/shared/task-queues.ts';
import { apiTenant, appDatabase, closeAppDatabase } from '../support/api.ts';
import { eventually } from '../support/temporal.ts';

let t: Awaited<ReturnType<typeof apiTenant>>;
let other: Awaited<ReturnType<typeof apiTenant>>;
let temporal: { client: Client; connection: Connection };

// A tiny VTEX stand-in: the orders list answers only with the right app key and token; /hang never answers.
const VTEX_KEY = 'vtexappkey-teststore-QWERTY';
const VTEX_TOKEN = 'token-SUPERSECRET-0123456789abcdef';
const seenHeaders: http.IncomingHttpHeaders[] = [];
let fake: http.Server;
let fakeUrl: string;

beforeAll(async () => {
  [t, other] = await Promise.all([apiTenant('conn'), apiTenant('conn-other')]);
  const connection = await Connection.connect({ address: inject('temporalAddress') });
  temporal = { connection, client: new Client({ connection }) };
  fake = http.createServer((req, res) => {
    if (req.url?.startsWith('/hang')) return; // a provider that never answers: runs against it stay running
    seenHeaders.push(req.headers);
    if (req.url?.startsWith('/api/oms/pvt/orders')) {
      const ok = req.headers['x-vtex-api-appkey'] === VTEX_KEY && req.headers['x-vtex-api-apptoken'] === VTEX_TOKEN;
      res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
      // A careless provider that echoes the token it was sent: the check must not pass it on.
      res.end(ok ? JSON.stringify({ list: [], paging: { total: 42, pages: 42, currentPage: 1, perPage: 1 } }) : JSON.stringify({ error: `bad token ${String(req.headers['x-vtex-api-apptoken'])}` }));
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => fake.listen(0, '127.0.0.1', r));
  fakeUrl = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
});

afterAll(async () => {
  // Leave no schedules behind in the shared Temporal server.
  for (const tenant of [t, other]) {
    const list = await tenant?.api.get('/api/v1/connections');
    for (const c of list?.body.data ?? []) await tenant.api.call('DELETE', `/api/v1/connections/${c.id}`);
  }
  fake?.closeAllConnections();
  await new Promise((r) => fake?.close(r));
  await temporal?.connection.close();
  await closeAppDatabase();
});

const vtexBody = (name: string, overrides: Record<string, unknown> = {}) => ({
  kind: 'vtex',
  name,
  config: { account: 'teststore', baseUrl: fakeUrl },
  credentials: { appKey: VTEX_KEY, appToken: VTEX_TOKEN },
  syncIntervalMinutes: 1440,
  ...overrides,
});

const describeSchedule = (connectionId: string) => temporal.client.schedule.getHandle(syncScheduleId(connectionId)).describe();
const storedEnvelope = async (id: string) =>
  (await appDatabase().$client.query<{ credentials: string | null }>('select credentials from connections where id = $1', [id])).rows[0]?.credentials;

async function create(body: Record<string, unknown>) {
  const res = await t.api.post('/api/v1/connections', body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

describe('create, read, list', () => {
  it('creates a VTEX connection with its schedule; credentials are encrypted at rest and never returned', async () => {
    const res = await t.api.post('/api/v1/connections', vtexBody('VTEX AR', { syncIntervalMinutes: undefined }));
    expect(res.status).toBe(201);
    const c = res.body;
    expect(c).toMatchObject({
      kind: 'vtex',
      name: 'VTEX AR',
      status: 'active',
      hasCredentials: true,
      syncIntervalMinutes: 15,
      config: { account: 'teststore', environment: 'vtexcommercestable', source: 'vtex', baseUrl: fakeUrl },
      latestRun: null,
      lastSyncAt: null,
    });
    expect(c).not.toHaveProperty('credentials');
    expect(c.schedule).toMatchObject({ id: `sync:${c.id}`, state: 'active' });
    expect(c.schedule.nextRunAt.length).toBeGreaterThan(0);
    expect(JSON.stringify(res.body)).not.toContain(VTEX_TOKEN);

    const schedule = await describeSchedule(c.id);
    expect(schedule.spec.intervals).toEqual([expect.objectContaining({ every: 15 * 60_000 })]);
    expect(schedule.state.paused).toBe(false);
    expect(schedule.policies.overlap).toBe('SKIP');
    expect(schedule.action).toMatchObject({ type: 'startWorkflow', workflowType: 'scheduledSyncWorkflow', taskQueue: TASK_QUEUES.connectors, args: [{ tenantId: t.tenant.id, connectionId: c.id, trigger: 'schedule' }] });

    const envelope = await storedEnvelope(c.id);
    expect(envelope).toMatch(/^v1\.[0-9a-f]{8}\./);
    expect(envelope).not.toContain(VTEX_TOKEN);
    expect(envelope).not.toContain(VTEX_KEY);
    expect(decryptJson(credentialsKeyring(), envelope!)).toEqual({ appKey: VTEX_KEY, appToken: VTEX_TOKEN });

    const one = await t.api.get(`/api/v1/connections/${c.id}`);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ id: c.id, hasCredentials: true });
    const list = await t.api.get('/api/v1/connections');
    expect(list.body.data.map((x: { id: string }) => x.id)).toContain(c.id);
    expect(JSON.stringify(list.body)).not.toContain(VTEX_TOKEN);
    expect(JSON.stringify(list.body)).not.toContain(VTEX_KEY);
  });

  it('creates MercadoLibre (client secret only, not connected) and file connections (no schedule, nothing to sync)', async () => {
    const ml = await create({ kind: 'mercadolibre', name: 'MeLi', config: { clientId: '123456', apiBaseUrl: fakeUrl }, credentials: { clientSecret: 'ml-secret-xyz' } });
    expect(ml).toMatchObject({ kind: 'mercadolibre', hasCredentials: true, config: { clientId: '123456', siteId: 'MLA' }, schedule: { state: 'active' } });
    expect(ml.config.sellerId).toBeUndefined();
    const check = await t.api.post(`/api/v1/connections/${ml.id}/test`, undefined);
    expect(check.body).toEqual({ ok: false, message: expect.stringContaining('Connect with MercadoLibre') });
    const sync = await t.api.post(`/api/v1/connections/${ml.id}/sync`, undefined);
    expect(sync.status).toBe(409);
    expect(sync.body.error.message).toContain('Connect with MercadoLibre');

    // Tokens come from OAuth, not from the API.
    const tokens = await t.api.post('/api/v1/connections', { kind: 'mercadolibre', name: 'MeLi 2', config: { clientId: '1' }, credentials: { clientSecret: 's', accessToken: 'APP_USR-x' } });
    expect(tokens.status).toBe(400);
    expect(tokens.body.error.details.map((d: { path: string }) => d.path)).toContain('credentials');

    const file = await create({ kind: 'file', name: 'ERP SAP', config: { source: 'sap' } });
    expect(file).toMatchObject({ kind: 'file', hasCredentials: false, schedule: null, config: { source: 'sap', mappings: {} } });
    await expect(describeSchedule(file.id)).rejects.toBeInstanceOf(ScheduleNotFoundError);
    expect((await t.api.post(`/api/v1/connections/${file.id}/test`, undefined)).body.ok).toBe(true);
    expect((await t.api.post(`/api/v1/connections/${file.id}/sync`, undefined)).status).toBe(409);
  });

  it('rejects invalid bodies with field details and writes nothing', async () => {
    const before = (await t.api.get('/api/v1/connections')).body.data.length;
    const cases: [unknown, string[]][] = [
      [{ kind: 'vtex', name: 'x', config: {}, credentials: { appKey: 'k' } }, ['config.account', 'credentials.appToken']],
      [{ kind: 'shopify', name: 'x', config: {}, credentials: {} }, ['kind']],
      [vtexBody('short interval', { syncIntervalMinutes: 2 }), ['syncIntervalMinutes']],
      [vtexBody('long interval', { syncIntervalMinutes: 1441 }), ['syncIntervalMinutes']],
      [vtexBody('', {}), ['name']],
      [vtexBody('bad url', { config: { account: 'teststore', baseUrl: 'not a url' } }), ['config.baseUrl']],
      [{ ...vtexBody('extra'), secret: 1 }, ['']],
    ];
    for (const [body, paths] of cases) {
      const res = await t.api.post('/api/v1/connections', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
      const got = res.body.error.details.map((d: { path: string }) => d.path);
      for (const p of paths) expect(got, JSON.stringify(res.body)).toContain(p);
    }
    const notJson = await t.api.post('/api/v1/connections', 'kind=vtex', { 'content-type': 'text/plain' });
    expect(notJson.status).toBe(415);
    expect((await t.api.get('/api/v1/connections')).body.data.length).toBe(before);
  });

  it('answers 409 for a duplicate name in the same tenant, and allows it in another tenant', async () => {
    await create(vtexBody('Duplicated'));
    const again = await t.api.post('/api/v1/connections', vtexBody('Duplicated'));
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'conflict', details: [{ path: 'name' }] });
    const elsewhere = await other.api.post('/api/v1/connections', vtexBody('Duplicated'));
    expect(elsewhere.status).toBe(201);
  });

  it('hides other tenants’ connections behind 404 on every endpoint', async () => {
    const mine = await create(vtexBody('Private'));
    const paths = ['', '/runs'];
    for (const p of paths) expect((await other.api.get(`/api/v1/connections/${mine.id}${p}`)).status, p).toBe(404);
    expect((await other.api.call('PATCH', `/api/v1/connections/${mine.id}`, { name: 'stolen' })).status).toBe(404);
    expect((await other.api.call('DELETE', `/api/v1/connections/${mine.id}`)).status).toBe(404);
    expect((await other.api.post(`/api/v1/connections/${mine.id}/test`, undefined)).status).toBe(404);
    expect((await other.api.post(`/api/v1/connections/${mine.id}/sync`, undefined)).status).toBe(404);
    expect((await other.api.get('/api/v1/connections')).body.data.map((c: { id: string }) => c.id)).not.toContain(mine.id);
    expect((await t.api.get('/api/v1/connections/not-a-uuid')).status).toBe(404);
    expect((await t.api.get('/api/v1/connections/00000000-0000-4000-8000-000000000000')).body.error.code).toBe('not_found');
    expect((await t.api.get(`/api/v1/connections/${mine.id}`)).body.name).toBe('Private');
    expect((await t.api.get('/api/v1/connections')).status).toBe(200);
    expect((await fetch(`${inject('webUrl')}/api/v1/connections`)).status).toBe(401);
  });
});

describe('patch and delete follow the schedule', () => {
  it('changes the interval, pauses and resumes the schedule, merges credentials and config', async () => {
    const c = await create(vtexBody('Patched', { syncIntervalMinutes: 30 }));
    const envelopeBefore = await storedEnvelope(c.id);

    const interval = await t.api.call('PATCH', `/api/v1/connections/${c.id}`, { syncIntervalMinutes: 60 });
    expect(interval.status).toBe(200);
    expect(interval.body.syncIntervalMinutes).toBe(60);
    expect((await describeSchedule(c.id)).spec.intervals).toEqual([expect.objectContaining({ every: 60 * 60_000 })]);

    const paused = await t.api.call('PATCH', `/api/v1/connections/${c.id}`, { status: 'paused' });
    expect(paused.body).toMatchObject({ status: 'paused', schedule: { state: 'paused', nextRunAt: [] } });
    expect((await describeSchedule(c.id)).state.paused).toBe(true);
    const syncPaused = await t.api.post(`/api/v1/connections/${c.id}/sync`, undefined);
    expect(syncPaused.status).toBe(409);

    const resumed = await t.api.call('PATCH', `/api/v1/connections/${c.id}`, { status: 'active' });
    expect(resumed.body).toMatchObject({ status: 'active', schedule: { state: 'active' } });
    const schedule = await describeSchedule(c.id);
    expect(schedule.state.paused).toBe(false);
    expect(schedule.spec.intervals).toEqual([expect.objectContaining({ every: 60 * 60_000 })]);

    const creds = await t.api.call('PATCH', `/api/v1/connections/${c.id}`, { credentials: { appToken: 'rotated-token-777' } });
    expect(creds.status).toBe(200);
    expect(JSON.stringify(creds.body)).not.toContain('rotated-token-777');
    const envelopeAfter = await storedEnvelope(c.id);
    expect(envelopeAfter).not.toBe(envelopeBefore);
    expect(decryptJson(credentialsKeyring(), envelopeAfter!)).toEqual({ appKey: VTEX_KEY, appToken: 'rotated-token-777' });

    const config = await t.api.call('PATCH', `/api/v1/connections/${c.id}`, { name: 'Patched again', config: { environment: 'vtexcommercebeta', baseUrl: null } });
    expect(config.status).toBe(200);
    expect(config.body.name).toBe('Patched again');
    expect(config.body.config).toMatchObject({ account: 'teststore', environment: 'vtexcommercebeta' });
    expect(config.body.config.baseUrl).toBeUndefined();
  });

  it('rejects invalid patches with field details and changes nothing', async () => {
    const c = await create(vtexBody('Strict patch'));
    const cases: [unknown, string][] = [
      [{}, ''],
      [{ syncIntervalMinutes: 4 }, 'syncIntervalMinutes'],
      [{ status: 'error' }, 'status'],
      [{ credentials: { bogus: 'x' } }, 'credentials'],
      [{ credentials: { appToken: '' } }, 'credentials.appToken'],
      [{ config: { account: 'has spaces' } }, 'config.account'],
      [{ config: { sellerId: '1' } }, 'config'],
      [{ config: { account: null } }, 'config.account'],
      [{ kind: 'file' }, ''],
    ];
    for (const [body, p] of cases) {
      const res = await t.api.call('PATCH', `/api/v1/connections/${c.id}`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
      expect(res.body.error.details.map((d: { path: string }) => d.path), JSON.stringify(res.body)).toContain(p);
    }
    const dup = await create(vtexBody('Taken name'));
    expect((await t.api.call('PATCH', `/api/v1/connections/${c.id}`, { name: dup.name })).status).toBe(409);
    const unchanged = await t.api.get(`/api/v1/connections/${c.id}`);
    expect(unchanged.body).toMatchObject({ name: 'Strict patch', syncIntervalMinutes: 1440, config: { account: 'teststore' } });
  });

  it('deletes the schedule with the connection', async () => {
    const c = await create(vtexBody('Short-lived'));
    await describeSchedule(c.id);
    const res = await t.api.call('DELETE', `/api/v1/connections/${c.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: c.id, deleted: true });
    expect((await t.api.get(`/api/v1/connections/${c.id}`)).status).toBe(404);
    await expect(describeSchedule(c.id)).rejects.toBeInstanceOf(ScheduleNotFoundError);
    expect((await t.api.call('DELETE', `/api/v1/connections/${c.id}`)).status).toBe(404);
  });
});

describe('check credentials', () => {
  it('sends both VTEX app headers and reports ok, then a refusal without echoing the token', async () => {
    const c = await create(vtexBody('Checked'));
    seenHeaders.length = 0;
    const ok = await t.api.post(`/api/v1/connections/${c.id}/test`, undefined);
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ ok: true, message: expect.stringContaining('42 orders') });
    expect(seenHeaders[0]).toMatchObject({ 'x-vtex-api-appkey': VTEX_KEY, 'x-vtex-api-apptoken': VTEX_TOKEN });

    await t.api.call('PATCH', `/api/v1/connections/${c.id}`, { credentials: { appToken: 'wrong-token-value' } });
    const refused = await t.api.post(`/api/v1/connections/${c.id}/test`, undefined);
    expect(refused.status).toBe(200);
    expect(refused.body.ok).toBe(false);
    expect(refused.body.message).toMatch(/VTEX refused the credentials \(HTTP 401\)/);
    expect(refused.body.message).not.toContain('wrong-token-value');
    expect(refused.body.message).not.toContain(VTEX_KEY);
  });

  it('says clearly when the provider cannot be reached', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const c = await create(vtexBody('Unreachable', { config: { account: 'teststore', baseUrl: `http://127.0.0.1:${port}` } }));
    const res = await t.api.post(`/api/v1/connections/${c.id}/test`, undefined);
    expect(res.body).toEqual({ ok: false, message: expect.stringContaining(`Could not reach VTEX at http://127.0.0.1:${port}`) });
  });
});

describe('sync now and run history', () => {
  it('starts the manual sync workflow, joins it on a second click, records the run, and closes it when terminated', async () => {
    const c = await create(vtexBody('Synced', { config: { account: 'teststore', baseUrl: `${fakeUrl}/hang` } }));
    // Keep the schedule from firing during the test (the connection itself stays active).
    await temporal.client.schedule.getHandle(syncScheduleId(c.id)).pause('test: manual runs only');

    const [first, second] = await Promise.all([t.api.post(`/api/v1/connections/${c.id}/sync`, undefined), t.api.post(`/api/v1/connections/${c.id}/sync`, undefined)]);
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ workflowId: `sync:${c.id}:run`, runId: expect.any(String) });
    expect(first.body.temporalUiUrl).toContain(encodeURIComponent(`sync:${c.id}:run`));
    expect(second.body).toMatchObject({ workflowId: first.body.workflowId, runId: first.body.runId });

    const run = await eventually(async () => (await t.api.get(`/api/v1/connections/${c.id}/runs`)).body.data.find((r: { workflowRunId: string }) => r.workflowRunId === first.body.runId), 30_000, 'the run');
    expect(run).toMatchObject({ trigger: 'manual', status: 'running', workflowId: `sync:${c.id}:run`, finishedAt: null, durationMs: null, counts: { fetched: 0, inserted: 0, updated: 0, skipped: 0, failed: 0 } });
    expect(run.temporalUiUrl).toContain(first.body.runId);

    const third = await t.api.post(`/api/v1/connections/${c.id}/sync`, undefined);
    expect(third.body).toMatchObject({ workflowId: first.body.workflowId, runId: first.body.runId, alreadyRunning: true });
    const execution = await temporal.client.workflow.getHandle(first.body.workflowId, first.body.runId).describe();
    expect(execution.searchAttributes.TenantId).toEqual([t.tenant.id]);
    expect(execution.taskQueue).toBe(TASK_QUEUES.connectors);

    // Terminated from the Temporal UI: the history must not show it running forever.
    await temporal.client.workflow.getHandle(first.body.workflowId, first.body.runId).terminate('test');
    const runs = (await t.api.get(`/api/v1/connections/${c.id}/runs`)).body.data;
    expect(runs.find((r: { id: string }) => r.id === run.id)).toMatchObject({ status: 'failed', error: expect.stringContaining('terminated'), durationMs: expect.any(Number) });
    expect((await t.api.get(`/api/v1/connections/${c.id}`)).body.latestRun).toMatchObject({ id: run.id, status: 'failed' });

    // The same workflow id serves the next click, as a new run.
    const again = await t.api.post(`/api/v1/connections/${c.id}/sync`, undefined);
    expect(again.body).toMatchObject({ workflowId: first.body.workflowId, alreadyRunning: false });
    expect(again.body.runId).not.toBe(first.body.runId);
    await temporal.client.workflow.getHandle(again.body.workflowId, again.body.runId).terminate('test');

    expect((await t.api.get(`/api/v1/connections/${c.id}/runs?limit=0`)).status).toBe(400);
    expect((await t.api.get(`/api/v1/connections/${c.id}/runs?limit=1`)).body.data).toHaveLength(1);
  });
});

describe('when Temporal is down, and reconciling', () => {
  const deadTemporal: ConnectionsDeps['temporal'] = () => Connection.connect({ address: '127.0.0.1:1', connectTimeout: '1s' }).then((connection) => new Client({ connection }));
  const deps = (temporalFactory: ConnectionsDeps['temporal']): ConnectionsDeps => ({ db: appDatabase(), keyring: credentialsKeyring, temporal: temporalFactory, taskQueue: TASK_QUEUES.connectors });

  it('answers 503 and leaves nothing half-done', async () => {
    const down = deps(deadTemporal);
    const create = createConnectionFor(t.tenant.id, createConnectionRequest.parse(vtexBody('No Temporal')), down);
    await expect(create).rejects.toMatchObject({ code: 'unavailable', status: 503 });
    expect((await t.api.get('/api/v1/connections')).body.data.map((c: { name: string }) => c.name)).not.toContain('No Temporal');

    const existing = (await t.api.post('/api/v1/connections', vtexBody('Survives outage', { syncIntervalMinutes: 30 }))).body;
    await expect(patchConnectionFor(t.tenant.id, existing.id, { syncIntervalMinutes: 90 }, down)).rejects.toMatchObject({ code: 'unavailable' });
    await expect(deleteConnectionFor(t.tenant.id, existing.id, down)).rejects.toMatchObject({ code: 'unavailable' });
    const view = await getConnectionView(t.tenant.id, existing.id, down);
    expect(view).toMatchObject({ syncIntervalMinutes: 30, schedule: { state: 'unknown' } });
    expect((await describeSchedule(existing.id)).spec.intervals).toEqual([expect.objectContaining({ every: 30 * 60_000 })]);
  });

  it('recreates missing schedules and fixes drifted ones', async () => {
    const tenant = await apiTenant('conn-reconcile');
    const lost = (await tenant.api.post('/api/v1/connections', vtexBody('Lost schedule'))).body;
    const drifted = (await tenant.api.post('/api/v1/connections', vtexBody('Drifted schedule'))).body;
    const fine = (await tenant.api.post('/api/v1/connections', vtexBody('Fine schedule'))).body;
    const paused = (await tenant.api.post('/api/v1/connections', vtexBody('Paused on purpose'))).body;
    await tenant.api.call('PATCH', `/api/v1/connections/${paused.id}`, { status: 'paused' });
    await temporal.client.schedule.getHandle(syncScheduleId(lost.id)).delete();
    await temporal.client.schedule.getHandle(syncScheduleId(drifted.id)).pause('someone paused it by hand');

    const live = deps(async () => temporal.client);
    const report = await reconcileSchedules(live, { tenantId: tenant.tenant.id });
    expect(report).toEqual({ checked: 4, created: 1, updated: 1, unchanged: 2, failed: [] });
    expect((await describeSchedule(lost.id)).state.paused).toBe(false);
    expect((await describeSchedule(drifted.id)).state.paused).toBe(false);
    expect((await describeSchedule(paused.id)).state.paused).toBe(true);
    expect((await describeSchedule(fine.id)).spec.intervals).toEqual([expect.objectContaining({ every: 1440 * 60_000 })]);
    expect(await reconcileSchedules(live, { tenantId: tenant.tenant.id })).toMatchObject({ created: 0, updated: 0, unchanged: 4 });
    for (const c of [lost, drifted, fine, paused]) await tenant.api.call('DELETE', `/api/v1/connections/${c.id}`);
  });
});

describe('secrets in logs', () => {
  it('never writes a credential to the app’s logs', () => {
    const dir = inject('appLogDir');
    const logs = fs.readdirSync(dir).filter((f) => f.endsWith('.log'));
    expect(logs).toEqual(expect.arrayContaining(['web.log', 'worker.log']));
    for (const file of logs) {
      const text = fs.readFileSync(path.join(dir, file), 'utf8');
      for (const secret of [VTEX_TOKEN, VTEX_KEY, 'rotated-token-777', 'wrong-token-value', 'ml-secret-xyz']) expect(text.includes(secret), `${secret} in ${file}`).toBe(false);
    }
  });
});
