// OpenAPI paths of the imports API (merged into core/api/openapi.ts). Build schemas with zod and .meta({ id }).
import { z } from 'zod';
import { importQuery } from '../../imports/request.ts';
import { IMPORT_ENTITIES, IMPORT_FORMATS, TARGETS } from '../../imports/targets.ts';
import { MAX_IMPORT_ERRORS } from '../../imports/tally.ts';
import { authErrors, error, idParam, jsonContent } from './shared.ts';

export const importCounts = z
  .object({
    rows: z.number().int().describe('Data rows read (the CSV header and blank lines excluded).'),
    written: z.number().int().describe('Rows stored: inserted + updated + unchanged. Always 0 for a dry run.'),
    inserted: z.number().int().describe('Rows that created a record.'),
    updated: z.number().int().describe('Rows that changed an existing record (same source and external id).'),
    unchanged: z.number().int().describe('Rows identical to what was stored (a file imported again).'),
    failed: z.number().int().describe('Rows not written; the first of them are in `errors`.'),
  })
  .meta({ id: 'ImportCounts' });

export const importRowError = z
  .object({
    line: z.number().int().describe('1-based line in the file (the CSV header is line 1); a record spanning lines is numbered by its first.'),
    reason: z.string(),
  })
  .meta({ id: 'ImportRowError' });

const progress = z
  .object({
    bytesRead: z.number().int().describe('Bytes of the file processed so far.'),
    bytesTotal: z.number().int().nullable().describe('Size of the uploaded file.'),
    rowsDone: z.number().int(),
    rowsTotal: z.number().int().nullable().describe('Data rows staged by the upload.'),
    percent: z.number().int().nullable(),
  })
  .meta({ id: 'ImportProgress' });

const importFields = {
  id: z.uuid(),
  entity: z.enum(IMPORT_ENTITIES),
  format: z.enum(IMPORT_FORMATS),
  source: z.string().describe('Rows are written under this source (idempotency key: source + external id).'),
  connectionId: z.uuid().nullable(),
  fileName: z.string().nullable(),
  dryRun: z.boolean(),
  status: z.enum(['running', 'succeeded', 'failed']),
  counts: importCounts,
  progress,
  error: z.string().nullable().describe('Why the import failed or was cancelled, when it did.'),
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime().nullable(),
  workflowId: z.string().nullable().describe('The importFileWorkflow that processes it (Temporal UI); null for dry runs.'),
};

export const importSummary = z.object(importFields).meta({ id: 'ImportSummary' });

export const importDetail = z
  .object({
    ...importFields,
    mapping: z.record(z.string(), z.string()).describe('Target field → column used.'),
    options: z.record(z.string(), z.unknown()).describe('currency, decimal, timeZone, delimiter, encoding.'),
    columns: z.array(z.string()).describe('The CSV header, or the keys of the first JSON-lines record.'),
    errors: z.array(importRowError).describe(`The first ${MAX_IMPORT_ERRORS} bad rows, by line.`),
    temporalUiUrl: z.string().nullable(),
  })
  .meta({ id: 'Import' });

export const importList = z.object({ data: z.array(importSummary), nextCursor: z.string().nullable() }).meta({ id: 'ImportList' });

const targetList = Object.entries(TARGETS)
  .map(([entity, fields]) => `**${entity}**: ${fields.map((f) => `\`${f.key}\`${f.required ? ' (required)' : ''}`).join(', ')}`)
  .join('; ');

function queryParameters(schema: z.ZodType, required: string[] = []) {
  const js = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as { properties: Record<string, { description?: string }> };
  return Object.entries(js.properties).map(([name, s]) => {
    const { description, ...rest } = s;
    return { name, in: 'query', required: required.includes(name), description, schema: rest };
  });
}

const fileBody = { schema: { type: 'string', format: 'binary' } };

export const importPaths: Record<string, Record<string, unknown>> = {
  '/api/v1/imports': {
    post: {
      operationId: 'createImport',
      tags: ['Imports'],
      summary: 'Upload a CSV or JSON-lines file',
      description: [
        'The file is the raw request body, streamed (up to 2 GB; never held in memory). CSV: RFC 4180, `,` `;` or tab detected from the header line, UTF-8 (with or without BOM) or `charset=windows-1252`. JSON-lines: one object per line.',
        'Columns map to target fields through `mapping` (target → column); without it, the connection\'s saved mapping is reused and completed with suggestions from the header (Spanish and English names). Amounts are decimal major units (`1.234,50` with `decimal=comma`, the default for `;` files); dates `dd/mm/yyyy` or ISO, read in the workspace\'s time zone when they carry no offset.',
        `Target fields — ${targetList}. Customers and products also take \`attributes.<name>\`. Order items replace the items of orders already imported (same source); an order's lines are written together or not at all.`,
        'A dry run validates every row and answers 200 with counts and the first errors, writing nothing. Otherwise the file is staged and an `importFileWorkflow` processes it in batches; the answer is 202 with the import, whose progress `GET /api/v1/imports/{id}` shows. Bad rows are reported (line and reason) and never stop the good ones.',
      ].join('\n\n'),
      parameters: queryParameters(importQuery, ['entity']),
      requestBody: {
        required: true,
        description: 'The file.',
        content: { 'text/csv': fileBody, 'application/x-ndjson': fileBody },
      },
      responses: {
        '200': { description: 'Dry run: what an import would write.', ...jsonContent(importDetail) },
        '202': { description: 'Staged; processing runs as a Temporal workflow. `Location` points at the import.', ...jsonContent(importDetail) },
        '400': error('Invalid parameters (`invalid_request`, e.g. an unknown entity), a mapping that does not fit the file (`invalid_mapping`, naming the field and column), an empty file (`empty_file`) or one that cannot be read (`invalid_file`: wrong encoding, unreadable header).'),
        ...authErrors,
        '404': error('No such connection (`not_found`).'),
        '413': error('File over 2 GB (`payload_too_large`).'),
        '415': error('Not text/csv or application/x-ndjson, or an unsupported charset (`unsupported_media_type`).'),
        '503': error('Too many uploads at once, or processing could not start (`unavailable`); retry.'),
      },
    },
    get: {
      operationId: 'listImports',
      tags: ['Imports'],
      summary: 'List imports and dry runs',
      description: 'Newest first, cursor-paged.',
      parameters: [
        { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } },
        { name: 'cursor', in: 'query', required: false, schema: { type: 'string' }, description: 'nextCursor of the previous page.' },
      ],
      responses: { '200': { description: 'A page of imports.', ...jsonContent(importList) }, '400': error('Invalid query.'), ...authErrors },
    },
  },
  '/api/v1/imports/{id}': {
    get: {
      operationId: 'getImport',
      tags: ['Imports'],
      summary: 'An import: status, counts, progress and errors',
      parameters: [idParam],
      responses: { '200': { description: 'The import.', ...jsonContent(importDetail) }, ...authErrors, '404': error('No such import in this workspace.') },
    },
  },
};
