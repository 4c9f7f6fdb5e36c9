import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { freePort } from '#platform/stack.ts';
import { eventually } from '../support/temporal.ts';
import { apiClient } from '../support/api.ts';

describe('health', () => {
  it('/healthz answers while the process lives', async () => {
    const res = await fetch(`${inject('webUrl')}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('ok');
  });

  it('/readyz reports PostgreSQL, Temporal and a polling worker', async () => {
    const res = await apiClient().get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ready');
    expect(res.body.checks.postgres.ok).toBe(true);
    expect(res.body.checks.temporal.ok).toBe(true);
    expect(res.body.checks.worker.pollers['cdp-ingest']).toBeGreaterThan(0);
  });

  it('/readyz answers 503 naming what is down', async () => {
    const [port, deadPg, deadTemporal] = await Promise.all([freePort(), freePort(), freePort()]);
    const child = spawn(process.execPath, ['--import', 'tsx', path.resolve('scripts/web.ts')], {
      env: {
        ...process.env,
        PORT: String(port),
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        DATABASE_URL: `postgres://nobody:nothing@127.0.0.1:${deadPg}/none`,
        TEMPORAL_ADDRESS: `127.0.0.1:${deadTemporal}`,
      },
      stdio: 'ignore',
    });
    try {
      const res = await eventually(async () => {
        const r = await fetch(`http://127.0.0.1:${port}/readyz`);
        return r.status === 503 && r;
      }, 30_000, 'readyz 503');
      const body = await res.json();
      expect(body.status).toBe('unavailable');
      expect(body.checks.postgres).toMatchObject({ ok: false });
      expect(body.checks.temporal).toMatchObject({ ok: false });
      expect(body.checks.worker).toMatchObject({ ok: false });
    } finally {
      child.kill('SIGTERM');
    }
  });
});

describe('API surface', () => {
  it('serves the OpenAPI document generated from the zod schemas', async () => {
    const res = await apiClient().get('/api/v1/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/api/v1/customers', '/api/v1/customers/{id}', '/api/v1/events', '/api/v1/profiles', '/api/v1/customers/{id}/merge']));
    expect(res.body.components.schemas.EventBatch.properties.batch.maxItems).toBe(1000);
  });

  it('unknown API paths answer JSON 404, not an HTML page', async () => {
    const res = await apiClient('x').get('/api/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });
});
