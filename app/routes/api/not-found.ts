import { errorResponse } from '#app/server/http.server.ts';
import type { Route } from './+types/not-found';

const notFound = (request: Request) => errorResponse('not_found', `No API endpoint ${request.method} ${new URL(request.url).pathname}. See /api/v1/openapi.json.`);

export const loader = ({ request }: Route.LoaderArgs) => notFound(request);
export const action = ({ request }: Route.ActionArgs) => notFound(request);
