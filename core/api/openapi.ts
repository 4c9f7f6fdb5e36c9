// The OpenAPI document, generated from the same zod schemas that validate requests.
import { z } from 'zod';
import { customerListQuery, customerPage, customerProfile, customerSummary } from './customers.ts';
import { identityHistory, lookupQuery, mergeRequest, mergeResult, reviewDecision, reviewDecisionResult, reviewList, unmergeRequest, unmergeResult, workflowStarted } from './identity.ts';
import { identitySettings } from '../tenants/settings.ts';
import { eventBatch, eventBatchResult, MAX_EVENTS_PER_BATCH } from '../ingest/events.ts';
import { MAX_PROFILES_PER_BATCH, profileBatch, profileBatchResult } from '../ingest/profiles.ts';
import { connectionPaths } from './openapi/connections.ts';
import { importPaths } from './openapi/imports.ts';
import { journeyPaths } from './openapi/journeys.ts';
import { messagingPaths } from './openapi/messaging.ts';
import { scoringPaths } from './openapi/scoring.ts';
import { journeyEntryPaths } from './openapi/journey-entries.ts';
import { segmentPaths } from './openapi/segments.ts';
import { experimentPaths } from './openapi/experiments.ts';

import { authErrors, error, idempotencyKey, idParam, jsonContent } from './openapi/shared.ts';

