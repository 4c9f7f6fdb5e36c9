import Chip from '@mui/material/Chip';
import type { ConnectionStatus } from '#core/connectors/types.ts';
import { useT } from '#app/i18n/i18n-context.tsx';
import type { MessageKey } from '#app/i18n/messages.ts';

const connectionStatus: Record<ConnectionStatus, { label: MessageKey; color: 'success' | 'default' | 'error' }> = {
  active: { label: 'connections.status.active', color: 'success' },
  paused: { label: 'connections.status.paused', color: 'default' },
  error: { label: 'connections.status.error', color: 'error' },
};

export function ConnectionStatusChip({ status }: { status: ConnectionStatus }) {
  const t = useT();
  const s = connectionStatus[status];
  return <Chip label={t(s.label)} color={s.color} size="small" variant="outlined" data-testid="connection-status" data-status={status} />;
}

export type RunStatus = 'running' | 'succeeded' | 'failed';

const runStatus: Record<RunStatus, { label: MessageKey; color: 'info' | 'success' | 'error' }> = {
  running: { label: 'connections.run.status.running', color: 'info' },
  succeeded: { label: 'connections.run.status.succeeded', color: 'success' },
  failed: { label: 'connections.run.status.failed', color: 'error' },
};

export function RunStatusChip({ status }: { status: RunStatus }) {
  const t = useT();
  const s = runStatus[status];
  return <Chip label={t(s.label)} color={s.color} size="small" variant={status === 'running' ? 'filled' : 'outlined'} data-testid="run-status" data-status={status} />;
}
