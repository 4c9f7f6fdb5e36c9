// Receiving uploads at the database level: staging in one transaction, encodings, dry runs, saved mappings.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stageUpload } from '#app/server/imports.server.ts';
import { UserError } from '#core/errors.ts';
import { createConnection } from '#db/queries/connections.ts';
import { keyringFrom } from '#platform/secrets.ts';
import { createTestDatabase } from '../support/db.ts';
import { seedTenant } from '../support/tenants.ts';

let testDb: Awaited<ReturnType<typeof createTestDatabase>>;
let tenantId: string;

beforeAll(async () => {
  testDb = await createTestDatabase();
  ({ tenant: { id: tenantId } } = await seedTenant(testDb.db));
});

afterAll(async () => {
  await testDb?.drop();
});

/** A request whose body arrives in the given pieces, as a slow client would send it. */
function upload(query: string, pieces: (string | Uint8Array)[], contentType = 'text/csv') {
  const enc = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = pieces.shift();
      if (next === undefined) controller.close();
      else controller.enqueue(typeof next === 'string' ? enc.encode(next) : next);
    },
  });
  const request = new Request(`http://test/api/v1/imports?${query}`, { method: 'POST', body, headers: { 'content-type': contentType }, duplex: 'half' } as RequestInit);
  return stageUpload(testDb.db, tenantId, request, request.body!.getReader());
}

const count = async (sql: string) => (await testDb.db.$client.query(sql, [tenantId])).rows[0].n as number;
const imports = () => count('select count(*)::int as n from imports where tenant_id = $1');
const staged = () => count('select count(*)::int as n from import_lines where tenant_id = $1');

async function userError(p: Promise<unknown>): Promise<UserError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UserError);
  return err as UserError;
}

describe('stageUpload', () => {
  it('stages every row in one transaction; an upload that breaks halfway leaves nothing behind', async () => {
    const before = { imports: await imports(), staged: await staged() };
    const rows = Array.from({ length: 20_000 }, (_, i) => `C-${i};c${i}@example.com\n`).join('');
    // Invalid UTF-8 after 20,000 good rows: the whole upload is refused, the rows already copied are rolled back.
    const err = await userError(upload('entity=customers', ['codigo;email\n', rows, new Uint8Array([0x43, 0x2d, 0xff, 0x3b, 0x0a])]));
    expect(err.code).toBe('invalid_file');
    expect(err.message).toContain('windows-1252');
    expect({ imports: await imports(), staged: await staged() }).toEqual(before);

    const ok = await upload('entity=customers', ['codigo;email\n', rows]);
    expect(ok.kind).toBe('staged');
    expect(await staged()).toBe(before.staged + 20_000);
    const row = (await testDb.db.$client.query('select total_rows, bytes_total, options, columns, mapping, status from imports where id = $1', [ok.kind === 'staged' && ok.importId])).rows[0];
    expect(row).toEqual({
      total_rows: 20_000,
      bytes_total: Buffer.byteLength('codigo;email\n' + rows),
      options: { currency: 'ARS', decimal: 'comma', delimiter: ';', encoding: 'utf-8', timeZone: 'America/Argentina/Buenos_Aires' },
      columns: ['codigo', 'email'],
      mapping: { externalId: 'codigo', email: 'email' },
      status: 'running',
    });
  });

  it('reads Windows-1252 files (Excel in Argentina) when the charset says so, and a BOM means UTF-8 whatever it says', async () => {
    const latin1 = Uint8Array.from(Buffer.from('Código;Teléfono\r\nÑ-1;11 4444-5555\r\n', 'latin1'));
    const r = await upload('entity=customers&dryRun=true', [latin1], 'text/csv; charset=windows-1252');
    expect(r.kind === 'dryRun' && r.summary).toMatchObject({ mapping: { externalId: 'Código', phone: 'Teléfono' }, counts: { rows: 1, failed: 0 } });
    const bom = await upload('entity=customers&dryRun=true', ['\uFEFFCódigo,Teléfono\n', 'Ñ-1,1\n'], 'text/csv; charset=windows-1252');
    expect(bom.kind === 'dryRun' && bom.summary.columns).toEqual(['Código', 'Teléfono']);
  });

  it('a dry run validates every row and records counts and the first errors, staging and writing nothing', async () => {
    const before = await staged();
    const r = await upload('entity=orders&dryRun=true', ['pedido;fecha;total\n', 'P-1;01/02/2024;1.234,50\n', 'P-2;31/02/2024;10\n', 'P-3;01/02/2024;12.5\n', 'P-4;01/02/2024;9\n']);
    expect(r.kind).toBe('dryRun');
    if (r.kind !== 'dryRun') return;
    expect(r.summary).toMatchObject({ dryRun: true, status: 'succeeded', counts: { rows: 4, written: 0, failed: 2 } });
    expect(r.summary.errors).toEqual([
      { line: 3, reason: expect.stringContaining('"31/02/2024" is not a valid date') },
      { line: 4, reason: expect.stringContaining('"12.5" is ambiguous') },
    ]);
    expect(await staged()).toBe(before);
    expect(await count("select count(*)::int as n from orders where tenant_id = $1")).toBe(0);
  });

  it('refuses a mapping that names a missing column, or leaves a required field unmapped, before staging anything', async () => {
    const before = await imports();
    const missing = await userError(upload(`entity=customers&mapping=${encodeURIComponent('{"externalId":"codigo","email":"Correo"}')}`, ['codigo,email\n1,a@b.co\n']));
    expect(missing.code).toBe('invalid_mapping');
    expect(missing.details).toEqual([{ path: 'mapping.email', message: expect.stringContaining('column "Correo" is not in the file') }]);
    const required = await userError(upload('entity=orders', ['pedido,bruto\n1,2\n']));
    expect(required.code).toBe('invalid_mapping');
    expect(required.details?.map((d) => d.path)).toEqual(['mapping.total', 'mapping.placedAt']);
    expect(await imports()).toBe(before);
  });

  it('tells empty files and headers without rows apart from bad ones', async () => {
    expect((await userError(upload('entity=customers', []))).code).toBe('empty_file');
    expect((await userError(upload('entity=customers', ['id,email\n', '\n', ';;\n'.replace(/;/g, ',')]))).code).toBe('empty_file');
    expect((await userError(upload('entity=customers', ['"id,email\n1,2\n']))).code).toBe('invalid_file');
    expect((await userError(upload('entity=products', ['[1,2]\n'], 'application/x-ndjson'))).code).toBe('invalid_file');
  });

  it('reuses the mapping saved on a file connection and writes under its source', async () => {
    const ring = keyringFrom('0'.repeat(63) + '1');
    const conn = await createConnection(testDb.db.$client, ring, tenantId, {
      kind: 'file',
      name: 'ERP Tango',
      config: { source: 'tango', mappings: { customers: { externalId: 'Cod. Cliente', email: 'Casilla' } } },
    });
    const r = await upload(`entity=customers&connectionId=${conn.id}&dryRun=true`, ['Cod. Cliente;Casilla;Nombre\n', '1;a@b.co;Ana\n']);
    expect(r.kind === 'dryRun' && r.summary).toMatchObject({ source: 'tango', connectionId: conn.id, mapping: { externalId: 'Cod. Cliente', email: 'Casilla', firstName: 'Nombre' } });
    const clash = await userError(upload(`entity=customers&connectionId=${conn.id}&source=erp`, ['a\n1\n']));
    expect(clash.details).toEqual([{ path: 'source', message: "differs from the connection's source" }]);
  });
});
