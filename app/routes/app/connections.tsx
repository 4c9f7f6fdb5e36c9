import Add from '@mui/icons-material/Add';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Link from '@mui/material/Link';
import Paper from '@mui/material/Paper';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import type { MouseEvent } from 'react';
import { useNavigate } from 'react-router';
import { KindIcon, kindLabels } from '#app/components/connections/kind.tsx';
import { ConnectionStatusChip, RunStatusChip } from '#app/components/connections/status-chips.tsx';
import { useRevalidateWhile } from '#app/components/connections/use-polling.ts';
import { EmptyState } from '#app/components/empty-state.tsx';
import { ErrorNotice } from '#app/components/error-notice.tsx';
import { PageHeader } from '#app/components/page-header.tsx';
import { useFormat, useT } from '#app/i18n/i18n-context.tsx';
import { requireUser } from '#app/server/auth.server.ts';
import { canManageConnections, listConnectionViews } from '#app/server/connections.server.ts';
import type { ConnectionView } from '#core/api/connections.ts';
import type { Route } from './+types/connections';

export async function loader({ request }: Route.LoaderArgs) {
  const user = await requireUser(request);
  const deleted = new URL(request.url).searchParams.get('deleted');
  return { connections: await listConnectionViews(user.tenantId), canManage: canManageConnections(user.role), deleted: deleted ? deleted.slice(0, 100) : null };
}

function NextRun({ c }: { c: ConnectionView }) {
  const t = useT();
  const format = useFormat();
  if (!c.schedule) return <Typography variant="body2" color="text.secondary">{t('connections.schedule.none')}</Typography>;
  const { state, nextRunAt } = c.schedule;
  if (state === 'active' && nextRunAt[0]) return <>{format.dateTime(nextRunAt[0])}</>;
  const key = state === 'paused' ? 'connections.schedule.paused' : state === 'missing' ? 'connections.schedule.missing' : 'connections.schedule.unknown';
  return (
    <Typography variant="body2" color={state === 'paused' ? 'text.secondary' : 'warning.main'}>
      {t(key)}
    </Typography>
  );
}

function ConnectionRow({ c }: { c: ConnectionView }) {
  const t = useT();
  const format = useFormat();
  const navigate = useNavigate();
  const href = `/connections/${c.id}`;
  const onRowClick = (event: MouseEvent<HTMLTableRowElement>) => {
    if (!(event.target instanceof Element) || event.target.closest('a')) return;
    void navigate(href);
  };
  const error = c.latestRun?.status === 'failed' ? c.latestRun.error ?? c.lastError : c.lastError;
  return (
    <TableRow hover data-testid="connection-row" data-connection-id={c.id} onClick={onRowClick} sx={{ cursor: 'pointer' }}>
      <TableCell>
        <Box sx={{ display: 'flex', alignItems: 'center', gap: 1.5 }}>
          <KindIcon kind={c.kind} />
          <Box sx={{ minWidth: 0 }}>
            <Link href={href} underline="hover" sx={{ fontWeight: 600 }} data-testid="connection-link">
              {c.name}
            </Link>
            <Typography variant="body2" color="text.secondary">
              {t(kindLabels[c.kind])}
            </Typography>
          </Box>
        </Box>
      </TableCell>
      <TableCell>
        <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap' }}>
          <ConnectionStatusChip status={c.status} />
          {c.latestRun?.status === 'running' ? <RunStatusChip status="running" /> : null}
        </Box>
      </TableCell>
      <TableCell sx={{ whiteSpace: 'nowrap' }}>{c.lastSyncAt ? format.dateTime(c.lastSyncAt) : <Typography variant="body2" color="text.disabled">{t('connections.never')}</Typography>}</TableCell>
      <TableCell sx={{ whiteSpace: 'nowrap' }}>
        <NextRun c={c} />
      </TableCell>
      <TableCell sx={{ maxWidth: 360 }}>
        {error ? (
          <Tooltip title={error}>
            <Typography variant="body2" color="error" noWrap data-testid="connection-error">
              {error}
            </Typography>
          </Tooltip>
        ) : (
          '—'
        )}
      </TableCell>
    </TableRow>
  );
}

export default function ConnectionsPage({ loaderData }: Route.ComponentProps) {
  const t = useT();
  const { connections, canManage, deleted } = loaderData;
  useRevalidateWhile(connections.some((c) => c.latestRun?.status === 'running'), 5000);
  const addButton = canManage ? (
    <Button href="/connections/new" variant="contained" startIcon={<Add />} data-testid="add-connection">
      {t('connections.add')}
    </Button>
  ) : undefined;
  return (
    <>
      <PageHeader title={t('connections.title')} subtitle={t('connections.subtitle')} actions={addButton} />
      {deleted ? (
        <Alert severity="success" sx={{ mb: 2 }} data-testid="connection-deleted">
          {t('connections.deleted', { name: deleted })}
        </Alert>
      ) : null}
      <Paper variant="outlined" sx={{ overflow: 'hidden' }}>
        {connections.length ? (
          <TableContainer>
            <Table size="small" aria-label={t('connections.title')}>
              <TableHead>
                <TableRow>
                  <TableCell>{t('connections.column.name')}</TableCell>
                  <TableCell>{t('connections.column.status')}</TableCell>
                  <TableCell>{t('connections.column.lastSync')}</TableCell>
                  <TableCell>{t('connections.column.nextRun')}</TableCell>
                  <TableCell>{t('connections.column.lastError')}</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {connections.map((c) => (
                  <ConnectionRow key={c.id} c={c} />
                ))}
              </TableBody>
            </Table>
          </TableContainer>
        ) : (
          <EmptyState title={t('connections.empty.title')} testId="connections-empty">
            {t('connections.empty.body')}
            {addButton ? <Box sx={{ mt: 2 }}>{addButton}</Box> : null}
          </EmptyState>
        )}
      </Paper>
    </>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorNotice error={error} />;
}
