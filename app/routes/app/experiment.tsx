import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Link from '@mui/material/Link';
import MenuItem from '@mui/material/MenuItem';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { data, redirect, useFetcher } from 'react-router';
import type { MetricResult } from '#core/experiments/results.ts';
import { useRevalidateWhile } from '#app/components/connections/use-polling.ts';
import { ErrorNotice } from '#app/components/error-notice.tsx';
import { LiftChart } from '#app/components/experiments/lift-chart.tsx';
import { ExperimentStatusChip } from '#app/components/experiments/status-chip.tsx';
import { PageHeader } from '#app/components/page-header.tsx';
import { SectionCard } from '#app/components/section-card.tsx';
import { StatCard } from '#app/components/stat-card.tsx';
import { useFormat, useT } from '#app/i18n/i18n-context.tsx';
import { requireUser } from '#app/server/auth.server.ts';
import {
  declareWinnerFor,
  deleteExperimentFor,
  evaluateExperimentFor,
  getExperimentView,
  pageAction,
  resultsFor,
  startExperimentFor,
  stopExperimentFor,
} from '#app/server/experiments.server.ts';
import type { Route } from './+types/experiment';

export async function loader({ request, params }: Route.LoaderArgs) {
  const user = await requireUser(request);
  const experiment = await getExperimentView(user.tenantId, params.id).catch(() => undefined);
  if (!experiment) throw data(null, { status: 404 });
  return { experiment, results: await resultsFor(user.tenantId, params.id) };
}

export async function action({ request, params }: Route.ActionArgs) {
  const user = await requireUser(request);
  const body = (await request.json()) as { intent?: string; variant?: string; reason?: string };
  const by = `user:${user.email}`;
  if (body.intent === 'delete') {
    const r = await pageAction(() => deleteExperimentFor(user.tenantId, params.id));
    if ('ok' in r) throw redirect('/experiments');
    return r;
  }
  return pageAction(async () => {
    switch (body.intent) {
      case 'start':
        return startExperimentFor(user.tenantId, params.id);
      case 'stop':
        return stopExperimentFor(user.tenantId, params.id, { reason: body.reason, by });
      case 'winner':
        return declareWinnerFor(user.tenantId, params.id, { variant: String(body.variant ?? ''), reason: body.reason, by });
      default:
        return evaluateExperimentFor(user.tenantId, params.id);
    }
  });
}

function fmtP(p: number | undefined) {
  if (p === undefined || !Number.isFinite(p)) return '—';
  return p < 0.001 ? '< 0.001' : p.toFixed(3);
}

