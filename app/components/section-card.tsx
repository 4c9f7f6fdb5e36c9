import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Typography from '@mui/material/Typography';
import type { ReactNode } from 'react';

/** A titled card; `flush` drops the body padding for tables that run edge to edge. */
export function SectionCard({ title, action, flush = false, children, id }: { title: string; action?: ReactNode; flush?: boolean; children: ReactNode; id?: string }) {
  return (
    <Card id={id} component="section" aria-label={title}>
      <CardContent sx={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: 2, pb: flush ? 2 : 1 }}>
        <Typography variant="h6" component="h2">
          {title}
        </Typography>
        {action}
      </CardContent>
      {flush ? children : <CardContent sx={{ pt: 0 }}>{children}</CardContent>}
    </Card>
  );
}
