// Demo data for a local install (`npm run demo:seed`): the "demo" workspace gets a VTEX connection to a fake VTEX
// store (tests/fakes, served by the seed process itself) that syncs a few thousand Argentine orders, customers and
// products through the real connector workflows, and an ERP file connection with a CSV of customers imported
// through the real import pipeline (some of them are also VTEX shoppers, so identity resolution has work to do).
// Idempotent: connections are found by name, the CSV is imported once, the store is the same on every run.
import type { Client } from '@temporalio/client';
import { createConnectionFor, patchConnectionFor, syncNowFor, type ConnectionsDeps, type SyncStartedView } from '#app/server/connections.server.ts';
import { stageUpload, startImportWorkflow } from '#app/server/imports.server.ts';
import { createConnectionRequest, patchConnectionRequest } from '#core/api/connections.ts';
import type { Db } from '#db/client.ts';
import { listConnections } from '#db/queries/connections.ts';
import { createTenant, getTenantBySlug } from '#db/queries/tenants.ts';
import { VtexDataset } from '../../tests/fakes/vtex-data.ts';

export const DEMO_TENANT = 'demo';
export const DEMO_VTEX_CONNECTION = 'Tienda demo (VTEX de prueba)';
export const DEMO_FILE_CONNECTION = 'ERP demo (archivos CSV)';
export const DEMO_CSV_NAME = 'clientes-erp-demo.csv';

const DAY = 86_400_000;

export interface DemoStoreOptions {
  /** Orders are spread over the year before this instant (kept in DATA_DIR, so every run serves the same store). */
  anchorMs: number;
  orders?: number;
  customers?: number;
  products?: number;
}

/** The demo VTEX store: same options, same customers, products and orders (ids, dates, amounts). */
export function demoDataset(opts: DemoStoreOptions): VtexDataset {
  const data = new VtexDataset({ seed: 2026, customers: opts.customers ?? 1200, products: opts.products ?? 120 });
  data.addOrders(opts.orders ?? 3000, { from: opts.anchorMs - 365 * DAY, to: opts.anchorMs - DAY, spike: { at: opts.anchorMs - 200 * DAY, spanMs: 3 * DAY, count: 300 } });
  return data;
}

