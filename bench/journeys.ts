// bench:journeys — N customers (default 10,000) enter a journey delay (1 s) → split → email → exit through the batch
// workflow, on a Temporal dev server with an in-process worker over embedded PostgreSQL. In the same run and on the
// same server and worker: the rate of a minimal workflow (one no-op activity) as the ceiling. Also: workflow tasks
// per node visited from a sample of histories, and peak RSS of the processes involved.
// The email step is the real `sendMessage` activity (Liquid + MJML render, consent, caps, the messages row) over SMTP to
// an in-process smtp-server that accepts and discards every message.
// Usage: npm run bench:journeys [-- --customers 10000]
import os from 'node:os';
import path from 'node:path';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createActivities } from '#activities/index.ts';
import { mapLimit } from '#activities/connectors/http.ts';
import { createJourneyActivities } from '#activities/journeys/index.ts';
import { createMessagingActivities } from '#activities/messaging/messaging.activities.ts';
import { closeEmailTransports } from '#activities/messaging/transport.ts';
import { journeyDefinition } from '#core/journeys/definition.ts';
import { createTemplate } from '#db/queries/message-templates.ts';
import { putEmailSettings } from '#db/queries/messaging-settings.ts';
import { createTenant } from '#db/queries/tenants.ts';
import { keyringFrom } from '#platform/secrets.ts';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { journeyBatchWorkflowId } from '#workflows/journeys/journey.contract.ts';
import { cpuSeconds, trackPeakRss } from './support/rss.ts';
import { saveBenchResult } from './support/results.ts';
import { benchScratch } from './support/scratch.ts';
import { startBenchStack } from './support/stack.ts';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const CUSTOMERS = arg('customers', 10_000);
const RATE = arg('rate', 5000);
const SAMPLE = 20;
const MINIMAL_IN_FLIGHT = arg('in-flight', 100);
const TARGET_RATIO = 0.5;
const TARGET_TASKS_PER_NODE = 3;
const TASK_QUEUE = 'bench-journeys';
const BODY = `<mjml><mj-body><mj-section><mj-column><mj-text>Hola {{ customer.email }}</mj-text>
<mj-button href="https://shop.example.com/offer">Ver oferta</mj-button></mj-column></mj-section></mj-body></mjml>`;

