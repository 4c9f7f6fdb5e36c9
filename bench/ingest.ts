// bench:ingest — 1,000,000 events through the real HTTP API (batches of 1,000, concurrent clients) into
// PostgreSQL, against a raw COPY of the same rows into the same table, measured in the same run.
// Usage: npm run bench:ingest [-- --events 1000000 --batch 1000 --clients 4]
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { Agent, request } from 'node:http';
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
const TOTAL = arg('events', 1_000_000);
const BATCH = arg('batch', 1000);
const CLIENTS = arg('clients', 4);
const USERS = 100_000;
const EVENTS = ['Product Viewed', 'Product Added', 'Cart Viewed', 'Checkout Started', 'Order Completed', 'Products Searched'];

function makeEvent(i: number, runId: string) {
  const user = (i * 7919) % USERS;
  return {
    type: 'track' as const,
    messageId: `${runId}-${i}`,
    event: EVENTS[i % EVENTS.length]!,
    userId: `user-${user}`,
    properties: { sku: `SKU-${(i * 31) % 5000}`, price: 1000 + (i % 90_000), currency: 'ARS', category: `cat-${i % 40}` },
    context: { ip: `10.0.${i % 255}.${(i * 3) % 255}`, userAgent: 'Mozilla/5.0 (bench)', locale: 'es-AR' },
    timestamp: new Date(Date.UTC(2026, 10, 1) + i * 1000).toISOString(),
  };
}

function post(agent: Agent, port: number, key: string, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/api/v1/events', method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${key}` } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const tsvEscape = (v: string | null) => (v === null ? '\\N' : v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r'));

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nerdistan-bench-'));
  fs.chmodSync(dataDir, 0o755);
  const rss = trackPeakRss();
  console.log(`bench:ingest: ${TOTAL.toLocaleString('en')} events, batches of ${BATCH}, ${CLIENTS} concurrent clients, ${os.cpus().length} cores`);
  const env = parseEnv({ ...process.env, DATA_DIR: dataDir, NODE_ENV: 'production', LOG_LEVEL: 'warn', DATABASE_URL: process.env.BENCH_DATABASE_URL, TEMPORAL_ADDRESS: process.env.BENCH_TEMPORAL_ADDRESS });
  const stack = await startStack({ env, webPort: 0, pgPort: 0, temporalPort: 0, persistTemporal: false, childOutput: 'files', progress: (l) => console.log(`  ${l}`) });
  const db = createDb(stack.databaseUrl, 2);
  try {
    const tenant = await createTenant(db, { slug: `bench-${Date.now()}` });
    const { key } = await createApiKey(db, tenant.id, 'bench');
    const port = Number(new URL(stack.webUrl).port);
    const runId = randomUUID().slice(0, 8);

    // Bodies are built before the clock starts: the figure is the server's, not the generator's.
    const bodies: string[] = [];
    for (let start = 0; start < TOTAL; start += BATCH) {
      const batch = [];
      for (let i = start; i < Math.min(start + BATCH, TOTAL); i++) batch.push(makeEvent(i, runId));
      bodies.push(JSON.stringify({ batch }));
    }
    const mb = bodies.reduce((s, b) => s + b.length, 0) / 1e6;
    console.log(`  payload: ${bodies.length} requests, ${mb.toFixed(0)} MB of JSON`);

    // Warm up the server's JIT and connection pool on a separate tenant-free slice (not counted).
    const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
    const warm = Array.from({ length: 5 }, (_, w) => JSON.stringify({ batch: Array.from({ length: BATCH }, (_, i) => makeEvent(i, `warm${w}-${runId}`)) }));
    for (const b of warm) await post(agent, port, key, b);

    // Baseline first: COPY the same rows (same columns, same table and indexes) into the empty table,
    // then empty it again so the API run starts from the same state.
        const received = new Date().toISOString();
    const rows = function* () {
      for (let i = 0; i < TOTAL; i++) {
        const e = makeEvent(i, runId);
        yield [tenant.id, e.messageId, e.type, e.event, e.userId, null, JSON.stringify(e.properties), null, JSON.stringify(e.context), e.timestamp, null, received]
          .map(tsvEscape)
          .join('\t') + '\n';
      }
    };
    const client = await db.$client.connect();
    const t1 = performance.now();
    try {
      const copy = client.query(
        copyFrom(`copy events (tenant_id, message_id, type, event, user_id, anonymous_id, properties, traits, context, "timestamp", sent_at, received_at) from stdin`),
      );
      await pipeline(Readable.from(rows(), { objectMode: false }), copy);
    } finally {
      client.release();
    }
    const copySeconds = (performance.now() - t1) / 1000;
    const copyRate = TOTAL / copySeconds;
    await db.$client.query('truncate events');
    await db.$client.query('vacuum analyze events');

    let next = 0;
    let failures = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (next < bodies.length) {
          const body = bodies[next++]!;
          const res = await post(agent, port, key, body);
          if (res.status !== 200) {
            failures++;
            if (failures < 5) console.error(`  request failed: ${res.status} ${res.text.slice(0, 200)}`);
          }
        }
      }),
    );
    const apiSeconds = (performance.now() - t0) / 1000;
    agent.destroy();
    const stored = (await db.$client.query<{ n: number }>('select count(*)::int as n from events where tenant_id = $1', [tenant.id])).rows[0]!.n;
    const apiRate = stored / apiSeconds;

    const memory = rss.stop();

    const result = {
      bench: 'ingest',
      events: TOTAL,
      stored,
      failedRequests: failures,
      batch: BATCH,
      clients: CLIENTS,
      apiSeconds: +apiSeconds.toFixed(2),
      eventsPerSecond: Math.round(apiRate),
      copySeconds: +copySeconds.toFixed(2),
      copyEventsPerSecond: Math.round(copyRate),
      ratioToCopy: +(apiRate / copyRate).toFixed(3),
      targets: { eventsPerSecond: 20_000, ratioToCopy: 0.25 },
      ...memory,
    };
    console.log(`\n  API:   ${result.eventsPerSecond.toLocaleString('en')} events/s (${stored.toLocaleString('en')} stored in ${result.apiSeconds} s, ${failures} failed requests)`);
    console.log(`  COPY:  ${result.copyEventsPerSecond.toLocaleString('en')} events/s (baseline, same table, same run)`);
    console.log(`  ratio: ${result.ratioToCopy} (target ≥ 0.25)   target ≥ 20,000 events/s: ${result.eventsPerSecond >= 20_000 ? 'met' : 'NOT met'}`);
    console.log(`  peak memory (PSS, all processes): ${memory.peakTotalMb} MB ${JSON.stringify(memory.peakByProcessMb)}`);
    saveBenchResult('ingest', result);
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
