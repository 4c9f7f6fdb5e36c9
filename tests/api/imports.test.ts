// POST/GET /api/v1/imports against the running app (web + worker): real uploads, real workflows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnection } from '#db/queries/connections.ts';
import { keyringFrom } from '#platform/secrets.ts';
import { eventually } from '../support/temporal.ts';
import { apiClient, apiTenant, appDatabase, closeAppDatabase, type ApiResponse } from '../support/api.ts';

let t: Awaited<ReturnType<typeof apiTenant>>;
beforeAll(async () => {
  t = await apiTenant('imports');
});
afterAll(closeAppDatabase);

const CSV = 'text/csv';
const NDJSON = 'application/x-ndjson';

function upload(query: string, body: string | undefined, contentType: string | undefined = CSV): Promise<ApiResponse> {
  return t.api.call('POST', `/api/v1/imports?${query}`, body, contentType ? { 'content-type': contentType } : {});
}

/** Uploads and waits for the import workflow to finish; returns the final import. */
async function importFile(query: string, body: string, contentType = CSV) {
  const started = await upload(query, body, contentType);
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  expect(started.headers.get('location')).toBe(`/api/v1/imports/${started.body.id}`);
  expect(started.body).toMatchObject({ status: 'running', dryRun: false, workflowId: `import:${started.body.id}` });
  return eventually(async () => {
    const r = await t.api.get(`/api/v1/imports/${started.body.id}`);
    return r.body.status !== 'running' && r.body;
  }, 30_000, 'the import to finish');
}

const db = () => appDatabase().$client;

