// Turns an OpenAPI 3.1 document into what the API docs page renders: operations grouped by tag.
// Parsed with zod: if the document changes shape, the page fails with a clear message instead of rendering garbage.
import { z } from 'zod';

const mediaTypes = z.record(z.string(), z.object({ schema: z.unknown().optional() }).loose());

const parameterSchema = z.object({
  name: z.string(),
  in: z.string(),
  required: z.boolean().optional(),
  description: z.string().optional(),
  schema: z.unknown().optional(),
});

const operationSchema = z.object({
  operationId: z.string().optional(),
  summary: z.string().optional(),
  description: z.string().optional(),
  tags: z.array(z.string()).optional(),
  parameters: z.array(z.unknown()).optional(),
  requestBody: z.object({ description: z.string().optional(), required: z.boolean().optional(), content: mediaTypes.optional() }).optional(),
  responses: z.record(z.string(), z.object({ description: z.string().optional(), content: mediaTypes.optional() })).optional(),
});

const documentSchema = z.object({
  openapi: z.string(),
  info: z.object({ title: z.string(), version: z.string(), description: z.string().optional() }),
  servers: z.array(z.object({ url: z.string(), description: z.string().optional() })).optional(),
  tags: z.array(z.object({ name: z.string(), description: z.string().optional() })).optional(),
  paths: z.record(z.string(), z.record(z.string(), z.unknown())),
  components: z
    .object({
      schemas: z.record(z.string(), z.unknown()).optional(),
      securitySchemes: z.record(z.string(), z.object({ type: z.string(), scheme: z.string().optional(), description: z.string().optional() }).loose()).optional(),
    })
    .optional(),
});

const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'] as const;

export interface SchemaBlock {
  contentType: string;
  schema: unknown;
}

export interface OperationView {
  anchor: string;
  method: string;
  path: string;
  summary?: string;
  description?: string;
  parameters: { name: string; in: string; required: boolean; description?: string; schema?: unknown }[];
  requestBody?: { required: boolean; description?: string; content: SchemaBlock[] };
  responses: { status: string; description?: string; content: SchemaBlock[] }[];
}

export interface ApiDocsView {
  title: string;
  version: string;
  openapi: string;
  description?: string;
  servers: { url: string; description?: string }[];
  tags: { name: string | null; description?: string; operations: OperationView[] }[];
  schemas: { name: string; schema: unknown }[];
  securitySchemes: { name: string; type: string; scheme?: string; description?: string }[];
}

const contentBlocks = (content: z.infer<typeof mediaTypes> | undefined): SchemaBlock[] =>
  Object.entries(content ?? {}).map(([contentType, media]) => ({ contentType, schema: media.schema }));

function toOperationView(method: string, path: string, operation: z.infer<typeof operationSchema>): OperationView {
  const parameters = (operation.parameters ?? []).flatMap((raw) => {
    const parsed = parameterSchema.safeParse(raw);
    return parsed.success ? [{ ...parsed.data, required: parsed.data.required ?? false }] : [];
  });
  return {
    anchor: `op-${operation.operationId ?? `${method}-${path}`.replace(/[^a-zA-Z0-9-]+/g, '-')}`,
    method,
    path,
    summary: operation.summary,
    description: operation.description,
    parameters,
    requestBody: operation.requestBody
      ? { required: operation.requestBody.required ?? false, description: operation.requestBody.description, content: contentBlocks(operation.requestBody.content) }
      : undefined,
    responses: Object.entries(operation.responses ?? {}).map(([status, r]) => ({ status, description: r.description, content: contentBlocks(r.content) })),
  };
}

export function toApiDocsView(raw: unknown): ApiDocsView {
  const doc = documentSchema.parse(raw);
  // Tags in the order the document declares them; operations without a declared tag go last.
  const groups = new Map<string | null, OperationView[]>((doc.tags ?? []).map((tag) => [tag.name, []]));
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of HTTP_METHODS) {
      const parsed = operationSchema.safeParse(item[method]);
      if (item[method] === undefined || !parsed.success) continue;
      const view = toOperationView(method, path, parsed.data);
      for (const tag of parsed.data.tags?.length ? parsed.data.tags : [null]) {
        const list = groups.get(tag) ?? [];
        list.push(view);
        groups.set(tag, list);
      }
    }
  }
  const tagDescriptions = new Map((doc.tags ?? []).map((tag) => [tag.name, tag.description]));
  return {
    title: doc.info.title,
    version: doc.info.version,
    openapi: doc.openapi,
    description: doc.info.description,
    servers: doc.servers ?? [],
    tags: [...groups]
      .filter(([, operations]) => operations.length > 0)
      .map(([name, operations]) => ({ name, description: name === null ? undefined : tagDescriptions.get(name), operations })),
    schemas: Object.entries(doc.components?.schemas ?? {}).map(([name, schema]) => ({ name, schema })),
    securitySchemes: Object.entries(doc.components?.securitySchemes ?? {}).map(([name, s]) => ({
      name,
      type: s.type,
      scheme: s.scheme,
      description: s.description,
    })),
  };
}
