import Chip from '@mui/material/Chip';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useFormat, useT } from '#app/i18n/i18n-context.tsx';
import { personName } from '../person-name.ts';
import { SectionCard } from '../section-card.tsx';

export interface SourceProfileRow {
  id: string;
  source: string;
  externalId: string;
  email: string | null;
  dni: string | null;
  cuit: string | null;
  phone: string | null;
  firstName: string | null;
  lastName: string | null;
  updatedAt: string;
}

const orDash = (value: string | null | undefined) => value || '—';

/** The raw records each connected system holds for this person, before survivorship. */
export function SourceProfilesCard({ profiles }: { profiles: SourceProfileRow[] }) {
  const t = useT();
  const format = useFormat();
  return (
    <SectionCard title={t('customer.sources.title')} flush>
      {profiles.length === 0 ? (
        <Typography color="text.secondary" sx={{ px: 2, pb: 2 }}>
          {t('customer.sources.none')}
        </Typography>
      ) : (
        <TableContainer>
          <Table size="small" aria-label={t('customer.sources.title')}>
            <TableHead>
              <TableRow>
                <TableCell>{t('customer.sources.source')}</TableCell>
                <TableCell>{t('customer.sources.externalId')}</TableCell>
                <TableCell>{t('customer.field.name')}</TableCell>
                <TableCell>{t('customer.field.email')}</TableCell>
                <TableCell>{t('customer.field.phone')}</TableCell>
                <TableCell>{t('customer.sources.document')}</TableCell>
                <TableCell>{t('customer.sources.updated')}</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {profiles.map((p) => (
                <TableRow key={p.id} data-testid="source-profile-row">
                  <TableCell>
                    <Chip label={p.source} size="small" variant="outlined" />
                  </TableCell>
                  <TableCell sx={{ whiteSpace: 'nowrap' }}>{p.externalId}</TableCell>
                  <TableCell sx={{ whiteSpace: 'nowrap' }}>{orDash(personName(p))}</TableCell>
                  <TableCell sx={{ whiteSpace: 'nowrap' }}>{orDash(p.email)}</TableCell>
                  <TableCell sx={{ whiteSpace: 'nowrap' }}>{orDash(p.phone)}</TableCell>
                  <TableCell sx={{ whiteSpace: 'nowrap' }}>
                    {p.dni ? `DNI ${p.dni}` : null}
                    {p.dni && p.cuit ? ' · ' : null}
                    {p.cuit ? `CUIT ${p.cuit}` : null}
                    {!p.dni && !p.cuit ? '—' : null}
                  </TableCell>
                  <TableCell sx={{ whiteSpace: 'nowrap' }}>{format.dateTime(p.updatedAt)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </TableContainer>
      )}
    </SectionCard>
  );
}
