import WarningAmberOutlined from '@mui/icons-material/WarningAmberOutlined';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useFormat, useT } from '#app/i18n/i18n-context.tsx';
import type { MessageKey } from '#app/i18n/messages.ts';
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
  /** Identifiers identity resolution could not use, and why. */
  identityIssues?: IdentityIssueRow[];
}

export interface IdentityIssueRow {
  field: string;
  value: string;
  reason: string;
}

const issueFields: Record<string, MessageKey> = {
  dni: 'customer.issue.field.dni',
  cuit: 'customer.issue.field.cuit',
  email: 'customer.issue.field.email',
  phone: 'customer.issue.field.phone',
};

/** "DNI must have 7 or 8 digits" reads "DNI 123: must have 7 or 8 digits" once the field leads the line. */
const withoutFieldPrefix = (reason: string, field: string) =>
  reason.toLowerCase().startsWith(`${field.toLowerCase()} `) ? reason.slice(field.length + 1) : reason;

function IdentityIssues({ issues }: { issues: IdentityIssueRow[] }) {
  const t = useT();
  return (
    <Box component="ul" sx={{ listStyle: 'none', m: 0, p: 0 }}>
      {issues.map((issue, i) => {
        const key = issueFields[issue.field];
        return (
          <Box component="li" key={i} data-testid="identity-issue" sx={{ display: 'flex', gap: 1, alignItems: 'flex-start', color: 'warning.dark' }}>
            <WarningAmberOutlined fontSize="small" sx={{ mt: '1px' }} />
            <Typography variant="body2" sx={{ wordBreak: 'break-word' }}>
              {t('customer.issue.text', { field: key ? t(key) : issue.field, value: issue.value, reason: withoutFieldPrefix(issue.reason, issue.field) })}
            </Typography>
          </Box>
        );
      })}
    </Box>
  );
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
              {profiles.map((p) => {
                const issues = p.identityIssues ?? [];
                const hasIssues = issues.length > 0;
                return [
                  <TableRow key={p.id} data-testid="source-profile-row" data-profile-id={p.id} sx={hasIssues ? { '& > td': { borderBottom: 0 } } : undefined}>
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
                  </TableRow>,
                  hasIssues ? (
                    <TableRow key={`${p.id}-issues`} data-testid="source-profile-issues">
                      <TableCell colSpan={7} sx={{ pt: 0 }}>
                        <IdentityIssues issues={issues} />
                      </TableCell>
                    </TableRow>
                  ) : null,
                ];
              })}
            </TableBody>
          </Table>
        </TableContainer>
      )}
    </SectionCard>
  );
}
