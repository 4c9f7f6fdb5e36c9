// GET /t/c/:token — click redirect. Redirects only to the URL signed into the token: never an open redirect.
import { trackClick, verifyToken } from '#app/server/messaging.server.ts';
import type { Route } from './+types/click';

export async function loader({ request, params }: Route.LoaderArgs) {
  const p = verifyToken(params.token, 'click');
  if (!p || p.k !== 'click') {
    return new Response('This link is not valid.', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } });
  }
  await trackClick(request, p);
  return new Response(null, { status: 302, headers: { location: p.u, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' } });
}
