import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import type { ReactNode } from 'react';
import { PageTitle } from './page-title.tsx';

/** Page heading plus the document title; `actions` sit on the right on wide screens. */
export function PageHeader({ title, subtitle, actions, titleTestId }: { title: string; subtitle?: ReactNode; actions?: ReactNode; titleTestId?: string }) {
  return (
    <Box sx={{ display: 'flex', flexWrap: 'wrap', alignItems: 'flex-start', justifyContent: 'space-between', gap: 2, mb: 3 }}>
      <PageTitle title={title} />
      <Box sx={{ minWidth: 0 }}>
        <Typography variant="h4" component="h1" data-testid={titleTestId} sx={{ wordBreak: 'break-word' }}>
          {title}
        </Typography>
        {subtitle ? (
          <Typography color="text.secondary" sx={{ mt: 0.5, maxWidth: 760 }}>
            {subtitle}
          </Typography>
        ) : null}
      </Box>
      {actions ? <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap' }}>{actions}</Box> : null}
    </Box>
  );
}
