import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Typography from '@mui/material/Typography';
import { useT } from '#app/i18n/i18n-context.tsx';
import { SectionCard } from '../section-card.tsx';
import { monospace } from '../theme.ts';

export interface CustomerIdentifiers {
  id: string;
  email: string | null;
  phone: string | null;
  documentNumber: string | null;
  sourceProfiles: { id: string; source: string; externalId: string }[];
  /** Ids of customers merged into this one; they still open this page. */
  aliases?: string[];
}

function Identifier({ label, value }: { label: string; value: string }) {
  return (
    <Box sx={{ py: 0.75, borderBottom: 1, borderColor: 'divider' }}>
      <Typography variant="caption" color="text.secondary" component="p">
        {label}
      </Typography>
      <Typography variant="body2" sx={{ fontFamily: monospace, wordBreak: 'break-all' }}>
        {value}
      </Typography>
    </Box>
  );
}

/** The keys identity resolution matches on, plus the record's id in every connected source. */
export function IdentifiersCard({ customer }: { customer: CustomerIdentifiers }) {
  const t = useT();
  return (
    <SectionCard title={t('customer.identifiers.title')}>
      <Identifier label={t('customer.identifiers.customerId')} value={customer.id} />
      {customer.email ? <Identifier label={t('customer.field.email')} value={customer.email} /> : null}
      {customer.phone ? <Identifier label={t('customer.field.phone')} value={customer.phone} /> : null}
      {customer.documentNumber ? <Identifier label={t('customer.field.documentNumber')} value={customer.documentNumber} /> : null}
      <Typography variant="body2" color="text.secondary" sx={{ mt: 2, mb: 1 }}>
        {t('customer.identifiers.external')}
      </Typography>
      {customer.sourceProfiles.length > 0 ? (
        <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap' }}>
          {customer.sourceProfiles.map((p) => (
            <Chip key={p.id} size="small" variant="outlined" label={`${p.source} · ${p.externalId}`} sx={{ fontFamily: monospace }} />
          ))}
        </Box>
      ) : (
        <Typography variant="body2" color="text.disabled">
          {t('customer.identifiers.noExternal')}
        </Typography>
      )}
      {customer.aliases?.length ? (
        <Box data-testid="customer-aliases" sx={{ mt: 2 }}>
          <Typography variant="body2" color="text.secondary">
            {t('customer.aliases.title')}
          </Typography>
          <Typography variant="caption" color="text.secondary" component="p" sx={{ mb: 1 }}>
            {t('customer.aliases.explain')}
          </Typography>
          <Box component="ul" sx={{ listStyle: 'none', m: 0, p: 0 }}>
            {customer.aliases.map((alias) => (
              <Box component="li" key={alias} data-testid="customer-alias" sx={{ fontFamily: monospace, fontSize: 13, wordBreak: 'break-all', py: 0.25 }}>
                {alias}
              </Box>
            ))}
          </Box>
        </Box>
      ) : null}
    </SectionCard>
  );
}
