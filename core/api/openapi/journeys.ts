// OpenAPI paths of the journeys API (merged into core/api/openapi.ts).
import { z } from 'zod';
import {
  createJourneyRequest,
  journeyAnalytics,
  journeyDetail,
  journeySummary,
  journeyTemplateInfo,
  journeyValidationResult,
  journeyVersion,
  patchJourneyRequest,
  publishJourneyRequest,
  publishResult,
} from '../journeys.ts';
import { authErrors, error, idParam, jsonContent } from './shared.ts';

const tags = ['Journeys'];
const list = (schema: z.ZodType, id: string) => z.object({ data: z.array(schema) }).meta({ id });
const journeyList = list(journeySummary, 'JourneyList');
const templateList = list(journeyTemplateInfo, 'JourneyTemplateList');
const versionList = list(journeyVersion, 'JourneyVersionList');
const deleted = z.object({ id: z.uuid(), deleted: z.literal(true) }).meta({ id: 'JourneyDeleted' });
const duplicateRequest = z.object({ name: z.string().min(1).max(200).optional() }).meta({ id: 'DuplicateJourneyRequest' });
const notFound = error('No such journey in this tenant (`not_found`).');
const transition = error('The journey’s status does not allow it (`invalid_transition`), e.g. pausing a draft or resuming an archived journey.');

const statusAction = (operationId: string, summary: string, description: string) => ({
  post: {
    operationId,
    tags,
    summary,
    description,
    parameters: [idParam],
    responses: { '200': { description: 'The journey after the change.', ...jsonContent(journeyDetail) }, ...authErrors, '404': notFound, '409': transition },
  },
});

