// JSON responses and errors for the REST API: every failure is `{ error: { code, message, details? } }`.
import { httpStatusOf, UserError, type ErrorCode, type FieldError } from '#core/errors.ts';
import { logger } from '#platform/logger.ts';

export const json = (data: unknown, init: ResponseInit = {}) =>
  new Response(JSON.stringify(data), {
    ...init,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...init.headers },
  });

export function errorResponse(code: ErrorCode, message: string, details?: FieldError[], headers?: HeadersInit, status = httpStatusOf[code]): Response {
  return json({ error: { code, message, ...(details?.length ? { details } : {}) } }, { status, headers });
}

/** Runs an API handler; turns UserError into its 4xx and anything else into a logged 500. */
export async function apiHandler(fn: () => Promise<Response>): Promise<Response> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof Response) return err;
    if (err instanceof UserError) return errorResponse(err.code, err.message, err.details, undefined, err.status);
    logger('api').error({ err }, 'unhandled API error');
    return errorResponse('internal', 'Something went wrong on our side; the request was not applied. Try again.');
  }
}

export const MAX_BODY_BYTES = 5 * 1024 * 1024;

/** Reads a JSON body with a size cap; malformed JSON is a 400 `invalid_json`. */
export async function readJson(request: Request, maxBytes = MAX_BODY_BYTES): Promise<unknown> {
  const type = request.headers.get('content-type') ?? '';
  if (!type.includes('application/json')) throw new UserError('invalid_request', 'Send the body as JSON with Content-Type: application/json.', 415);
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > maxBytes) throw new UserError('payload_too_large', `The body is larger than ${maxBytes} bytes.`, 413);
  const text = await request.text();
  if (Buffer.byteLength(text) > maxBytes) throw new UserError('payload_too_large', `The body is larger than ${maxBytes} bytes.`, 413);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UserError('invalid_json', `The body is not valid JSON: ${(err as Error).message}`);
  }
}

export function methodNotAllowed(allowed: string[]): Response {
  return errorResponse('method_not_allowed', `Use ${allowed.join(' or ')} on this endpoint.`, undefined, { allow: allowed.join(', ') });
}
