// GET /t/o/:token — the open pixel. Public: the signed token is the only authority.
import { trackOpen, verifyToken } from '#app/server/messaging.server.ts';
import type { Route } from './+types/open';

// The smallest transparent GIF.
const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

export async function loader({ request, params }: Route.LoaderArgs) {
  const p = verifyToken(params.token, 'open');
  if (p) await trackOpen(request, p);
  return new Response(GIF, {
    status: p ? 200 : 404,
    headers: { 'content-type': 'image/gif', 'content-length': String(GIF.length), 'cache-control': 'no-store, max-age=0', 'referrer-policy': 'no-referrer' },
  });
}
