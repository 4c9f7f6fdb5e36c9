import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { useFormat, useT } from '#app/i18n/i18n-context.tsx';
import { SectionCard } from '../section-card.tsx';

export interface OrderSummary {
  count: number;
  revenueMinor: number;
  currency: string | null;
  firstOrderAt: string | null;
  lastOrderAt: string | null;
}

function Figure({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <Box sx={{ display: 'flex', justifyContent: 'space-between', alignItems: 'baseline', gap: 2, py: 0.75, borderBottom: 1, borderColor: 'divider' }}>
      <Typography variant="body2" color="text.secondary">
        {label}
      </Typography>
      <Typography sx={{ fontWeight: 600, textAlign: 'right' }} data-testid={testId}>
        {value}
      </Typography>
    </Box>
  );
}

export function OrderSummaryCard({ summary }: { summary: OrderSummary }) {
  const t = useT();
  const format = useFormat();
  if (summary.count === 0) {
    return (
      <SectionCard title={t('customer.orders.title')}>
        <Typography color="text.secondary">{t('customer.orders.none')}</Typography>
      </SectionCard>
    );
  }
  const revenue = summary.currency ? format.money(summary.revenueMinor, summary.currency) : format.number(summary.revenueMinor / 100);
  return (
    <SectionCard title={t('customer.orders.title')}>
      <Box>
        <Figure label={t('customer.orders.count')} value={format.number(summary.count)} testId="order-count" />
        <Figure label={t('customer.orders.revenue')} value={revenue} testId="order-revenue" />
        <Figure label={t('customer.orders.first')} value={summary.firstOrderAt ? format.dateTime(summary.firstOrderAt) : '—'} />
        <Figure label={t('customer.orders.last')} value={summary.lastOrderAt ? format.dateTime(summary.lastOrderAt) : '—'} />
      </Box>
      <Typography variant="caption" color="text.secondary" sx={{ display: 'block', mt: 2 }}>
        {t('customer.orders.note')}
      </Typography>
    </SectionCard>
  );
}
