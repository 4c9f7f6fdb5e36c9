import { z } from 'zod';
import { channelSchema, createTemplateRequest } from '#core/messaging/api.ts';
import { requireApiPrincipal } from '#app/server/api-auth.server.ts';
import { apiHandler, json, methodNotAllowed, readJson } from '#app/server/http.server.ts';
import { parseOr400 } from '#app/server/validate.server.ts';
import { createTemplateFor, listTemplatesFor } from '#app/server/messaging.server.ts';
import type { Route } from './+types/templates';

const listQuery = z.object({ channel: channelSchema.optional(), includeArchived: z.enum(['true', 'false']).optional() });

export async function loader({ request }: Route.LoaderArgs) {
  return apiHandler(async () => {
    const { tenantId } = await requireApiPrincipal(request);
    const q = parseOr400(listQuery, Object.fromEntries(new URL(request.url).searchParams), 'query');
    return json({ data: await listTemplatesFor(tenantId, { channel: q.channel, includeArchived: q.includeArchived === 'true' }) });
  });
}

/** Creates a template; Liquid that does not parse or MJML that does not validate is a 400 `template_invalid` with lines. */
export async function action({ request }: Route.ActionArgs) {
  return apiHandler(async () => {
    if (request.method !== 'POST') return methodNotAllowed(['GET', 'POST']);
    const { tenantId } = await requireApiPrincipal(request);
    const body = parseOr400(createTemplateRequest, await readJson(request), 'template');
    return json(await createTemplateFor(tenantId, body), { status: 201 });
  });
}
