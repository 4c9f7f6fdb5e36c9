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
