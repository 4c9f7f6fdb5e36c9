import { startMercadoLibreConnect } from '#app/server/mercadolibre.server.ts';
import type { Route } from './+types/connect';

/** "Connect with MercadoLibre": a plain link from the connection page, so a GET. */
export async function loader({ request, params }: Route.LoaderArgs) {
  return startMercadoLibreConnect(request, params.id);
}
