import type { z } from 'zod';
import { UserError, type FieldError } from '../errors.ts';

/** Zod issues → field errors; for batches, the first path segment after the array becomes `index`. */
export function toFieldErrors(error: z.ZodError, batchKey?: string): FieldError[] {
  return error.issues.map((issue) => {
    const path = [...issue.path];
    let index: number | undefined;
    if (batchKey && path[0] === batchKey && typeof path[1] === 'number') {
      index = path[1];
      path.splice(0, 2);
    }
    return { ...(index === undefined ? {} : { index }), path: path.map(String).join('.'), message: issue.message };
  });
}

/** Parses a whole batch or throws one UserError listing every bad item: all or nothing. */
export function parseBatch<S extends z.ZodType>(schema: S, body: unknown, batchKey: string, what: string): z.output<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const details = toFieldErrors(result.error, batchKey);
  const bad = new Set(details.flatMap((d) => (d.index === undefined ? [] : [d.index]))).size;
  const message = bad
    ? `${bad} ${what} in the batch are invalid; nothing was written.`
    : `The request body is invalid; nothing was written.`;
  throw new UserError('invalid_batch', message, 400, details.slice(0, 1000));
}
