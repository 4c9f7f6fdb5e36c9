import { z } from 'zod';
import { channelSchema, createSuppressionRequest } from '#core/messaging/api.ts';
import { requireApiPrincipal } from '#app/server/api-auth.server.ts';
import { apiHandler, json, methodNotAllowed, readJson } from '#app/server/http.server.ts';
import { parseOr400 } from '#app/server/validate.server.ts';
import { addSuppressionFor, listSuppressionsFor, removeSuppressionFor } from '#app/server/messaging.server.ts';
import type { Route } from './+types/suppressions';

const listQuery = z.object({ channel: channelSchema.optional(), address: z.string().max(320).optional(), limit: z.coerce.number().int().min(1).max(1000).optional(), after: z.string().max(320).optional() });
const deleteQuery = z.object({ channel: channelSchema.default('email'), address: z.string().min(3).max(320) });

/** Suppressed addresses, ordered by address; page with `after` = the last address seen. */
export async function loader({ request }: Route.LoaderArgs) {
  return apiHandler(async () => {
    const { tenantId } = await requireApiPrincipal(request);
    const q = parseOr400(listQuery, Object.fromEntries(new URL(request.url).searchParams), 'query');
    return json({ data: await listSuppressionsFor(tenantId, q) });
  });
}

/** POST adds an address (idempotent); DELETE ?channel=&address= lifts a suppression. */
export async function action({ request }: Route.ActionArgs) {
  return apiHandler(async () => {
    const { tenantId } = await requireApiPrincipal(request);
    if (request.method === 'POST') {
      const body = parseOr400(createSuppressionRequest, await readJson(request), 'suppression');
      const r = await addSuppressionFor(tenantId, body);
      return json(r, { status: r.created ? 201 : 200 });
    }
    if (request.method === 'DELETE') {
      const q = parseOr400(deleteQuery, Object.fromEntries(new URL(request.url).searchParams), 'query');
      return json(await removeSuppressionFor(tenantId, q.channel, q.address));
    }
    return methodNotAllowed(['GET', 'POST', 'DELETE']);
  });
}