function queryParameters(schema: z.ZodType) {
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
  // Recursive schemas without an id of their own (the segment rule tree, JSON values) land in a "__shared" $defs
  // bag; hoist them into components so every $ref is a plain #/components/schemas/<name>.
  const { __shared: shared, ...named } = schemas;
  const hoisted = Object.entries((shared?.$defs ?? {}) as Record<string, Record<string, unknown>>).map(([k, v]) => [`Shared_${k}`, v] as const);
  const components = JSON.parse(
    JSON.stringify(
      Object.fromEntries(
        [...Object.entries(named), ...hoisted].map(([id, s]) => {
          const { $schema: _schema, $id: _id, ...rest } = s;
          return [id, rest];
        }),
      ),
    ).replace(/#\/components\/schemas\/__shared#\/\$defs\/(\w+)/g, '#/components/schemas/Shared_$1'),
  ) as Record<string, Record<string, unknown>>;
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
      { name: 'Identity', description: 'Identity resolution: merges, unmerges, review tasks and settings. Merges and re-resolution run as Temporal workflows.' },
      { name: 'Connections', description: 'VTEX, MercadoLibre and ERP connections: credentials, schedules, sync runs. Every sync is a Temporal workflow.' },
      { name: 'Imports', description: 'CSV and JSON-lines files (ERP exports) of customers, orders, order items and products.' },
      { name: 'Messaging', description: 'Email templates (Liquid + MJML), test sends, consent, suppressions, the message log, SMTP settings and frequency caps.' },
      { name: 'Segments', description: 'Dynamic segments: rule trees kept up to date as data arrives, with entries and exits recorded for journeys.' },
      { name: 'Scoring', description: 'Nightly scoring runs: RFM, lifecycle, CLV, churn, propensity, recommendations and next best action. Every run is a Temporal workflow.' },
      { name: 'Experiments', description: 'A/B/n and multivariate experiments on segments, journeys or API assignment: reusable metrics, sticky assignment, results with sequential and fixed-horizon statistics, automatic or manual winners. Each experiment is a Temporal workflow.' },
      { name: 'Journeys', description: 'Journeys: drafts, immutable published versions, pause / resume / archive, ready-made templates and per-node analytics. Each customer’s run is a Temporal workflow.' },
    ],
    paths: {
      ...connectionPaths,
      ...importPaths,
      ...scoringPaths,
      ...journeyPaths,
      ...messagingPaths,
      ...journeyEntryPaths,
      ...segmentPaths,
      ...experimentPaths,
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
          description: 'An id absorbed by a merge answers with the customer that survived it (its `id` differs from the one requested).',
          responses: { '200': { description: 'The customer.', ...jsonContent(customerProfile) }, ...authErrors, '404': error('No such customer in this tenant.') },
        },
      },
      '/api/v1/customers/lookup': {
        get: {
          operationId: 'lookupCustomer',
          tags: ['Customers'],
          summary: 'Find the customer behind an identifier',
          description: 'Exactly one of: `source` + `externalId`, `email`, `document` (DNI, CUIT or CUIL in any format), `phone` (normalized to E.164 with the tenant\'s country). Answers with the surviving customer\'s golden record, or 404.',
          parameters: queryParameters(lookupQuery),
          responses: { '200': { description: 'The surviving customer.', ...jsonContent(customerSummary) }, '400': error('Not exactly one identifier.'), ...authErrors, '404': error('No customer has that identifier.') },
        },
      },
      '/api/v1/customers/{id}/merge': {
        post: {
          operationId: 'mergeCustomers',
          tags: ['Identity'],
          summary: 'Merge another customer into this one',
          description: 'Runs the merge as a Temporal workflow and answers when it is done. The older customer survives; the other id becomes an alias. Send an `Idempotency-Key` header to make retries safe. Do-not-merge pairs between the two are lifted (a person decided).',
          parameters: [idParam, idempotencyKey],
          requestBody: { required: true, ...jsonContent(mergeRequest) },
          responses: {
            '200': { description: 'Merged.', ...jsonContent(mergeResult) },
            '400': error('Invalid body.'),
            ...authErrors,
            '404': error('One of the customers does not exist.'),
            '409': error('Both ids already belong to the same customer (`conflict`).'),
          },
        },
      },
      '/api/v1/customers/{id}/unmerge': {
        post: {
          operationId: 'unmergeCustomer',
          tags: ['Identity'],
          summary: 'Take source profiles out of a customer',
          description: 'If the profiles are exactly those a merge brought in, the merge is undone: the absorbed customer returns with its id, golden fields and aliases. Otherwise they form a new customer. Either way they are kept apart from the remaining profiles (do-not-merge).',
          parameters: [idParam, idempotencyKey],
          requestBody: { required: true, ...jsonContent(unmergeRequest) },
          responses: { '200': { description: 'Unmerged.', ...jsonContent(unmergeResult) }, '400': error('Profiles not in this customer, or all of them.'), ...authErrors, '404': error('No such customer.') },
        },
      },
      '/api/v1/customers/{id}/identity-history': {
        get: {
          operationId: 'identityHistory',
          tags: ['Identity'],
          summary: 'Every identity change of a customer',
          description: 'Auto-merges, links, manual merges, unmerges and review decisions that involved the customer or any id it absorbed, newest first, with who or which rule, why, and before/after.',
          parameters: [idParam],
          responses: { '200': { description: 'The audit trail.', ...jsonContent(identityHistory) }, ...authErrors, '404': error('No such customer.') },
        },
      },
      '/api/v1/identity/resolve': {
        post: {
          operationId: 'resolveIdentities',
          tags: ['Identity'],
          summary: 'Re-resolve every profile of the tenant',
          description: 'Starts (or joins) the tenant\'s full re-resolution workflow with the current rules and thresholds.',
          responses: { '202': { description: 'Started; watch it in the Temporal UI.', ...jsonContent(workflowStarted) }, ...authErrors },
        },
      },
      '/api/v1/identity/reviews': {
        get: {
          operationId: 'listIdentityReviews',
          tags: ['Identity'],
          summary: 'Probable matches waiting for a decision',
          parameters: [
            { name: 'status', in: 'query', required: false, schema: { type: 'string', enum: ['open', 'merged', 'rejected', 'obsolete'], default: 'open' } },
            { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } },
            { name: 'cursor', in: 'query', required: false, schema: { type: 'string' } },
          ],
          responses: { '200': { description: 'A page of reviews, most probable first.', ...jsonContent(reviewList) }, ...authErrors },
        },
      },
      '/api/v1/identity/reviews/{id}': {
        post: {
          operationId: 'decideIdentityReview',
          tags: ['Identity'],
          summary: 'Decide a review: merge or reject',
          parameters: [idParam],
          requestBody: { required: true, ...jsonContent(reviewDecision) },
          responses: { '200': { description: 'Decided.', ...jsonContent(reviewDecisionResult) }, '400': error('Invalid decision.'), ...authErrors, '404': error('No such review.'), '409': error('Already decided.') },
        },
      },
      '/api/v1/identity/settings': {
        get: {
          operationId: 'getIdentitySettings',
          tags: ['Identity'],
          summary: 'Identity resolution settings of the tenant',
          responses: { '200': { description: 'Current settings (defaults filled in).', ...jsonContent(identitySettings) }, ...authErrors },
        },
        put: {
          operationId: 'putIdentitySettings',
          tags: ['Identity'],
          summary: 'Replace the identity resolution settings',
          requestBody: { required: true, ...jsonContent(identitySettings) },
          responses: { '200': { description: 'Saved.', ...jsonContent(identitySettings) }, '400': error('Invalid settings.'), ...authErrors },
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