const csvCell = (v: string | null | undefined) => {
  const s = v ?? '';
  return /[";\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/**
 * An ERP export of customers as an Argentine back office writes it (";" separated, Spanish headers): every third
 * VTEX shopper with the same e-mail or DNI (so profiles from both sources resolve to one customer), plus shoppers
 * only the ERP knows (phone sales, the physical store).
 */
export function demoCustomersCsv(data: VtexDataset): string {
  const header = ['cod_cliente', 'nombre', 'apellido', 'email', 'dni', 'telefono', 'fecha_nacimiento', 'ciudad', 'provincia', 'codigo_postal'];
  const lines = [header.join(';')];
  data.customers.forEach((c, i) => {
    if (i % 3 !== 0) return;
    const dni = c.documentType === 'cuit' ? null : c.document.replace(/\D/g, '');
    lines.push([`C${String(10_000 + i)}`, c.firstName, c.lastName, i % 2 ? c.email.toUpperCase() : c.email, dni, c.phone, c.birthDate?.slice(0, 10), c.address.city, c.address.state, c.address.postalCode].map(csvCell).join(';'));
  });
  // ERP-only shoppers: reuse names and places from the store, with their own ids, e-mails and DNIs.
  for (let k = 0; k < 200; k++) {
    const a = data.customers[(k * 7) % data.customers.length]!;
    const b = data.customers[(k * 13 + 5) % data.customers.length]!;
    const email = `${a.firstName}.${b.lastName}.${k}@mostrador.com.ar`.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/\s+/g, '');
    lines.push([`M${String(50_000 + k)}`, a.firstName, b.lastName, email, String(40_000_000 + k * 9973), `+54911${String(40_000_000 + k * 7919).slice(0, 8)}`, null, b.address.city, b.address.state, b.address.postalCode].map(csvCell).join(';'));
  }
  return lines.join('\n') + '\n';
}

export interface DemoVtexStore {
  url: string;
  account: string;
  appKey: string;
  appToken: string;
  /** Backfill from here (the store's first order, minus a day). */
  backfillFrom: string;
}

export interface DemoSeedReport {
  tenantId: string;
  tenantCreated: boolean;
  vtex: { connectionId: string; created: boolean; sync: SyncStartedView };
  file: { connectionId: string; created: boolean; importId: string; imported: boolean };
}

/**
 * Makes the demo workspace hold the demo connections and starts their data flowing: a VTEX sync (joined when one is
 * running) and, once only, the ERP customers import. Returns at once; the syncs and the import run on the worker.
 */
export async function seedDemo(deps: ConnectionsDeps & { temporalClient: Client }, store: DemoVtexStore, csv: string): Promise<DemoSeedReport> {
  const { db } = deps;
  let tenant = await getTenantBySlug(db, DEMO_TENANT);
  const tenantCreated = !tenant;
  tenant ??= await createTenant(db, { slug: DEMO_TENANT, name: 'Demo store' });
  const tenantId = tenant.id;
  const byName = async (name: string) => (await listConnections(db.$client, tenantId)).find((c) => c.name === name);

  // VTEX: created once; on later runs pointed at the store again (its port may differ) and resumed if paused.
  const found = await byName(DEMO_VTEX_CONNECTION);
  let vtex: { id: string } | undefined = found;
  const credentials = { appKey: store.appKey, appToken: store.appToken };
  if (!found) {
    const config = { account: store.account, baseUrl: store.url, backfillFrom: store.backfillFrom, streams: { customers: true, orders: true, products: true } };
    vtex = await createConnectionFor(tenantId, createConnectionRequest.parse({ kind: 'vtex', name: DEMO_VTEX_CONNECTION, config, credentials }), deps);
  } else if ((found.config as { baseUrl?: string }).baseUrl !== store.url || found.status !== 'active')
    await patchConnectionFor(tenantId, found.id, patchConnectionRequest.parse({ config: { baseUrl: store.url }, credentials, status: 'active' }), deps);
  const sync = await syncNowFor(tenantId, vtex!.id, deps);

  // ERP file connection and its customers CSV, imported once (an earlier import that failed is retried).
  const foundFile = await byName(DEMO_FILE_CONNECTION);
  const fileId = foundFile?.id ?? (await createConnectionFor(tenantId, createConnectionRequest.parse({ kind: 'file', name: DEMO_FILE_CONNECTION }), deps)).id;
  const earlier = await db.$client.query<{ id: string }>(
    `select id from imports where tenant_id = $1 and connection_id = $2 and file_name = $3 and not dry_run and status <> 'failed' order by started_at limit 1`,
    [tenantId, fileId, DEMO_CSV_NAME],
  );
  const importId = earlier.rows[0]?.id ?? (await importCsv(db, { client: deps.temporalClient, taskQueue: deps.taskQueue }, tenantId, fileId, csv));
  return {
    tenantId,
    tenantCreated,
    vtex: { connectionId: vtex!.id, created: !found, sync },
    file: { connectionId: fileId, created: !foundFile, importId, imported: !earlier.rows[0] },
  };
}

/** The same path as an upload to POST /api/v1/imports: staged in one transaction, then processed by importFileWorkflow. */
async function importCsv(db: Db, temporal: { client: Client; taskQueue: string }, tenantId: string, connectionId: string, csv: string): Promise<string> {
  const query = new URLSearchParams({ entity: 'customers', connectionId, fileName: DEMO_CSV_NAME });
  const request = new Request(`http://demo.local/api/v1/imports?${query}`, { method: 'POST', headers: { 'content-type': 'text/csv; charset=utf-8' }, body: csv });
  const staged = await stageUpload(db, tenantId, request, request.body!.getReader());
  if (staged.kind !== 'staged') throw new Error('the demo import was read as a dry run');
  await startImportWorkflow(tenantId, staged.importId, temporal);
  return staged.importId;
}
