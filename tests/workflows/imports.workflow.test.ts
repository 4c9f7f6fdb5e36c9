// The file import workflow on the real Temporal server, with real activities over a real database: files are
// staged exactly as the upload endpoint stages them, then processed in (small) batches.
import fs from 'node:fs';
import path from 'node:path';
import { Context } from '@temporalio/activity';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '#activities/index.ts';
import { stageUpload } from '#app/server/imports.server.ts';
import { importWorkflowId, type ImportWorkflowInput } from '#workflows/imports/import.contract.ts';
import type { importFileWorkflow } from '#workflows/imports/import.workflow.ts';
import { createTestDatabase } from '../support/db.ts';
import { eventually, temporalClient, testWorker } from '../support/temporal.ts';
import { seedTenant } from '../support/tenants.ts';

let testDb: Awaited<ReturnType<typeof createTestDatabase>>;
let worker: Awaited<ReturnType<typeof testWorker>>;
let temporal: Awaited<ReturnType<typeof temporalClient>>;
let tenantId: string;
/** Batches (by import id) whose commit is followed by a simulated crash of the worker, once. */
const crashAfterBatch = new Map<string, number>();
const batchCalls = new Map<string, number>();
/** Attempt numbers of the batch activity, per import: a retry shows as attempt 2. */
const attempts = new Map<string, number[]>();

beforeAll(async () => {
  testDb = await createTestDatabase();
  const real = createActivities({ db: testDb.db });
  worker = await testWorker(testDb.db, {
    activities: {
      ...real,
      // The batch commits, then the worker "dies" before reporting it: Temporal retries the activity.
      async processImportBatch(input: Parameters<typeof real.processImportBatch>[0]) {
        const result = await real.processImportBatch(input);
        attempts.set(input.importId, [...(attempts.get(input.importId) ?? []), Context.current().info.attempt]);
        const n = (batchCalls.get(input.importId) ?? 0) + 1;
        batchCalls.set(input.importId, n);
        if (crashAfterBatch.get(input.importId) === n) throw new Error('worker died after the batch committed');
        return result;
      },
    },
  });
  temporal = await temporalClient();
  ({ tenant: { id: tenantId } } = await seedTenant(testDb.db));
});

afterAll(async () => {
  await worker?.stop();
  await temporal?.close();
  await testDb?.drop();
});

async function stage(query: string, body: string, contentType = 'text/csv') {
  const request = new Request(`http://test/api/v1/imports?${query}`, { method: 'POST', body, headers: { 'content-type': contentType } });
  const staged = await stageUpload(testDb.db, tenantId, request, request.body!.getReader());
  if (staged.kind !== 'staged') throw new Error('expected a staged upload');
  return staged.importId;
}

async function run(importId: string, opts: Partial<ImportWorkflowInput> = {}) {
  return temporal.client.workflow.execute<typeof importFileWorkflow>('importFileWorkflow', {
    workflowId: importWorkflowId(importId),
    taskQueue: worker.taskQueue,
    args: [{ tenantId, importId, ...opts }],
  });
}

/** The first import (customers, with a crash and a retry) is recorded for the replay test. */
let recordedImportId: string | undefined;

const importRow = async (id: string) => (await testDb.db.$client.query('select * from imports where id = $1', [id])).rows[0];
const stagedCount = async (id: string) => (await testDb.db.$client.query('select count(*)::int as n from import_lines where import_id = $1', [id])).rows[0].n;

