import ErrorOutlineOutlined from '@mui/icons-material/ErrorOutlineOutlined';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import { isRouteErrorResponse } from 'react-router';
import { useT } from '#app/i18n/i18n-context.tsx';
import type { MessageKey } from '#app/i18n/messages.ts';
import { PageTitle } from './page-title.tsx';

function describe(error: unknown): { title: MessageKey; body: MessageKey } {
  if (isRouteErrorResponse(error)) {
    if (error.status === 404) return { title: 'error.notFound.title', body: 'error.notFound.body' };
    if (error.status === 403) return { title: 'error.forbidden.title', body: 'error.forbidden.body' };
  }
  return { title: 'error.generic.title', body: 'error.generic.body' };
}

/** Friendly error for route error boundaries: full page at the root, a card inside the app shell. */
export function ErrorNotice({ error, fullPage = false }: { error: unknown; fullPage?: boolean }) {
  const t = useT();
  const { title, body } = describe(error);
  // Stack traces only help developers; production users get the plain message.
  const detail = import.meta.env.DEV && error instanceof Error ? error.stack ?? error.message : undefined;
  return (
    <Box sx={fullPage ? { minHeight: '100vh', display: 'grid', placeItems: 'center', p: 2 } : { py: 4 }}>
      <PageTitle title={t(title)} />
      <Paper variant="outlined" sx={{ p: { xs: 3, sm: 5 }, maxWidth: 560, mx: 'auto', textAlign: 'center' }}>
        <ErrorOutlineOutlined color="primary" sx={{ fontSize: 48, mb: 1 }} />
        <Typography variant="h5" component="h1" gutterBottom>
          {t(title)}
        </Typography>
        <Typography color="text.secondary" sx={{ mb: 3 }}>
          {t(body)}
        </Typography>
        <Button variant="contained" href="/">
          {t('error.backHome')}
        </Button>
        {detail ? (
          <Box component="pre" sx={{ mt: 3, p: 2, textAlign: 'left', overflow: 'auto', fontSize: 12, bgcolor: 'grey.100', borderRadius: 1 }}>
            {detail}
          </Box>
        ) : null}
      </Paper>
    </Box>
  );
}
