import Link from '@mui/material/Link';
import { monospace } from '../theme.ts';

/** First block of a UUID, enough to tell customers apart on screen; the full id is in the tooltip. */
export const shortId = (id: string) => `${id.slice(0, 8)}…`;

/** A customer id that opens its page (an absorbed id opens the customer that survived it). */
export function CustomerIdLink({ id, full = false, testId }: { id: string; full?: boolean; testId?: string }) {
  return (
    <Link
      href={`/customers/${id}`}
      title={id}
      data-testid={testId}
      sx={{ fontFamily: monospace, fontSize: '0.85em', ...(full ? { wordBreak: 'break-all' } : { whiteSpace: 'nowrap' }) }}
    >
      {full ? id : shortId(id)}
    </Link>
  );
}
