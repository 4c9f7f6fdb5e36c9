// Pieces the imports pages share: status, progress, counts and the error lines.
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import LinearProgress from '@mui/material/LinearProgress';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useEffect, useRef } from 'react';
import { useRevalidator } from 'react-router';
import { useFormat, useT } from '#app/i18n/i18n-context.tsx';
import type { MessageKey } from '#app/i18n/messages.ts';
import type { ImportEntity } from '#core/imports/targets.ts';

export const entityLabel = (entity: ImportEntity): MessageKey => `imports.entity.${entity}` as MessageKey;
export const targetLabel = (key: string): MessageKey | undefined => (key.startsWith('attributes.') ? undefined : (`imports.target.${key}` as MessageKey));

export interface ImportView {
  status: 'running' | 'succeeded' | 'failed';
  dryRun: boolean;
  counts: { rows: number; written: number; inserted: number; updated: number; unchanged: number; failed: number };
  progress: { bytesRead: number; bytesTotal: number | null; rowsDone: number; rowsTotal: number | null; percent: number | null };
}

export function StatusChip({ imp }: { imp: Pick<ImportView, 'status' | 'dryRun'> }) {
  const t = useT();
  if (imp.dryRun) return <Chip size="small" variant="outlined" label={t('imports.status.dryRun')} data-testid="import-status" />;
  const color = imp.status === 'succeeded' ? 'success' : imp.status === 'failed' ? 'error' : 'info';
  return <Chip size="small" color={color} label={t(`imports.status.${imp.status}`)} data-testid="import-status" />;
}

export function ImportProgressBar({ imp }: { imp: ImportView }) {
  const t = useT();
  const format = useFormat();
  const { rowsDone, rowsTotal, percent } = imp.progress;
  if (imp.status !== 'running') return null;
  return (
    <Box sx={{ minWidth: 160 }}>
      <LinearProgress variant={rowsTotal ? 'determinate' : 'indeterminate'} value={percent ?? 0} aria-label={t('imports.progress.label')} />
      <Typography variant="caption" color="text.secondary">
        {rowsTotal ? t('imports.progress.rows', { done: format.number(rowsDone), total: format.number(rowsTotal) }) : t('imports.progress.starting')}
      </Typography>
    </Box>
  );
}

/** Keeps a page's loader data fresh while something runs: revalidates every `ms` (skipping while one is in flight). */
export function usePollWhile(active: boolean, ms = 2000) {
  const revalidator = useRevalidator();
  const ref = useRef(revalidator);
  ref.current = revalidator;
  useEffect(() => {
    if (!active) return;
    const id = setInterval(() => {
      if (ref.current.state === 'idle' && document.visibilityState === 'visible') void ref.current.revalidate();
    }, ms);
    return () => clearInterval(id);
  }, [active, ms]);
}

export function ErrorLines({ errors, total }: { errors: { line: number; reason: string }[]; total: number }) {
  const t = useT();
  const format = useFormat();
  if (!errors.length) return null;
  return (
    <>
      <TableContainer sx={{ maxHeight: 480 }}>
        <Table size="small" stickyHeader aria-label={t('imports.errors.tableLabel')} data-testid="import-errors">
          <TableHead>
            <TableRow>
              <TableCell sx={{ width: 96 }}>{t('imports.errors.line')}</TableCell>
              <TableCell>{t('imports.errors.reason')}</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {errors.map((e) => (
              <TableRow key={e.line}>
                <TableCell sx={{ fontVariantNumeric: 'tabular-nums' }}>{e.line}</TableCell>
                <TableCell sx={{ wordBreak: 'break-word' }}>{e.reason}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </TableContainer>
      {total > errors.length ? (
        <Typography variant="body2" color="text.secondary" sx={{ px: 2, py: 1 }}>
          {t('imports.errors.more', { shown: format.number(errors.length), total: format.number(total) })}
        </Typography>
      ) : null}
    </>
  );
}
