import { apiHandler, methodNotAllowed } from '#app/server/http.server.ts';
import { receiveMercadoLibreNotification } from '#app/server/mercadolibre.server.ts';
import type { Route } from './+types/webhook';

export const loader = () => methodNotAllowed(['POST']);

/** MercadoLibre notifications (topic orders_v2). No signature exists: the seller and application ids route them. */
export async function action({ request }: Route.ActionArgs) {
  return apiHandler(async () => (request.method === 'POST' ? receiveMercadoLibreNotification(request) : methodNotAllowed(['POST'])));
}
