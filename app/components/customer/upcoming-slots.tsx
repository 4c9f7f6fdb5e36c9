import Box from '@mui/material/Box';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Typography from '@mui/material/Typography';
import { useT } from '#app/i18n/i18n-context.tsx';
import type { MessageKey } from '#app/i18n/messages.ts';

const slots: { title: MessageKey; body: MessageKey; testId: string }[] = [
  { title: 'customer.upcoming.segments.title', body: 'customer.upcoming.segments.body', testId: 'slot-segments' },
  { title: 'customer.upcoming.journeys.title', body: 'customer.upcoming.journeys.body', testId: 'slot-journeys' },
  { title: 'customer.upcoming.messages.title', body: 'customer.upcoming.messages.body', testId: 'slot-messages' },
];

/** Honest placeholders: these parts of the 360° view come with capabilities that are not built yet. */
export function UpcomingSlots() {
  const t = useT();
  return (
    <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', sm: 'repeat(2, minmax(0, 1fr))' } }}>
      {slots.map((slot) => (
        <Card key={slot.testId} component="section" data-testid={slot.testId} sx={{ borderStyle: 'dashed', bgcolor: 'transparent' }}>
          <CardContent>
            <Typography variant="subtitle1" component="h2" sx={{ fontWeight: 600 }}>
              {t(slot.title)}
            </Typography>
            <Typography variant="body2" color="text.secondary" sx={{ mt: 0.5 }}>
              {t(slot.body)}
            </Typography>
          </CardContent>
        </Card>
      ))}
    </Box>
  );
}
