import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { stageUpload } from '#app/server/imports.server.ts';
import { createDb } from '#db/client.ts';
import { runMigrations } from '#db/migrate.ts';
import { inTransaction } from '#db/queries/connections.ts';
import { createTenant } from '#db/queries/tenants.ts';
import { runImportBatch } from '#activities/imports/batch.ts';
import { startEmbeddedPostgres } from '#platform/embedded-postgres.ts';
import { freePort } from '#platform/stack.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prof-'));
fs.chmodSync(dir, 0o755);
const pg = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), port: await freePort() });
try {
  await runMigrations(pg.url);
  const db = createDb(pg.url, 3);
  const tenant = await createTenant(db, { slug: `p-${Date.now()}` });
  let csv = 'Nro Pedido;ID Cliente;Fecha;Estado;Total;Descuento;Envío;Moneda\r\n';
  for (let i = 0; i < 300_000; i++) csv += `P-${i};C-${i % 250000};05/03/2024 10:30;facturado;1.234,50;;1.500,00;ARS\r\n`;
  const req = new Request('http://x/api/v1/imports?entity=orders', { method: 'POST', body: Readable.toWeb(Readable.from([Buffer.from(csv)])) as ReadableStream, headers: { 'content-type': 'text/csv' }, duplex: 'half' } as RequestInit);
  if (process.env.DROP) for (const c of process.env.DROP.split(',')) await db.$client.query(`alter table import_lines drop constraint ${c}`);
  const t0 = performance.now();
  const s = await stageUpload(db, tenant.id, req, req.body!.getReader());
  console.log('stage ms', Math.round(performance.now() - t0), 'rows/s', Math.round(300000 / ((performance.now() - t0) / 1000)));
  if (process.env.ONLY_STAGE) {
    await db.$client.end();
    throw new Error('done');
  }
  const id = (s as { importId: string }).importId;
  const origQuery = db.$client.query.bind(db.$client);
  void origQuery;
  for (let b = 0; b < 20; b++) {
    if (process.env.DROP) for (const c of process.env.DROP.split(',')) await db.$client.query(`alter table import_lines drop constraint ${c}`);
  const t0 = performance.now();
    const times: [string, number][] = [];
    await inTransaction(db, async (tx) => {
      const q = tx.query.bind(tx);
      (tx as unknown as { query: unknown }).query = async (...args: unknown[]) => {
        const t = performance.now();
        const r = await (q as (...a: unknown[]) => Promise<unknown>)(...args);
        const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string }).text ?? '?';
        times.push([text.replace(/\s+/g, ' ').slice(0, 50), Math.round(performance.now() - t)]);
        return r;
      };
      return runImportBatch(tx, id, { limit: 5000, maxBytes: 8 << 20 });
    });
    console.log(b, Math.round(performance.now() - t0), JSON.stringify(times));
  }
  await db.$client.end();
} finally {
  await pg.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}
