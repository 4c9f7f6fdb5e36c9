import ArrowBack from '@mui/icons-material/ArrowBack';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { data } from 'react-router';
import { AttributesCard } from '#app/components/customer/attributes-card.tsx';
import { GoldenRecordCard } from '#app/components/customer/golden-record-card.tsx';
import { IdentifiersCard } from '#app/components/customer/identifiers-card.tsx';
import { OrderSummaryCard } from '#app/components/customer/order-summary-card.tsx';
import { RecentEventsCard } from '#app/components/customer/recent-events-card.tsx';
import { SourceProfilesCard } from '#app/components/customer/source-profiles-card.tsx';
import { UpcomingSlots } from '#app/components/customer/upcoming-slots.tsx';
import { ErrorNotice } from '#app/components/error-notice.tsx';
import { PageTitle } from '#app/components/page-title.tsx';
import { personName } from '#app/components/person-name.ts';
import { useFormat, useT } from '#app/i18n/i18n-context.tsx';
import { requireUser } from '#app/server/auth.server.ts';
import { getDb } from '#app/server/db.server.ts';
import { getCustomer } from '#db/queries/customers.ts';
import type { Route } from './+types/customer';

export async function loader({ request, params }: Route.LoaderArgs) {
  const user = await requireUser(request);
  const customer = await getCustomer(getDb(), user.tenantId, params.id);
  if (!customer) throw data(null, { status: 404 });
  return { customer };
}

function CustomerHeader({ customer }: { customer: Route.ComponentProps['loaderData']['customer'] }) {
  const t = useT();
  const format = useFormat();
  const name = personName(customer) ?? t('customer.unnamed');
  return (
    <Box sx={{ mb: 3 }}>
      <PageTitle title={name} />
      <Button href="/customers" startIcon={<ArrowBack />} size="small" sx={{ mb: 1, ml: -1 }}>
        {t('customer.back')}
      </Button>
      <Typography variant="h4" component="h1" data-testid="customer-name" sx={{ wordBreak: 'break-word' }}>
        {name}
      </Typography>
      <Box sx={{ display: 'flex', gap: 2, flexWrap: 'wrap', mt: 0.5, color: 'text.secondary' }}>
        <Typography data-testid="customer-email" color={customer.email ? 'text.primary' : 'text.disabled'}>
          {customer.email ?? t('customer.noEmail')}
        </Typography>
        <Typography>{t('customer.createdAt', { date: format.dateTime(customer.createdAt) })}</Typography>
        <Typography>{t('customer.updatedAt', { date: format.dateTime(customer.updatedAt) })}</Typography>
      </Box>
    </Box>
  );
}

export default function CustomerPage({ loaderData }: Route.ComponentProps) {
  const { customer } = loaderData;
  return (
    <>
      <CustomerHeader customer={customer} />
      <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: 'minmax(0, 1fr)', lg: 'minmax(0, 2fr) minmax(0, 1fr)' }, alignItems: 'start' }}>
        <Stack spacing={2} sx={{ minWidth: 0 }}>
          <GoldenRecordCard customer={customer} />
          <SourceProfilesCard profiles={customer.sourceProfiles} />
          <RecentEventsCard events={customer.recentEvents} />
        </Stack>
        <Stack spacing={2} sx={{ minWidth: 0 }}>
          <IdentifiersCard customer={customer} />
          <OrderSummaryCard summary={customer.orderSummary} />
          <AttributesCard attributes={customer.attributes} />
        </Stack>
      </Box>
      <Box sx={{ mt: 2 }}>
        <UpcomingSlots />
      </Box>
    </>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorNotice error={error} />;
}
