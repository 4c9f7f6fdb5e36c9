// OpenAPI path of the journey entries API (merged into core/api/openapi.ts).
import { journeyEntryRequest, journeyEntryResult } from '../journey-entries.ts';
import { authErrors, error, idParam, jsonContent } from './shared.ts';

export const journeyEntryPaths: Record<string, Record<string, unknown>> = {
  '/api/v1/journeys/{id}/entries': {
    post: {
      operationId: 'enterJourney',
      tags: ['Journeys'],
      summary: 'Enter customers into an API-entry journey',
      description:
        'For journeys whose entry is `api`. One customer: `{ customerId, key?, properties? }` starts a run of the latest published version (`properties` are the Liquid `event.*` variables; with a `key`, one run per customer and key, so a retried call joins the running one). Re-entry rules apply: `entered: false` with a `reason` when they forbid it. Bulk: `{ customerIds }` (at most 10,000) starts a batch workflow that enters them at a controlled rate; query its `progress`. Answers with the runs\' workflow ids.',
      parameters: [idParam],
      requestBody: { required: true, ...jsonContent(journeyEntryRequest) },
      responses: {
        '202': { description: 'Entered (or, in bulk, being entered).', ...jsonContent(journeyEntryResult) },
        '400': error('Invalid JSON (`invalid_json`) or body (`invalid_request`).'),
        ...authErrors,
        '404': error('No such published journey, or an unknown customer id (`not_found`; bulk: the unknown ids in `details`).'),
        '409': error('The journey\'s entry is not `api` (`entry_not_api`), or it is paused, archived or not published (`journey_not_active`).'),
        '503': error('Temporal is unreachable (`unavailable`); nothing was started. Try again.'),
      },
    },
  },
};
