// Customer page cards: consent per channel (toggle) and the message log with engagement events. They load and
// save through /customers/:id/messaging.
import Chip from '@mui/material/Chip';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemText from '@mui/material/ListItemText';
import Stack from '@mui/material/Stack';
import Switch from '@mui/material/Switch';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useEffect } from 'react';
import { useFetcher } from 'react-router';
import { SectionCard } from '#app/components/section-card.tsx';
import { useFormat, useT } from '#app/i18n/i18n-context.tsx';
import type { loader } from '#app/routes/app/customer-messaging.ts';

type Data = Awaited<ReturnType<typeof loader>>['data'];
const CHANNELS = ['email', 'whatsapp', 'sms', 'push'] as const;

function useCustomerMessaging(customerId: string) {
  const f = useFetcher<Data>({ key: `customer-messaging-${customerId}` });
  useEffect(() => {
    if (f.state === 'idle' && !f.data) void f.load(`/customers/${customerId}/messaging`);
  }, [f, customerId]);
  return f.data?.missing ? undefined : f.data;
}

export function ConsentsCard({ customerId }: { customerId: string }) {
  const t = useT();
  const d = useCustomerMessaging(customerId);
  const save = useFetcher({ key: `customer-messaging-${customerId}` });
  if (!d) return null;
  return (
    <SectionCard title={t('customer.consents.title')} id="consents">
      <List dense disablePadding>
        {CHANNELS.map((channel) => {
          const c = d.consents.find((x) => x.channel === channel);
          return (
            <ListItem
              key={channel}
              disableGutters
              secondaryAction={
                <Switch
                  edge="end"
                  checked={c?.status === 'granted'}
                  slotProps={{ input: { 'aria-label': t(`messaging.channel.${channel}`) } }}
                  onChange={(e) => void save.submit({ channel, status: e.target.checked ? 'granted' : 'revoked' }, { method: 'post', action: `/customers/${customerId}/messaging` })}
                />
              }
            >
              <ListItemText
                primary={t(`messaging.channel.${channel}`)}
                secondary={c ? `${t(c.status === 'granted' ? 'customer.consents.granted' : 'customer.consents.revoked')} · ${t('customer.consents.source', { source: c.source })}` : t('customer.consents.unknown')}
              />
            </ListItem>
          );
        })}
      </List>
    </SectionCard>
  );
}

export function MessageLogCard({ customerId }: { customerId: string }) {
  const t = useT();
  const format = useFormat();
  const d = useCustomerMessaging(customerId);
  if (!d) return null;
  return (
    <SectionCard title={t('customer.messages.title')} id="messages" flush>
      {d.messages.length === 0 ? (
        <Typography color="text.secondary" sx={{ px: 2, pb: 2 }}>
          {t('customer.messages.empty')}
        </Typography>
      ) : (
        <Table size="small">
          <TableHead>
            <TableRow>
              <TableCell>{t('customer.messages.when')}</TableCell>
              <TableCell>{t('customer.messages.subject')}</TableCell>
              <TableCell>{t('customer.messages.status')}</TableCell>
              <TableCell>{t('customer.messages.events')}</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {d.messages.map((m) => (
              <TableRow key={m.id} data-testid="message-row">
                <TableCell>{format.dateTime(m.createdAt)}</TableCell>
                <TableCell>{m.subject ?? m.templateName ?? '—'}</TableCell>
                <TableCell>
                  <Chip size="small" label={m.skipReason ? `${m.status}: ${m.skipReason}` : m.status} color={m.status === 'sent' ? 'success' : m.status === 'failed' ? 'error' : 'default'} />
                </TableCell>
                <TableCell>
                  <Stack direction="row" spacing={0.5} sx={{ flexWrap: 'wrap' }}>
                    {m.events.map((e, i) => (
                      <Chip key={i} size="small" variant="outlined" label={e.kind} title={format.dateTime(e.at)} />
                    ))}
                  </Stack>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </SectionCard>
  );
}
