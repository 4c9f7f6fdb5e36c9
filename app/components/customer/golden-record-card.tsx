import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { goldenFields, type Address, type FieldSource, type GoldenField } from '#core/customers/golden-record.ts';
import { useFormat, useT } from '#app/i18n/i18n-context.tsx';
import { SectionCard } from '../section-card.tsx';

export interface GoldenValues {
  email: string | null;
  phone: string | null;
  documentNumber: string | null;
  firstName: string | null;
  lastName: string | null;
  birthDate: string | null;
  address: Address | null;
  fieldSources: Partial<Record<GoldenField, FieldSource>>;
}

export const formatAddress = (a: Address) => [a.street, a.city, a.province, a.postalCode, a.country].filter(Boolean).join(', ');

function FieldValue({ field, customer }: { field: GoldenField; customer: GoldenValues }) {
  const format = useFormat();
  const value = customer[field];
  if (value === null || value === undefined || value === '') return <Typography color="text.disabled">—</Typography>;
  if (field === 'address' && typeof value === 'object') return <>{formatAddress(value) || '—'}</>;
  if (field === 'birthDate' && typeof value === 'string') return <>{format.calendarDate(value)}</>;
  return <>{String(value)}</>;
}

function SourceCell({ source }: { source: FieldSource | undefined }) {
  const t = useT();
  const format = useFormat();
  if (!source) return <Typography color="text.disabled">—</Typography>;
  return (
    <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, flexWrap: 'wrap' }}>
      <Chip label={source.source} size="small" color="primary" variant="outlined" />
      <Typography variant="caption" color="text.secondary">
        {t('customer.golden.sourceDetail', { externalId: source.externalId, at: format.dateTime(source.at) })}
      </Typography>
    </Box>
  );
}

/** Each golden field with the source profile its value survived from. */
export function GoldenRecordCard({ customer }: { customer: GoldenValues }) {
  const t = useT();
  return (
    <SectionCard title={t('customer.golden.title')} flush>
      <Typography variant="body2" color="text.secondary" sx={{ px: 2, pb: 1.5 }}>
        {t('customer.golden.explain')}
      </Typography>
      <Table size="small" aria-label={t('customer.golden.title')}>
        <TableHead>
          <TableRow>
            <TableCell>{t('customer.golden.field')}</TableCell>
            <TableCell>{t('customer.golden.value')}</TableCell>
            <TableCell>{t('customer.golden.source')}</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {goldenFields.map((field) => (
            <TableRow key={field} data-testid={`golden-${field}`}>
              <TableCell sx={{ color: 'text.secondary', whiteSpace: 'nowrap' }}>{t(`customer.field.${field}`)}</TableCell>
              <TableCell sx={{ wordBreak: 'break-word' }}>
                <FieldValue field={field} customer={customer} />
              </TableCell>
              <TableCell>
                <SourceCell source={customer.fieldSources[field]} />
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </SectionCard>
  );
}
