// Request/response shapes of the segments API and its OpenAPI paths (merged into core/api/openapi.ts).
import { z } from 'zod';
import { ruleGroup, segmentRule } from '../../segments/rule.ts';
import { authErrors, error, idParam, jsonContent } from './shared.ts';

// The rule tree is recursive through its groups: naming the group schema gives the recursion a components entry.
if (!z.globalRegistry.has(ruleGroup)) z.globalRegistry.add(ruleGroup, { id: 'SegmentRuleGroup' });

const name = z.string().trim().min(1).max(200);
const description = z.string().trim().max(2000).nullable();

export const segmentCreateRequest = z
  .object({ name, description: description.optional(), definition: segmentRule })
  .strict()
  .meta({ id: 'SegmentCreateRequest', description: 'A new dynamic segment. Its memberships are computed right after it is saved, then kept up to date as data arrives.' });

export const segmentPatchRequest = z
  .object({ name: name.optional(), description: description.optional(), definition: segmentRule.optional() })
  .strict()
  .refine((p) => p.name !== undefined || p.description !== undefined || p.definition !== undefined, 'change at least one of name, description, definition')
  .meta({ id: 'SegmentPatchRequest' });

export const segmentPreviewRequest = z.object({ definition: segmentRule }).strict().meta({ id: 'SegmentPreviewRequest' });

const sampleCustomer = z.object({ id: z.uuid(), email: z.string().nullable(), firstName: z.string().nullable(), lastName: z.string().nullable() });

