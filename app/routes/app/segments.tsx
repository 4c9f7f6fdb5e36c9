import Add from '@mui/icons-material/Add';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import FormControlLabel from '@mui/material/FormControlLabel';
import Link from '@mui/material/Link';
import Paper from '@mui/material/Paper';
import Switch from '@mui/material/Switch';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { useNavigate } from 'react-router';
import { useRevalidateWhile } from '#app/components/connections/use-polling.ts';
import { EmptyState } from '#app/components/empty-state.tsx';
import { ErrorNotice } from '#app/components/error-notice.tsx';
import { PageHeader } from '#app/components/page-header.tsx';
import { SegmentStatus } from '#app/components/segments/status.tsx';
import { useFormat, useT } from '#app/i18n/i18n-context.tsx';
import { requireUser } from '#app/server/auth.server.ts';
import { listSegmentViews, type SegmentView } from '#app/server/segments.server.ts';
import type { Route } from './+types/segments';

export async function loader({ request }: Route.LoaderArgs) {
  const user = await requireUser(request);
  const url = new URL(request.url);
  const archived = url.searchParams.get('archived') === '1';
  const justArchived = url.searchParams.get('archivedName');
  return { segments: await listSegmentViews(user.tenantId, archived ? 'all' : 'active'), archived, justArchived: justArchived ? justArchived.slice(0, 200) : null };
}

function SegmentRow({ s }: { s: SegmentView }) {
  const t = useT();
  const format = useFormat();
  const navigate = useNavigate();
  const href = `/segments/${s.id}`;
  return (
    <TableRow hover data-testid="segment-row" data-segment-id={s.id} onClick={(e) => !(e.target instanceof Element && e.target.closest('a')) && void navigate(href)} sx={{ cursor: 'pointer' }}>
      <TableCell>
        <Link href={href} underline="hover" sx={{ fontWeight: 600 }}>
          {s.name}
        </Link>
        {s.description ? (
          <Typography variant="body2" color="text.secondary" noWrap sx={{ maxWidth: 420 }}>
            {s.description}
          </Typography>
        ) : null}
      </TableCell>
      <TableCell align="right" data-testid="segment-members">
        {format.number(s.memberCount)}
      </TableCell>
      <TableCell sx={{ whiteSpace: 'nowrap' }}>{s.lastComputedAt ? format.dateTime(s.lastComputedAt) : <Typography variant="body2" color="text.disabled">{t('segments.never')}</Typography>}</TableCell>
      <TableCell>
        <Box sx={{ display: 'flex', gap: 1 }}>
          <SegmentStatus s={s} />
          {s.timeDependent && s.status === 'active' ? (
            <Tooltip title={t('segments.timeDependentHint')}>
              <Chip size="small" variant="outlined" label={t('segments.timeDependent')} />
            </Tooltip>
          ) : null}
        </Box>
      </TableCell>
    </TableRow>
  );
}

export default function SegmentsPage({ loaderData }: Route.ComponentProps) {
  const t = useT();
  const navigate = useNavigate();
  const { segments, archived, justArchived } = loaderData;
  useRevalidateWhile(segments.some((s) => s.status === 'active' && !s.lastComputedAt), 3000);
  const add = (
    <Button href="/segments/new" variant="contained" startIcon={<Add />} data-testid="new-segment">
      {t('segments.new')}
    </Button>
  );
  return (
    <>
      <PageHeader title={t('segments.title')} subtitle={t('segments.subtitle')} actions={add} />
      {justArchived ? (
        <Alert severity="success" sx={{ mb: 2 }}>
          {t('segments.archived', { name: justArchived })}
        </Alert>
      ) : null}
      <FormControlLabel control={<Switch checked={archived} onChange={(e) => void navigate(e.target.checked ? '?archived=1' : '?')} />} label={t('segments.showArchived')} sx={{ mb: 1 }} />
      <Paper variant="outlined" sx={{ overflow: 'hidden' }}>
        {segments.length ? (
          <TableContainer>
            <Table size="small" aria-label={t('segments.title')}>
              <TableHead>
                <TableRow>
                  <TableCell>{t('segments.column.name')}</TableCell>
                  <TableCell align="right">{t('segments.column.members')}</TableCell>
                  <TableCell>{t('segments.column.lastComputed')}</TableCell>
                  <TableCell>{t('segments.column.status')}</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {segments.map((s) => (
                  <SegmentRow key={s.id} s={s} />
                ))}
              </TableBody>
            </Table>
          </TableContainer>
        ) : (
          <EmptyState title={t('segments.empty.title')} testId="segments-empty">
            {t('segments.empty.body')}
            <Box sx={{ mt: 2 }}>{add}</Box>
          </EmptyState>
        )}
      </Paper>
    </>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorNotice error={error} />;
}
