import type { z } from 'zod';
import { UserError } from '#core/errors.ts';
import { toFieldErrors } from '#core/ingest/validation.ts';

/** Parses a JSON body or query with a zod schema; a mismatch is a 400 with field errors. */
export function parseOr400<S extends z.ZodType>(schema: S, value: unknown, what = 'request'): z.output<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw new UserError('invalid_request', `Invalid ${what}.`, 400, toFieldErrors(r.error));
}
