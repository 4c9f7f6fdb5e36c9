// /t/u/:token — unsubscribe. GET shows a confirmation page (link scanners must not unsubscribe anyone); POST
// unsubscribes: the page's button, or a mail client's RFC 8058 one-click request (body
// `List-Unsubscribe=One-Click`, no cookies, no auth). Public: the signed token is the only authority.
import { localeFromAcceptLanguage } from '#app/i18n/locale.server.ts';
import { translate, type MessageKey } from '#app/i18n/messages.ts';
import { unsubscribe, unsubscribeState, verifyToken } from '#app/server/messaging.server.ts';
import type { Route } from './+types/unsubscribe';

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function page(request: Request, status: number, body: (t: (k: MessageKey, v?: Record<string, string>) => string) => string): Response {
  const locale = localeFromAcceptLanguage(request.headers.get('accept-language'));
  const t = (k: MessageKey, v?: Record<string, string>) => escape(translate(locale, k, v));
  const html = `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>${t('messaging.unsubscribe.title')}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#1b1b1f}button{font:inherit;padding:.6rem 1.2rem;border-radius:6px;border:0;background:#3d5afe;color:#fff;cursor:pointer}</style>
</head><body>${body(t)}</body></html>`;
  return new Response(html, { status, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'referrer-policy': 'no-referrer', 'x-frame-options': 'DENY' } });
}

const invalid = (request: Request) => page(request, 404, (t) => `<h1>${t('messaging.unsubscribe.invalidTitle')}</h1><p>${t('messaging.unsubscribe.invalidBody')}</p>`);

export async function loader({ request, params }: Route.LoaderArgs) {
  const p = verifyToken(params.token, 'unsubscribe');
  const state = p && (await unsubscribeState(p));
  if (!state) return invalid(request);
  if (state.unsubscribed) return page(request, 200, (t) => `<h1>${t('messaging.unsubscribe.doneTitle')}</h1><p>${t('messaging.unsubscribe.doneBody', { address: state.address ?? '', sender: state.tenantName })}</p>`);
  return page(
    request,
    200,
    (t) => `<h1>${t('messaging.unsubscribe.title')}</h1><p>${t('messaging.unsubscribe.confirmBody', { address: state.address ?? '', sender: state.tenantName })}</p>
<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">${t('messaging.unsubscribe.confirm')}</button></form>`,
  );
}

export async function action({ request, params }: Route.ActionArgs) {
  if (request.method !== 'POST') return new Response(null, { status: 405, headers: { allow: 'GET, POST' } });
  const p = verifyToken(params.token, 'unsubscribe');
  if (!p) return invalid(request);
  const form = new URLSearchParams((await request.text()).slice(0, 10_000));
  const oneClick = form.get('List-Unsubscribe') === 'One-Click';
  if (!(await unsubscribe(p, oneClick && !request.headers.get('accept')?.includes('text/html') ? 'one_click' : 'page'))) return invalid(request);
  const state = await unsubscribeState(p);
  return page(request, 200, (t) => `<h1>${t('messaging.unsubscribe.doneTitle')}</h1><p>${t('messaging.unsubscribe.doneBody', { address: state?.address ?? '', sender: state?.tenantName ?? '' })}</p>`);
}
