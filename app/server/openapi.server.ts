export { buildOpenApiDocument, type OpenApiDocument } from '#core/api/openapi.ts';
