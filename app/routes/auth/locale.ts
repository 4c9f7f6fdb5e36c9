import { data, redirect } from 'react-router';
import { safeRedirect } from '#app/server/auth.server.ts';
import { isLocale } from '#app/i18n/locale.ts';
import { localeCookie } from '#app/i18n/locale.server.ts';
import type { Route } from './+types/locale';

export async function action({ request }: Route.ActionArgs) {
  const form = await request.formData();
  const locale = form.get('locale');
  if (!isLocale(locale)) return data({ error: 'Unsupported locale: use "es" or "en".' }, { status: 400 });
  return redirect(safeRedirect(form.get('redirectTo')), { headers: { 'Set-Cookie': localeCookie(locale) } });
}
