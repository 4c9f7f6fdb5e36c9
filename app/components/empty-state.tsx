import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import type { ReactNode } from 'react';

export function EmptyState({ title, children, testId }: { title: string; children?: ReactNode; testId?: string }) {
  return (
    <Box sx={{ py: 6, px: 2, textAlign: 'center' }} data-testid={testId}>
      <Typography variant="subtitle1" component="p" sx={{ fontWeight: 600 }}>
        {title}
      </Typography>
      {children ? (
        <Typography color="text.secondary" component="div" sx={{ mt: 1, maxWidth: 520, mx: 'auto' }}>
          {children}
        </Typography>
      ) : null}
    </Box>
  );
}