/** An SMTP server that accepts and drops every message, counting them. */
async function startSink(): Promise<{ port: number; received: () => number; close: () => Promise<void> }> {
  let received = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, cb) {
      stream.on('data', () => {});
      stream.on('end', () => {
        received++;
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.server.address() as AddressInfo).port, received: () => received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

async function main() {
  // Overload warnings (slow workflow tasks) would drown the figures; errors still show.
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const { dataDir, onStop, stopAll } = benchScratch('journeys');
  const rss = trackPeakRss(process.pid, 2000);

  try {
    console.log(`bench:journeys: ${CUSTOMERS.toLocaleString('en')} customers through delay (1 s) → split → email → exit, ${os.cpus().length} cores`);
    const { db, client, temporalAddress } = await startBenchStack({ dataDir, onStop }, { dbPoolSize: 12 });

    const tenant = await createTenant(db, { slug: 'bench-journeys' });
    const keyring = keyringFrom('0'.repeat(63) + '1');
    const sink = await startSink();
    onStop(() => sink.close());
    await putEmailSettings(db.$client, keyring, tenant.id, { host: '127.0.0.1', port: sink.port, secure: false, from: 'Bench <bench@shop.example.com>' }, null);
    const TEMPLATE = (await createTemplate(db.$client, tenant.id, { name: 'Bench', channel: 'email', category: 'marketing', subject: 'Oferta', body: BODY })).id;
    const { rows: customers } = await db.$client.query<{ id: string }>(
      `insert into customers (tenant_id, email, attributes)
       select $1, 'c' || g || '@bench.test', jsonb_build_object('vip', g % 2 = 0) from generate_series(1, $2::int) g returning id`,
      [tenant.id, CUSTOMERS],
    );
    const definition = journeyDefinition.parse({
      nodes: [
        { id: 'entry', type: 'entry', trigger: { kind: 'api' }, next: 'delay' },
        { id: 'delay', type: 'delay', delay: { kind: 'duration', seconds: 1 }, next: 'split' },
        { id: 'split', type: 'split', branches: [{ id: 'vip', condition: { kind: 'attribute', key: 'vip', predicate: { type: 'boolean', op: 'is_true' } }, next: 'email' }], elseNext: 'email' },
        { id: 'email', type: 'message', channel: 'email', templateId: TEMPLATE, next: 'exit' },
        { id: 'exit', type: 'exit' },
      ],
    });
    const { rows: j } = await db.$client.query<{ id: string }>(`insert into journeys (tenant_id, name, status, draft, latest_version) values ($1, 'bench', 'active', $2, 1) returning id`, [
      tenant.id,
      JSON.stringify(definition),
    ]);
    const journeyId = j[0]!.id;
    await db.$client.query('insert into journey_versions (journey_id, version, tenant_id, definition) values ($1, 1, $2, $3)', [journeyId, tenant.id, JSON.stringify(definition)]);

    const workerConnection = await NativeConnection.connect({ address: temporalAddress });
    onStop(() => workerConnection.close());
    const worker = await Worker.create({
      connection: workerConnection,
      taskQueue: TASK_QUEUE,
      workflowsPath: path.resolve('bench/support/journey-bench.workflows.ts'),
      activities: {
        ...createActivities({ db }),
        ...createJourneyActivities({ db, temporal: async () => client, taskQueue: TASK_QUEUE }),
        ...createMessagingActivities({ db, keyring }),
        benchNoop: async () => {},
      },
    });
    const running = worker.run();
    onStop(async () => {
      worker.shutdown();
      await running;
      closeEmailTransports();
    });

    // Ceiling: N minimal workflows (one no-op activity), started as fast as the client can.
    const cpu0 = cpuSeconds();
    let t = performance.now();
    // Lanes of start → result keep a bounded number in flight: flooding the worker only times its tasks out.
    await mapLimit(
      customers.map((_, i) => i),
      MINIMAL_IN_FLIGHT,
      async (i) => {
        await client.workflow.execute('benchMinimalWorkflow', { workflowId: `bench-min-${i}`, taskQueue: TASK_QUEUE, args: [] });
      },
    );
    const minimalSeconds = (performance.now() - t) / 1000;
    const minimalRate = CUSTOMERS / minimalSeconds;
    console.log(`  ceiling: ${CUSTOMERS.toLocaleString('en')} minimal workflows in ${minimalSeconds.toFixed(1)} s = ${minimalRate.toFixed(0)} workflows/s`);

    // The journey: every customer entered by the batch workflow, completed when journey_entries says so.
    const cpu1 = cpuSeconds();
    t = performance.now();
    const batchId = 'bench';
    await client.workflow.start('journeyBatchEntryWorkflow', {
      workflowId: journeyBatchWorkflowId(tenant.id, journeyId, batchId),
      taskQueue: TASK_QUEUE,
      args: [{ tenantId: tenant.id, journeyId, batchId, customerIds: customers.map((c) => c.id), ratePerSecond: RATE }],
    });
    for (;;) {
      const { rows } = await db.$client.query<{ n: number }>(`select count(*)::int as n from journey_entries where journey_id = $1 and status = 'completed'`, [journeyId]);
      if (rows[0]!.n >= CUSTOMERS) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const journeySeconds = (performance.now() - t) / 1000;
    const journeyRate = CUSTOMERS / journeySeconds;
    const cpu2 = cpuSeconds();
    console.log(`  journey: ${CUSTOMERS.toLocaleString('en')} customers completed in ${journeySeconds.toFixed(1)} s = ${journeyRate.toFixed(0)} customers/s`);
    const { rows: counts } = await db.$client.query<{ messages: number; steps: number }>(
      `select (select count(*)::int from messages where journey_id = $1) as messages, (select count(*)::int from journey_steps where journey_id = $1) as steps`,
      [journeyId],
    );

    // Workflow tasks per node visited, from a sample of run histories.
    const { rows: sample } = await db.$client.query<{ workflow_id: string; steps: number }>(
      `select e.workflow_id, count(s.*)::int as steps from journey_entries e join journey_steps s on s.entry_id = e.id
        where e.journey_id = $1 group by e.workflow_id order by e.workflow_id limit $2`,
      [journeyId, SAMPLE],
    );
    let tasks = 0;
    let nodes = 0;
    for (const s of sample) {
      const history = await client.workflow.getHandle(s.workflow_id).fetchHistory();
      tasks += (history.events ?? []).filter((e) => e.workflowTaskCompletedEventAttributes).length;
      nodes += s.steps;
    }
    const tasksPerNode = tasks / nodes;
    const ratio = journeyRate / minimalRate;
    const delta = (a: Record<string, number>, b: Record<string, number>) => Object.fromEntries(Object.keys(b).map((k) => [k, Number(((b[k] ?? 0) - (a[k] ?? 0)).toFixed(1))]));
    const result = {
      bench: 'journeys',
      at: new Date().toISOString(),
      cores: os.cpus().length,
      customers: CUSTOMERS,
      journey: 'entry → delay 1 s → split → email → exit (batch entry)',
      sendMessage: 'real activity over SMTP to an in-process sink',
      emailsReceivedBySmtp: sink.received(),
      batchRatePerSecond: RATE,
      customersCompletedPerSecond: Number(journeyRate.toFixed(1)),
      journeySeconds: Number(journeySeconds.toFixed(1)),
      minimalWorkflowsPerSecond: Number(minimalRate.toFixed(1)),
      minimalSeconds: Number(minimalSeconds.toFixed(1)),
      ratio: Number(ratio.toFixed(2)),
      targetRatio: TARGET_RATIO,
      workflowTasksPerNode: Number(tasksPerNode.toFixed(2)),
      targetWorkflowTasksPerNode: TARGET_TASKS_PER_NODE,
      sampledHistories: sample.length,
      messages: counts[0]!.messages,
      steps: counts[0]!.steps,
      cpuSecondsMinimal: delta(cpu0, cpu1),
      cpuSecondsJourney: delta(cpu1, cpu2),
      ...rss.stop(),
    };
    console.log(
      `  ratio ${result.ratio} (target ≥ ${TARGET_RATIO}); ${result.workflowTasksPerNode} workflow tasks per node visited (target ≤ ${TARGET_TASKS_PER_NODE}); ${result.messages} messages, ${result.emailsReceivedBySmtp} received over SMTP; peak RSS ${result.peakTotalMb} MB`,
    );
    saveBenchResult('journeys', result);
  } finally {
    await stopAll();
  }
}

await main();
