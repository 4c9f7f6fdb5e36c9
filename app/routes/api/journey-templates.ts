import { requireApiPrincipal } from '#app/server/api-auth.server.ts';
import { json, methodNotAllowed } from '#app/server/http.server.ts';
import { journeyApiHandler, journeyTemplates } from '#app/server/journeys.server.ts';
import type { Route } from './+types/journey-templates';

/** The ready-made journeys, with the email templates and segments each creates when missing. */
export async function loader({ request }: Route.LoaderArgs) {
  return journeyApiHandler(async () => {
    await requireApiPrincipal(request);
    return json({ data: journeyTemplates() });
  });
}

export const action = () => methodNotAllowed(['GET']);
