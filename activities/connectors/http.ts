// HTTP to providers from activities: one place that turns status codes into Temporal's retry decisions.
import http from 'node:http';
import https from 'node:https';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { FAILURE } from '#workflows/connectors/sync.contract.ts';
import { assertReachableUrl } from './url-guard.ts';

/** Response headers by (case-insensitive) name, as `Headers.get` answers. */
export interface ResponseHeaders {
  get(name: string): string | null;
}

export interface ProviderResponse<T> {
  status: number;
  headers: ResponseHeaders;
  body: T;
}

export interface ProviderHttpOptions {
  /** Shown in error messages and run history ("VTEX", "MercadoLibre"). */
  provider: string;
  baseUrl: string;
  /** Auth and fixed headers, asked for on every request (tokens may change). */
  headers?: () => Record<string, string> | Promise<Record<string, string>>;
  timeoutMs?: number;
}

export interface RequestOptions {
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
  /** Statuses the caller handles itself (e.g. 404 on an empty feed) instead of failing. */
  accept?: number[];
}

/** Seconds or an HTTP date, as Retry-After allows; capped so a bogus header cannot park a run for hours. */
export function retryAfterMs(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - now;
  if (!Number.isFinite(ms)) return undefined;
  return Math.min(Math.max(ms, 0), 10 * 60_000);
}

const lastBeat = new WeakMap<Context, number>();

/** At most one heartbeat a second per activity: each one crosses into the SDK's core and costs CPU. */
function heartbeat(details?: unknown) {
  try {
    const ctx = Context.current();
    const now = Date.now();
    if (now - (lastBeat.get(ctx) ?? 0) < 1000) return;
    lastBeat.set(ctx, now);
    ctx.heartbeat(details);
  } catch {
    // not inside an activity (API "check credentials", tests): nothing to report to
  }
}

// Node's http with keep-alive agents rather than fetch: a sync makes many small requests to one host, and
// fetch (undici in Node 20) spends several times the CPU per request.
const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 64 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 64 }),
};

class TimedOut extends Error {}

/** One request; the whole exchange (connect to last body byte) is bounded by timeoutMs. A cut body is an error. */
function send(base: URL, path: string, method: string, headers: Record<string, string>, body: string | undefined, timeoutMs: number): Promise<{ status: number; headers: ResponseHeaders; text: string }> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const done = (err: Error | undefined, value?: { status: number; headers: ResponseHeaders; text: string }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err) reject(err);
      else resolve(value!);
    };
    const tls = base.protocol === 'https:';
    const request = tls ? https.request : http.request;
    // Options rather than a URL: the host part is parsed once per client, not per request.
    const options = {
      protocol: base.protocol,
      hostname: base.hostname.replace(/^\[|\]$/g, ''),
      port: base.port || undefined,
      path,
      method,
      agent: tls ? agents['https:'] : agents['http:'],
      headers: body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) },
    };
    const req = request(options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', (err) => done(err));
      res.on('close', () => {
        if (!res.complete) return done(new Error('connection closed before the response was complete'));
        // Node gives lower-case names; repeated headers joined as Headers.get joins them.
        const raw = res.headers;
        const headers: ResponseHeaders = {
          get: (name) => {
            const v = raw[name.toLowerCase()];
            return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
          },
        };
        done(undefined, { status: res.statusCode ?? 0, headers, text: Buffer.concat(chunks).toString('utf8') });
      });
    });
    const timer = setTimeout(() => req.destroy(new TimedOut()), timeoutMs);
    req.on('error', (err) => done(err));
    req.end(body);
  });
}

