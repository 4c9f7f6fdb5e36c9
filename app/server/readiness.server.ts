// Dependency checks for /readyz: PostgreSQL answers, Temporal answers, and a worker polls our queues.
import { env } from '#platform/env.ts';
import { getTemporalConnection } from '#platform/temporal.ts';
import { TASK_QUEUES } from '#workflows/shared/task-queues.ts';
import { getDb } from './db.server.ts';

export interface Check {
  ok: boolean;
  latencyMs: number;
  error?: string;
  [extra: string]: unknown;
}

const withTimeout = <T>(p: Promise<T>, ms: number, what: string) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms).unref())]);

async function timed(fn: () => Promise<Record<string, unknown> | void>): Promise<Check> {
  const t = performance.now();
  try {
    const extra = (await fn()) ?? {};
    return { ok: true, latencyMs: Math.round(performance.now() - t), ...extra };
  } catch (err) {
    return { ok: false, latencyMs: Math.round(performance.now() - t), error: err instanceof Error ? err.message : String(err) };
  }
}

/** A poller counts as live if it polled within this window (Temporal reports lastAccessTime per poller). */
const POLLER_FRESH_MS = 90_000;

export async function readiness() {
  const [postgres, temporal] = await Promise.all([
    timed(async () => {
      await withTimeout(getDb().$client.query('select 1'), 2000, 'PostgreSQL');
    }),
    timed(async () => {
      const conn = await withTimeout(getTemporalConnection(), 3000, 'Temporal');
      await withTimeout(conn.workflowService.getSystemInfo({}), 2000, 'Temporal');
    }),
  ]);
  const worker = temporal.ok
    ? await timed(async () => {
        const conn = await getTemporalConnection();
        const queues: Record<string, number> = {};
        for (const name of Object.values(TASK_QUEUES)) {
          const r = await withTimeout(
            conn.workflowService.describeTaskQueue({ namespace: env().TEMPORAL_NAMESPACE, taskQueue: { name }, taskQueueType: 1 }),
            2000,
            'Temporal',
          );
          queues[name] = (r.pollers ?? []).filter((p) => Number(p.lastAccessTime?.seconds ?? 0) * 1000 > Date.now() - POLLER_FRESH_MS).length;
        }
        const idle = Object.entries(queues).filter(([, n]) => n === 0).map(([q]) => q);
        if (idle.length) throw Object.assign(new Error(`no worker polls ${idle.join(', ')}`), { queues });
        return { pollers: queues };
      })
    : { ok: false, latencyMs: 0, error: 'Temporal is down' };
  const ok = postgres.ok && temporal.ok && worker.ok;
  return { ok, checks: { postgres, temporal, worker } };
}
