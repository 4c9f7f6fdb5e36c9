import OpenInNewIcon from '@mui/icons-material/OpenInNew';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Grid from '@mui/material/Grid';
import LinearProgress from '@mui/material/LinearProgress';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { data, Link as RouterLink } from 'react-router';
import { ErrorNotice } from '#app/components/error-notice.tsx';
import { entityLabel, ErrorLines, StatusChip, targetLabel, usePollWhile } from '#app/components/imports/import-parts.tsx';
import { PageHeader } from '#app/components/page-header.tsx';
import { SectionCard } from '#app/components/section-card.tsx';
import { StatCard } from '#app/components/stat-card.tsx';
import { useFormat, useT } from '#app/i18n/i18n-context.tsx';
import { requireUser } from '#app/server/auth.server.ts';
import { getDb } from '#app/server/db.server.ts';
import { importDetail } from '#app/server/imports.server.ts';
import { TARGETS, type ImportEntity } from '#core/imports/targets.ts';
import { getImport } from '#db/queries/imports.ts';
import type { Route } from './+types/import';

export async function loader({ request, params }: Route.LoaderArgs) {
  const user = await requireUser(request);
  const row = await getImport(getDb().$client, user.tenantId, params.id);
  if (!row) throw data(null, { status: 404 });
  return { imp: importDetail(row) };
}

/** The entity's fields in their usual order, attributes last (jsonb does not keep key order). */
const orderedMapping = (entity: ImportEntity, mapping: Record<string, string>) => {
  const order = TARGETS[entity].map((f) => f.key);
  const rank = (k: string) => (order.includes(k) ? order.indexOf(k) : order.length);
  return Object.entries(mapping).sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
};

const megabytes = (bytes: number) => (bytes / 1e6).toFixed(bytes < 1e7 ? 1 : 0);

export default function ImportPage({ loaderData }: Route.ComponentProps) {
  const t = useT();
  const format = useFormat();
  const { imp } = loaderData;
  const running = imp.status === 'running';
  usePollWhile(running);
  const c = imp.counts;
  const { bytesRead, bytesTotal, rowsDone, rowsTotal, percent } = imp.progress;
  return (
    <>
      <PageHeader
        title={t(imp.dryRun ? 'imports.detail.titleDryRun' : 'imports.detail.title', { entity: t(entityLabel(imp.entity)) })}
        titleTestId="import-title"
        subtitle={t('imports.detail.subtitle', { file: imp.fileName ?? '—', source: imp.source, started: format.dateTime(imp.startedAt) })}
        actions={
          <>
            {imp.temporalUiUrl ? (
              <Button href={imp.temporalUiUrl} target="_blank" rel="noreferrer" endIcon={<OpenInNewIcon fontSize="small" />}>
                {t('imports.detail.temporal')}
              </Button>
            ) : null}
            <Button component={RouterLink} to="/imports/new" variant="outlined">
              {t('imports.new')}
            </Button>
          </>
        }
      />
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 2, mb: 2, flexWrap: 'wrap' }}>
        <StatusChip imp={imp} />
        {running ? (
          <Box sx={{ flex: '1 1 320px', maxWidth: 640 }}>
            <LinearProgress variant={rowsTotal ? 'determinate' : 'indeterminate'} value={percent ?? 0} aria-label={t('imports.progress.label')} />
            <Typography variant="body2" color="text.secondary" sx={{ mt: 0.5 }} data-testid="import-progress">
              {rowsTotal ? t('imports.progress.rows', { done: format.number(rowsDone), total: format.number(rowsTotal) }) : t('imports.progress.starting')}
              {bytesTotal ? ` · ${t('imports.progress.bytes', { read: megabytes(bytesRead), total: megabytes(bytesTotal) })}` : ''}
            </Typography>
          </Box>
        ) : (
          <Typography color="text.secondary" data-testid="import-outcome">
            {imp.dryRun
              ? t('imports.detail.dryRunOutcome', { valid: format.number(c.rows - c.failed), rows: format.number(c.rows) })
              : imp.status === 'succeeded'
                ? t('imports.detail.succeeded', { written: format.number(c.written), rows: format.number(c.rows) })
                : t('imports.detail.failed')}
          </Typography>
        )}
      </Box>
      {imp.error ? (
        <Alert severity="error" sx={{ mb: 2 }}>
          {imp.error}
        </Alert>
      ) : null}
      <Grid container spacing={2} sx={{ mb: 2 }}>
        {(imp.dryRun ? (['rows', 'failed'] as const) : (['rows', 'inserted', 'updated', 'unchanged', 'failed'] as const)).map((k) => (
          <Grid key={k} size={{ xs: 6, sm: 4, md: imp.dryRun ? 3 : 2.4 }}>
            <StatCard label={t(`imports.counts.${k}`)} value={format.number(c[k])} testId={`count-${k}`} />
          </Grid>
        ))}
        {imp.dryRun ? (
          <Grid size={{ xs: 6, sm: 4, md: 3 }}>
            <StatCard label={t('imports.counts.valid')} value={format.number(c.rows - c.failed)} testId="count-valid" />
          </Grid>
        ) : null}
      </Grid>
      {!imp.dryRun && !running ? (
        <Typography color="text.secondary" sx={{ mb: 2 }}>
          {t('imports.detail.explainCounts')}
        </Typography>
      ) : null}
      <Box sx={{ display: 'grid', gap: 2 }}>
        <SectionCard title={t('imports.errors.title', { count: format.number(c.failed) })} flush>
          {imp.errors.length ? (
            <ErrorLines errors={imp.errors} total={c.failed} />
          ) : (
            <Typography color="text.secondary" sx={{ px: 2, pb: 2 }}>
              {running ? t('imports.errors.noneYet') : t('imports.errors.none')}
            </Typography>
          )}
        </SectionCard>
        <SectionCard title={t('imports.detail.mapping')} flush>
          <Table size="small" aria-label={t('imports.detail.mapping')}>
            <TableBody>
              {orderedMapping(imp.entity, imp.mapping).map(([target, column]) => {
                const label = targetLabel(target);
                return (
                  <TableRow key={target}>
                    <TableCell sx={{ width: '40%' }}>
                      {label ? t(label) : t('imports.target.attribute', { name: target.slice('attributes.'.length) })}{' '}
                      <Typography component="code" variant="caption" color="text.secondary">
                        {target}
                      </Typography>
                    </TableCell>
                    <TableCell>
                      <code>{column}</code>
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        </SectionCard>
      </Box>
    </>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorNotice error={error} />;
}