describe('POST /api/v1/imports: each entity, CSV and JSON-lines', () => {
  it('imports customers from a ";" CSV with Spanish headers, reporting bad rows by line', async () => {
    const csv = [
      'Código;Nombre;Apellido;DNI;Email;Celular;Fecha de Nacimiento',
      'C-1;Ana;Pérez;30.123.456;ana@example.com;11 5555-0001;31/12/1985',
      'C-2;Bruno;Paz;;bruno(at)example.com;;',
      'C-3;"Carla ""Cali""";Gómez;28111222;carla@example.com;;1/2/1990',
    ].join('\r\n');
    const done = await importFile('entity=customers&fileName=clientes.csv', csv);
    expect(done).toMatchObject({
      status: 'succeeded',
      source: 'erp',
      fileName: 'clientes.csv',
      counts: { rows: 3, written: 2, inserted: 2, updated: 0, unchanged: 0, failed: 1 },
      progress: { bytesRead: Buffer.byteLength(csv), bytesTotal: Buffer.byteLength(csv), rowsDone: 3, rowsTotal: 3, percent: 100 },
      mapping: { externalId: 'Código', firstName: 'Nombre', lastName: 'Apellido', dni: 'DNI', email: 'Email', phone: 'Celular', birthDate: 'Fecha de Nacimiento' },
      options: { delimiter: ';', decimal: 'comma' },
      errors: [{ line: 3, reason: 'email (column "Email"): Invalid email address' }],
    });
    const rows = (await db().query(`select external_id, first_name, birth_date::text as birth from source_profiles where tenant_id = $1 order by external_id`, [t.tenant.id])).rows;
    expect(rows).toEqual([
      { external_id: 'C-1', first_name: 'Ana', birth: '1985-12-31' },
      { external_id: 'C-3', first_name: 'Carla "Cali"', birth: '1990-02-01' },
    ]);
  });

  it('imports customers from JSON-lines (nested keys, numbers as ids)', async () => {
    const lines = ['{"id": 501, "email": "dora@example.com", "nombre": "Dora", "domicilio": {"ciudad": "Rosario"}}', '{"id": 502, "email": "eva@example.com"}'].join('\n');
    const done = await importFile(`entity=customers&mapping=${encodeURIComponent(JSON.stringify({ externalId: 'id', email: 'email', firstName: 'nombre', 'address.city': 'domicilio.ciudad' }))}`, lines, NDJSON);
    expect(done).toMatchObject({ status: 'succeeded', format: 'jsonl', counts: { rows: 2, inserted: 2, failed: 0 } });
    const dora = (await db().query(`select address from source_profiles where tenant_id = $1 and external_id = '501'`, [t.tenant.id])).rows[0];
    expect(dora.address).toEqual({ city: 'Rosario' });
  });

  it('imports orders from a ";" CSV with decimal commas, and from JSON-lines', async () => {
    const csv = ['Nro Pedido;ID Cliente;Fecha;Total;Envío;Moneda', 'P-1;C-1;05/03/2024 10:30;12.345,60;1.500,00;ARS', 'P-2;C-3;06/03/2024;999,99;;', 'P-3;C-3;06/03/2024;1.234.5;;'].join('\n');
    const done = await importFile('entity=orders', csv);
    expect(done.counts).toEqual({ rows: 3, written: 2, inserted: 2, updated: 0, unchanged: 0, failed: 1 });
    expect(done.errors).toEqual([{ line: 4, reason: expect.stringContaining('total (column "Total")') }]);
    const jsonl = '{"order": "P-10", "customer": "501", "date": "2024-04-01T12:00:00-03:00", "amount": 2500.5, "status": "paid"}\n';
    const done2 = await importFile(`entity=orders&mapping=${encodeURIComponent(JSON.stringify({ externalId: 'order', customerExternalId: 'customer', placedAt: 'date', total: 'amount', status: 'status' }))}`, jsonl, NDJSON);
    expect(done2.counts).toMatchObject({ rows: 1, inserted: 1 });
    const orders = (await db().query(`select external_id, total_minor, shipping_minor, currency, status, placed_at from orders where tenant_id = $1 order by external_id`, [t.tenant.id])).rows;
    expect(orders.map((o) => [o.external_id, o.total_minor, o.shipping_minor, o.currency, o.status, o.placed_at.toISOString()])).toEqual([
      ['P-1', 1234560, 150000, 'ARS', 'completed', '2024-03-05T13:30:00.000Z'],
      ['P-10', 250050, null, 'ARS', 'paid', '2024-04-01T15:00:00.000Z'],
      ['P-2', 99999, null, 'ARS', 'completed', '2024-03-06T03:00:00.000Z'],
    ]);
  });

  it('imports order items from CSV and JSON-lines; items of unknown orders are reported', async () => {
    const csv = ['pedido;sku;descripcion;cantidad;precio', 'P-1;SKU-1;Yerba;2;3.500,00', 'P-404;SKU-1;Yerba;1;3.500,00', 'P-1;SKU-2;Mate;1;5.345,60'].join('\n');
    const done = await importFile('entity=order_items', csv);
    expect(done.counts).toEqual({ rows: 3, written: 2, inserted: 2, updated: 0, unchanged: 0, failed: 1 });
    expect(done.errors).toEqual([{ line: 3, reason: 'order "P-404" is not in source "erp": import the orders first' }]);
    const jsonl = '{"order_id":"P-2","sku":"SKU-9","qty":3,"unit_price":"333,33"}\n';
    const done2 = await importFile('entity=order_items&decimal=comma', jsonl, NDJSON);
    expect(done2).toMatchObject({ mapping: { orderExternalId: 'order_id', sku: 'sku', quantity: 'qty', unitPrice: 'unit_price' }, counts: { inserted: 1 } });
    const items = (await db().query(
      `select o.external_id, i.sku, i.quantity::float as q, i.unit_price_minor, i.total_minor from order_items i join orders o on o.id = i.order_id where o.tenant_id = $1 order by o.external_id, i.position`,
      [t.tenant.id],
    )).rows;
    expect(items).toEqual([
      { external_id: 'P-1', sku: 'SKU-1', q: 2, unit_price_minor: 350000, total_minor: 700000 },
      { external_id: 'P-1', sku: 'SKU-2', q: 1, unit_price_minor: 534560, total_minor: 534560 },
      { external_id: 'P-2', sku: 'SKU-9', q: 3, unit_price_minor: 33333, total_minor: 99999 },
    ]);
  });

  it('imports products from CSV and JSON-lines', async () => {
    const csv = ['SKU;Descripción;Rubro;Marca;Precio', 'SKU-1;Yerba 1kg;Almacén;Playadito;3.500,00', 'SKU-2;;Almacén;;10,00'].join('\n');
    const done = await importFile('entity=products', csv);
    expect(done.counts).toMatchObject({ rows: 2, inserted: 1, failed: 1 });
    expect(done.errors).toEqual([{ line: 3, reason: 'name (column "Descripción"): required, but empty' }]);
    const done2 = await importFile('entity=products', '{"sku":"SKU-9","name":"Termo","price":12000}\n', NDJSON);
    expect(done2.counts).toMatchObject({ rows: 1, inserted: 1 });
    const products = (await db().query(`select external_id, name, category, brand, price_minor from products where tenant_id = $1 order by external_id`, [t.tenant.id])).rows;
    expect(products).toEqual([
      { external_id: 'SKU-1', name: 'Yerba 1kg', category: 'Almacén', brand: 'Playadito', price_minor: 350000 },
      { external_id: 'SKU-9', name: 'Termo', category: null, brand: null, price_minor: 1200000 },
    ]);
  });
});

describe('dry runs', () => {
  it('answers 200 with counts and the first errors, and writes nothing', async () => {
    const csv = ['codigo;email', 'D-1;d1@example.com', 'D-2;nope', ';d3@example.com'].join('\n');
    const r = await upload('entity=customers&dryRun=true&source=dry', csv);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      dryRun: true,
      status: 'succeeded',
      workflowId: null,
      counts: { rows: 3, written: 0, failed: 2 },
      errors: [
        { line: 3, reason: 'email (column "email"): Invalid email address' },
        { line: 4, reason: 'externalId (column "codigo"): required, but empty' },
      ],
    });
    const n = (await db().query(`select count(*)::int as n from source_profiles where tenant_id = $1 and source = 'dry'`, [t.tenant.id])).rows[0].n;
    expect(n).toBe(0);
    const listed = await t.api.get('/api/v1/imports?limit=200');
    expect(listed.body.data.find((i: { id: string }) => i.id === r.body.id)).toMatchObject({ dryRun: true });
  });
});

