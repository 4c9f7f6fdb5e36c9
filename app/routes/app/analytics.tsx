import PlayArrow from '@mui/icons-material/PlayArrow';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Paper from '@mui/material/Paper';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { alpha } from '@mui/material/styles';
import { data, Form, useActionData, useNavigation } from 'react-router';
import { EmptyState } from '#app/components/empty-state.tsx';
import { ErrorNotice } from '#app/components/error-notice.tsx';
import { PageHeader } from '#app/components/page-header.tsx';
import { BarList } from '#app/components/scoring/charts.tsx';
import { lifecycleKey, segmentKey } from '#app/components/scoring/labels.ts';
import { SectionCard } from '#app/components/section-card.tsx';
import { useFormat, useT } from '#app/i18n/i18n-context.tsx';
import { requireUser } from '#app/server/auth.server.ts';
import { getDb } from '#app/server/db.server.ts';
import { runScoringNow, runView } from '#app/server/scoring-api.server.ts';
import { LIFECYCLE_STATES } from '#core/scoring/lifecycle.ts';
import { RFM_GRID, RFM_SEGMENTS } from '#core/scoring/rfm.ts';
import { readScoringSettings } from '#core/scoring/settings.ts';
import { UserError } from '#core/errors.ts';
import { listScoringRuns, scoringOverview } from '#db/queries/scoring.ts';
import type { Route } from './+types/analytics';

const canRun = (role: string) => role === 'owner' || role === 'admin';

export async function loader({ request }: Route.LoaderArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const [overview, runs, tenant] = await Promise.all([
    scoringOverview(db.$client, user.tenantId, new Date().toISOString()),
    listScoringRuns(db.$client, user.tenantId, 20),
    db.$client.query<{ timezone: string; currency: string; settings: Record<string, unknown> }>('select timezone, currency, settings from tenants where id = $1', [user.tenantId]),
  ]);
  const t = tenant.rows[0]!;
  return {
    overview,
    currency: overview.currency ?? t.currency,
    runs: runs.map(runView),
    schedule: { time: readScoringSettings(t.settings?.scoring).scheduleTime, timeZone: t.timezone },
    canRun: canRun(user.role),
  };
}

export async function action({ request }: Route.ActionArgs) {
  const user = await requireUser(request);
  if (!canRun(user.role)) throw data(null, { status: 403 });
  try {
    const started = await runScoringNow(user.tenantId, undefined);
    return { ok: true as const, runId: started.runId };
  } catch (err) {
    if (err instanceof UserError) return data({ ok: false as const, message: err.message }, { status: err.status });
    throw err;
  }
}

type LoaderData = Route.ComponentProps['loaderData'];

function RfmGrid({ overview, currency }: { overview: LoaderData['overview']; currency: string }) {
  const t = useT();
  const format = useFormat();
  const cell = new Map(overview.grid.map((g) => [`${g.r}${g.fm}`, g]));
  const max = Math.max(1, ...overview.grid.map((g) => g.customers));
  return (
    <Box sx={{ overflowX: 'auto' }}>
      <Box component="table" data-testid="rfm-grid" aria-label={t('analytics.rfm.grid')} sx={{ borderCollapse: 'separate', borderSpacing: 4, width: '100%', minWidth: 480 }}>
        <thead>
          <tr>
            <Box component="th" sx={{ typography: 'caption', color: 'text.secondary' }}>
              {t('analytics.rfm.r')} \ {t('analytics.rfm.fm')}
            </Box>
            {[1, 2, 3, 4, 5].map((fm) => (
              <Box component="th" key={fm} sx={{ typography: 'caption', color: 'text.secondary' }}>
                {fm}
              </Box>
            ))}
          </tr>
        </thead>
        <tbody>
          {([5, 4, 3, 2, 1] as const).map((r) => (
            <tr key={r}>
              <Box component="th" sx={{ typography: 'caption', color: 'text.secondary' }}>
                {r}
              </Box>
              {RFM_GRID[r].map((segment, i) => {
                const g = cell.get(`${r}${i + 1}`);
                const n = g?.customers ?? 0;
                return (
                  <Tooltip key={i} title={`${t(segmentKey(segment))}: ${format.number(n)} · ${format.money(g?.revenueMinor ?? 0, currency)}`}>
                    <Box
                      component="td"
                      data-testid={`rfm-cell-${r}${i + 1}`}
                      sx={(theme) => ({ p: 1, borderRadius: 1, verticalAlign: 'top', bgcolor: alpha(theme.palette.primary.main, 0.08 + 0.6 * (n / max)), minWidth: 80 })}
                    >
                      <Typography variant="caption" sx={{ display: 'block', fontWeight: 600 }} noWrap>
                        {t(segmentKey(segment))}
                      </Typography>
                      <Typography variant="body2" sx={{ fontVariantNumeric: 'tabular-nums' }}>
                        {format.number(n)}
                      </Typography>
                    </Box>
                  </Tooltip>
                );
              })}
            </tr>
          ))}
        </tbody>
      </Box>
    </Box>
  );
}

function RunStatus({ status }: { status: 'running' | 'succeeded' | 'failed' }) {
  const t = useT();
  return <Chip size="small" label={t(`scoring.status.${status}`)} color={status === 'succeeded' ? 'success' : status === 'failed' ? 'error' : 'default'} />;
}

