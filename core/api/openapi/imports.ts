// OpenAPI paths of the imports API (merged into core/api/openapi.ts). Build schemas with zod and .meta({ id }).
export const importPaths: Record<string, Record<string, unknown>> = {};