describe('importFileWorkflow', () => {
  it('writes the good customer rows, reports the bad ones with their file lines, and survives a crash after a commit', async () => {
    const csv = [
      'Código;Nombre;Apellido;DNI;Email;Teléfono;Fecha_Nacimiento;Observaciones',
      'C-1;Ana;Pérez;30.123.456;ana@example.com;11 5555-0001;31/12/1985;"cliente ""VIP"";\nllamar a la tarde"',
      'C-2;Bruno;Paz;;not-an-email;;;',
      'C-3;Carla;Gómez;28111222;carla@example.com;;29/02/1991;',
      ';Sin;Código;;;;;',
      'C-4;Dora;Ruiz;;dora@example.com;;;',
      'C-5;Eva;"Díaz";;eva@example.com;;;',
      'C-1;Ana María;Pérez;30.123.456;ana@example.com;11 5555-0001;31/12/1985;',
      ';;;;;;;',
      'C-6;Fede;Luna;;fede@example.com;;;',
    ].join('\r\n');
    const id = await stage('entity=customers&source=erp', csv);
    expect(await stagedCount(id)).toBe(8);
    crashAfterBatch.set(id, 2);
    recordedImportId = id;
    const counts = await run(id, { batchRows: 2 });

    expect(counts).toEqual({ rows: 8, written: 5, inserted: 4, updated: 1, unchanged: 0, failed: 3 });
    const row = await importRow(id);
    expect(row.status).toBe('succeeded');
    expect(row.errors).toEqual([
      { line: 4, reason: 'email (column "Email"): Invalid email address' },
      { line: 5, reason: 'birthDate (column "Fecha_Nacimiento"): "29/02/1991" is not a valid date (day/month out of range)' },
      { line: 6, reason: 'externalId (column "Código"): required, but empty' },
    ]);
    expect(row.bytes_read).toBe(Buffer.byteLength(csv));
    expect(row.bytes_total).toBe(Buffer.byteLength(csv));
    expect(await stagedCount(id)).toBe(0);
    // Four batches of two; the attempt that committed batch 2 "crashed", and its retry (attempt 2) found
    // batch 2 gone and took batch 3: nothing written or counted twice.
    expect(attempts.get(id)).toEqual([1, 1, 2, 1]);

    const profiles = (await testDb.db.$client.query(`select external_id, first_name, dni, email, birth_date::text as birth from source_profiles where tenant_id = $1 and source = 'erp' order by external_id`, [tenantId])).rows;
    expect(profiles).toEqual([
      { external_id: 'C-1', first_name: 'Ana María', dni: '30.123.456', email: 'ana@example.com', birth: '1985-12-31' },
      { external_id: 'C-4', first_name: 'Dora', dni: null, email: 'dora@example.com', birth: null },
      { external_id: 'C-5', first_name: 'Eva', dni: null, email: 'eva@example.com', birth: null },
      { external_id: 'C-6', first_name: 'Fede', dni: null, email: 'fede@example.com', birth: null },
    ]);
  });

  it('re-importing the same file changes nothing and says so', async () => {
    const csv = 'codigo,email\nR-1,r1@example.com\nR-2,r2@example.com\n';
    await run(await stage('entity=customers', csv));
    const again = await stage('entity=customers', csv);
    expect(await run(again)).toEqual({ rows: 2, written: 2, inserted: 0, updated: 0, unchanged: 2, failed: 0 });
  });

  it('imports orders (decimal commas, dates in the tenant zone) and then their items, an order\'s lines always together', async () => {
    const orders = [
      'Nro Pedido;ID Cliente;Fecha;Estado;Total;Descuento',
      'P-1;C-1;05/03/2024 10:30;facturado;12.345,60;100,00',
      'P-2;C-4;2024-03-06;facturado;1.000;',
      'P-3;C-5;31/02/2024;facturado;10,00;',
      'P-4;C-6;07/03/2024;facturado;5.000,5;',
    ].join('\n');
    const oid = await stage('entity=orders', orders);
    expect(await run(oid)).toMatchObject({ rows: 4, inserted: 3, failed: 1 });
    expect((await importRow(oid)).errors.map((e: { line: number }) => e.line)).toEqual([4]);
    const stored = (await testDb.db.$client.query(`select external_id, source_customer_id, total_minor, discount_minor, status, currency, placed_at from orders where tenant_id = $1 order by external_id`, [tenantId])).rows;
    expect(stored.map((o) => [o.external_id, o.source_customer_id, o.total_minor, o.discount_minor, o.status, o.currency, o.placed_at.toISOString()])).toEqual([
      ['P-1', 'C-1', 1234560, 10000, 'facturado', 'ARS', '2024-03-05T13:30:00.000Z'],
      ['P-2', 'C-4', 100000, null, 'facturado', 'ARS', '2024-03-06T03:00:00.000Z'],
      ['P-4', 'C-6', 500050, null, 'facturado', 'ARS', '2024-03-07T03:00:00.000Z'],
    ]);

    // Lines of P-1 are spread over the file; batches of 2 rows must still write all three together.
    const items = [
      'pedido;sku;descripcion;cantidad;precio',
      'P-1;SKU-1;Yerba 1kg;2;3.500,00',
      'P-2;SKU-9;Mate;1;1.000,00',
      'P-1;SKU-2;Bombilla;1;2.345,60',
      'P-9;SKU-1;Yerba 1kg;1;3.500,00',
      'P-1;SKU-3;Termo;1;3.000,00',
      'P-4;SKU-1;Yerba;1;3.500,00',
      'P-4;SKU-2;Bombilla;-1;2.345,60',
    ].join('\n');
    const iid = await stage('entity=order_items', items);
    const counts = await run(iid, { batchRows: 2 });
    expect(counts).toEqual({ rows: 7, written: 4, inserted: 4, updated: 0, unchanged: 0, failed: 3 });
    expect((await importRow(iid)).errors.sort((a: { line: number }, b: { line: number }) => a.line - b.line)).toEqual([
      { line: 5, reason: 'order "P-9" is not in source "erp": import the orders first' },
      { line: 7, reason: 'not written: line 8 of order "P-4" is invalid, and an order\'s lines are written together' },
      { line: 8, reason: expect.stringContaining('quantity') },
    ]);
    const lines = (await testDb.db.$client.query(
      `select o.external_id, i.sku, i.quantity::float as qty, i.unit_price_minor, i.total_minor, i.position from order_items i join orders o on o.id = i.order_id
       where o.tenant_id = $1 order by o.external_id, i.position`,
      [tenantId],
    )).rows;
    expect(lines.map((l) => [l.external_id, l.sku, l.qty, l.unit_price_minor, l.total_minor, l.position])).toEqual([
      ['P-1', 'SKU-1', 2, 350000, 700000, 0],
      ['P-1', 'SKU-2', 1, 234560, 234560, 1],
      ['P-1', 'SKU-3', 1, 300000, 300000, 2],
      ['P-2', 'SKU-9', 1, 100000, 100000, 0],
    ]);

    // The same lines again: unchanged. A changed order: its items are replaced, counted as updated.
    expect(await run(await stage('entity=order_items', items), { batchRows: 3 })).toMatchObject({ written: 4, unchanged: 4, failed: 3 });
    const changed = 'pedido;sku;cantidad;precio\nP-2;SKU-9;3;1.000,00\n';
    expect(await run(await stage('entity=order_items', changed))).toEqual({ rows: 1, written: 1, inserted: 0, updated: 1, unchanged: 0, failed: 0 });
  });

  it('imports products from JSON-lines, continuing as new along the way', async () => {
    const lines = [
      '{"sku":"A-1","nombre":"Mate imperial","precio":45000.5,"marca":"Pampa","extra":{"color":"negro"}}',
      '{"sku":"A-2","nombre":"Bombilla","precio":"3.200,00"}',
      'not json',
      '',
      '{"sku":"A-3","precio":"10"}',
      '{"sku":"A-4","nombre":"Termo","precio":null}',
    ].join('\n');
    const id = await stage('entity=products&decimal=comma&mapping=' + encodeURIComponent(JSON.stringify({ sku: 'sku', name: 'nombre', price: 'precio', brand: 'marca', 'attributes.color': 'extra.color' })), lines, 'application/x-ndjson');
    const handle = await temporal.client.workflow.start<typeof importFileWorkflow>('importFileWorkflow', {
      workflowId: importWorkflowId(id),
      taskQueue: worker.taskQueue,
      args: [{ tenantId, importId: id, batchRows: 1, maxBatchesPerRun: 2 }],
    });
    const firstRunId = handle.firstExecutionRunId;
    expect(await handle.result()).toEqual({ rows: 5, written: 3, inserted: 3, updated: 0, unchanged: 0, failed: 2 });
    expect((await handle.describe()).runId).not.toBe(firstRunId);
    expect((await importRow(id)).errors).toEqual([
      { line: 3, reason: expect.stringContaining('not valid JSON') },
      { line: 5, reason: 'name (column "nombre"): required, but empty' },
    ]);
    const products = (await testDb.db.$client.query(`select external_id, name, brand, price_minor, currency, attributes from products where tenant_id = $1 order by external_id`, [tenantId])).rows;
    expect(products).toEqual([
      { external_id: 'A-1', name: 'Mate imperial', brand: 'Pampa', price_minor: 4500050, currency: 'ARS', attributes: { color: 'negro' } },
      { external_id: 'A-2', name: 'Bombilla', brand: null, price_minor: 320000, currency: 'ARS', attributes: {} },
      { external_id: 'A-4', name: 'Termo', brand: null, price_minor: null, currency: null, attributes: {} },
    ]);
  });

  it('a cancelled import ends as failed, clears its staging and keeps what earlier batches wrote', async () => {
    const rows = Array.from({ length: 300 }, (_, i) => `X-${i},x${i}@example.com`).join('\n');
    const id = await stage('entity=customers&source=cancel-test', `id,email\n${rows}\n`);
    const handle = await temporal.client.workflow.start<typeof importFileWorkflow>('importFileWorkflow', {
      workflowId: importWorkflowId(id),
      taskQueue: worker.taskQueue,
      args: [{ tenantId, importId: id, batchRows: 1 }],
    });
    await eventually(async () => (await importRow(id)).counts.rows >= 3, 20_000, 'a few batches');
    await handle.cancel();
    await expect(handle.result()).rejects.toThrow();
    const row = await importRow(id);
    expect(row.status).toBe('failed');
    expect(row.error).toBe('Cancelled.');
    expect(await stagedCount(id)).toBe(0);
    const written = (await testDb.db.$client.query(`select count(*)::int as n from source_profiles where tenant_id = $1 and source = 'cancel-test'`, [tenantId])).rows[0].n;
    expect(written).toBe(row.counts.written);
    expect(written).toBeGreaterThanOrEqual(3);
    expect(written).toBeLessThan(300);
  });

  it('records its history for the replay test', async () => {
    const history = await temporal.client.workflow.getHandle(importWorkflowId(recordedImportId!)).fetchHistory();
    // The crash shows in the history as a retried activity, and identity resolution was signalled or started.
    expect(history.events?.some((e) => e.activityTaskStartedEventAttributes?.attempt === 2)).toBe(true);
    expect(history.events?.some((e) => e.startChildWorkflowExecutionInitiatedEventAttributes || e.signalExternalWorkflowExecutionInitiatedEventAttributes)).toBe(true);
    // Regenerate the committed history with RECORD_HISTORIES=1 after an intended workflow change.
    if (process.env.RECORD_HISTORIES) fs.writeFileSync(path.resolve('tests/histories/import-file-workflow.json'), historyToJSON(history));
  });
});
