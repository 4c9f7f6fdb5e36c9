import OpenInNew from '@mui/icons-material/OpenInNew';
import Sync from '@mui/icons-material/Sync';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Link from '@mui/material/Link';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import Typography from '@mui/material/Typography';
import { data, Form, Link as RouterLink, useNavigation } from 'react-router';
import { EmptyState } from '#app/components/empty-state.tsx';
import { ErrorNotice } from '#app/components/error-notice.tsx';
import { ReviewCard, type ReviewDecision, type ReviewRow } from '#app/components/identity/review-card.tsx';
import { PageHeader } from '#app/components/page-header.tsx';
import { useT } from '#app/i18n/i18n-context.tsx';
import type { MessageKey } from '#app/i18n/messages.ts';
import { requireUser } from '#app/server/auth.server.ts';
import { getDb } from '#app/server/db.server.ts';
import { startFullResolution } from '#app/server/identity.server.ts';
import { decideReview } from '#app/server/reviews.server.ts';
import { UserError } from '#core/errors.ts';
import { listReviews } from '#db/queries/identity-reviews.ts';
import type { Route } from './+types/identity-reviews';

const STATUSES = ['open', 'merged', 'rejected', 'obsolete'] as const;
type ReviewStatus = (typeof STATUSES)[number];
const PAGE_SIZE = 20;
/** Deciding a review merges customers or keeps them apart for good: owners and admins, as on the customer page. */
const canDecide = (role: string) => role === 'owner' || role === 'admin';

const isStatus = (v: string | null): v is ReviewStatus => (STATUSES as readonly (string | null)[]).includes(v);

export async function loader({ request }: Route.LoaderArgs) {
  const user = await requireUser(request);
  const params = new URL(request.url).searchParams;
  const rawStatus = params.get('status');
  const status: ReviewStatus = isStatus(rawStatus) ? rawStatus : 'open';
  const rawOffset = params.get('cursor');
  const offset = rawOffset && /^\d{1,9}$/.test(rawOffset) ? Number(rawOffset) : 0;
  // Most probable first (listReviews orders by probability, then id).
  const page = await listReviews(getDb(), user.tenantId, { status, limit: PAGE_SIZE, offset });
  return { status, reviews: page.data as ReviewRow[], nextCursor: page.nextCursor, offset, canDecide: canDecide(user.role) };
}

export type ReviewsActionResult =
  | { outcome: 'decided'; decision: ReviewDecision; reviewId: string; customerId: string | null }
  | { outcome: 'resolving'; workflowId: string; temporalUiUrl: string }
  | { outcome: 'error'; reviewId: string | null; error: 'forbidden' | 'reason' | 'unknownIntent' | 'rejected'; message: string | null };

const fail = (body: Omit<Extract<ReviewsActionResult, { outcome: 'error' }>, 'outcome'>, status: number) =>
  data<ReviewsActionResult>({ outcome: 'error', ...body }, { status });

export async function action({ request }: Route.ActionArgs) {
  const user = await requireUser(request);
  const form = await request.formData();
  const intent = form.get('intent');
  const rawId = form.get('reviewId');
  const reviewId = typeof rawId === 'string' ? rawId : null;
  if (!canDecide(user.role)) return fail({ reviewId, error: 'forbidden', message: null }, 403);
  const actor = `user:${user.id}`;
  try {
    if (intent === 'resolve-all') {
      const started = await startFullResolution(user.tenantId, actor);
      return data<ReviewsActionResult>({ outcome: 'resolving', workflowId: started.workflowId, temporalUiUrl: started.temporalUiUrl });
    }
    if (intent !== 'merge' && intent !== 'reject') return fail({ reviewId, error: 'unknownIntent', message: null }, 400);
    const reason = String(form.get('reason') ?? '').trim();
    if (reason.length < 3 || reason.length > 1000) return fail({ reviewId, error: 'reason', message: null }, 400);
    if (!reviewId) return fail({ reviewId, error: 'rejected', message: null }, 400);
    const decided = await decideReview(user.tenantId, reviewId, intent, actor, reason);
    const customerId = 'survivorId' in decided && typeof decided.survivorId === 'string' ? decided.survivorId : null;
    return data<ReviewsActionResult>({ outcome: 'decided', decision: intent, reviewId, customerId });
  } catch (err) {
    if (err instanceof UserError) return fail({ reviewId, error: 'rejected', message: err.message }, err.status);
    console.error(`identity review ${String(intent)} failed`, err);
    return fail({ reviewId, error: 'rejected', message: null }, 500);
  }
}

const errorMessages: Record<Extract<ReviewsActionResult, { outcome: 'error' }>['error'], MessageKey> = {
  forbidden: 'reviews.error.forbidden',
  reason: 'identity.error.reason',
  unknownIntent: 'identity.error.unknownIntent',
  rejected: 'identity.error.generic',
};

const statusTabs: Record<ReviewStatus, MessageKey> = {
  open: 'reviews.status.open',
  merged: 'reviews.status.merged',
  rejected: 'reviews.status.rejected',
  obsolete: 'reviews.status.obsolete',
};

