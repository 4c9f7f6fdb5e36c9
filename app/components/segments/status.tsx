import Chip from '@mui/material/Chip';
import { useT } from '#app/i18n/i18n-context.tsx';

/** Active, archived, or computing (saved but its first recompute has not finished). */
export function SegmentStatus({ s }: { s: { status: 'active' | 'archived'; lastComputedAt: string | null } }) {
  const t = useT();
  if (s.status === 'archived') return <Chip size="small" label={t('segments.status.archived')} />;
  if (!s.lastComputedAt) return <Chip size="small" color="info" variant="outlined" label={t('segments.status.computing')} />;
  return <Chip size="small" color="success" variant="outlined" label={t('segments.status.active')} />;
}

