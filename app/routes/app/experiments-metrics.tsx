import Add from '@mui/icons-material/Add';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import { useEffect, useState } from 'react';
import { useFetcher } from 'react-router';
import { EmptyState } from '#app/components/empty-state.tsx';
import { ErrorNotice } from '#app/components/error-notice.tsx';
import { MetricDialog, type PageError } from '#app/components/experiments/metric-dialog.tsx';
import { PageHeader } from '#app/components/page-header.tsx';
import { useFormat, useT } from '#app/i18n/i18n-context.tsx';
import { requireUser } from '#app/server/auth.server.ts';
import { deleteMetricFor, listMetricsFor, pageAction, setupAction } from '#app/server/experiments.server.ts';
import type { Route } from './+types/experiments-metrics';

export async function loader({ request }: Route.LoaderArgs) {
  const user = await requireUser(request);
  return { metrics: await listMetricsFor(user.tenantId) };
}

export async function action({ request }: Route.ActionArgs) {
  const user = await requireUser(request);
  const body = (await request.json()) as { intent?: string; id?: string };
  if (body.intent === 'delete') return pageAction(() => deleteMetricFor(user.tenantId, String(body.id)));
  return setupAction(user.tenantId, { ...body, intent: 'metric' });
}

export default function MetricsPage({ loaderData }: Route.ComponentProps) {
  const t = useT();
  const format = useFormat();
  const create = useFetcher<{ ok?: unknown; error?: PageError }>();
  const remove = useFetcher<{ ok?: unknown; error?: PageError }>();
  const [open, setOpen] = useState(false);
  useEffect(() => {
    if (create.data?.ok) setOpen(false);
  }, [create.data]);
  const add = (
    <Button variant="contained" startIcon={<Add />} onClick={() => setOpen(true)} data-testid="new-metric">
      {t('experiments.form.newMetric')}
    </Button>
  );
  return (
    <>
      <PageHeader title={t('experiments.metrics')} subtitle={t('experiments.metrics.subtitle')} actions={add} />
      {remove.data?.error ? (
        <Alert severity="error" sx={{ mb: 2 }} data-testid="metric-delete-error">
          {remove.data.error.message}
        </Alert>
      ) : null}
      <Paper variant="outlined">
        {loaderData.metrics.length ? (
          <Table size="small" aria-label={t('experiments.metrics')}>
            <TableHead>
              <TableRow>
                <TableCell>{t('experiments.metric.name')}</TableCell>
                <TableCell>{t('experiments.metric.key')}</TableCell>
                <TableCell>{t('experiments.metric.type')}</TableCell>
                <TableCell align="right">{t('experiments.metric.window')}</TableCell>
                <TableCell align="right">{t('experiments.metric.usedBy')}</TableCell>
                <TableCell />
              </TableRow>
            </TableHead>
            <TableBody>
              {loaderData.metrics.map((m) => (
                <TableRow key={m.id} data-testid="metric-row">
                  <TableCell sx={{ fontWeight: 600 }}>{m.name}</TableCell>
                  <TableCell>{m.key}</TableCell>
                  <TableCell>
                    {t(`experiments.metric.type.${m.definition.type}`)}
                    {m.definition.type === 'conversion' ? ` · ${m.definition.source.kind === 'order' ? t('experiments.metric.source.order') : m.definition.source.match.event}` : ''}
                  </TableCell>
                  <TableCell align="right">{format.number(m.definition.windowHours)}</TableCell>
                  <TableCell align="right">{format.number(m.usedBy)}</TableCell>
                  <TableCell align="right">
                    <Button size="small" color="inherit" disabled={m.usedBy > 0} onClick={() => window.confirm(t('experiments.metric.deleteConfirm', { name: m.name })) && void remove.submit({ intent: 'delete', id: m.id }, { method: 'post', encType: 'application/json' })}>
                      {t('experiments.metric.delete')}
                    </Button>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        ) : (
          <EmptyState title={t('experiments.metrics')} testId="metrics-empty">
            {t('experiments.metric.empty')}
          </EmptyState>
        )}
      </Paper>
      <MetricDialog open={open} onClose={() => setOpen(false)} busy={create.state !== 'idle'} error={create.data?.error} onCreate={(metric) => void create.submit({ intent: 'metric', metric } as never, { method: 'post', encType: 'application/json' })} />
    </>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorNotice error={error} />;
}
