import { ConsentsCard, MessageLogCard } from '#app/components/messaging/customer-messaging-cards.tsx';
import ArrowBack from '@mui/icons-material/ArrowBack';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Link from '@mui/material/Link';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { and, eq, inArray } from 'drizzle-orm';
import type { ReactNode } from 'react';
import { data, redirect, useFetcher, useLocation } from 'react-router';
import { AttributesCard } from '#app/components/customer/attributes-card.tsx';
import { GoldenRecordCard } from '#app/components/customer/golden-record-card.tsx';
import { IdentifiersCard } from '#app/components/customer/identifiers-card.tsx';
import { unmergeFetcherKey, type IdentityActionResult, type IdentityField, type IdentityIntent } from '#app/components/customer/identity-action-result.ts';
import { IdentityActions } from '#app/components/customer/identity-actions.tsx';
import { IdentityTimelineCard } from '#app/components/customer/identity-timeline-card.tsx';
import { OrderSummaryCard } from '#app/components/customer/order-summary-card.tsx';
import { RecentEventsCard } from '#app/components/customer/recent-events-card.tsx';
import { SourceProfilesCard } from '#app/components/customer/source-profiles-card.tsx';
import { UpcomingSlots } from '#app/components/customer/upcoming-slots.tsx';
import { CustomerScoresCard } from '#app/components/scoring/customer-scores-card.tsx';
import { ErrorNotice } from '#app/components/error-notice.tsx';
import { profileIdsIn, toTimelineEntry } from '#app/components/identity/timeline-model.ts';
import { PageTitle } from '#app/components/page-title.tsx';
import { personName } from '#app/components/person-name.ts';
import { useFormat, useT } from '#app/i18n/i18n-context.tsx';
import { requireUser } from '#app/server/auth.server.ts';
import { getDb } from '#app/server/db.server.ts';
import { mergeCustomers, unmergeCustomer } from '#app/server/identity.server.ts';
import { mergeRequest, unmergeRequest } from '#core/api/identity.ts';
import { UserError } from '#core/errors.ts';
import { schema } from '#db/client.ts';
import { getCustomer } from '#db/queries/customers.ts';
import { identityHistory, resolveCustomerId } from '#db/queries/identity.ts';
import { getCustomerScores } from '#db/queries/scoring.ts';
import { listApiKeys } from '#db/queries/tenants.ts';
import type { Route } from './+types/customer';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Merging and unmerging rewrite who a customer is: owners and admins only. */
const canChangeIdentity = (role: string) => role === 'owner' || role === 'admin';

/** "erp · 1234" for every profile the timeline mentions, including those that have since left this customer. */
async function profileLabels(tenantId: string, ids: string[], known: { id: string; source: string; externalId: string }[]) {
  const labels: Record<string, string> = {};
  for (const p of known) labels[p.id] = `${p.source} · ${p.externalId}`;
  const missing = ids.filter((id) => !labels[id] && UUID.test(id));
  if (missing.length) {
    const { sourceProfiles } = schema;
    const rows = await getDb()
      .select({ id: sourceProfiles.id, source: sourceProfiles.source, externalId: sourceProfiles.externalId })
      .from(sourceProfiles)
      .where(and(eq(sourceProfiles.tenantId, tenantId), inArray(sourceProfiles.id, missing.slice(0, 1000))));
    for (const p of rows) labels[p.id] = `${p.source} · ${p.externalId}`;
  }
  return labels;
}

export async function loader({ request, params }: Route.LoaderArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const url = new URL(request.url);
  // An id a merge absorbed keeps working: it lands on the customer that survived it.
  const id = await resolveCustomerId(db.$client, user.tenantId, params.id);
  if (!id) throw data(null, { status: 404 });
  if (id !== params.id) throw redirect(`/customers/${id}${url.search}`);
  const [customer, history, keys, scores] = await Promise.all([
    getCustomer(db, user.tenantId, id),
    identityHistory(db, user.tenantId, id),
    listApiKeys(db, user.tenantId),
    getCustomerScores(db.$client, user.tenantId, id),
  ]);
  if (!customer) throw data(null, { status: 404 });
  const timeline = history.map((record) => toTimelineEntry(record, new Map(keys.map((k) => [k.id, k.name]))));
  const merged = url.searchParams.get('merged');
  return {
    customer,
    scores,
    timeline,
    profileLabels: await profileLabels(user.tenantId, profileIdsIn(timeline), customer.sourceProfiles),
    canChangeIdentity: canChangeIdentity(user.role),
    /** Set by the merge action's redirect: the id that was merged into this customer. */
    mergedFrom: merged && UUID.test(merged) ? merged : null,
  };
}

type ErrorResult = Extract<IdentityActionResult, { outcome: 'error' }>;

function fail(result: Omit<ErrorResult, 'outcome' | 'message' | 'fields'> & Partial<Pick<ErrorResult, 'message' | 'fields'>>, status: number) {
  const body: IdentityActionResult = { outcome: 'error', message: null, fields: [], ...result };
  return data(body, { status });
}

const identityFields: readonly IdentityField[] = ['otherCustomerId', 'reason', 'sourceProfileIds'];
const asFields = (paths: (string | number | symbol | undefined)[]) =>
  [...new Set(paths.map((p) => String(p ?? '')))].filter((p): p is IdentityField => (identityFields as readonly string[]).includes(p));

