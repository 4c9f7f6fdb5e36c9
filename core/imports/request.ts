// The query of POST /api/v1/imports (and of the UI's upload): what the file holds and how to read it.
import { z } from 'zod';
import { IMPORT_ENTITIES, IMPORT_FORMATS, type ImportFormat } from './targets.ts';

const bool = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1')
  .describe('"true" or "false"');

export const importQuery = z
  .object({
    entity: z.enum(IMPORT_ENTITIES, { error: `entity must be one of: ${IMPORT_ENTITIES.join(', ')}` }).describe('What the rows are.'),
    format: z.enum(IMPORT_FORMATS).optional().describe('csv or jsonl; by default from the Content-Type.'),
    source: z
      .string()
      .trim()
      .regex(/^[a-z0-9][a-z0-9_.-]{0,62}$/, 'lowercase letters, digits, "_", "." or "-" (e.g. "erp")')
      .optional()
      .describe('Source the rows are written under (idempotency: source + external id). Default: the connection\'s source, else "erp".'),
    connectionId: z.uuid().optional().describe('A `file` connection: its saved mapping is reused, and this import\'s mapping is saved to it.'),
    dryRun: bool.optional().describe('Validate every row and report counts and the first errors; write nothing.'),
    mapping: z
      .string()
      .max(20_000)
      .optional()
      .describe('JSON object target field → column name, e.g. {"externalId":"codigo","email":"correo"}. Default: the connection\'s saved mapping completed with suggestions from the header.'),
    currency: z
      .string()
      .trim()
      .regex(/^[A-Za-z]{3}$/, 'an ISO 4217 code such as ARS')
      .transform((c) => c.toUpperCase())
      .optional()
      .describe('Currency of amounts when the file has no currency column. Default ARS.'),
    decimal: z.enum(['comma', 'dot', 'auto']).optional().describe('How amounts are written: comma ("1.234,50"), dot ("1,234.50") or auto. Default: comma for ";"-separated files, else auto.'),
    delimiter: z
      .enum([',', ';', 'tab', 'comma', 'semicolon'])
      .transform((d) => ({ ',': ',', comma: ',', ';': ';', semicolon: ';', tab: '\t' })[d] as ',' | ';' | '\t')
      .optional()
      .describe('CSV delimiter; detected from the header line by default.'),
    encoding: z.enum(['utf-8', 'windows-1252', 'iso-8859-1']).optional().describe('Text encoding; default the Content-Type charset, else UTF-8.'),
    fileName: z.string().trim().min(1).max(255).optional().describe('Shown in the import list.'),
  });
export type ImportQuery = z.output<typeof importQuery>;

const CSV_TYPES = ['text/csv', 'application/csv', 'text/comma-separated-values', 'application/vnd.ms-excel', 'text/x-csv'];
const JSONL_TYPES = ['application/x-ndjson', 'application/ndjson', 'application/jsonl', 'application/x-jsonlines', 'application/jsonlines', 'application/json-lines', 'application/x-json-stream'];
const GENERIC_TYPES = ['text/plain', 'application/octet-stream'];

export interface BodyType {
  format: ImportFormat;
  /** From the charset parameter, when given. */
  charset?: string;
}

/** The format a Content-Type (and an explicit `format`) stand for, or the reason they are unacceptable. */
export function bodyType(contentType: string | null, format?: ImportFormat): { ok: true; value: BodyType } | { ok: false; reason: string } {
  const [mediaRaw = '', ...params] = (contentType ?? '').split(';');
  const media = mediaRaw.trim().toLowerCase();
  const charset = params
    .map((p) => p.trim().split('='))
    .find(([k]) => k?.trim().toLowerCase() === 'charset')?.[1]
    ?.trim()
    .replace(/^"|"$/g, '')
    .toLowerCase();
  const accepted = `Send the file as the body with Content-Type text/csv or application/x-ndjson`;
  if (!media) return { ok: false, reason: `${accepted}.` };
  let byType: ImportFormat | undefined;
  if (CSV_TYPES.includes(media)) byType = 'csv';
  else if (JSONL_TYPES.includes(media)) byType = 'jsonl';
  else if (!GENERIC_TYPES.includes(media))
    return { ok: false, reason: media === 'multipart/form-data' ? `${accepted} (not multipart/form-data).` : `${accepted}; got ${media}.` };
  if (byType && format && byType !== format) return { ok: false, reason: `format=${format} does not match Content-Type ${media}.` };
  const resolved = format ?? byType;
  if (!resolved) return { ok: false, reason: `Content-Type ${media} does not say the format: add format=csv or format=jsonl.` };
  return { ok: true, value: { format: resolved, ...(charset ? { charset } : {}) } };
}

/** Parses the `mapping` query parameter: a JSON object of strings. */
export function parseMappingParam(raw: string): { ok: true; value: Record<string, string> } | { ok: false; reason: string } {
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return { ok: false, reason: 'mapping must be a JSON object, e.g. {"externalId":"codigo"}' };
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) return { ok: false, reason: 'mapping must be a JSON object, e.g. {"externalId":"codigo"}' };
  const entries = Object.entries(v as Record<string, unknown>);
  const bad = entries.find(([, c]) => typeof c !== 'string');
  if (bad) return { ok: false, reason: `mapping.${bad[0]} must be a column name (a string)` };
  return { ok: true, value: Object.fromEntries(entries.filter(([, c]) => c !== '')) as Record<string, string> };
}
