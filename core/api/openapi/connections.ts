// OpenAPI paths of the connections API (merged into core/api/openapi.ts). Build schemas with zod and .meta({ id }).
import { z } from 'zod';
import { connection, connectionCheck, connectionDeleted, connectionList, createConnectionRequest, patchConnectionRequest, runListQuery, syncRunList, syncStarted } from '../connections.ts';
import { authErrors, error, idParam, jsonContent } from './shared.ts';

const tags = ['Connections'];
const notFound = { '404': error('No such connection in this tenant (`not_found`).') };
const unavailable = { '503': error('Temporal is unreachable (`unavailable`); nothing was changed. Try again.') };

const limit = z.toJSONSchema(runListQuery, { io: 'input' }) as unknown as { properties: { limit: Record<string, unknown> } };

export const connectionPaths: Record<string, Record<string, unknown>> = {
  '/api/v1/connections': {
    get: {
      operationId: 'listConnections',
      tags,
      summary: 'List connections',
      description: 'Every connection of the tenant, oldest first, with its sync schedule (next run times) and latest run. Credentials are never returned.',
      responses: { '200': { description: 'The connections.', ...jsonContent(connectionList) }, ...authErrors },
    },
    post: {
      operationId: 'createConnection',
      tags,
      summary: 'Create a connection',
      description:
        'Stores the connection with its credentials encrypted (AES-256-GCM) and, for VTEX and MercadoLibre, creates its Temporal Schedule (every `syncIntervalMinutes`, overlapping runs skipped). The connection is only saved if the schedule was created. MercadoLibre connections then need "Connect with MercadoLibre" (OAuth) before they can sync.',
      requestBody: { required: true, ...jsonContent(createConnectionRequest) },
      responses: {
        '201': { description: 'Created.', ...jsonContent(connection) },
        '400': error('Invalid body (`invalid_request`, with field `details`).'),
        ...authErrors,
        '409': error('Another connection of this tenant has that name (`conflict`).'),
        ...unavailable,
      },
    },
  },
  '/api/v1/connections/{id}': {
    get: {
      operationId: 'getConnection',
      tags,
      summary: 'A connection',
      parameters: [idParam],
      responses: { '200': { description: 'The connection.', ...jsonContent(connection) }, ...authErrors, ...notFound },
    },
    patch: {
      operationId: 'updateConnection',
      tags,
      summary: 'Change a connection',
      description:
        'Renames it, merges config and credentials over the stored ones, changes the sync interval (the schedule follows) or pauses / resumes it (`status`: the schedule is paused or unpaused). Changed credentials clear the last error.',
      parameters: [idParam],
      requestBody: { required: true, ...jsonContent(patchConnectionRequest) },
      responses: {
        '200': { description: 'Updated.', ...jsonContent(connection) },
        '400': error('Invalid body (`invalid_request`, with field `details`).'),
        ...authErrors,
        ...notFound,
        '409': error('Another connection has that name (`conflict`).'),
        ...unavailable,
      },
    },
    delete: {
      operationId: 'deleteConnection',
      tags,
      summary: 'Delete a connection',
      description: 'Deletes its schedule, cancels its running syncs, and deletes the connection with its cursors and run history. Data already synced stays.',
      parameters: [idParam],
      responses: { '200': { description: 'Deleted.', ...jsonContent(connectionDeleted) }, ...authErrors, ...notFound, ...unavailable },
    },
  },
  '/api/v1/connections/{id}/test': {
    post: {
      operationId: 'testConnection',
      tags,
      summary: 'Check the stored credentials',
      description:
        'One cheap authenticated call to the provider (VTEX: list one order; MercadoLibre: `/users/me`). `ok: false` with a message when the provider refuses or cannot be reached; file connections are always ok. No body.',
      parameters: [idParam],
      responses: { '200': { description: 'The outcome.', ...jsonContent(connectionCheck) }, ...authErrors, ...notFound },
    },
  },
  '/api/v1/connections/{id}/sync': {
    post: {
      operationId: 'syncConnection',
      tags,
      summary: 'Sync now',
      description:
        'Starts a sync run (the `connectionSyncWorkflow` in Temporal) outside the schedule. While one is running, further requests join it instead of starting another. No body.',
      parameters: [idParam],
      responses: {
        '202': { description: 'Started or joined; watch it in the run history or the Temporal UI.', ...jsonContent(syncStarted) },
        ...authErrors,
        ...notFound,
        '409': error('The connection cannot sync now (`conflict`): it is paused, is a file connection, or MercadoLibre is not connected yet.'),
        ...unavailable,
      },
    },
  },
  '/api/v1/connections/{id}/runs': {
    get: {
      operationId: 'listConnectionRuns',
      tags,
      summary: 'Sync run history',
      description: 'Newest first: counts (fetched, inserted, updated, skipped, failed), backfill progress, errors and a link to each run in the Temporal UI.',
      parameters: [idParam, { name: 'limit', in: 'query', required: false, schema: limit.properties.limit }],
      responses: { '200': { description: 'The runs.', ...jsonContent(syncRunList) }, '400': error('Invalid query.'), ...authErrors, ...notFound },
    },
  },
};