export async function action({ request, params }: Route.ActionArgs) {
  const user = await requireUser(request);
  const form = await request.formData();
  const rawIntent = form.get('intent');
  const intent: IdentityIntent | null = rawIntent === 'merge' || rawIntent === 'unmerge' ? rawIntent : null;
  if (!canChangeIdentity(user.role)) return fail({ intent, error: 'forbidden' }, 403);
  if (!intent) return fail({ intent, error: 'unknownIntent' }, 400);
  const customerId = await resolveCustomerId(getDb().$client, user.tenantId, params.id);
  if (!customerId) throw data(null, { status: 404 });
  const actor = `user:${user.id}`;
  const reason = String(form.get('reason') ?? '');
  try {
    if (intent === 'merge') {
      const parsed = mergeRequest.safeParse({
        otherCustomerId: String(form.get('otherCustomerId') ?? '')
          .trim()
          .toLowerCase(),
        reason,
      });
      if (!parsed.success) return fail({ intent, error: 'invalid', fields: asFields(parsed.error.issues.map((i) => i.path[0])) }, 400);
      const merged = await mergeCustomers({
        tenantId: user.tenantId,
        customerId,
        otherCustomerId: parsed.data.otherCustomerId,
        actor,
        reason: parsed.data.reason,
      });
      return redirect(`/customers/${merged.survivorId}?merged=${merged.absorbedId}`);
    }
    const parsed = unmergeRequest.safeParse({ sourceProfileIds: form.getAll('sourceProfileIds').map(String), reason });
    if (!parsed.success) return fail({ intent, error: 'invalid', fields: asFields(parsed.error.issues.map((i) => i.path[0])) }, 400);
    const result = await unmergeCustomer({
      tenantId: user.tenantId,
      customerId,
      sourceProfileIds: parsed.data.sourceProfileIds,
      actor,
      reason: parsed.data.reason,
    });
    const body: IdentityActionResult = {
      outcome: 'unmerged',
      customerId: result.customerId,
      restoredCustomerId: result.restoredCustomerId,
      restored: result.restored,
    };
    return data(body);
  } catch (err) {
    // Bad requests the engine refuses ("already the same customer", "profiles do not belong"…) say why in the dialog.
    if (err instanceof UserError)
      return fail({ intent, error: 'rejected', message: err.message, fields: asFields((err.details ?? []).map((d) => d.path)) }, err.status);
    console.error(`customer ${intent} failed`, err);
    return fail({ intent, error: 'rejected' }, 500);
  }
}

type LoaderData = Route.ComponentProps['loaderData'];

function CustomerHeader({ customer, actions }: { customer: LoaderData['customer']; actions?: ReactNode }) {
  const t = useT();
  const format = useFormat();
  const name = personName(customer) ?? t('customer.unnamed');
  return (
    <Box sx={{ mb: 3 }}>
      <PageTitle title={name} />
      <Button href="/customers" startIcon={<ArrowBack />} size="small" sx={{ mb: 1, ml: -1 }}>
        {t('customer.back')}
      </Button>
      <Box sx={{ display: 'flex', flexWrap: 'wrap', alignItems: 'flex-start', justifyContent: 'space-between', gap: 2 }}>
        <Box sx={{ minWidth: 0 }}>
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
        {actions}
      </Box>
    </Box>
  );
}

/** After a merge (redirect with ?merged=) or an unmerge (the dialog's answer). */
function IdentityFeedback({ customerId, mergedFrom }: { customerId: string; mergedFrom: string | null }) {
  const t = useT();
  const unmerge = useFetcher<IdentityActionResult>({ key: unmergeFetcherKey(customerId) });
  const unmerged = unmerge.data?.outcome === 'unmerged' ? unmerge.data : undefined;
  if (unmerged) {
    return (
      <Alert severity="success" sx={{ mb: 2 }} data-testid="action-success" onClose={() => unmerge.reset()}>
        {t(unmerged.restored ? 'identity.unmerge.doneRestored' : 'identity.unmerge.doneNew', { id: unmerged.restoredCustomerId })}{' '}
        <Link href={`/customers/${unmerged.restoredCustomerId}`} data-testid="unmerge-result-link">
          {t('identity.unmerge.openCustomer')}
        </Link>
      </Alert>
    );
  }
  if (mergedFrom && mergedFrom !== customerId) {
    return (
      <Alert severity="success" sx={{ mb: 2 }} data-testid="action-success">
        {t('identity.merge.done', { id: mergedFrom })}
      </Alert>
    );
  }
  return null;
}

export default function CustomerPage({ loaderData }: Route.ComponentProps) {
  const { customer, scores, timeline, profileLabels, canChangeIdentity, mergedFrom } = loaderData;
  const location = useLocation();
  // Keyed on the location: a merge redirects here, and the dialogs start closed on the new page.
  const actions = canChangeIdentity ? <IdentityActions key={location.key} customerId={customer.id} profiles={customer.sourceProfiles} /> : undefined;
  return (
    <>
      <CustomerHeader customer={customer} actions={actions} />
      <IdentityFeedback customerId={customer.id} mergedFrom={mergedFrom} />
      <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: 'minmax(0, 1fr)', lg: 'minmax(0, 2fr) minmax(0, 1fr)' }, alignItems: 'start' }}>
        <Stack spacing={2} sx={{ minWidth: 0 }}>
          <GoldenRecordCard customer={customer} />
          <SourceProfilesCard profiles={customer.sourceProfiles} />
          <IdentityTimelineCard entries={timeline} profileLabels={profileLabels} />
          <RecentEventsCard events={customer.recentEvents} />
          <MessageLogCard customerId={customer.id} />
        </Stack>
        <Stack spacing={2} sx={{ minWidth: 0 }}>
          <CustomerScoresCard scores={scores} />
          <IdentifiersCard customer={customer} />
          <OrderSummaryCard summary={customer.orderSummary} />
          <AttributesCard attributes={customer.attributes} />
          <ConsentsCard customerId={customer.id} />
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
