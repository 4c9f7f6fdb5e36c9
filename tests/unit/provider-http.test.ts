// providerHttp: every way a provider call ends maps to the right Temporal retry decision.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providerHttp } from '#activities/connectors/http.ts';

let server: http.Server;
let base: string;
const seen: { method?: string; headers: http.IncomingHttpHeaders; body: string }[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ method: req.method, headers: req.headers, body });
      const path = new URL(req.url!, 'http://x').pathname;
      const json = (status: number, value: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(value));
      };
      if (path === '/ok') return json(200, { hello: 'mundo' }, { 'X-Total': '7' });
      if (path === '/401') return json(401, { error: 'no' });
      if (path === '/429') return json(429, {}, { 'retry-after': '3' });
      if (path === '/503') return json(503, { error: 'busy' });
      if (path === '/404') return json(404, { error: 'missing' });
      if (path === '/reset') return req.socket.destroy();
      if (path === '/slow') return setTimeout(() => json(200, {}), 500);
      if (path === '/cut') {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
        res.write('{"partial":');
        return setTimeout(() => req.socket.destroy(), 20);
      }
      if (path === '/malformed') return res.writeHead(200, { 'content-type': 'application/json' }).end('{nope');
      json(200, { echo: body });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const client = (timeoutMs?: number) => providerHttp({ provider: 'Acme', baseUrl: base + '/', headers: () => ({ 'X-Key': 'k' }), timeoutMs });
const failure = async (p: Promise<unknown>) => {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApplicationFailure);
  return err as ApplicationFailure;
};

describe('providerHttp', () => {
  it('parses JSON, sends auth headers and query, reads headers case-insensitively', async () => {
    const r = await client().get<{ hello: string }>('/ok', { query: { a: 1, b: undefined } });
    expect(r.body).toEqual({ hello: 'mundo' });
    expect(r.headers.get('x-total')).toBe('7');
    expect(r.headers.get('X-TOTAL')).toBe('7');
    expect(r.headers.get('absent')).toBeNull();
    expect(seen.at(-1)!.headers['x-key']).toBe('k');
  });

  it('posts JSON bodies', async () => {
    const r = await client().post<{ echo: string }>('/echo', { handles: ['h1'] });
    expect(JSON.parse(r.body.echo)).toEqual({ handles: ['h1'] });
    expect(seen.at(-1)).toMatchObject({ method: 'POST', headers: { 'content-type': 'application/json' } });
  });

  it.each([
    ['/401', 'AuthenticationFailed', true, /refused the credentials \(HTTP 401\)/],
    ['/503', 'ProviderUnavailable', false, /HTTP 503/],
    ['/404', 'ProviderRejected', true, /HTTP 404/],
    ['/reset', 'ProviderUnavailable', false, /failed/],
    ['/cut', 'ProviderUnavailable', false, /failed/],
    ['/malformed', 'ProviderUnavailable', false, /malformed JSON/],
  ])('%s → %s', async (path, type, nonRetryable, message) => {
    const f = await failure(client().get(path));
    expect([f.type, f.nonRetryable]).toEqual([type, nonRetryable]);
    expect(f.message).toMatch(message);
  });

  it('429 carries Retry-After as the next retry delay', async () => {
    const f = await failure(client().get('/429'));
    expect([f.type, f.nonRetryable, f.nextRetryDelay]).toEqual(['RateLimited', false, 3000]);
  });

  it('a response slower than the timeout is a retryable timeout', async () => {
    const f = await failure(client(100).get('/slow'));
    expect([f.type, f.nonRetryable]).toEqual(['ProviderUnavailable', false]);
    expect(f.message).toMatch(/timed out/);
  });

  it('lets the caller handle accepted statuses', async () => {
    const r = await client().get('/404', { accept: [404] });
    expect(r).toMatchObject({ status: 404, body: { error: 'missing' } });
  });
});
