// HTTP against the running app, as a customer's integration would call it.
import { inject } from 'vitest';
import { createDb, type Db } from '#db/client.ts';
import { seedTenant } from './tenants.ts';

let appDb: Db | undefined;

/** The database the running app uses (tenants keep tests apart). */
export function appDatabase(): Db {
  appDb ??= createDb(inject('databaseUrl'), 3);
  return appDb;
}

export async function closeAppDatabase() {
  await appDb?.$client.end();
  appDb = undefined;
}

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export function apiClient(key?: string) {
  const base = inject('webUrl');
  const call = async <T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON; keep the text
    }
    return { status: res.status, headers: res.headers, body: parsed as T };
  };
  return {
    get: <T = any>(path: string) => call<T>('GET', path),
    post: <T = any>(path: string, body: unknown, headers?: Record<string, string>) => call<T>('POST', path, body, headers),
    call,
  };
}

export async function apiTenant(label = 'api') {
  const seeded = await seedTenant(appDatabase(), label);
  return { ...seeded, api: apiClient(seeded.apiKey) };
}
