import Chip from '@mui/material/Chip';
import type { ExperimentStatus } from '#core/experiments/definition.ts';
import { useT } from '#app/i18n/i18n-context.tsx';

const color: Record<ExperimentStatus, 'default' | 'info' | 'success' | 'warning' | 'primary'> = { draft: 'default', scheduled: 'info', running: 'primary', stopped: 'warning', completed: 'success' };

export function ExperimentStatusChip({ status }: { status: ExperimentStatus }) {
  const t = useT();
  return <Chip size="small" color={color[status]} label={t(`experiments.status.${status}`)} data-testid="experiment-status" />;
}
