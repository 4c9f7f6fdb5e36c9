import { finishMercadoLibreConnect } from '#app/server/mercadolibre.server.ts';
import type { Route } from './+types/callback';

/** MercadoLibre redirects the browser here after the seller authorized (or declined) the CDP. */
export async function loader({ request }: Route.LoaderArgs) {
  return finishMercadoLibreConnect(request);
}