function MetricTable({ m }: { m: MetricResult }) {
  const t = useT();
  const format = useFormat();
  const isRate = m.type === 'conversion' || m.type === 'email_open_rate' || m.type === 'email_click_rate';
  const value = (v: number) => (isRate ? format.percent(v) : format.number(Math.round(v) / 100));
  return (
    <Box sx={{ mb: 3 }} data-testid="metric-results" data-metric={m.key}>
      <Typography variant="subtitle1" sx={{ fontWeight: 600 }}>
        {m.name} <Chip size="small" variant="outlined" label={t(m.role === 'primary' ? 'experiments.detail.primary' : 'experiments.detail.guardrail')} />
      </Typography>
      <Table size="small">
        <TableHead>
          <TableRow>
            <TableCell>{t('experiments.col.variant')}</TableCell>
            <TableCell align="right">{t('experiments.col.units')}</TableCell>
            <TableCell align="right">{t('experiments.col.conversions')}</TableCell>
            <TableCell align="right">{t('experiments.col.value')}</TableCell>
            <TableCell align="right">{t('experiments.col.lift')}</TableCell>
            <TableCell align="right">{t('experiments.col.chance')}</TableCell>
            <TableCell align="right">{t('experiments.col.pSeq')}</TableCell>
            <TableCell align="right">{t('experiments.col.pFixed')}</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {m.variants.map((v) => {
            const c = v.vsControl;
            const good = c ? (m.higherIsBetter ? c.relative.estimate > 0 : c.relative.estimate < 0) : false;
            return (
              <TableRow key={v.variant} data-testid="variant-result" data-variant={v.variant}>
                <TableCell>{c ? v.variant : `${v.variant} (${t('experiments.col.control')})`}</TableCell>
                <TableCell align="right">{format.number(v.units)}</TableCell>
                <TableCell align="right">{format.number(v.numerator)}</TableCell>
                <TableCell align="right" data-testid="variant-value">
                  {value(v.value)}
                </TableCell>
                <TableCell align="right" sx={{ color: c ? (good ? 'success.main' : 'error.main') : undefined }} data-testid="variant-lift">
                  {c ? `${c.relative.estimate >= 0 ? '+' : ''}${format.percent(c.relative.estimate)} [${format.percent(c.relative.lower)}, ${format.percent(c.relative.upper)}]` : '—'}
                </TableCell>
                <TableCell align="right" data-testid="variant-chance">
                  {c ? format.percent(c.chanceToWin) : '—'}
                </TableCell>
                <TableCell align="right">{fmtP(c?.sequentialPValue)}</TableCell>
                <TableCell align="right">{fmtP(c?.pValue)}</TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </Box>
  );
}

export default function ExperimentPage({ loaderData }: Route.ComponentProps) {
  const t = useT();
  const format = useFormat();
  const { experiment: e, results } = loaderData;
  const act = useFetcher<{ ok?: unknown; error?: { message: string } }>();
  const [winner, setWinner] = useState(e.variants[1]?.key ?? e.variants[0]!.key);
  const [reason, setReason] = useState('');
  useRevalidateWhile(e.status === 'running', 15_000);
  const send = (intent: string, extra: Record<string, unknown> = {}) => void act.submit({ intent, ...extra } as never, { method: 'post', encType: 'application/json' });
  const latest = results.latest?.results;
  const holdout = latest?.holdoutUnits ?? 0;
  const actions = (
    <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap' }}>
      {e.status === 'draft' ? (
        <>
          <Button variant="contained" onClick={() => send('start')} disabled={act.state !== 'idle'} data-testid="experiment-start">
            {t('experiments.detail.start')}
          </Button>
          <Button href={`/experiments/${e.id}/edit`}>{t('experiments.detail.edit')}</Button>
          <Button color="inherit" onClick={() => window.confirm(t('experiments.detail.deleteConfirm', { name: e.name })) && send('delete')}>
            {t('experiments.detail.delete')}
          </Button>
        </>
      ) : null}
      {e.status === 'running' ? (
        <Button onClick={() => send('evaluate')} disabled={act.state !== 'idle'} data-testid="experiment-refresh">
          {t('experiments.detail.refresh')}
        </Button>
      ) : null}
      {e.status === 'running' || e.status === 'scheduled' ? (
        <>
          <Button href={`/experiments/${e.id}/edit`}>{t('experiments.detail.edit')}</Button>
          <Button color="warning" onClick={() => window.confirm(t('experiments.detail.stopConfirm', { name: e.name })) && send('stop', { reason })} data-testid="experiment-stop">
            {t('experiments.detail.stop')}
          </Button>
        </>
      ) : null}
    </Box>
  );
  return (
    <>
      <PageHeader title={e.name} subtitle={e.definition.description ?? e.definition.hypothesis ?? undefined} actions={actions} titleTestId="experiment-title" />
      {act.data?.error ? (
        <Alert severity="error" sx={{ mb: 2 }} data-testid="experiment-action-error">
          {act.data.error.message}
        </Alert>
      ) : null}
      {act.data?.ok && e.status === 'running' ? (
        <Alert severity="info" sx={{ mb: 2 }}>
          {t('experiments.detail.refreshed')}
        </Alert>
      ) : null}
      <Box sx={{ display: 'flex', gap: 1, alignItems: 'center', mb: 2 }}>
        <ExperimentStatusChip status={e.status} />
        <Chip size="small" variant="outlined" label={t(`experiments.audience.${e.definition.audience.kind}`)} />
        {e.temporalUiUrl ? (
          <Link href={e.temporalUiUrl} target="_blank" rel="noreferrer" variant="body2">
            {t('experiments.detail.workflow')}
          </Link>
        ) : null}
      </Box>
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', md: 'repeat(3, 1fr)' }, gap: 2, mb: 2 }}>
        <StatCard label={t('experiments.detail.exposures')} value={format.number(e.exposures)} testId="experiment-exposures" />
        <StatCard label={t('experiments.detail.holdout')} value={format.number(holdout)} />
        <StatCard label={t('experiments.detail.lastEvaluated')} value={e.lastEvaluatedAt ? format.dateTime(e.lastEvaluatedAt) : t('experiments.detail.never')} />
      </Box>
      {e.decision ? (
        <Alert severity={e.decision.kind === 'winner' ? 'success' : 'warning'} sx={{ mb: 2 }} data-testid="experiment-decision">
          <strong>
            {t('experiments.detail.decidedBy', {
              kind: e.decision.kind === 'winner' ? `${t('experiments.detail.winnerVariant')}: ${e.decision.variant}` : t('experiments.status.stopped'),
              by: e.decision.by,
              at: format.dateTime(e.decision.at),
            })}
          </strong>
          {' — '}
          {e.decision.reason}
        </Alert>
      ) : latest ? (
        <Alert severity={latest.decision.kind === 'ship' ? 'success' : latest.decision.kind === 'continue' ? 'info' : 'warning'} sx={{ mb: 2 }} data-testid="experiment-rule">
          <strong>{t('experiments.detail.rule', { kind: latest.decision.kind })}</strong> — {latest.decision.reason}
        </Alert>
      ) : null}
      {latest ? (
        <Alert severity={latest.srm.mismatch ? 'error' : 'success'} sx={{ mb: 2 }} data-testid="experiment-srm">
          {t(latest.srm.mismatch ? 'experiments.detail.srmMismatch' : 'experiments.detail.srmOk', { p: fmtP(latest.srm.pValue) })}
        </Alert>
      ) : null}
      <SectionCard title={t('experiments.detail.results')}>
        {latest ? latest.metrics.map((m) => <MetricTable key={m.metricId} m={m} />) : <Typography color="text.secondary" data-testid="experiment-no-results">{t('experiments.detail.noResults')}</Typography>}
      </SectionCard>
      <Box sx={{ mt: 2 }}>
        <SectionCard title={t('experiments.detail.chart')}>
          <LiftChart history={results.history} />
        </SectionCard>
      </Box>
      {e.status === 'running' || e.status === 'scheduled' ? (
        <Box sx={{ mt: 2 }}>
          <SectionCard title={t('experiments.detail.declareWinner')}>
            <Box sx={{ display: 'flex', gap: 2, alignItems: 'flex-start', flexWrap: 'wrap' }}>
              <TextField select size="small" sx={{ minWidth: 200 }} label={t('experiments.detail.winnerVariant')} value={winner} onChange={(ev) => setWinner(ev.target.value)} data-testid="winner-variant">
                {e.variants.map((v) => (
                  <MenuItem key={v.key} value={v.key}>
                    {v.name} ({v.key})
                  </MenuItem>
                ))}
              </TextField>
              <TextField size="small" sx={{ flex: 1, minWidth: 240 }} label={t('experiments.detail.reason')} value={reason} onChange={(ev) => setReason(ev.target.value)} />
              <Button variant="outlined" color="success" onClick={() => send('winner', { variant: winner, reason })} disabled={act.state !== 'idle'} data-testid="experiment-winner">
                {t('experiments.detail.declareWinner')}
              </Button>
            </Box>
          </SectionCard>
        </Box>
      ) : null}
    </>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorNotice error={error} />;
}
