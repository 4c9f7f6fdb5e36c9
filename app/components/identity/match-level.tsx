import Chip from '@mui/material/Chip';
import { useT } from '#app/i18n/i18n-context.tsx';
import type { MessageKey } from '#app/i18n/messages.ts';

/** Comparison levels of the probabilistic model (core/identity/fellegi-sunter.ts), grouped for colour. */
const levelLabels: Record<string, MessageKey> = {
  exact: 'identity.level.exact',
  // A shared landline is the same number, weaker evidence than a shared mobile (households share landlines).
  exact_landline: 'identity.level.exact',
  close: 'identity.level.close',
  swapped: 'identity.level.swapped',
  similar: 'identity.level.similar',
  year: 'identity.level.year',
  different: 'identity.level.different',
  missing: 'identity.level.missing',
};

type LevelGroup = 'exact' | 'close' | 'else' | 'missing';

export function levelGroup(level: string): LevelGroup {
  if (level === 'exact' || level === 'exact_landline') return 'exact';
  if (level === 'missing') return 'missing';
  if (level === 'close' || level === 'swapped' || level === 'similar' || level === 'year') return 'close';
  return 'else';
}

const chipColor = { exact: 'success', close: 'warning', else: 'error', missing: 'default' } as const;

/** "Same" in green, "Close" in amber, "Different" in red, "Missing" in grey. */
export function MatchLevelChip({ level, prefix }: { level: string; prefix?: string }) {
  const t = useT();
  const key = levelLabels[level];
  const label = key ? t(key) : level;
  const group = levelGroup(level);
  return (
    <Chip
      size="small"
      label={prefix ? `${prefix}: ${label}` : label}
      color={chipColor[group]}
      variant={group === 'missing' ? 'outlined' : 'filled'}
      data-testid="match-level"
      data-level={level}
      sx={{ fontWeight: 600 }}
    />
  );
}
