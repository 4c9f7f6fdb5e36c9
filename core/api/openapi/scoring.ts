// OpenAPI paths of the scoring API (merged into core/api/openapi.ts). Build schemas with zod and .meta({ id }).
import { z } from 'zod';
import { scoringRun, scoringRunList, scoringRunListQuery, scoringRunRequest, scoringRunStarted } from '../scoring.ts';
import { authErrors, error, idParam, jsonContent } from './shared.ts';

const tags = ['Scoring'];
const limit = z.toJSONSchema(scoringRunListQuery, { io: 'input' }) as unknown as { properties: { limit: Record<string, unknown> } };

export const scoringPaths: Record<string, Record<string, unknown>> = {
  '/api/v1/scoring/run': {
    post: {
      operationId: 'runScoring',
      tags,
      summary: 'Run nightly scoring now',
      description:
        'Starts `nightlyScoringWorkflow` for the tenant (the same run the nightly Schedule starts at 02:00 in the tenant time zone): RFM, lifecycle, BG/NBD + Gamma–Gamma CLV, churn early warning, propensity by category, recommendations and next best action, then change events and the configured VTEX write-backs. The body is optional; `asOf` back-tests (only orders placed up to it count). Answers at once with the run id.',
      requestBody: { required: false, ...jsonContent(scoringRunRequest) },
      responses: {
        '202': { description: 'Started.', ...jsonContent(scoringRunStarted) },
        '400': error('Invalid JSON (`invalid_json`) or body (`invalid_request`): e.g. `asOf` not an ISO date-time with offset, or in the future.'),
        ...authErrors,
        '503': error('Temporal is unreachable (`unavailable`); nothing was started. Try again.'),
      },
    },
  },
  '/api/v1/scoring/runs': {
    get: {
      operationId: 'listScoringRuns',
      tags,
      summary: 'List scoring runs',
      description: 'Newest first, with model parameters, fit diagnostics, counts and step durations.',
      parameters: [{ name: 'limit', in: 'query', required: false, schema: limit.properties.limit }],
      responses: { '200': { description: 'The runs.', ...jsonContent(scoringRunList) }, '400': error('Invalid query (`invalid_request`).'), ...authErrors },
    },
  },
  '/api/v1/scoring/runs/{id}': {
    get: {
      operationId: 'getScoringRun',
      tags,
      summary: 'A scoring run',
      parameters: [idParam],
      responses: { '200': { description: 'The run.', ...jsonContent(scoringRun) }, ...authErrors, '404': error('No such run in this tenant (`not_found`).') },
    },
  },
};
