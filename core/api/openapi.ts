// The OpenAPI document, generated from the same zod schemas that validate requests.
import { z } from 'zod';
import { customerListQuery, customerPage, customerProfile, errorBody } from './customers.ts';
import { eventBatch, eventBatchResult, MAX_EVENTS_PER_BATCH } from '../ingest/events.ts';
import { MAX_PROFILES_PER_BATCH, profileBatch, profileBatchResult } from '../ingest/profiles.ts';

const ref = (schema: z.ZodType) => ({ $ref: `#/components/schemas/${z.globalRegistry.get(schema)?.id}` });
const jsonContent = (schema: z.ZodType) => ({ content: { 'application/json': { schema: ref(schema) } } });
const error = (description: string) => ({ description, ...jsonContent(errorBody) });

const authErrors = { '401': error('Missing, unknown or revoked API key (`unauthorized`).') };

function queryParameters(schema: typeof customerListQuery) {
  const js = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as { properties: Record<string, { description?: string }> };
  return Object.entries(js.properties).map(([name, s]) => {
    const { description, ...rest } = s;
    return { name, in: 'query', required: false, description, schema: rest };
  });
}

export function buildOpenApiDocument(serverUrl?: string) {
  const { schemas } = z.toJSONSchema(z.globalRegistry, {
    io: 'input',
    unrepresentable: 'any',
    uri: (id) => `#/components/schemas/${id}`,
  }) as { schemas: Record<string, Record<string, unknown>> };
  const components = Object.fromEntries(
    Object.entries(schemas).map(([id, s]) => {
      const { $schema: _schema, $id: _id, ...rest } = s;
      return [id, rest];
    }),
  );
  return {
    openapi: '3.1.0',
    info: {
      title: 'Nerdistan CDP API',
      version: '1.0.0',
      description:
        'Customer data in, unified customers out. Every request needs `Authorization: Bearer <API key>`; a key belongs to one tenant and sees only its data. Errors are `{ error: { code, message, details? } }`.',
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    security: [{ bearerAuth: [] }],
    tags: [
      { name: 'Ingest', description: 'Send events and source profiles.' },
      { name: 'Customers', description: 'Unified customers (the master record).' },
    ],
    paths: {
      '/api/v1/events': {
        post: {
          operationId: 'ingestEvents',
          tags: ['Ingest'],
          summary: 'Send a batch of track/identify events',
          description: `Up to ${MAX_EVENTS_PER_BATCH} Segment-spec messages. The batch is validated as a whole: if any message is invalid, nothing is written and the response lists every bad item. \`messageId\` makes retries idempotent. Identify traits (email, phone, names, dni, cuit, birthday, address) become a source profile of source \`events\` and then a customer.`,
          requestBody: { required: true, ...jsonContent(eventBatch) },
          responses: {
            '200': { description: 'Stored (duplicates skipped).', ...jsonContent(eventBatchResult) },
            '400': error('Invalid JSON (`invalid_json`) or batch (`invalid_batch`, with per-item `details`).'),
            ...authErrors,
            '413': error('Body over 5 MB (`payload_too_large`).'),
          },
        },
      },
      '/api/v1/profiles': {
        post: {
          operationId: 'upsertProfiles',
          tags: ['Ingest'],
          summary: 'Upsert a batch of source profiles',
          description: `Up to ${MAX_PROFILES_PER_BATCH} records of one source, idempotent on (source, externalId): a resent record changes nothing; a changed record updates the profile and its customer.`,
          requestBody: { required: true, ...jsonContent(profileBatch) },
          responses: {
            '200': { description: 'Applied.', ...jsonContent(profileBatchResult) },
            '400': error('Invalid JSON or batch; nothing was written.'),
            ...authErrors,
            '413': error('Body over 5 MB.'),
          },
        },
      },
      '/api/v1/customers': {
        get: {
          operationId: 'listCustomers',
          tags: ['Customers'],
          summary: 'List and search customers',
          description: 'Newest first, cursor-paged: pass `nextCursor` back as `cursor` until it is null.',
          parameters: queryParameters(customerListQuery),
          responses: { '200': { description: 'A page of customers.', ...jsonContent(customerPage) }, '400': error('Invalid query.'), ...authErrors },
        },
      },
      '/api/v1/customers/{id}': {
        get: {
          operationId: 'getCustomer',
          tags: ['Customers'],
          summary: 'The 360° customer profile',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
          responses: { '200': { description: 'The customer.', ...jsonContent(customerProfile) }, ...authErrors, '404': error('No such customer in this tenant.') },
        },
      },
    },
    components: {
      schemas: components,
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'A tenant API key (`npm run cdp -- tenant create <slug>` prints one).' } },
    },
  };
}

export type OpenApiDocument = ReturnType<typeof buildOpenApiDocument>;