export default function AnalyticsPage({ loaderData }: Route.ComponentProps) {
  const t = useT();
  const format = useFormat();
  const { overview, currency, runs, schedule, canRun } = loaderData;
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const bySegment = new Map(overview.segments.map((s) => [s.segment, s]));
  const byState = new Map(overview.lifecycle.map((s) => [s.state, s.customers]));
  return (
    <>
      <PageHeader
        title={t('analytics.title')}
        subtitle={t('analytics.subtitle')}
        actions={
          canRun ? (
            <Form method="post">
              <Button type="submit" variant="contained" startIcon={<PlayArrow />} disabled={navigation.state !== 'idle'} data-testid="run-scoring">
                {t('analytics.runNow')}
              </Button>
            </Form>
          ) : undefined
        }
      />
      {result?.ok ? (
        <Alert severity="success" sx={{ mb: 2 }} data-testid="run-started">
          {t('analytics.started')}
        </Alert>
      ) : result && !result.ok ? (
        <Alert severity="error" sx={{ mb: 2 }}>
          {result.message}
        </Alert>
      ) : null}
      {overview.customers === 0 ? (
        <Paper variant="outlined" sx={{ mb: 2 }}>
          <EmptyState title={t('analytics.empty.title')} testId="analytics-empty">
            {t('analytics.empty.body', { time: schedule.time, timeZone: schedule.timeZone })}
          </EmptyState>
        </Paper>
      ) : (
        <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: 'minmax(0, 1fr)', lg: 'minmax(0, 3fr) minmax(0, 2fr)' }, alignItems: 'start', mb: 2 }}>
          <SectionCard title={t('analytics.rfm.title')}>
            <RfmGrid overview={overview} currency={currency} />
            <Box sx={{ mt: 2 }}>
              <BarList
                testId="rfm-segments"
                bars={RFM_SEGMENTS.map((s) => {
                  const seg = bySegment.get(s);
                  return {
                    key: s,
                    label: t(segmentKey(s)),
                    value: seg?.revenueMinor ?? 0,
                    display: `${format.number(seg?.customers ?? 0)} · ${format.money(seg?.revenueMinor ?? 0, currency)}`,
                    hint: t('analytics.rfm.revenue'),
                  };
                })}
              />
            </Box>
          </SectionCard>
          <Box sx={{ display: 'grid', gap: 2 }}>
            <SectionCard title={t('analytics.lifecycle.title')}>
              <BarList
                testId="lifecycle"
                bars={LIFECYCLE_STATES.map((s) => ({ key: s, label: t(lifecycleKey(s)), value: byState.get(s) ?? 0, display: format.number(byState.get(s) ?? 0) }))}
              />
              <Typography variant="subtitle2" sx={{ mt: 2, mb: 1 }}>
                {t('analytics.lifecycle.flows')}
              </Typography>
              {overview.flows.length ? (
                <BarList
                  testId="lifecycle-flows"
                  bars={overview.flows.map((f) => ({
                    key: `${f.from}-${f.to}`,
                    label: `${f.from ? t(lifecycleKey(f.from)) : '∅'} → ${t(lifecycleKey(f.to))}`,
                    value: f.customers,
                    display: format.number(f.customers),
                  }))}
                />
              ) : (
                <Typography variant="body2" color="text.secondary">
                  {t('analytics.lifecycle.noFlows')}
                </Typography>
              )}
            </SectionCard>
            <SectionCard title={t('analytics.clv.title')}>
              <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
                {t('analytics.clv.hint')}
              </Typography>
              <BarList
                testId="clv"
                bars={overview.clv.map((b) => ({
                  key: String(b.bucket),
                  label: `${format.money(b.lowMinor, currency)} – ${format.money(b.highMinor, currency)}`,
                  value: b.customers,
                  display: format.number(b.customers),
                }))}
              />
            </SectionCard>
          </Box>
        </Box>
      )}
      <SectionCard title={t('analytics.runs.title')} flush>
        {runs.length ? (
          <TableContainer>
            <Table size="small" data-testid="scoring-runs">
              <TableHead>
                <TableRow>
                  <TableCell>{t('analytics.runs.started')}</TableCell>
                  <TableCell>{t('analytics.runs.asOf')}</TableCell>
                  <TableCell>{t('analytics.runs.status')}</TableCell>
                  <TableCell align="right">{t('analytics.runs.duration')}</TableCell>
                  <TableCell>{t('analytics.runs.model')}</TableCell>
                  <TableCell>{t('analytics.runs.details')}</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {runs.map((r) => (
                  <TableRow key={r.id} data-testid="scoring-run">
                    <TableCell sx={{ whiteSpace: 'nowrap' }}>{format.dateTime(r.startedAt)}</TableCell>
                    <TableCell sx={{ whiteSpace: 'nowrap' }}>{format.dateTime(r.asOf)}</TableCell>
                    <TableCell>
                      <RunStatus status={r.status} />
                      {r.error ? (
                        <Typography variant="caption" color="error" sx={{ display: 'block' }}>
                          {r.error}
                        </Typography>
                      ) : null}
                    </TableCell>
                    <TableCell align="right" sx={{ fontVariantNumeric: 'tabular-nums' }}>
                      {r.durationMs === null ? '—' : `${(r.durationMs / 1000).toFixed(1)} s`}
                    </TableCell>
                    <TableCell>{String(r.parameters.modelSource ?? '—')}</TableCell>
                    <TableCell sx={{ maxWidth: 420 }}>
                      <details>
                        <summary>{t('analytics.runs.details')}</summary>
                        <Box component="pre" sx={{ fontSize: 12, whiteSpace: 'pre-wrap', wordBreak: 'break-word', m: 0 }}>
                          {JSON.stringify({ parameters: r.parameters, diagnostics: r.diagnostics, steps: r.steps }, null, 2)}
                        </Box>
                      </details>
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </TableContainer>
        ) : (
          <EmptyState title={t('analytics.runs.empty')} />
        )}
      </SectionCard>
    </>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorNotice error={error} />;
}
