// Building blocks of OpenAPI operations, shared by the path groups.
import { z } from 'zod';
import { errorBody } from '../customers.ts';

export const ref = (schema: z.ZodType) => ({ $ref: `#/components/schemas/${z.globalRegistry.get(schema)?.id}` });
export const jsonContent = (schema: z.ZodType) => ({ content: { 'application/json': { schema: ref(schema) } } });
export const error = (description: string) => ({ description, ...jsonContent(errorBody) });

export const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
export const idempotencyKey = { name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string' }, description: 'Retries with the same key join the same workflow.' };

export const authErrors = { '401': error('Missing, unknown or revoked API key (`unauthorized`).') };
