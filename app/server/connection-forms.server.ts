// The Connections pages' forms, turned into the API's request bodies (same schemas, same rules).
import { createConnectionRequest, patchConnectionRequest, type CreateConnectionRequest, type PatchConnectionRequest } from '#core/api/connections.ts';
import { CONNECTION_KINDS, type ConnectionKind } from '#core/connectors/types.ts';

/** `config.account=x` → `{ config: { account: 'x' } }`. Blank fields are left out: optional, or "keep the stored value". */
function nest(form: FormData): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, raw] of form.entries()) {
    if (key === 'intent' || typeof raw !== 'string') continue;
    const value = raw.trim();
    if (!value) continue;
    const parts = key.split('.');
    let node = out;
    for (const p of parts.slice(0, -1)) node = (node[p] ??= {}) as Record<string, unknown>;
    node[parts.at(-1)!] = key === 'syncIntervalMinutes' ? Number(value) : value;
  }
  return out;
}

export const isKind = (v: unknown): v is ConnectionKind => (CONNECTION_KINDS as readonly unknown[]).includes(v);

/** Field names (form names) that failed, from zod issue paths. */
const fieldsOf = (issues: { path: PropertyKey[] }[]) => [...new Set(issues.map((i) => i.path.map(String).join('.')))];

export function createRequestFromForm(form: FormData): { request: CreateConnectionRequest; invalid?: never } | { request?: never; invalid: string[] } {
  const body = nest(form);
  body.config ??= {};
  if (body.kind !== 'file') body.credentials ??= {};
  const parsed = createConnectionRequest.safeParse(body);
  return parsed.success ? { request: parsed.data } : { invalid: fieldsOf(parsed.error.issues) };
}

export function patchFromForm(form: FormData): { patch: PatchConnectionRequest; invalid?: never } | { patch?: never; invalid: string[] } {
  const parsed = patchConnectionRequest.safeParse(nest(form));
  return parsed.success ? { patch: parsed.data } : { invalid: fieldsOf(parsed.error.issues) };
}
