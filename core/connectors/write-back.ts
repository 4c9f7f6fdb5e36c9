// Write-back of CDP scores and segments to a provider's customer record: which fields change, in what form.
// Only changed fields are written (VTEX: Master Data is not a cache; a write that changes nothing is wasted).

/** CDP customer fields that can be written back, to the provider field each is configured to go to. */
export type WriteBackFields = Partial<Record<'rfmSegment' | 'lifecycleState' | 'clv' | 'churnRisk' | 'segments', string>>;

/** A CDP value as the provider field holds it: lists as sorted comma-separated text, numbers as numbers. */
export function writeBackValue(v: unknown): string | number | boolean | undefined {
  if (v === undefined || v === null) return undefined;
  if (Array.isArray(v))
    return v
      .map((x) => String(x).trim())
      .filter(Boolean)
      .sort()
      .join(',');
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

function same(current: unknown, desired: string | number | boolean): boolean {
  if (typeof desired === 'number') return current !== null && current !== '' && Number(current) === desired;
  if (typeof desired === 'boolean') return current === desired || String(current) === String(desired);
  return (current ?? '') === desired || (Array.isArray(current) && writeBackValue(current) === desired);
}

/**
 * The fields to write for one customer: each configured field whose CDP value exists and differs from what the
 * provider holds. A value the CDP does not have is left alone (never cleared). Undefined: nothing to write.
 */
export function writeBackPatch(fields: WriteBackFields, values: Record<string, unknown>, current: Record<string, unknown> | undefined): Record<string, string | number | boolean> | undefined {
  const patch: Record<string, string | number | boolean> = {};
  for (const [cdpField, providerField] of Object.entries(fields)) {
    if (!providerField) continue;
    const desired = writeBackValue(values[cdpField]);
    if (desired === undefined) continue;
    if (current && same(current[providerField], desired)) continue;
    patch[providerField] = desired;
  }
  return Object.keys(patch).length ? patch : undefined;
}
