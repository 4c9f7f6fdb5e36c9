import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Chip from '@mui/material/Chip';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState, type ReactNode } from 'react';
import { Form, useNavigation } from 'react-router';
import { useFormat, useT } from '#app/i18n/i18n-context.tsx';
import type { MessageKey } from '#app/i18n/messages.ts';
import { monospace } from '../theme.ts';
import { CustomerIdLink } from './customer-id-link.tsx';
import { MatchLevelChip } from './match-level.tsx';

export interface ReviewProfileSummary {
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  dni: string | null;
  cuit: string | null;
  phone: string | null;
  birthDate: string | null;
  address: { street?: string; city?: string; province?: string; postalCode?: string; country?: string } | null;
}

export interface ReviewSide {
  profileId: string;
  customerId: string | null;
  source: string;
  externalId: string;
  summary: ReviewProfileSummary;
}

export interface ReviewRow {
  id: string;
  probability: number;
  weight: number;
  levels: Record<string, string>;
  status: string;
  createdAt: string;
  a: ReviewSide;
  b: ReviewSide;
}

export type ReviewDecision = 'merge' | 'reject';

interface FieldRow {
  label: MessageKey;
  /** The comparison of the probabilistic model this row shows, if any. */
  level?: string;
  value: (side: ReviewSide) => ReactNode;
  /** Shown only when one side has a value or the model compared it. */
  optional?: boolean;
}

const text = (v: string | null | undefined) => v?.trim() || null;

function documentText(s: ReviewProfileSummary): string | null {
  const parts = [s.dni ? `DNI ${s.dni}` : null, s.cuit ? `CUIT ${s.cuit}` : null].filter(Boolean);
  return parts.length ? parts.join(' · ') : null;
}

function Value({ children }: { children: ReactNode }) {
  if (children === null || children === undefined || children === '') return <Typography color="text.disabled">—</Typography>;
  return <>{children}</>;
}

function useFieldRows(): FieldRow[] {
  const format = useFormat();
  return [
    { label: 'reviews.field.source', value: (p) => <Chip size="small" variant="outlined" label={p.source} /> },
    {
      label: 'reviews.field.externalId',
      value: (p) => (
        <Box component="span" sx={{ fontFamily: monospace, fontSize: 13 }}>
          {p.externalId}
        </Box>
      ),
    },
    { label: 'reviews.field.customer', value: (p) => (p.customerId ? <CustomerIdLink id={p.customerId} /> : null) },
    { label: 'customer.field.firstName', level: 'firstName', value: (p) => text(p.summary.firstName) },
    { label: 'customer.field.lastName', level: 'lastName', value: (p) => text(p.summary.lastName) },
    { label: 'customer.field.email', level: 'email', value: (p) => text(p.summary.email) },
    { label: 'reviews.field.document', level: 'document', value: (p) => documentText(p.summary) },
    { label: 'customer.field.phone', level: 'phone', value: (p) => text(p.summary.phone) },
    { label: 'customer.field.birthDate', level: 'birthDate', value: (p) => (p.summary.birthDate ? format.calendarDate(p.summary.birthDate) : null) },
    { label: 'reviews.field.street', level: 'street', value: (p) => text(p.summary.address?.street), optional: true },
    { label: 'reviews.field.postalCode', level: 'postalCode', value: (p) => text(p.summary.address?.postalCode), optional: true },
    { label: 'reviews.field.city', level: 'city', value: (p) => text(p.summary.address?.city) },
    { label: 'reviews.field.province', level: 'province', value: (p) => text(p.summary.address?.province), optional: true },
  ];
}

