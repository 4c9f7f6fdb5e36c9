import Box from '@mui/material/Box';
import { useT } from '#app/i18n/i18n-context.tsx';
import { jsonText } from '../json-text.ts';
import { SectionCard } from '../section-card.tsx';
import { monospace } from '../theme.ts';

/** Source attributes outside the golden fields; hidden when there are none. */
export function AttributesCard({ attributes }: { attributes: Record<string, unknown> }) {
  const t = useT();
  const text = jsonText(attributes);
  if (!text) return null;
  return (
    <SectionCard title={t('customer.attributes.title')}>
      <Box component="pre" sx={{ m: 0, p: 1.5, overflow: 'auto', maxHeight: 320, fontFamily: monospace, fontSize: 12, bgcolor: 'grey.50', borderRadius: 1 }}>
        {text}
      </Box>
    </SectionCard>
  );
}