const emptyTitles: Record<ReviewStatus, MessageKey> = {
  open: 'reviews.empty.open.title',
  merged: 'reviews.empty.merged.title',
  rejected: 'reviews.empty.rejected.title',
  obsolete: 'reviews.empty.obsolete.title',
};

const pageHref = (status: ReviewStatus, cursor?: string | null) => {
  const params = new URLSearchParams();
  if (status !== 'open') params.set('status', status);
  if (cursor) params.set('cursor', cursor);
  const search = params.toString();
  return search ? `/identity/reviews?${search}` : '/identity/reviews';
};

function ResolveAllButton() {
  const t = useT();
  const navigation = useNavigation();
  const busy = navigation.state === 'submitting' && navigation.formData?.get('intent') === 'resolve-all';
  return (
    <Form method="post">
      <input type="hidden" name="intent" value="resolve-all" />
      <Button type="submit" variant="outlined" startIcon={<Sync />} disabled={busy} data-testid="resolve-all" title={t('reviews.resolveAll.help')}>
        {busy ? t('reviews.resolveAll.starting') : t('reviews.resolveAll')}
      </Button>
    </Form>
  );
}

function ActionFeedback({ result }: { result: ReviewsActionResult | undefined }) {
  const t = useT();
  if (!result) return null;
  if (result.outcome === 'resolving') {
    return (
      <Alert severity="success" sx={{ mb: 2 }} data-testid="action-success">
        {t('reviews.resolveAll.started')}{' '}
        <Link
          href={result.temporalUiUrl}
          target="_blank"
          rel="noopener noreferrer"
          data-testid="resolve-workflow-link"
          sx={{ display: 'inline-flex', alignItems: 'center', gap: 0.5 }}
        >
          {t('reviews.resolveAll.open')}
          <OpenInNew sx={{ fontSize: 16 }} />
        </Link>
      </Alert>
    );
  }
  if (result.outcome === 'decided') {
    return (
      <Alert severity="success" sx={{ mb: 2 }} data-testid="action-success">
        {t(result.decision === 'merge' ? 'reviews.merged' : 'reviews.rejected')}
        {result.customerId ? (
          <>
            {' '}
            <Link href={`/customers/${result.customerId}`}>{t('reviews.openCustomer')}</Link>
          </>
        ) : null}
      </Alert>
    );
  }
  // Errors of a review decision show inside its row; the rest here.
  if (result.reviewId && result.error !== 'forbidden') return null;
  return (
    <Alert severity="error" role="alert" sx={{ mb: 2 }} data-testid="action-error">
      {result.message ?? t(errorMessages[result.error])}
    </Alert>
  );
}

function EmptyReviews({ status }: { status: ReviewStatus }) {
  const t = useT();
  return (
    <Paper variant="outlined" data-testid="reviews-empty">
      <EmptyState title={t(emptyTitles[status])}>
        <Typography color="text.secondary" sx={{ mb: 1 }}>
          {t('reviews.empty.what')}
        </Typography>
        <Typography color="text.secondary">{t('reviews.empty.how')}</Typography>
      </EmptyState>
    </Paper>
  );
}

export default function IdentityReviewsPage({ loaderData, actionData }: Route.ComponentProps) {
  const t = useT();
  const { status, reviews, nextCursor, offset, canDecide } = loaderData;
  const rowError = (id: string) => {
    if (actionData?.outcome !== 'error' || actionData.reviewId !== id || actionData.error === 'forbidden') return null;
    return actionData.message ?? t(errorMessages[actionData.error]);
  };
  return (
    <>
      <PageHeader title={t('reviews.title')} subtitle={t('reviews.subtitle')} actions={canDecide ? <ResolveAllButton /> : undefined} />
      <ActionFeedback result={actionData} />
      {canDecide ? null : (
        <Alert severity="info" sx={{ mb: 2 }}>
          {t('reviews.readOnly')}
        </Alert>
      )}
      <Box sx={{ borderBottom: 1, borderColor: 'divider', mb: 2 }}>
        <Tabs value={status} aria-label={t('reviews.tabs')} variant="scrollable" allowScrollButtonsMobile>
          {STATUSES.map((s) => (
            <Tab key={s} value={s} label={t(statusTabs[s])} component={RouterLink} to={pageHref(s)} data-testid={`reviews-tab-${s}`} />
          ))}
        </Tabs>
      </Box>
      {reviews.length === 0 ? (
        <EmptyReviews status={status} />
      ) : (
        <Stack spacing={2}>
          {reviews.map((review) => (
            <ReviewCard key={review.id} review={review} canDecide={canDecide} error={rowError(review.id)} />
          ))}
        </Stack>
      )}
      {offset > 0 || nextCursor ? (
        <Box component="nav" aria-label={t('reviews.paging')} sx={{ display: 'flex', gap: 1, justifyContent: 'flex-end', mt: 2 }}>
          {offset > 0 ? <Button href={pageHref(status)}>{t('reviews.firstPage')}</Button> : null}
          {nextCursor ? (
            <Button href={pageHref(status, nextCursor)} variant="outlined">
              {t('reviews.nextPage')}
            </Button>
          ) : null}
        </Box>
      ) : null}
    </>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorNotice error={error} />;
}
