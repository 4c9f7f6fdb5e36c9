// Validation of a segment rule with errors that carry a JSON path: the schema, unknown segment references and cycles
// through other segments (given their rules).
import type { FieldError } from '../errors.ts';
import type { SegmentLookup } from './compile.ts';
import { forEachCondition, type SegmentRule, segmentRule } from './rule.ts';

export type SegmentValidation = { ok: true; rule: SegmentRule } | { ok: false; errors: FieldError[] };

export interface SegmentValidationContext {
  /** The id of the segment being validated, so a reference to itself (directly or through others) is caught. */
  segmentId?: string;
  /** Rules of the tenant's other segments; a reference to an id it does not know is an error. */
  lookup?: SegmentLookup;
}

export const pathString = (path: readonly PropertyKey[]): string => path.map(String).join('.');

/** Finds a path of references from `from` back to `target` (or any cycle reached), as segment ids. */
function cycleThrough(from: string, lookup: SegmentLookup, origin: string[]): string[] | undefined {
  const seen = new Set<string>();
  const walk = (id: string, trail: string[]): string[] | undefined => {
    if (trail.includes(id)) return [...trail.slice(trail.indexOf(id)), id];
    if (seen.has(id)) return undefined;
    seen.add(id);
    const rule = lookup(id);
    if (!rule) return undefined;
    let found: string[] | undefined;
    forEachCondition(rule, (c) => {
      if (!found && c.kind === 'segment') found = walk(c.segmentId, [...trail, id]);
    });
    return found;
  };
  return walk(from, origin);
}

export function validateSegmentRule(input: unknown, ctx: SegmentValidationContext = {}): SegmentValidation {
  const parsed = segmentRule.safeParse(input);
  if (!parsed.success) return { ok: false, errors: parsed.error.issues.map((i) => ({ path: pathString(i.path), message: i.message })) };
  const rule = parsed.data;
  const errors: FieldError[] = [];
  forEachCondition(rule, (c, path) => {
    if (c.kind !== 'segment') return;
    const at = pathString([...path, 'segmentId']);
    if (ctx.segmentId !== undefined && c.segmentId === ctx.segmentId) {
      errors.push({ path: at, message: 'a segment cannot reference itself' });
      return;
    }
    if (!ctx.lookup) return;
    if (!ctx.lookup(c.segmentId)) {
      errors.push({ path: at, message: `unknown segment ${c.segmentId}` });
      return;
    }
    const cycle = cycleThrough(c.segmentId, ctx.lookup, ctx.segmentId !== undefined ? [ctx.segmentId] : []);
    if (cycle) errors.push({ path: at, message: `segment references form a cycle: ${cycle.join(' → ')}` });
  });
  return errors.length ? { ok: false, errors } : { ok: true, rule };
}
