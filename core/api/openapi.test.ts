import { describe, expect, it } from 'vitest';
import { eventBatch, MAX_EVENTS_PER_BATCH } from '../ingest/events.ts';
import { MAX_PROFILES_PER_BATCH, profileBatch } from '../ingest/profiles.ts';
import { buildOpenApiDocument } from './openapi.ts';

type Json = Record<string, unknown>;

const doc = buildOpenApiDocument();
const schemas = doc.components.schemas as Record<string, Json>;

/** Every `$ref` string anywhere in `node`, with the JSON path where it was found. */
function collectRefs(node: unknown, at = '#'): { at: string; ref: string }[] {
  if (Array.isArray(node)) return node.flatMap((v, i) => collectRefs(v, `${at}/${i}`));
  if (node && typeof node === 'object')
    return Object.entries(node).flatMap(([k, v]) => (k === '$ref' ? [{ at, ref: String(v) }] : collectRefs(v, `${at}/${k}`)));
  return [];
}

const deref = (s: Json): Json => {
  const ref = s.$ref;
  if (typeof ref !== 'string') return s;
  return schemas[ref.replace('#/components/schemas/', '')]!;
};

/** A value of the documented shape (enough for the message schemas). */
function sample(s: Json, name: string): unknown {
  if ('const' in s) return s.const;
  if (s.type === 'object') return {};
  if (s.type === 'string' && s.format === 'date-time') return '2024-03-01T12:00:00-03:00';
  if (s.type === 'string') return `${name}-1`;
  throw new Error(`no sample for ${name}: ${JSON.stringify(s)}`);
}

const methods = ['get', 'put', 'post', 'delete', 'patch'] as const;
const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
  methods.flatMap((m) => {
    const op = (item as Record<string, Json | undefined>)[m];
    return op ? [{ path, method: m, op }] : [];
  }),
);

