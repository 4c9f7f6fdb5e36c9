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
import { useState } from 'react';
import { data, redirect } from 'react-router';
import { CreateJourneyDialog } from '#app/components/journeys/create-dialog.tsx';
import { JourneyStatusChip } from '#app/components/journeys/status-chip.tsx';
import { EmptyState } from '#app/components/empty-state.tsx';
import { ErrorNotice } from '#app/components/error-notice.tsx';
import { PageHeader } from '#app/components/page-header.tsx';
import { useRevalidateWhile } from '#app/components/connections/use-polling.ts';
import { useFormat, useT } from '#app/i18n/i18n-context.tsx';
import { requireUser } from '#app/server/auth.server.ts';
import { createJourneyFor, listJourneysFor } from '#app/server/journeys.server.ts';
import { UserError } from '#core/errors.ts';
import { JOURNEY_RECIPES, STARTER_MESSAGES, STARTER_SEGMENTS } from '#core/journeys/starter-messages.ts';
import type { Route } from './+types/journeys';

export async function loader({ request }: Route.LoaderArgs) {
  const user = await requireUser(request);
  const templates = JOURNEY_RECIPES.map((r) => ({
    id: r.id,
    messages: [...r.messages],
    segments: [...r.segments],
    messageNames: r.messages.map((k) => STARTER_MESSAGES[k].name),
    segmentNames: r.segments.map((k) => STARTER_SEGMENTS[k].name),
  }));
  return { journeys: await listJourneysFor(user.tenantId), templates };
}

export async function action({ request }: Route.ActionArgs) {
  const user = await requireUser(request);
  const form = await request.formData();
  if (form.get('intent') !== 'create') throw data(null, { status: 400 });
  const name = String(form.get('name') ?? '').trim();
  const template = String(form.get('template') ?? 'blank');
  if (!name || name.length > 200) return data({ ok: false as const, error: 'invalid' as const }, { status: 400 });
  try {
    const j = await createJourneyFor(user.tenantId, { name, ...(template !== 'blank' ? { template } : {}) });
    return redirect(`/journeys/${j.id}`);
  } catch (err) {
    if (err instanceof UserError && err.code === 'conflict') return data({ ok: false as const, error: 'nameTaken' as const }, { status: 409 });
    if (err instanceof UserError && err.status === 400) return data({ ok: false as const, error: 'invalid' as const }, { status: 400 });
    throw err;
  }
}

export default function JourneysPage({ loaderData }: Route.ComponentProps) {
  const t = useT();
  const format = useFormat();
  const { journeys, templates } = loaderData;
  const [open, setOpen] = useState(false);
  // Headline numbers move while customers run through active journeys.
  useRevalidateWhile(journeys.some((j) => j.status === 'active' || j.stats.running > 0), 5000);
  const newButton = (
    <Button variant="contained" startIcon={<Add />} onClick={() => setOpen(true)} data-testid="new-journey">
      {t('journeys.new')}
    </Button>
  );
  return (
    <>
      <PageHeader title={t('journeys.title')} subtitle={t('journeys.subtitle')} actions={newButton} />
      <Paper variant="outlined" sx={{ overflow: 'hidden' }}>
        {journeys.length ? (
          <TableContainer>
            <Table size="small" aria-label={t('journeys.tableLabel')}>
              <TableHead>
                <TableRow>
                  <TableCell>{t('journeys.column.name')}</TableCell>
                  <TableCell>{t('journeys.column.status')}</TableCell>
                  <TableCell>{t('journeys.column.version')}</TableCell>
                  <TableCell align="right">{t('journeys.column.entered')}</TableCell>
                  <TableCell align="right">{t('journeys.column.running')}</TableCell>
                  <TableCell align="right">{t('journeys.column.completed')}</TableCell>
                  <TableCell align="right">{t('journeys.column.converted')}</TableCell>
                  <TableCell align="right">{t('journeys.column.sent')}</TableCell>
                  <TableCell>{t('journeys.column.updated')}</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {journeys.map((j) => (
                  <TableRow key={j.id} hover data-testid="journey-row" data-journey-id={j.id}>
                    <TableCell>
                      <Link href={`/journeys/${j.id}`} underline="hover" sx={{ fontWeight: 600 }} data-testid="journey-link">
                        {j.name}
                      </Link>
                      {j.description ? (
                        <Typography variant="body2" color="text.secondary" noWrap sx={{ maxWidth: 360 }}>
                          {j.description}
                        </Typography>
                      ) : null}
                    </TableCell>
                    <TableCell>
                      <JourneyStatusChip status={j.status} />
                    </TableCell>
                    <TableCell>{j.latestVersion ? `v${j.latestVersion}` : <Typography variant="body2" color="text.disabled">{t('journeys.noVersion')}</Typography>}</TableCell>
                    <TableCell align="right">{format.number(j.stats.entered)}</TableCell>
                    <TableCell align="right">{format.number(j.stats.running)}</TableCell>
                    <TableCell align="right">{format.number(j.stats.completed)}</TableCell>
                    <TableCell align="right">{format.number(j.stats.converted)}</TableCell>
                    <TableCell align="right">{format.number(j.stats.messagesSent)}</TableCell>
                    <TableCell sx={{ whiteSpace: 'nowrap' }}>{format.dateTime(j.updatedAt)}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </TableContainer>
        ) : (
          <EmptyState title={t('journeys.empty.title')} testId="journeys-empty">
            {t('journeys.empty.body')}
            <Box sx={{ mt: 2 }}>{newButton}</Box>
          </EmptyState>
        )}
      </Paper>
      <CreateJourneyDialog open={open} onClose={() => setOpen(false)} templates={templates} />
    </>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorNotice error={error} />;
}
