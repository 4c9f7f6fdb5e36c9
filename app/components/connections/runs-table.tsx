import KeyboardArrowDown from '@mui/icons-material/KeyboardArrowDown';
import KeyboardArrowUp from '@mui/icons-material/KeyboardArrowUp';
import OpenInNew from '@mui/icons-material/OpenInNew';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Collapse from '@mui/material/Collapse';
import IconButton from '@mui/material/IconButton';
import LinearProgress from '@mui/material/LinearProgress';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { Fragment, useState } from 'react';
import type { SyncRunView } from '#core/api/connections.ts';
import { useFormat, useT } from '#app/i18n/i18n-context.tsx';
import type { MessageKey } from '#app/i18n/messages.ts';
import { EmptyState } from '../empty-state.tsx';
import { formatDuration } from './duration.ts';
import { RunStatusChip } from './status-chips.tsx';

const triggers: Record<SyncRunView['trigger'], MessageKey> = {
  schedule: 'connections.run.trigger.schedule',
  manual: 'connections.run.trigger.manual',
  webhook: 'connections.run.trigger.webhook',
};

const countColumns = ['fetched', 'inserted', 'updated', 'skipped', 'failed'] as const;

function Progress({ run }: { run: SyncRunView }) {
  const t = useT();
  const { doneWindows, totalWindows, stream } = run.progress;
  const known = typeof doneWindows === 'number' && typeof totalWindows === 'number' && totalWindows > 0;
  if (!known && run.status !== 'running') return <>—</>;
  return (
    <Box sx={{ minWidth: 110 }} data-testid="run-progress">
      <Typography variant="body2" sx={{ whiteSpace: 'nowrap' }}>
        {known ? t('connections.run.windows', { done: doneWindows, total: totalWindows }) : t('connections.run.starting')}
        {stream ? <Typography component="span" variant="body2" color="text.secondary">{` · ${stream}`}</Typography> : null}
      </Typography>
      {run.status === 'running' ? (
        <LinearProgress
          variant={known ? 'determinate' : 'indeterminate'}
          value={known ? Math.min(100, (doneWindows / totalWindows) * 100) : undefined}
          sx={{ mt: 0.5, borderRadius: 1 }}
          aria-label={t('connections.run.progressLabel')}
        />
      ) : null}
    </Box>
  );
}

function RunRow({ run }: { run: SyncRunView }) {
  const t = useT();
  const format = useFormat();
  const [open, setOpen] = useState(false);
  const hasDetails = Boolean(run.error) || run.recordErrors.length > 0;
  return (
    <Fragment>
      <TableRow data-testid="run-row" data-run-id={run.id} sx={hasDetails ? { '& > td': { borderBottom: 'none' } } : undefined}>
        <TableCell sx={{ whiteSpace: 'nowrap' }}>
          {format.dateTime(run.startedAt)}
          <Typography variant="body2" color="text.secondary" data-testid="run-trigger">
            {t(triggers[run.trigger])}
            {run.durationMs === null ? '' : ` · ${formatDuration(run.durationMs)}`}
          </Typography>
        </TableCell>
        <TableCell>
          <RunStatusChip status={run.status} />
        </TableCell>
        {countColumns.map((c) => (
          <TableCell key={c} align="right" data-testid={`run-${c}`} sx={c === 'failed' && run.counts.failed > 0 ? { color: 'error.main', fontWeight: 600 } : undefined}>
            {format.number(run.counts[c])}
          </TableCell>
        ))}
        <TableCell>
          <Progress run={run} />
        </TableCell>
        <TableCell padding="checkbox">
          <Tooltip title={t('connections.run.temporal')}>
            <IconButton href={run.temporalUiUrl} target="_blank" rel="noopener noreferrer" size="small" aria-label={t('connections.run.temporal')} data-testid="run-temporal-link">
              <OpenInNew fontSize="small" />
            </IconButton>
          </Tooltip>
        </TableCell>
      </TableRow>
      {hasDetails ? (
        <TableRow>
          <TableCell colSpan={9} sx={{ pt: 0 }}>
            {run.error ? (
              <Typography variant="body2" color="error" data-testid="run-error" sx={{ wordBreak: 'break-word' }}>
                {run.error}
              </Typography>
            ) : null}
            {run.recordErrors.length ? (
              <>
                <Button size="small" onClick={() => setOpen((o) => !o)} endIcon={open ? <KeyboardArrowUp /> : <KeyboardArrowDown />} sx={{ ml: -1 }}>
                  {t('connections.run.recordErrors', { count: run.counts.failed })}
                </Button>
                <Collapse in={open} unmountOnExit>
                  <Box component="ul" sx={{ m: 0, pl: 3 }}>
                    {run.recordErrors.map((e, i) => (
                      <Typography component="li" variant="body2" key={`${e.stream}:${e.externalId}:${i}`}>
                        {`${e.stream} ${e.externalId}: ${e.reason}`}
                      </Typography>
                    ))}
                  </Box>
                  {run.counts.failed > run.recordErrors.length ? (
                    <Typography variant="body2" color="text.secondary">
                      {t('connections.run.recordErrorsMore', { shown: run.recordErrors.length, total: run.counts.failed })}
                    </Typography>
                  ) : null}
                </Collapse>
              </>
            ) : null}
          </TableCell>
        </TableRow>
      ) : null}
    </Fragment>
  );
}

export function RunsTable({ runs }: { runs: SyncRunView[] }) {
  const t = useT();
  if (!runs.length) return <EmptyState title={t('connections.runs.empty.title')} testId="runs-empty">{t('connections.runs.empty.body')}</EmptyState>;
  return (
    <TableContainer>
      <Table size="small" aria-label={t('connections.runs.title')} data-testid="runs-table">
        <TableHead>
          <TableRow>
            <TableCell>{t('connections.run.started')}</TableCell>
            <TableCell>{t('connections.run.status')}</TableCell>
            <TableCell align="right">{t('connections.run.fetched')}</TableCell>
            <TableCell align="right">{t('connections.run.inserted')}</TableCell>
            <TableCell align="right">{t('connections.run.updated')}</TableCell>
            <TableCell align="right">{t('connections.run.skipped')}</TableCell>
            <TableCell align="right">{t('connections.run.failed')}</TableCell>
            <TableCell>{t('connections.run.progress')}</TableCell>
            <TableCell />
          </TableRow>
        </TableHead>
        <TableBody>
          {runs.map((run) => (
            <RunRow key={run.id} run={run} />
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}
