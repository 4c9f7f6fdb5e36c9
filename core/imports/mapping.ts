// Column mapping: target field → file column (a CSV header name, or a key of the JSON-lines objects).
import { targetField, TARGETS, type ImportEntity } from './targets.ts';

/** Target field → column name. */
export type ColumnMapping = Record<string, string>;

/** "Teléfono Celular" → "telefono_celular", "E-mail" → "e_mail": accents, case and punctuation do not matter. */
export function normalizeHeader(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/n[°º]|nro\.?|num\.?(?=\s)/g, 'nro ')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/**
 * Suggests a mapping from the header names: each target takes the column whose normalized name is its
 * earliest synonym; a column serves one target at most (required targets choose first).
 */
export function suggestMapping(entity: ImportEntity, columns: readonly string[]): ColumnMapping {
  const byName = new Map<string, string>();
  for (const c of columns) {
    const n = normalizeHeader(c);
    if (n && !byName.has(n)) byName.set(n, c);
  }
  const used = new Set<string>();
  const mapping: ColumnMapping = {};
  const targets = [...TARGETS[entity]].sort((a, b) => Number(!!b.required || !!b.oneOf) - Number(!!a.required || !!a.oneOf));
  // Exact synonyms first, for every target, so "id_cliente" goes to customerExternalId before anything fuzzier.
  for (const t of targets) {
    for (const syn of t.synonyms) {
      const col = byName.get(syn);
      if (col !== undefined && !used.has(col)) {
        mapping[t.key] = col;
        used.add(col);
        break;
      }
    }
  }
  // Then prefixed or suffixed names ("telefono_particular", "cliente_email").
  for (const t of targets) {
    if (mapping[t.key]) continue;
    for (const syn of t.synonyms) {
      if (syn.length < 4) continue;
      const hit = [...byName].find(([n, col]) => !used.has(col) && (n.startsWith(`${syn}_`) || n.endsWith(`_${syn}`)));
      if (hit) {
        mapping[t.key] = hit[1];
        used.add(hit[1]);
        break;
      }
    }
  }
  // The file's order of targets, for a stable display.
  return Object.fromEntries(TARGETS[entity].flatMap((t) => (mapping[t.key] ? [[t.key, mapping[t.key]!]] : [])));
}

export interface MappingProblem {
  /** The target field (or "mapping" for the whole). */
  target: string;
  message: string;
}

/** Problems of a mapping against the file's columns: unknown targets, missing columns, required targets unmapped. */
export function checkMapping(entity: ImportEntity, mapping: ColumnMapping, columns: readonly string[]): MappingProblem[] {
  const problems: MappingProblem[] = [];
  const counts = new Map<string, number>();
  for (const c of columns) counts.set(c, (counts.get(c) ?? 0) + 1);
  for (const [target, column] of Object.entries(mapping)) {
    if (!targetField(entity, target)) {
      problems.push({ target, message: `"${target}" is not a field of ${entity}; fields: ${TARGETS[entity].map((t) => t.key).join(', ')}` });
      continue;
    }
    if (typeof column !== 'string' || !column) problems.push({ target, message: `map "${target}" to a column name` });
    else if (!counts.has(column)) problems.push({ target, message: `column "${column}" is not in the file (columns: ${columns.slice(0, 50).map((c) => `"${c}"`).join(', ')})` });
    else if (counts.get(column)! > 1) problems.push({ target, message: `column "${column}" appears more than once in the header` });
  }
  for (const t of TARGETS[entity]) {
    if (t.required && !mapping[t.key]) problems.push({ target: t.key, message: `"${t.key}" is required: map a column to it` });
    if (t.oneOf && t.oneOf[0] === t.key && !t.oneOf.some((k) => mapping[k]))
      problems.push({ target: t.key, message: `map a column to ${t.oneOf.map((k) => `"${k}"`).join(' or ')}` });
  }
  return problems;
}

/**
 * The mapping to use when the request gives none: the saved one (of the connection) where its columns are
 * in this file, completed with suggestions for fields it does not cover.
 */
export function effectiveMapping(entity: ImportEntity, columns: readonly string[], saved?: ColumnMapping): ColumnMapping {
  const suggested = suggestMapping(entity, columns);
  if (!saved) return suggested;
  const present = new Set(columns);
  const kept = Object.fromEntries(Object.entries(saved).filter(([t, c]) => present.has(c) && targetField(entity, t)));
  const taken = new Set(Object.values(kept));
  for (const [t, c] of Object.entries(suggested)) if (!(t in kept) && !taken.has(c)) kept[t] = c;
  return kept;
}