/** A path of URL-safe characters only (no query, no fragment, nothing to encode). */
const PLAIN_PATH = /^\/[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*$/;

export function providerHttp(opts: ProviderHttpOptions) {
  const baseText = opts.baseUrl.replace(/\/+$/, '');
  // Parsed on first use: a bad base URL fails the request (as a rejected promise), not the client's creation.
  let parsedBase: { url: URL; path: string } | undefined;
  async function request<T = unknown>(method: string, path: string, req: RequestOptions = {}): Promise<ProviderResponse<T>> {
    parsedBase ??= (() => {
      const url = new URL(baseText);
      return { url, path: url.pathname.replace(/\/+$/, '') };
    })();
    const { url: base, path: basePath } = parsedBase;
    let pathname: string;
    let query: string;
    if (PLAIN_PATH.test(path)) {
      // The usual case, without parsing a URL per request: an encoded "/api/…" path appended to the base's.
      pathname = basePath + path;
      const params = new URLSearchParams();
      for (const k in req.query) {
        const v = req.query[k];
        if (v !== undefined) params.set(k, String(v));
      }
      query = params.toString();
    } else {
      const url = new URL(baseText + path);
      if (url.origin !== base.origin) throw new Error(`provider path leaves ${base.origin}: ${path}`);
      for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
      pathname = url.pathname;
      query = url.search.slice(1);
    }
    const fixed = opts.headers?.();
    const headers: Record<string, string> = { accept: 'application/json', ...(fixed instanceof Promise ? await fixed : fixed), ...req.headers };
    if (req.body !== undefined) headers['content-type'] ??= 'application/json';
    const what = `${opts.provider} ${method} ${pathname}`;
    await assertReachableUrl(base);
    heartbeat(what);
    let res: { status: number; headers: ResponseHeaders; text: string };
    try {
      res = await send(base, query ? `${pathname}?${query}` : pathname, method, headers, req.body === undefined ? undefined : typeof req.body === 'string' ? req.body : JSON.stringify(req.body), opts.timeoutMs ?? 30_000);
    } catch (err) {
      const cause = err instanceof TimedOut ? 'timed out' : `failed (${(err as Error).message})`;
      throw ApplicationFailure.retryable(`${what} ${cause}`, FAILURE.unavailable);
    }
    const text = res.text;
    heartbeat(what);
    if (req.accept?.includes(res.status) || (res.status >= 200 && res.status < 300)) {
      let body: unknown = text;
      if (text && (res.headers.get('content-type') ?? '').includes('json')) {
        try {
          body = JSON.parse(text);
        } catch {
          throw ApplicationFailure.retryable(`${what} returned malformed JSON`, FAILURE.unavailable);
        }
      }
      return { status: res.status, headers: res.headers, body: body as T };
    }
    const detail = text.slice(0, 300);
    if (res.status === 401 || res.status === 403)
      throw ApplicationFailure.nonRetryable(
        `${opts.provider} refused the credentials (HTTP ${res.status}) on ${method} ${pathname}: check the connection's keys or reconnect. ${detail}`.trim(),
        FAILURE.auth,
      );
    if (res.status === 429) {
      const delay = retryAfterMs(res.headers.get('retry-after'));
      throw ApplicationFailure.create({
        message: `${what}: rate limited (HTTP 429${delay !== undefined ? `, retry after ${Math.round(delay / 1000)} s` : ''})`,
        type: FAILURE.rateLimited,
        nextRetryDelay: delay !== undefined ? Math.max(delay, 100) : undefined,
      });
    }
    if (res.status >= 500 || res.status === 408) throw ApplicationFailure.retryable(`${what}: HTTP ${res.status} ${detail}`.trim(), FAILURE.unavailable);
    throw ApplicationFailure.nonRetryable(`${what}: HTTP ${res.status} ${detail}`.trim(), FAILURE.rejected);
  }
  return {
    request,
    get: <T = unknown>(path: string, req?: RequestOptions) => request<T>('GET', path, req),
    post: <T = unknown>(path: string, body: unknown, req?: RequestOptions) => request<T>('POST', path, { ...req, body }),
    patch: <T = unknown>(path: string, body: unknown, req?: RequestOptions) => request<T>('PATCH', path, { ...req, body }),
  };
}

export type ProviderHttp = ReturnType<typeof providerHttp>;

/** Runs fn over items with at most `limit` in flight (pages fetched concurrently where the API allows). */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  });
  await Promise.all(lanes);
  return out;
}
