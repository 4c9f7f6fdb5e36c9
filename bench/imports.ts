// bench:imports — a generated ERP order export (";" CSV, decimal commas, dd/mm/yyyy dates) streamed through the
// real HTTP API into staging, then processed by the import workflow on the real worker; against a raw COPY of the
// same file into a table of text columns, measured in the same run. Peak memory of every process is sampled
// throughout: the web and worker processes must stay flat whatever the file size.
// The web and worker processes run with a V8 heap capped below the file's size (--heap-mb, default 128): had
// either held the file, it would have died of out-of-memory instead of finishing.
// Usage: npm run bench:imports [-- --mb 200 --heap-mb 128]
import fs from 'node:fs';
import { request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import { createDb } from '#db/client.ts';
import { createApiKey, createTenant } from '#db/queries/tenants.ts';
import { parseEnv } from '#platform/env.ts';
import { startStack } from '#platform/stack.ts';
import { trackPeakRss } from './support/rss.ts';
import { saveBenchResult } from './support/results.ts';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const TARGET_MB = arg('mb', 200);
const HEAP_MB = arg('heap-mb', 128);
const STATUSES = ['facturado', 'entregado', 'pendiente', 'anulado'];
const HEADER = 'Nro Pedido;ID Cliente;Fecha;Estado;Total;Descuento;Envío;Moneda\r\n';

/** Thousands with dots and a decimal comma, as Argentine Excel writes them. */
const arMoney = (cents: number) => `${Math.floor(cents / 100).toLocaleString('de-DE')},${String(cents % 100).padStart(2, '0')}`;

function row(i: number): string {
  const day = 1 + (i % 28);
  const month = 1 + (Math.floor(i / 28) % 12);
  const total = 1000 + ((i * 7919) % 5_000_000);
  const discount = i % 5 === 0 ? arMoney(Math.floor(total / 10)) : '';
  const shipping = i % 3 === 0 ? arMoney(150_000) : '';
  // One row in 10,000 is broken (an impossible date), so the error path is measured too.
  const date = i % 10_000 === 9_999 ? `31/02/2024 10:00` : `${String(day).padStart(2, '0')}/${String(month).padStart(2, '0')}/2024 ${String(i % 24).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}`;
  return `P-${i};C-${i % 250_000};${date};${STATUSES[i % 4]};${arMoney(total)};${discount};${shipping};ARS\r\n`;
}

async function generate(file: string): Promise<{ rows: number; bytes: number }> {
  const out = fs.createWriteStream(file);
  let bytes = 0;
  let rows = 0;
  const write = (s: string) => (out.write(s) ? undefined : new Promise<void>((r) => out.once('drain', () => r())));
  await write(HEADER);
  bytes += Buffer.byteLength(HEADER);
  while (bytes < TARGET_MB * 1e6) {
    let chunk = '';
    for (let k = 0; k < 1000; k++) chunk += row(rows++);
    bytes += Buffer.byteLength(chunk);
    await write(chunk);
  }
  await new Promise<void>((r) => out.end(() => r()));
  return { rows, bytes };
}

function postFile(port: number, key: string, pathAndQuery: string, file: string): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: pathAndQuery, method: 'POST', headers: { 'content-type': 'text/csv', 'content-length': fs.statSync(file).size, authorization: `Bearer ${key}` } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString() || '{}') as Record<string, unknown> }));
      },
    );
    req.on('error', reject);
    fs.createReadStream(file, { highWaterMark: 256 * 1024 }).pipe(req);
  });
}

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nerdistan-bench-'));
  fs.chmodSync(dataDir, 0o755);
  const file = path.join(dataDir, 'pedidos.csv');
  console.log(`bench:imports: ~${TARGET_MB} MB ";" CSV of orders, ${os.cpus().length} cores`);
  const t0 = performance.now();
  const generated = await generate(file);
  console.log(`  generated ${generated.rows.toLocaleString('en')} rows, ${(generated.bytes / 1e6).toFixed(0)} MB in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  // Children inherit it (platform/stack.ts passes the environment on); this process is already running.
  process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --max-old-space-size=${HEAP_MB}`.trim();
  const env = parseEnv({ ...process.env, DATA_DIR: path.join(dataDir, 'stack'), NODE_ENV: 'production', LOG_LEVEL: 'warn', DATABASE_URL: process.env.BENCH_DATABASE_URL, TEMPORAL_ADDRESS: process.env.BENCH_TEMPORAL_ADDRESS });
  const stack = await startStack({ env, webPort: 0, pgPort: 0, temporalPort: 0, persistTemporal: false, childOutput: 'files', progress: (l) => console.log(`  ${l}`) });
  const db = createDb(stack.databaseUrl, 2);
  // Memory of the idle stack first: what the import adds is the difference.
  const idle = trackPeakRss();
  await new Promise((r) => setTimeout(r, 3000));
  const idleMemory = idle.stop();
  const rss = trackPeakRss();
  try {
    const tenant = await createTenant(db, { slug: `bench-${Date.now()}` });
    const { key } = await createApiKey(db, tenant.id, 'bench');
    const port = Number(new URL(stack.webUrl).port);

    // Baseline: PostgreSQL's own CSV COPY of the same file into a table of text columns (no parsing of values,
    // no validation, no upsert): the fastest the bytes can go from disk into the database on this machine.
    await db.$client.query('create table bench_copy (a text, b text, c text, d text, e text, f text, g text, h text)');
    const client = await db.$client.connect();
    const tc = performance.now();
    try {
      await pipeline(fs.createReadStream(file, { highWaterMark: 256 * 1024 }), client.query(copyFrom(`copy bench_copy from stdin with (format csv, delimiter ';', header true)`)));
    } finally {
      client.release();
    }
    const copySeconds = (performance.now() - tc) / 1000;
    await db.$client.query('drop table bench_copy');
    await db.$client.query('checkpoint');

    const tu = performance.now();
    const started = await postFile(port, key, '/api/v1/imports?entity=orders&source=bench&fileName=pedidos.csv', file);
    const uploadSeconds = (performance.now() - tu) / 1000;
    if (started.status !== 202) throw new Error(`upload failed: ${started.status} ${JSON.stringify(started.body)}`);
    const id = started.body.id as string;
    console.log(`  upload + staging: ${uploadSeconds.toFixed(1)} s (${(generated.bytes / 1e6 / uploadSeconds).toFixed(1)} MB/s)`);

    interface ImportState {
      status: string;
      counts: { rows: number; written: number; failed: number };
      progress: { rowsDone: number; rowsTotal: number };
    }
    let final: ImportState;
    let lastLog = 0;
    for (;;) {
      const r = await fetch(`${stack.webUrl}/api/v1/imports/${id}`, { headers: { authorization: `Bearer ${key}` } });
      final = (await r.json()) as ImportState;
      if (final.status !== 'running') break;
      if (performance.now() - lastLog > 10_000) {
        lastLog = performance.now();
        console.log(`  processing: ${final.progress.rowsDone.toLocaleString('en')} / ${final.progress.rowsTotal.toLocaleString('en')} rows`);
      }
      await new Promise((res) => setTimeout(res, 500));
    }
    const totalSeconds = (performance.now() - tu) / 1000;
    const processSeconds = totalSeconds - uploadSeconds;
    const memory = rss.stop();
    const stored = (await db.$client.query<{ n: number }>(`select count(*)::int as n from orders where tenant_id = $1`, [tenant.id])).rows[0]!.n;

    const result = {
      bench: 'imports',
      fileMb: +(generated.bytes / 1e6).toFixed(1),
      heapLimitMb: HEAP_MB,
      rows: generated.rows,
      status: final.status,
      counts: final.counts,
      stored,
      uploadSeconds: +uploadSeconds.toFixed(2),
      processSeconds: +processSeconds.toFixed(2),
      totalSeconds: +totalSeconds.toFixed(2),
      rowsPerSecond: Math.round(generated.rows / totalSeconds),
      uploadRowsPerSecond: Math.round(generated.rows / uploadSeconds),
      processRowsPerSecond: Math.round(generated.rows / processSeconds),
      copySeconds: +copySeconds.toFixed(2),
      copyRowsPerSecond: Math.round(generated.rows / copySeconds),
      ratioToCopy: +(copySeconds / totalSeconds).toFixed(3),
      uploadRatioToCopy: +(copySeconds / uploadSeconds).toFixed(3),
      ...memory,
      idlePeakByProcessMb: idleMemory.peakByProcessMb,
    };
    console.log(`\n  end to end: ${result.rowsPerSecond.toLocaleString('en')} rows/s (${stored.toLocaleString('en')} orders stored, ${final.counts.failed} rows reported, in ${result.totalSeconds} s)`);
    console.log(`    upload + staging: ${result.uploadRowsPerSecond.toLocaleString('en')} rows/s · workflow processing: ${result.processRowsPerSecond.toLocaleString('en')} rows/s`);
    console.log(`  raw COPY of the file: ${result.copyRowsPerSecond.toLocaleString('en')} rows/s (baseline, same run)`);
    console.log(`  ratio to raw COPY: ${result.ratioToCopy} end to end, ${result.uploadRatioToCopy} for the upload`);
    console.log(`  peak memory (PSS): ${memory.peakTotalMb} MB in all; ${JSON.stringify(memory.peakByProcessMb)} for a ${result.fileMb} MB file`);
    console.log(`  idle stack before the upload: ${JSON.stringify(idleMemory.peakByProcessMb)}; web and worker V8 heaps capped at ${HEAP_MB} MB`);
    saveBenchResult('imports', result);
  } finally {
    await db.$client.end();
    await stack.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
