import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Typography from '@mui/material/Typography';
import { useFormat, useT } from '#app/i18n/i18n-context.tsx';
import { jsonText } from '../json-text.ts';
import { SectionCard } from '../section-card.tsx';
import { monospace } from '../theme.ts';

export interface RecentEvent {
  messageId: string;
  type: string;
  event: string | null;
  properties: Record<string, unknown> | null;
  traits: Record<string, unknown> | null;
  timestamp: string;
}

function EventItem({ event }: { event: RecentEvent }) {
  const format = useFormat();
  const payload = jsonText(event.properties) ?? jsonText(event.traits);
  return (
    <Box component="li" sx={{ py: 1.5, borderBottom: 1, borderColor: 'divider', '&:last-of-type': { borderBottom: 0 } }} data-testid="event-item">
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, flexWrap: 'wrap' }}>
        <Chip label={event.type} size="small" variant="outlined" />
        {event.event ? (
          <Typography variant="body2" sx={{ fontWeight: 600 }}>
            {event.event}
          </Typography>
        ) : null}
        <Box sx={{ flex: 1 }} />
        <Typography variant="caption" color="text.secondary">
          {format.dateTime(event.timestamp)}
        </Typography>
      </Box>
      {payload ? (
        <Box
          component="pre"
          sx={{ m: 0, mt: 1, p: 1, maxHeight: 160, overflow: 'auto', fontFamily: monospace, fontSize: 12, bgcolor: 'grey.50', borderRadius: 1 }}
        >
          {payload}
        </Box>
      ) : null}
    </Box>
  );
}

export function RecentEventsCard({ events }: { events: RecentEvent[] }) {
  const t = useT();
  return (
    <SectionCard title={t('customer.events.title')}>
      {events.length === 0 ? (
        <Typography color="text.secondary">{t('customer.events.none')}</Typography>
      ) : (
        <Box component="ul" sx={{ listStyle: 'none', m: 0, p: 0 }}>
          {events.map((event) => (
            <EventItem key={event.messageId} event={event} />
          ))}
        </Box>
      )}
    </SectionCard>
  );
}
