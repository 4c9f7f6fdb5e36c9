export const schemaAnchor = (name: string) => `schema-${name}`;
