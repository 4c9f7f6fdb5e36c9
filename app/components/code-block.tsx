import Box from '@mui/material/Box';
import type { ReactNode } from 'react';
import { monospace } from './theme.ts';

export function CodeBlock({ children, label }: { children: ReactNode; label?: string }) {
  return (
    <Box
      component="pre"
      aria-label={label}
      sx={{
        m: 0,
        p: 2,
        borderRadius: 2,
        bgcolor: '#0f172a',
        color: '#e2e8f0',
        fontFamily: monospace,
        fontSize: 13,
        lineHeight: 1.6,
        overflowX: 'auto',
        whiteSpace: 'pre',
      }}
    >
      <code>{children}</code>
    </Box>
  );
}
