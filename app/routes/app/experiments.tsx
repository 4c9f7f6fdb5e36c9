import Add from '@mui/icons-material/Add';
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
import Typography from '@mui/material/Typography';
import { EmptyState } from '#app/components/empty-state.tsx';
import { ErrorNotice } from '#app/components/error-notice.tsx';
import { ExperimentStatusChip } from '#app/components/experiments/status-chip.tsx';
import { PageHeader } from '#app/components/page-header.tsx';
import { useFormat, useT } from '#app/i18n/i18n-context.tsx';
import { requireUser } from '#app/server/auth.server.ts';
import { listExperimentViews } from '#app/server/experiments.server.ts';
import type { Route } from './+types/experiments';

export async function loader({ request }: Route.LoaderArgs) {
  const user = await requireUser(request);
  return { experiments: await listExperimentViews(user.tenantId) };
}

export default function ExperimentsPage({ loaderData }: Route.ComponentProps) {
  const t = useT();
  const format = useFormat();
  const { experiments } = loaderData;
  const actions = (
    <Box sx={{ display: 'flex', gap: 1 }}>
      <Button href="/experiments/metrics" data-testid="experiment-metrics">
        {t('experiments.metrics')}
      </Button>
      <Button href="/experiments/new" variant="contained" startIcon={<Add />} data-testid="new-experiment">
        {t('experiments.new')}
      </Button>
    </Box>
  );
  return (
    <>
      <PageHeader title={t('experiments.title')} subtitle={t('experiments.subtitle')} actions={actions} />
      <Paper variant="outlined" sx={{ overflow: 'hidden' }}>
        {experiments.length ? (
          <TableContainer>
            <Table size="small" aria-label={t('experiments.title')}>
              <TableHead>
                <TableRow>
                  <TableCell>{t('experiments.column.name')}</TableCell>
                  <TableCell>{t('experiments.column.status')}</TableCell>
                  <TableCell>{t('experiments.column.audience')}</TableCell>
                  <TableCell align="right">{t('experiments.column.exposures')}</TableCell>
                  <TableCell>{t('experiments.column.decision')}</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {experiments.map((e) => (
                  <TableRow key={e.id} hover data-testid="experiment-row">
                    <TableCell>
                      <Link href={`/experiments/${e.id}`} underline="hover" sx={{ fontWeight: 600 }}>
                        {e.name}
                      </Link>
                      {e.definition.description ? (
                        <Typography variant="body2" color="text.secondary" noWrap sx={{ maxWidth: 420 }}>
                          {e.definition.description}
                        </Typography>
                      ) : null}
                    </TableCell>
                    <TableCell>
                      <ExperimentStatusChip status={e.status} />
                    </TableCell>
                    <TableCell>{t(`experiments.audience.${e.definition.audience.kind}`)}</TableCell>
                    <TableCell align="right">{format.number(e.exposures)}</TableCell>
                    <TableCell>
                      <Typography variant="body2" color="text.secondary" sx={{ maxWidth: 380 }}>
                        {e.decision ? `${e.decision.kind === 'winner' ? `${t('experiments.detail.winnerVariant')}: ${e.decision.variant}` : t('experiments.status.stopped')}` : (e.latestDecision?.reason ?? '—')}
                      </Typography>
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </TableContainer>
        ) : (
          <EmptyState title={t('experiments.empty.title')} testId="experiments-empty">
            {t('experiments.empty.body')}
            <Box sx={{ mt: 2 }}>{actions}</Box>
          </EmptyState>
        )}
      </Paper>
    </>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorNotice error={error} />;
}
