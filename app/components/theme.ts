import type { LinkProps } from '@mui/material/Link';
import { enUS, esES } from '@mui/material/locale';
import { createTheme, type Theme } from '@mui/material/styles';
import type { Locale } from '#app/i18n/locale.ts';
import { LinkBehavior } from './link-behavior.tsx';

const baseTheme = createTheme({
  palette: {
    mode: 'light',
    primary: { main: '#4338ca', light: '#6366f1', dark: '#312e81', contrastText: '#ffffff' },
    secondary: { main: '#0f766e' },
    background: { default: '#f5f6fa', paper: '#ffffff' },
    text: { primary: '#111827', secondary: '#4b5563' },
    divider: '#e5e7eb',
  },
  shape: { borderRadius: 10 },
  typography: {
    // System fonts: nothing to download, and the app works offline and on-premises.
    fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
    h4: { fontWeight: 700, letterSpacing: '-0.01em' },
    h5: { fontWeight: 700 },
    h6: { fontWeight: 600 },
    button: { textTransform: 'none', fontWeight: 600 },
  },
  components: {
    MuiLink: { defaultProps: { component: LinkBehavior } as LinkProps },
    MuiButtonBase: { defaultProps: { LinkComponent: LinkBehavior } },
    MuiButton: { defaultProps: { disableElevation: true } },
    MuiCard: { defaultProps: { variant: 'outlined' } },
    MuiPaper: { styleOverrides: { outlined: { borderColor: '#e5e7eb' } } },
    MuiTableCell: {
      styleOverrides: {
        head: { fontWeight: 600, color: '#4b5563', backgroundColor: '#f9fafb' },
      },
    },
    MuiChip: { styleOverrides: { root: { fontWeight: 500 } } },
  },
});

const themes: Record<Locale, Theme> = {
  en: createTheme(baseTheme, enUS),
  es: createTheme(baseTheme, esES),
};

export const themeFor = (locale: Locale): Theme => themes[locale];

export const monospace = 'ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace';
