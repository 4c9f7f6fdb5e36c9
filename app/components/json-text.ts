/** Pretty JSON for display; undefined for nothing worth showing (null, {}, []). */
export function jsonText(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'object' && Object.keys(value).length === 0) return undefined;
  return JSON.stringify(value, null, 2);
}
