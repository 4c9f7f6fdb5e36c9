import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { useFormat, useT } from '#app/i18n/i18n-context.tsx';
import { FigureRow } from '../figure-row.tsx';
import { SectionCard } from '../section-card.tsx';

export interface OrderSummary {
  count: number;
  revenueMinor: number;
  currency: string | null;
  firstOrderAt: string | null;
  lastOrderAt: string | null;
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
        <FigureRow label={t('customer.orders.count')} value={format.number(summary.count)} testId="order-count" />
        <FigureRow label={t('customer.orders.revenue')} value={revenue} testId="order-revenue" />
        <FigureRow label={t('customer.orders.first')} value={summary.firstOrderAt ? format.dateTime(summary.firstOrderAt) : '—'} />
        <FigureRow label={t('customer.orders.last')} value={summary.lastOrderAt ? format.dateTime(summary.lastOrderAt) : '—'} />
      </Box>
      <Typography variant="caption" color="text.secondary" sx={{ display: 'block', mt: 2 }}>
        {t('customer.orders.note')}
      </Typography>
    </SectionCard>
  );
}
