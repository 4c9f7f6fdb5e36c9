// OpenAPI paths of the connections API (merged into core/api/openapi.ts). Build schemas with zod and .meta({ id }).
export const connectionPaths: Record<string, Record<string, unknown>> = {};