describe('OpenAPI document', () => {
  it('is OpenAPI 3.1 with info and a bearer security scheme', () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info.title).toBeTruthy();
    expect(doc.info.version).toBeTruthy();
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.security).toEqual([{ bearerAuth: [] }]);
    expect(doc).not.toHaveProperty('servers');
    expect(buildOpenApiDocument('https://cdp.example.com').servers).toEqual([{ url: 'https://cdp.example.com' }]);
  });

  it('has the schemas the API uses, with no JSON-Schema document keywords left in them', () => {
    for (const name of ['EventBatch', 'EventBatchResult', 'TrackMessage', 'IdentifyMessage', 'ProfileBatch', 'ProfileRecord', 'ProfileBatchResult', 'CustomerPage', 'CustomerSummary', 'CustomerProfile', 'Error'])
      expect(schemas, name).toHaveProperty(name);
    for (const [name, s] of Object.entries(schemas)) {
      expect(s, name).not.toHaveProperty('$schema');
      expect(s, name).not.toHaveProperty('$id');
    }
  });

  it('resolves every $ref to an existing components.schemas entry', () => {
    const refs = collectRefs(doc);
    expect(refs.length).toBeGreaterThan(10);
    const broken = refs.filter(({ ref }) => {
      const m = /^#\/components\/schemas\/([^/]+)$/.exec(ref);
      return !m || !(m[1]! in schemas);
    });
    expect(broken).toEqual([]);
  });

  it('gives every operation a unique operationId, tags, a 2xx response with a body schema and, for POST, a required requestBody', () => {
    expect(operations.map((o) => `${o.method} ${o.path}`).sort()).toEqual([
      'delete /api/v1/connections/{id}',
      'delete /api/v1/experiment-metrics/{id}',
      'delete /api/v1/experiments/{id}',
      'delete /api/v1/journeys/{id}',
      'delete /api/v1/segments/{id}',
      'delete /api/v1/suppressions',
      'delete /api/v1/templates/{id}',
      'get /api/v1/connections',
      'get /api/v1/connections/{id}',
      'get /api/v1/connections/{id}/runs',
      'get /api/v1/customers',
      'get /api/v1/customers/lookup',
      'get /api/v1/customers/{id}',
      'get /api/v1/customers/{id}/consents',
      'get /api/v1/customers/{id}/identity-history',
      'get /api/v1/customers/{id}/messages',
      'get /api/v1/experiment-metrics',
      'get /api/v1/experiment-metrics/{id}',
      'get /api/v1/experiments',
      'get /api/v1/experiments/sample-size',
      'get /api/v1/experiments/{id}',
      'get /api/v1/experiments/{id}/results',
      'get /api/v1/identity/reviews',
      'get /api/v1/identity/settings',
      'get /api/v1/imports',
      'get /api/v1/imports/{id}',
      'get /api/v1/journeys',
      'get /api/v1/journeys/templates',
      'get /api/v1/journeys/{id}',
      'get /api/v1/journeys/{id}/analytics',
      'get /api/v1/journeys/{id}/versions',
      'get /api/v1/scoring/runs',
      'get /api/v1/scoring/runs/{id}',
      'get /api/v1/segments',
      'get /api/v1/segments/{id}',
      'get /api/v1/segments/{id}/changes',
      'get /api/v1/segments/{id}/members',
      'get /api/v1/settings/email',
      'get /api/v1/settings/frequency-caps',
      'get /api/v1/suppressions',
      'get /api/v1/templates',
      'get /api/v1/templates/{id}',
      'patch /api/v1/connections/{id}',
      'patch /api/v1/experiment-metrics/{id}',
      'patch /api/v1/experiments/{id}',
      'patch /api/v1/journeys/{id}',
      'patch /api/v1/segments/{id}',
      'patch /api/v1/templates/{id}',
      'post /api/v1/connections',
      'post /api/v1/connections/{id}/sync',
      'post /api/v1/connections/{id}/test',
      'post /api/v1/customers/{id}/merge',
      'post /api/v1/customers/{id}/unmerge',
      'post /api/v1/events',
      'post /api/v1/experiment-metrics',
      'post /api/v1/experiments',
      'post /api/v1/experiments/{id}/assign',
      'post /api/v1/experiments/{id}/evaluate',
      'post /api/v1/experiments/{id}/start',
      'post /api/v1/experiments/{id}/stop',
      'post /api/v1/experiments/{id}/winner',
      'post /api/v1/identity/resolve',
      'post /api/v1/identity/reviews/{id}',
      'post /api/v1/imports',
      'post /api/v1/journeys',
      'post /api/v1/journeys/{id}/archive',
      'post /api/v1/journeys/{id}/duplicate',
      'post /api/v1/journeys/{id}/entries',
      'post /api/v1/journeys/{id}/pause',
      'post /api/v1/journeys/{id}/publish',
      'post /api/v1/journeys/{id}/resume',
      'post /api/v1/journeys/{id}/validate',
      'post /api/v1/profiles',
      'post /api/v1/scoring/run',
      'post /api/v1/segments',
      'post /api/v1/segments/preview',
      'post /api/v1/suppressions',
      'post /api/v1/templates',
      'post /api/v1/templates/{id}/preview',
      'post /api/v1/templates/{id}/test-send',
      'put /api/v1/customers/{id}/consents',
      'put /api/v1/identity/settings',
      'put /api/v1/settings/email',
      'put /api/v1/settings/frequency-caps',
    ]);
    const ids = operations.map((o) => o.op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { path, method, op } of operations) {
      const where = `${method} ${path}`;
      expect(op.operationId, where).toMatch(/^[a-zA-Z]+$/);
      expect(op.tags, where).toEqual([expect.any(String)]);
      const responses = op.responses as Record<string, Json>;
      const ok = Object.keys(responses).filter((code) => /^2\d\d$/.test(code));
      expect(ok.length, where).toBeGreaterThan(0);
      for (const [code, r] of Object.entries(responses)) {
        expect(r.description, `${where} ${code}`).toBeTruthy();
        expect(r, `${where} ${code}`).toHaveProperty(['content', 'application/json', 'schema', '$ref']);
      }
      // Every POST takes a body, except those that only say "go" (re-resolve, check credentials, sync now); uploads take a file.
      if (op.operationId === 'createImport') {
        expect(op.requestBody, where).toMatchObject({ required: true, content: { 'text/csv': expect.anything(), 'application/x-ndjson': expect.anything() } });
      } else if (['runScoring', 'publishJourney', 'duplicateJourney', 'stopExperiment'].includes(op.operationId as string)) {
        // "Run now" with an optional back-testing date.
        expect(op.requestBody, where).toMatchObject({ required: false, content: { 'application/json': { schema: { $ref: expect.any(String) } } } });
      } else if (method === 'post' && !['resolveIdentities', 'testConnection', 'syncConnection', 'validateJourney', 'pauseJourney', 'resumeJourney', 'archiveJourney', 'startExperiment', 'evaluateExperiment'].includes(op.operationId as string)) {
        expect(op.requestBody, where).toMatchObject({ required: true, content: { 'application/json': { schema: { $ref: expect.any(String) } } } });
      }
      // every {param} in the path is declared as a required path parameter
      for (const [, name] of path.matchAll(/\{(\w+)\}/g))
        expect(op.parameters, where).toContainEqual(expect.objectContaining({ name, in: 'path', required: true }));
    }
  });

  it('documents the customer list query parameters', () => {
    const list = operations.find((o) => o.op.operationId === 'listCustomers')!.op;
    expect((list.parameters as Json[]).map((p) => [p.name, p.in])).toEqual([
      ['q', 'query'],
      ['limit', 'query'],
      ['cursor', 'query'],
    ]);
    expect((list.parameters as Json[]).find((p) => p.name === 'limit')!.schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 200, default: 50 });
  });

  it('documents the batch limits the validators enforce', () => {
    const batch = (schemas.EventBatch!.properties as Record<string, Json>).batch!;
    expect(batch).toMatchObject({ type: 'array', minItems: 1, maxItems: MAX_EVENTS_PER_BATCH });
    expect(schemas.EventBatch!.required).toEqual(['batch']);
    const records = (schemas.ProfileBatch!.properties as Record<string, Json>).records!;
    expect(records).toMatchObject({ type: 'array', minItems: 1, maxItems: MAX_PROFILES_PER_BATCH, items: { $ref: '#/components/schemas/ProfileRecord' } });
    expect(schemas.ProfileBatch!.required).toEqual(['source', 'records']);
    // the ingest request bodies point at the schemas the handlers validate with
    const body = (id: string) => (operations.find((o) => o.op.operationId === id)!.op.requestBody as Json).content as Record<string, { schema: Json }>;
    expect(body('ingestEvents')['application/json']!.schema.$ref).toBe('#/components/schemas/EventBatch');
    expect(body('upsertProfiles')['application/json']!.schema.$ref).toBe('#/components/schemas/ProfileBatch');
  });

  describe('EventBatch schema agrees with the eventBatch validator', () => {
    const items = ((schemas.EventBatch!.properties as Record<string, Json>).batch!.items as Json).oneOf as Json[];
    const messages = items.map(deref);

    it('lists a track and an identify message', () => {
      expect(items).toEqual([{ $ref: '#/components/schemas/TrackMessage' }, { $ref: '#/components/schemas/IdentifyMessage' }]);
      expect(messages.map((m) => (m.properties as Record<string, Json>).type!.const)).toEqual(['track', 'identify']);
    });

    for (const [i, name] of ['TrackMessage', 'IdentifyMessage'].entries()) {
      it(`${name}: a message with every documented property is accepted, and each documented required field is really required`, () => {
        const s = messages[i]!;
        const props = s.properties as Record<string, Json>;
        const required = s.required as string[];
        const full = Object.fromEntries(Object.entries(props).map(([k, p]) => [k, sample(p, k)]));
        expect(eventBatch.safeParse({ batch: [full] }).success).toBe(true);
        expect(required).toEqual(expect.arrayContaining(['type', 'messageId']));
        for (const field of required) {
          const { [field]: _dropped, ...rest } = full;
          expect(eventBatch.safeParse({ batch: [rest] }).success, `without ${field}`).toBe(false);
        }
      });

      it(`${name}: a message with only the documented required fields (plus one identity) is accepted`, () => {
        const s = messages[i]!;
        const props = s.properties as Record<string, Json>;
        const required = s.required as string[];
        const minimal = Object.fromEntries(required.map((k) => [k, sample(props[k]!, k)]));
        // The schema must say that userId or anonymousId is needed, since the validator insists on one.
        expect(s.anyOf).toEqual([{ required: ['userId'] }, { required: ['anonymousId'] }]);
        expect(eventBatch.safeParse({ batch: [minimal] }).success).toBe(false);
        for (const alt of s.anyOf as { required: string[] }[]) {
          const m = { ...minimal, ...Object.fromEntries(alt.required.map((k) => [k, sample(props[k]!, k)])) };
          expect(eventBatch.safeParse({ batch: [m] }).success, JSON.stringify(m)).toBe(true);
        }
      });

      it(`${name}: the documented timestamp pattern accepts what the validator accepts`, () => {
        const props = messages[i]!.properties as Record<string, Json>;
        const base = { type: i === 0 ? 'track' : 'identify', event: 'x', messageId: 'm', userId: 'u' };
        for (const field of ['timestamp', 'originalTimestamp', 'sentAt']) {
          expect(props[field], field).toMatchObject({ type: 'string', format: 'date-time' });
          const pattern = new RegExp(props[field]!.pattern as string);
          for (const value of ['2024-03-01T12:00:00Z', '2024-03-01T12:00:00.5-03:00', '2024-03-01T12:00:00+05:30', 'yesterday', '2024-03-01', '2024-02-30T00:00:00Z'])
            expect(pattern.test(value), `${field}=${value}`).toBe(eventBatch.safeParse({ batch: [{ ...base, [field]: value }] }).success);
        }
      });
    }
  });

  it('ProfileBatch schema agrees with the profileBatch validator on required fields and strictness', () => {
    const record = schemas.ProfileRecord!;
    expect(record.required).toEqual(['externalId']);
    expect(record.additionalProperties).toBe(false);
    expect(profileBatch.safeParse({ source: 'erp', records: [{ externalId: 'x' }] }).success).toBe(true);
    expect(profileBatch.safeParse({ source: 'erp', records: [{}] }).success).toBe(false);
    expect(profileBatch.safeParse({ source: 'erp', records: [{ externalId: 'x', extra: 1 }] }).success).toBe(false);
  });
});
