// A read-only, indented rendering of a rule tree for the segment detail page.
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import type { Condition, Predicate, SegmentRule, TimeWindow } from '#core/segments/rule.ts';
import type { MessageKey } from '#app/i18n/messages.ts';
import { useT, type Translate } from '#app/i18n/i18n-context.tsx';

function predicateText(t: Translate, p: Predicate): string {
  const op = t(`segments.op.${p.op}` as MessageKey);
  if ('values' in p) return `${op} ${p.values.join(', ')}`;
  if ('value' in p) return `${op} ${String(p.value)}`;
  if ('min' in p) return `${op} ${p.min} – ${p.max}`;
  if ('from' in p) return `${op} ${p.from} – ${p.to}`;
  if ('days' in p) return `${op} (${p.days})`;
  return op;
}

function windowText(t: Translate, w: TimeWindow | undefined): string {
  if (!w) return t('segments.window.all');
  return w.kind === 'last_days' ? `${t('segments.window.last_days').replace('N', String(w.days))}` : `${w.from} – ${w.to}`;
}

function conditionText(t: Translate, c: Condition, names: Map<string, string>): string {
  switch (c.kind) {
    case 'profile':
      return `${t('segments.kind.profile')}: ${c.field} ${predicateText(t, c.predicate)}`;
    case 'attribute':
      return `${t('segments.kind.attribute')}: ${c.key} ${predicateText(t, c.predicate)}`;
    case 'score':
      return `${t('segments.kind.score')}: ${c.score}${c.category ? ` (${c.category})` : ''} ${predicateText(t, c.predicate)}`;
    case 'orders': {
      const items = [...(c.items?.categories ?? []), ...(c.items?.skus ?? []), ...(c.items?.productIds ?? [])];
      return `${t(`segments.metric.${c.metric}`)} ${predicateText(t, c.predicate)} · ${windowText(t, c.window)}${c.currency ? ` · ${c.currency}` : ''}${items.length ? ` · ${items.join(', ')}` : ''}`;
    }
    case 'event': {
      const where = c.where.map((f) => `${f.path} ${predicateText(t, f.predicate)}`).join(', ');
      return `${t(c.performed ? 'segments.field.performed' : 'segments.field.notPerformed')} “${c.event}”${c.minCount > 1 ? ` ≥ ${c.minCount}×` : ''} · ${windowText(t, c.window)}${where ? ` · ${t('segments.field.where')} ${where}` : ''}`;
    }
    case 'segment':
      return `${t(c.member ? 'segments.field.isMember' : 'segments.field.notMember')}: ${names.get(c.segmentId) ?? c.segmentId}`;
    case 'consent':
      return `${t('segments.kind.consent')} ${c.channel}: ${t(c.granted ? 'segments.field.granted' : 'segments.field.notGranted')}`;
  }
}

export function RuleSummary({ rule, names, depth = 0 }: { rule: SegmentRule; names: Map<string, string>; depth?: number }) {
  const t = useT();
  if (rule.kind !== 'group') {
    return (
      <Typography variant="body2" sx={{ pl: depth * 2, py: 0.25 }}>
        • {conditionText(t, rule, names)}
      </Typography>
    );
  }
  return (
    <Box>
      <Typography variant="body2" sx={{ pl: depth * 2, fontWeight: 600 }}>
        {rule.negate ? `${t('segments.builder.not')} ` : ''}
        {t(rule.op === 'and' ? 'segments.builder.all' : 'segments.builder.any')}
      </Typography>
      {rule.rules.map((r, i) => (
        <RuleSummary key={i} rule={r} names={names} depth={depth + 1} />
      ))}
    </Box>
  );
}
