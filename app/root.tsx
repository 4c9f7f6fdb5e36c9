import CssBaseline from '@mui/material/CssBaseline';
import { ThemeProvider } from '@mui/material/styles';
import type { ReactNode } from 'react';
import { Links, Meta, Outlet, Scripts, ScrollRestoration, useRouteLoaderData } from 'react-router';
import { ErrorNotice } from '#app/components/error-notice.tsx';
import { themeFor } from '#app/components/theme.ts';
import { I18nProvider } from '#app/i18n/i18n-context.tsx';
import { defaultLocale } from '#app/i18n/locale.ts';
import { getLocale } from '#app/i18n/locale.server.ts';
import type { Route } from './+types/root';

// Inline, so there is no asset to serve and no request for /favicon.ico.
const FAVICON = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><defs><linearGradient id="g" x2="1" y2="1"><stop stop-color="#4338ca"/><stop offset="1" stop-color="#0f766e"/></linearGradient></defs><rect width="32" height="32" rx="8" fill="url(#g)"/><text x="16" y="22.5" font-family="system-ui,sans-serif" font-size="18" font-weight="700" text-anchor="middle" fill="#fff">N</text></svg>',
)}`;

export const links: Route.LinksFunction = () => [{ rel: 'icon', type: 'image/svg+xml', href: FAVICON }];

export function loader({ request }: Route.LoaderArgs) {
  return { locale: getLocale(request) };
}

// MUI styles are rendered by Emotion's zero-config SSR: each styled element is preceded by an
// inline <style> in the server HTML (so there is no flash of unstyled content), and Emotion's
// browser cache moves those tags into <head> when it loads, before React hydrates the document.
export function Layout({ children }: { children: ReactNode }) {
  // Undefined when the root loader itself failed; the error page then falls back to English.
  const locale = useRouteLoaderData<typeof loader>('root')?.locale ?? defaultLocale;
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light" />
        <Meta />
        <Links />
      </head>
      <body>
        <I18nProvider locale={locale}>
          <ThemeProvider theme={themeFor(locale)}>
            <CssBaseline />
            {children}
          </ThemeProvider>
        </I18nProvider>
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorNotice error={error} fullPage />;
}
