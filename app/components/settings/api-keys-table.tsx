import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useFormat, useT } from '#app/i18n/i18n-context.tsx';
import { EmptyState } from '../empty-state.tsx';
import { monospace } from '../theme.ts';
import type { RevokeTarget } from './revoke-key-dialog.tsx';

export interface ApiKeyRow {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

function KeyStatus({ revokedAt }: { revokedAt: string | null }) {
  const t = useT();
  const format = useFormat();
  if (!revokedAt) return <Chip label={t('settings.keys.active')} size="small" color="success" variant="outlined" />;
  return (
    <Chip
      label={t('settings.keys.revokedOn', { date: format.dateTime(revokedAt) })}
      size="small"
      variant="outlined"
      sx={{ color: 'text.secondary' }}
    />
  );
}

export function ApiKeysTable({ keys, canManage, onRevoke }: { keys: ApiKeyRow[]; canManage: boolean; onRevoke: (key: RevokeTarget) => void }) {
  const t = useT();
  const format = useFormat();
  if (keys.length === 0) return <EmptyState title={t('settings.keys.empty.title')}>{t('settings.keys.empty.body')}</EmptyState>;
  return (
    <TableContainer>
      <Table size="small" aria-label={t('settings.keys.title')}>
        <TableHead>
          <TableRow>
            <TableCell>{t('settings.keys.column.name')}</TableCell>
            <TableCell>{t('settings.keys.column.key')}</TableCell>
            <TableCell>{t('settings.keys.column.created')}</TableCell>
            <TableCell>{t('settings.keys.column.lastUsed')}</TableCell>
            <TableCell>{t('settings.keys.column.status')}</TableCell>
            {canManage ? <TableCell align="right">{t('settings.keys.column.actions')}</TableCell> : null}
          </TableRow>
        </TableHead>
        <TableBody>
          {keys.map((key) => (
            <TableRow key={key.id} data-testid="api-key-row" sx={key.revokedAt ? { '& td': { color: 'text.secondary' } } : undefined}>
              <TableCell sx={{ fontWeight: 600 }}>{key.name}</TableCell>
              <TableCell sx={{ fontFamily: monospace }}>{`${key.prefix}…`}</TableCell>
              <TableCell sx={{ whiteSpace: 'nowrap' }}>{format.dateTime(key.createdAt)}</TableCell>
              <TableCell sx={{ whiteSpace: 'nowrap' }}>
                {key.lastUsedAt ? format.dateTime(key.lastUsedAt) : <Typography variant="body2" color="text.disabled">{t('settings.keys.neverUsed')}</Typography>}
              </TableCell>
              <TableCell>
                <KeyStatus revokedAt={key.revokedAt} />
              </TableCell>
              {canManage ? (
                <TableCell align="right">
                  {key.revokedAt ? null : (
                    <Button size="small" color="error" onClick={() => onRevoke(key)}>
                      {t('settings.keys.revoke.button')}
                    </Button>
                  )}
                </TableCell>
              ) : null}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}