export const segmentView = z
  .object({
    id: z.uuid(),
    name: z.string(),
    description: z.string().nullable(),
    definition: segmentRule,
    status: z.enum(['active', 'archived']),
    memberCount: z.number().int().describe('Current members (maintained with the memberships).'),
    lastComputedAt: z.iso.datetime().nullable().describe('Last full recompute; null until the first one finishes.'),
    timeDependent: z.boolean().describe('Membership changes with the clock alone (relative windows): also recomputed hourly.'),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Segment' });

export const segmentList = z.object({ data: z.array(segmentView) }).meta({ id: 'SegmentList' });
export const segmentListQuery = z.object({ status: z.enum(['active', 'archived', 'all']).default('active') });

export const segmentPreview = z
  .object({
    count: z.number().int(),
    sample: z.array(sampleCustomer).describe('Up to 20 matching customers.'),
    tookMs: z.number().int().describe('Server time for both queries.'),
  })
  .meta({ id: 'SegmentPreview' });

export const segmentMembersQuery = z.object({
  after: z.uuid().optional().describe('The `next` of the previous page.'),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
export const segmentMembers = z
  .object({ data: z.array(sampleCustomer.extend({ enteredAt: z.iso.datetime() })), next: z.uuid().nullable().describe('Pass as `after` for the next page; null on the last.') })
  .meta({ id: 'SegmentMembers' });

export const segmentChangesQuery = z.object({
  days: z.coerce.number().int().min(1).max(365).default(30),
  bucket: z.enum(['day', 'hour']).default('day'),
});
export const segmentChanges = z
  .object({
    buckets: z.array(z.object({ at: z.iso.datetime(), entered: z.number().int(), exited: z.number().int() })).describe('Entries and exits per UTC day (or hour), oldest first; empty buckets are left out.'),
    recent: z.array(sampleCustomer.extend({ change: z.enum(['entered', 'exited']), at: z.iso.datetime() })).describe('The latest 50 entries and exits.'),
  })
  .meta({ id: 'SegmentChanges' });

const tags = ['Segments'];
const invalidRule = error(
  'Invalid JSON (`invalid_json`) or body (`invalid_request`): each error in `details` has the JSON path of the bad part of the rule (e.g. `definition.rules.1.predicate.type`), including unknown segment references and reference cycles.',
);

export const segmentPaths: Record<string, Record<string, unknown>> = {
  '/api/v1/segments': {
    get: {
      operationId: 'listSegments',
      tags,
      summary: 'List segments',
      parameters: [{ name: 'status', in: 'query', required: false, schema: { type: 'string', enum: ['active', 'archived', 'all'], default: 'active' } }],
      responses: { '200': { description: 'The segments, by name.', ...jsonContent(segmentList) }, '400': error('Invalid query (`invalid_request`).'), ...authErrors },
    },
    post: {
      operationId: 'createSegment',
      tags,
      summary: 'Create a segment',
      description:
        'A rule tree (AND/OR groups, negation) over profile fields, custom attributes, scores, order aggregates, events performed or not, other segments and consent. Memberships are computed at once by `segmentRecomputeWorkflow`, then kept up to date as events, orders and profile changes arrive; every entry and exit is recorded for journeys.',
      requestBody: { required: true, ...jsonContent(segmentCreateRequest) },
      responses: {
        '201': { description: 'Created; the first recompute has started.', ...jsonContent(segmentView) },
        '400': invalidRule,
        ...authErrors,
        '409': error('Another segment has this name (`segment_name_taken`).'),
      },
    },
  },
  '/api/v1/segments/preview': {
    post: {
      operationId: 'previewSegment',
      tags,
      summary: 'Preview a rule',
      description: 'Counts the matching customers and returns a sample of 20, without saving anything. References to other segments read their current members.',
      requestBody: { required: true, ...jsonContent(segmentPreviewRequest) },
      responses: { '200': { description: 'The count and sample.', ...jsonContent(segmentPreview) }, '400': invalidRule, ...authErrors },
    },
  },
  '/api/v1/segments/{id}': {
    get: {
      operationId: 'getSegment',
      tags,
      summary: 'A segment',
      parameters: [idParam],
      responses: { '200': { description: 'The segment.', ...jsonContent(segmentView) }, ...authErrors, '404': error('No such segment in this tenant (`not_found`).') },
    },
    patch: {
      operationId: 'updateSegment',
      tags,
      summary: 'Change a segment',
      description: 'A changed definition is recomputed at once; customers who no longer match exit (and journeys see the exits).',
      parameters: [idParam],
      requestBody: { required: true, ...jsonContent(segmentPatchRequest) },
      responses: {
        '200': { description: 'The segment.', ...jsonContent(segmentView) },
        '400': invalidRule,
        ...authErrors,
        '404': error('No such segment (`not_found`).'),
        '409': error('Another segment has this name (`segment_name_taken`).'),
      },
    },
    delete: {
      operationId: 'archiveSegment',
      tags,
      summary: 'Archive a segment',
      description: 'Stops evaluating it; memberships and their history stay readable.',
      parameters: [idParam],
      responses: {
        '200': { description: 'Archived.', ...jsonContent(segmentView) },
        ...authErrors,
        '404': error('No such segment (`not_found`).'),
        '409': error('An active or paused journey, or another active segment, references it (`segment_in_use`; `details` names them).'),
      },
    },
  },
  '/api/v1/segments/{id}/members': {
    get: {
      operationId: 'listSegmentMembers',
      tags,
      summary: 'Current members',
      description: 'Keyset-paged by customer id, with when each entered.',
      parameters: [
        idParam,
        { name: 'after', in: 'query', required: false, schema: { type: 'string', format: 'uuid' } },
        { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } },
      ],
      responses: { '200': { description: 'A page of members.', ...jsonContent(segmentMembers) }, '400': error('Invalid query (`invalid_request`).'), ...authErrors, '404': error('No such segment (`not_found`).') },
    },
  },
  '/api/v1/segments/{id}/changes': {
    get: {
      operationId: 'listSegmentChanges',
      tags,
      summary: 'Entries and exits over time',
      parameters: [
        idParam,
        { name: 'days', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 365, default: 30 } },
        { name: 'bucket', in: 'query', required: false, schema: { type: 'string', enum: ['day', 'hour'], default: 'day' } },
      ],
      responses: { '200': { description: 'Counts per bucket and the latest changes.', ...jsonContent(segmentChanges) }, '400': error('Invalid query (`invalid_request`).'), ...authErrors, '404': error('No such segment (`not_found`).') },
    },
  },
};
