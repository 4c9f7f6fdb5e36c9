import AddIcon from '@mui/icons-material/Add';
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
import { Link as RouterLink } from 'react-router';
import { EmptyState } from '#app/components/empty-state.tsx';
import { ErrorNotice } from '#app/components/error-notice.tsx';
import { entityLabel, ImportProgressBar, StatusChip, usePollWhile } from '#app/components/imports/import-parts.tsx';
import { PageHeader } from '#app/components/page-header.tsx';
import { useFormat, useT } from '#app/i18n/i18n-context.tsx';
import { requireUser } from '#app/server/auth.server.ts';
import { getDb } from '#app/server/db.server.ts';
import { importSummary } from '#app/server/imports.server.ts';
import { decodeImportCursor, listImports } from '#db/queries/imports.ts';
import type { Route } from './+types/imports';

const PAGE_SIZE = 50;

export async function loader({ request }: Route.LoaderArgs) {
  const user = await requireUser(request);
  const raw = new URL(request.url).searchParams.get('cursor');
  const cursor = raw ? decodeImportCursor(raw) : undefined;
  const page = await listImports(getDb().$client, user.tenantId, { limit: PAGE_SIZE, cursor });
  return { imports: page.data.map((row) => importSummary(row)), nextCursor: page.nextCursor, isFirstPage: !cursor };
}

type Row = Route.ComponentProps['loaderData']['imports'][number];

function ImportRow({ imp }: { imp: Row }) {
  const t = useT();
  const format = useFormat();
  const c = imp.counts;
  return (
    <TableRow hover data-testid="import-row">
      <TableCell sx={{ whiteSpace: 'nowrap' }}>
        <Link component={RouterLink} to={`/imports/${imp.id}`} underline="hover" sx={{ fontWeight: 600 }}>
          {format.dateTime(imp.startedAt)}
        </Link>
      </TableCell>
      <TableCell>{t(entityLabel(imp.entity))}</TableCell>
      <TableCell sx={{ maxWidth: 240, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }} title={imp.fileName ?? undefined}>
        {imp.fileName ?? '—'}
      </TableCell>
      <TableCell>
        <code>{imp.source}</code>
      </TableCell>
      <TableCell>
        <Box sx={{ display: 'flex', flexDirection: 'column', gap: 0.5, alignItems: 'flex-start' }}>
          <StatusChip imp={imp} />
          <ImportProgressBar imp={imp} />
        </Box>
      </TableCell>
      <TableCell align="right" sx={{ fontVariantNumeric: 'tabular-nums' }}>
        {format.number(c.rows)}
      </TableCell>
      <TableCell align="right" sx={{ fontVariantNumeric: 'tabular-nums' }}>
        {imp.dryRun ? '—' : format.number(c.inserted)}
      </TableCell>
      <TableCell align="right" sx={{ fontVariantNumeric: 'tabular-nums' }}>
        {imp.dryRun ? '—' : format.number(c.updated)}
      </TableCell>
      <TableCell align="right" sx={{ fontVariantNumeric: 'tabular-nums' }}>
        {imp.dryRun ? '—' : format.number(c.unchanged)}
      </TableCell>
      <TableCell align="right" sx={{ fontVariantNumeric: 'tabular-nums', color: c.failed ? 'error.main' : undefined }}>
        {format.number(c.failed)}
      </TableCell>
    </TableRow>
  );
}

export default function ImportsPage({ loaderData }: Route.ComponentProps) {
  const t = useT();
  const { imports, nextCursor, isFirstPage } = loaderData;
  usePollWhile(imports.some((i) => i.status === 'running'));
  return (
    <>
      <PageHeader
        title={t('imports.title')}
        subtitle={t('imports.subtitle')}
        actions={
          <Button component={RouterLink} to="/imports/new" variant="contained" startIcon={<AddIcon />} data-testid="new-import">
            {t('imports.new')}
          </Button>
        }
      />
      <Paper variant="outlined" sx={{ overflow: 'hidden' }}>
        {imports.length ? (
          <TableContainer>
            <Table size="small" aria-label={t('imports.tableLabel')}>
              <TableHead>
                <TableRow>
                  <TableCell>{t('imports.column.started')}</TableCell>
                  <TableCell>{t('imports.column.entity')}</TableCell>
                  <TableCell>{t('imports.column.file')}</TableCell>
                  <TableCell>{t('imports.column.source')}</TableCell>
                  <TableCell>{t('imports.column.status')}</TableCell>
                  <TableCell align="right">{t('imports.counts.rows')}</TableCell>
                  <TableCell align="right">{t('imports.counts.inserted')}</TableCell>
                  <TableCell align="right">{t('imports.counts.updated')}</TableCell>
                  <TableCell align="right">{t('imports.counts.unchanged')}</TableCell>
                  <TableCell align="right">{t('imports.counts.failed')}</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {imports.map((imp) => (
                  <ImportRow key={imp.id} imp={imp} />
                ))}
              </TableBody>
            </Table>
          </TableContainer>
        ) : (
          <EmptyState title={t('imports.empty.title')} testId="imports-empty">
            {t('imports.empty.body')}
          </EmptyState>
        )}
      </Paper>
      {!isFirstPage || nextCursor ? (
        <Box component="nav" aria-label={t('imports.paging')} sx={{ display: 'flex', justifyContent: 'space-between', mt: 2 }}>
          <Box>{isFirstPage ? null : <Button href="/imports">{t('imports.firstPage')}</Button>}</Box>
          <Typography variant="body2" color="text.secondary" />
          <Box>{nextCursor ? <Button href={`/imports?cursor=${encodeURIComponent(nextCursor)}`} variant="outlined">{t('imports.nextPage')}</Button> : null}</Box>
        </Box>
      ) : null}
    </>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorNotice error={error} />;
}