export const journeyPaths: Record<string, Record<string, unknown>> = {
  '/api/v1/journeys': {
    get: {
      operationId: 'listJourneys',
      tags,
      summary: 'List journeys',
      description: 'Every journey with its status, latest published version and headline numbers (entered, running, completed, converted, messages sent), most recently changed first.',
      responses: { '200': { description: 'The journeys.', ...jsonContent(journeyList) }, ...authErrors },
    },
    post: {
      operationId: 'createJourney',
      tags,
      summary: 'Create a journey',
      description:
        'Creates a draft: blank (an API entry wired to an exit), from a `definition` (any JSON: drafts may be incomplete), or from a ready-made `template`. A template also creates the email templates (Spanish, MJML + Liquid) and segments it needs, reusing existing ones with the same name.',
      requestBody: { required: true, ...jsonContent(createJourneyRequest) },
      responses: {
        '201': { description: 'Created.', ...jsonContent(journeyDetail) },
        '400': error('Invalid body or unknown template (`invalid_request`).'),
        ...authErrors,
        '409': error('Another journey has that name (`conflict`).'),
      },
    },
  },
  '/api/v1/journeys/templates': {
    get: {
      operationId: 'listJourneyTemplates',
      tags,
      summary: 'Ready-made journeys',
      description: 'Abandoned cart recovery, welcome series, re-engagement, birthday and purchase anniversary, with the message templates and segments each one creates.',
      responses: { '200': { description: 'The templates.', ...jsonContent(templateList) }, ...authErrors },
    },
  },
  '/api/v1/journeys/{id}': {
    get: {
      operationId: 'getJourney',
      tags,
      summary: 'A journey',
      description: 'The draft as saved with its validation (errors located at nodes), the layout, the published versions and headline numbers.',
      parameters: [idParam],
      responses: { '200': { description: 'The journey.', ...jsonContent(journeyDetail) }, ...authErrors, '404': notFound },
    },
    patch: {
      operationId: 'updateJourney',
      tags,
      summary: 'Save the draft',
      description: 'Name, description, draft definition and layout. The draft is stored as sent (validation is reported in the answer, enforced only on publish); published versions never change.',
      parameters: [idParam],
      requestBody: { required: true, ...jsonContent(patchJourneyRequest) },
      responses: {
        '200': { description: 'Saved.', ...jsonContent(journeyDetail) },
        '400': error('Invalid body (`invalid_request`).'),
        ...authErrors,
        '404': notFound,
        '409': error('Name taken (`conflict`) or the journey is archived (`invalid_transition`).'),
      },
    },
    delete: {
      operationId: 'deleteJourney',
      tags,
      summary: 'Delete a draft',
      description: 'Only journeys that were never published; archive published ones.',
      parameters: [idParam],
      responses: { '200': { description: 'Deleted.', ...jsonContent(deleted) }, ...authErrors, '404': notFound, '409': error('The journey was published (`invalid_transition`).') },
    },
  },
  '/api/v1/journeys/{id}/validate': {
    post: {
      operationId: 'validateJourney',
      tags,
      summary: 'Validate the draft',
      description: 'The same validation the canvas runs: every port connected, no cycles, weights sum to 100, keyed waits after a keyed entry, templates and segments exist. Each error names its node (and port or path).',
      parameters: [idParam],
      responses: { '200': { description: 'The result.', ...jsonContent(journeyValidationResult) }, ...authErrors, '404': notFound },
    },
  },
  '/api/v1/journeys/{id}/publish': {
    post: {
      operationId: 'publishJourney',
      tags,
      summary: 'Publish the draft',
      description:
        'Creates the next immutable version (node ids stay stable, so analytics carry over) and activates a draft journey. Running customers finish on the version they entered; new entries take the latest. Publishing a draft equal to the latest version creates nothing (200, `created: false`). `enterCurrentMembers` (segment-entry journeys) starts `journeyBatchEntryWorkflow` for the segment’s current members, once per version.',
      parameters: [idParam],
      requestBody: { required: false, ...jsonContent(publishJourneyRequest) },
      responses: {
        '201': { description: 'Published a new version.', ...jsonContent(publishResult) },
        '200': { description: 'The draft equals the latest version.', ...jsonContent(publishResult) },
        '400': error('`enterCurrentMembers` on a journey without a segment entry (`invalid_request`; the version is published).'),
        ...authErrors,
        '404': notFound,
        '409': error('The journey is archived (`invalid_transition`).'),
        '422': error('The draft is invalid (`journey_invalid`); `details` lists each error with its `nodeId`, `port`, `path` and `code`.'),
        '503': error('Published, but the batch entry could not start (`unavailable`); publish again to retry.'),
      },
    },
  },
  '/api/v1/journeys/{id}/pause': statusAction('pauseJourney', 'Pause', 'Active → paused: no new entries, and running customers hold their sends until resumed.'),
  '/api/v1/journeys/{id}/resume': statusAction('resumeJourney', 'Resume', 'Paused → active.'),
  '/api/v1/journeys/{id}/archive': statusAction('archiveJourney', 'Archive', 'Active or paused → archived: no new entries; running customers drain.'),
  '/api/v1/journeys/{id}/duplicate': {
    post: {
      operationId: 'duplicateJourney',
      tags,
      summary: 'Duplicate',
      description: 'A new draft with the same definition and layout, named “<name> (copy)” unless a name is given.',
      parameters: [idParam],
      requestBody: { required: false, ...jsonContent(duplicateRequest) },
      responses: { '201': { description: 'The copy.', ...jsonContent(journeyDetail) }, ...authErrors, '404': notFound, '409': error('Name taken (`conflict`).') },
    },
  },
  '/api/v1/journeys/{id}/versions': {
    get: {
      operationId: 'listJourneyVersions',
      tags,
      summary: 'Published versions',
      parameters: [idParam],
      responses: { '200': { description: 'Newest first.', ...jsonContent(versionList) }, ...authErrors, '404': notFound },
    },
  },
  '/api/v1/journeys/{id}/analytics': {
    get: {
      operationId: 'getJourneyAnalytics',
      tags,
      summary: 'Per-node analytics',
      description: 'For one `version` or all versions: per node the visits, customers currently waiting, exits per port, messages sent/delivered/opened/clicked/failed/skipped and conversions; totals and holdout vs. treatment.',
      parameters: [idParam, { name: 'version', in: 'query', required: false, schema: { type: 'integer', minimum: 1 } }],
      responses: { '200': { description: 'The numbers.', ...jsonContent(journeyAnalytics) }, '400': error('Invalid query (`invalid_request`).'), ...authErrors, '404': notFound },
    },
  },
};