function ComparisonTable({ review }: { review: ReviewRow }) {
  const t = useT();
  const rows = useFieldRows();
  const shownLevels = new Set(rows.map((r) => r.level).filter(Boolean));
  const otherLevels = Object.entries(review.levels).filter(([name]) => !shownLevels.has(name));
  const visible = rows.filter((r) => {
    if (!r.optional) return true;
    const a = r.value(review.a);
    const b = r.value(review.b);
    return a !== null || b !== null || (r.level !== undefined && review.levels[r.level] !== undefined && review.levels[r.level] !== 'missing');
  });
  return (
    <>
      <TableContainer>
        <Table size="small" aria-label={t('reviews.compare')} sx={{ minWidth: 560, '& td, & th': { px: 1 } }}>
          <TableHead>
            <TableRow>
              <TableCell sx={{ width: '18%' }}>{t('reviews.field')}</TableCell>
              <TableCell sx={{ width: '34%' }}>{t('reviews.profileA')}</TableCell>
              <TableCell align="center" sx={{ width: '14%' }}>
                {t('reviews.comparison')}
              </TableCell>
              <TableCell sx={{ width: '34%' }}>{t('reviews.profileB')}</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {visible.map((row) => {
              const level = row.level ? review.levels[row.level] : undefined;
              return (
                <TableRow key={row.label} data-field={row.level}>
                  <TableCell sx={{ color: 'text.secondary', whiteSpace: 'nowrap' }}>{t(row.label)}</TableCell>
                  <TableCell sx={{ wordBreak: 'break-word' }}>
                    <Value>{row.value(review.a)}</Value>
                  </TableCell>
                  <TableCell align="center">{level ? <MatchLevelChip level={level} /> : null}</TableCell>
                  <TableCell sx={{ wordBreak: 'break-word' }}>
                    <Value>{row.value(review.b)}</Value>
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      </TableContainer>
      {otherLevels.length ? (
        <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap', alignItems: 'center', mt: 1.5 }}>
          <Typography variant="body2" color="text.secondary">
            {t('reviews.otherLevels')}
          </Typography>
          {otherLevels.map(([name, level]) => (
            <MatchLevelChip key={name} level={level} prefix={name} />
          ))}
        </Box>
      ) : null}
    </>
  );
}

/** "Same person — merge" / "Different people", each asking for a reason before it is sent. */
function DecisionForm({ review, error }: { review: ReviewRow; error: string | null }) {
  const t = useT();
  const navigation = useNavigation();
  const [decision, setDecision] = useState<ReviewDecision>();
  const busy = navigation.state === 'submitting' && navigation.formData?.get('reviewId') === review.id;
  return (
    <Box sx={{ mt: 2 }}>
      <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap' }}>
        <Button variant={decision === 'merge' ? 'contained' : 'outlined'} onClick={() => setDecision('merge')} disabled={busy} data-testid="review-merge">
          {t('reviews.merge')}
        </Button>
        <Button
          variant={decision === 'reject' ? 'contained' : 'outlined'}
          color="secondary"
          onClick={() => setDecision('reject')}
          disabled={busy}
          data-testid="review-reject"
        >
          {t('reviews.reject')}
        </Button>
      </Box>
      {error ? (
        <Alert severity="error" role="alert" data-testid="action-error" sx={{ mt: 2 }}>
          {error}
        </Alert>
      ) : null}
      {decision ? (
        <Form method="post" noValidate style={{ display: 'flex', gap: 8, flexWrap: 'wrap', alignItems: 'flex-start', marginTop: 16 }}>
          <input type="hidden" name="intent" value={decision} />
          <input type="hidden" name="reviewId" value={review.id} />
          <TextField
            key={decision}
            name="reason"
            size="small"
            autoFocus
            label={t(decision === 'merge' ? 'reviews.reasonMerge' : 'reviews.reasonReject')}
            helperText={t('identity.reason.help')}
            sx={{ flex: '1 1 320px' }}
            slotProps={{ htmlInput: { maxLength: 1000, 'data-testid': 'review-reason' } }}
          />
          <Button type="submit" variant="contained" color={decision === 'merge' ? 'primary' : 'secondary'} disabled={busy} data-testid="review-submit">
            {busy ? t('reviews.submitting') : t(decision === 'merge' ? 'reviews.submitMerge' : 'reviews.submitReject')}
          </Button>
          <Button onClick={() => setDecision(undefined)} disabled={busy}>
            {t('common.cancel')}
          </Button>
        </Form>
      ) : null}
    </Box>
  );
}

export function ReviewCard({ review, canDecide, error }: { review: ReviewRow; canDecide: boolean; error: string | null }) {
  const t = useT();
  const format = useFormat();
  return (
    <Card
      component="article"
      data-testid="review-row"
      data-review-id={review.id}
      aria-label={t('reviews.rowLabel', { probability: format.percent(review.probability) })}
    >
      <CardContent>
        <Box sx={{ display: 'flex', alignItems: 'baseline', gap: 1.5, flexWrap: 'wrap', mb: 1.5 }}>
          <Typography variant="h5" component="p" sx={{ fontWeight: 700 }} data-testid="review-probability">
            {format.percent(review.probability)}
          </Typography>
          <Typography color="text.secondary">{t('reviews.probability')}</Typography>
          <Box sx={{ flex: 1 }} />
          <Typography variant="caption" color="text.secondary">
            {t('reviews.found', { date: format.dateTime(review.createdAt) })}
          </Typography>
        </Box>
        <ComparisonTable review={review} />
        {review.status === 'open' && canDecide ? <DecisionForm review={review} error={error} /> : null}
      </CardContent>
    </Card>
  );
}
