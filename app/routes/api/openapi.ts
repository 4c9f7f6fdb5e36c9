import { buildOpenApiDocument } from '#app/server/openapi.server.ts';
import { json } from '#app/server/http.server.ts';
import type { Route } from './+types/openapi';

export const loader = ({ request }: Route.LoaderArgs) => json(buildOpenApiDocument(new URL(request.url).origin));
