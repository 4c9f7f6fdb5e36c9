// Picks the UI language of a request: the `locale` cookie wins, then Accept-Language.
import { defaultLocale, isLocale, LOCALE_COOKIE, type Locale } from './locale.ts';

const ONE_YEAR_S = 365 * 24 * 3600;

function readCookie(request: Request, name: string): string | undefined {
  for (const part of (request.headers.get('cookie') ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return decodeURIComponent(value.join('='));
  }
  return undefined;
}

/** The supported language the browser prefers most (by q-value), e.g. "fr, es;q=0.5" → es. */
export function localeFromAcceptLanguage(header: string | null): Locale {
  let best: { locale: Locale; q: number } | undefined;
  for (const entry of (header ?? '').split(',')) {
    const [tag = '', ...params] = entry.trim().toLowerCase().split(';');
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!Number.isFinite(q) || q <= 0) continue;
    const language = tag.split('-')[0];
    if (!isLocale(language)) continue;
    if (!best || q > best.q) best = { locale: language, q };
  }
  return best?.locale ?? defaultLocale;
}

export function getLocale(request: Request): Locale {
  const fromCookie = readCookie(request, LOCALE_COOKIE);
  return isLocale(fromCookie) ? fromCookie : localeFromAcceptLanguage(request.headers.get('accept-language'));
}

export function localeCookie(locale: Locale): string {
  return `${LOCALE_COOKIE}=${locale}; Path=/; Max-Age=${ONE_YEAR_S}; SameSite=Lax`;
}
