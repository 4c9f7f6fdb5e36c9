import Chip from '@mui/material/Chip';
import type { JourneyStatus } from '#core/api/journeys.ts';
import { useT } from '#app/i18n/i18n-context.tsx';
import type { MessageKey } from '#app/i18n/messages.ts';

const styles: Record<JourneyStatus, { label: MessageKey; color: 'default' | 'success' | 'warning' }> = {
  draft: { label: 'journeys.status.draft', color: 'default' },
  active: { label: 'journeys.status.active', color: 'success' },
  paused: { label: 'journeys.status.paused', color: 'warning' },
  archived: { label: 'journeys.status.archived', color: 'default' },
};

export function JourneyStatusChip({ status }: { status: JourneyStatus }) {
  const t = useT();
  const s = styles[status];
  return <Chip label={t(s.label)} color={s.color} size="small" variant={status === 'active' ? 'filled' : 'outlined'} data-testid="journey-status" data-status={status} />;
}