describe('mappings saved on a file connection', () => {
  it('saves the mapping of an import and reuses it on the next upload', async () => {
    const conn = await createConnection(db(), keyringFrom('0'.repeat(63) + '1'), t.tenant.id, { kind: 'file', name: 'Tango', config: { source: 'tango', mappings: {} } });
    const mapping = { externalId: 'Cod', email: 'Casilla' };
    const first = await importFile(`entity=customers&connectionId=${conn.id}&mapping=${encodeURIComponent(JSON.stringify(mapping))}`, 'Cod,Casilla\nT-1,t1@example.com\n');
    expect(first).toMatchObject({ source: 'tango', connectionId: conn.id, counts: { inserted: 1 } });
    const saved = (await db().query('select config from connections where id = $1', [conn.id])).rows[0].config;
    expect(saved).toEqual({ source: 'tango', mappings: { customers: mapping } });
    const second = await upload(`entity=customers&connectionId=${conn.id}&dryRun=true`, 'Cod,Casilla\nT-2,t2@example.com\n');
    expect(second.body).toMatchObject({ mapping, counts: { rows: 1, failed: 0 } });
  });
});

describe('errors', () => {
  it.each([
    ['an unknown entity', 'entity=invoices', 'a\n1\n', CSV, 400, 'invalid_request', 'entity'],
    ['a mapping naming a missing column', `entity=customers&mapping=${encodeURIComponent('{"externalId":"codigo","email":"Correo"}')}`, 'codigo,email\n1,a@b.co\n', CSV, 400, 'invalid_mapping', 'mapping.email'],
    ['a mapping that is not JSON', 'entity=customers&mapping=codigo', 'codigo\n1\n', CSV, 400, 'invalid_mapping', 'mapping'],
    ['a required field left unmapped', 'entity=orders', 'pedido,cosa\n1,2\n', CSV, 400, 'invalid_mapping', 'mapping.total'],
    ['JSON instead of a file', 'entity=customers', '{"a":1}', 'application/json', 415, 'unsupported_media_type', undefined],
    ['multipart', 'entity=customers', '--x\r\n\r\n--x--', 'multipart/form-data; boundary=x', 415, 'unsupported_media_type', undefined],
    ['a format that contradicts the Content-Type', 'entity=customers&format=jsonl', 'a\n1\n', CSV, 415, 'unsupported_media_type', undefined],
    ['an unknown charset', 'entity=customers', 'a\n1\n', 'text/csv; charset=ebcdic', 415, 'unsupported_media_type', undefined],
    ['an empty file', 'entity=customers', '', CSV, 400, 'empty_file', undefined],
    ['a header without rows', 'entity=customers', 'codigo,email\n', CSV, 400, 'empty_file', undefined],
    ['an unreadable header', 'entity=customers', '"codigo,email\n1,2\n', CSV, 400, 'invalid_file', undefined],
    ['a JSON-lines file that does not start with an object', 'entity=products', 'hello\n', NDJSON, 400, 'invalid_file', undefined],
    ['an unknown connection', 'entity=customers&connectionId=00000000-0000-4000-8000-000000000000', 'a\n1\n', CSV, 404, 'not_found', undefined],
  ])('%s → %i %s', async (_what, query, body, type, status, code, path) => {
    const r = await upload(query, body, type);
    expect(r.status, JSON.stringify(r.body)).toBe(status);
    expect(r.body.error.code).toBe(code);
    expect(r.body.error.message).toBeTruthy();
    if (path) expect(r.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
  });

  it('needs an API key, and 404s imports of other tenants', async () => {
    const noKey = await apiClient().call('POST', '/api/v1/imports?entity=customers', 'a\n1\n', { 'content-type': CSV });
    expect(noKey.status).toBe(401);
    const other = await apiTenant('imports-other');
    const mine = await upload('entity=customers&dryRun=true', 'codigo\nX-1\n');
    expect((await other.api.get(`/api/v1/imports/${mine.body.id}`)).status).toBe(404);
    expect((await t.api.get(`/api/v1/imports/${mine.body.id}`)).status).toBe(200);
    expect((await t.api.get('/api/v1/imports/not-a-uuid')).status).toBe(404);
  });

  it('pages the list with a cursor', async () => {
    const page = await t.api.get('/api/v1/imports?limit=2');
    expect(page.status).toBe(200);
    expect(page.body.data).toHaveLength(2);
    const next = await t.api.get(`/api/v1/imports?limit=2&cursor=${page.body.nextCursor}`);
    expect(next.body.data[0].id).not.toBe(page.body.data[1].id);
    expect(new Date(next.body.data[0].startedAt) <= new Date(page.body.data[1].startedAt)).toBe(true);
    expect((await t.api.get('/api/v1/imports?cursor=bogus')).status).toBe(400);
  });
});
