// One file row → one validated record (or the reason it is not one). Shared by the dry run (web and browser)
// and the import workflow's batches, so what the dry run accepts is exactly what the import writes.
import type { z } from 'zod';
import { orderItemRecord, orderRecord, productRecord, type OrderItemRecord, type OrderRecord, type ProductRecord } from '../ingest/orders.ts';
import { profileRecord, type ProfileRecord } from '../ingest/profiles.ts';
import type { ColumnMapping } from './mapping.ts';
import { ATTRIBUTE_PREFIX, targetField, type ImportEntity, type TargetField } from './targets.ts';
import { parseCurrency, parseDate, parseDateTime, parseDecimal, parseMoney, textValue, type DecimalStyle, type Parsed } from './values.ts';

export interface RowOptions {
  /** Currency of amounts when the file has no currency column (ISO 4217). */
  currency: string;
  decimal: DecimalStyle;
  /** IANA zone for dates written without an offset (the tenant's). */
  timeZone: string;
}

export const DEFAULT_ORDER_STATUS = 'completed';

export interface OrderItemRow {
  orderExternalId: string;
  item: OrderItemRecord;
}

export interface ImportRecordOf {
  customers: ProfileRecord;
  orders: OrderRecord;
  order_items: OrderItemRow;
  products: ProductRecord;
}

export type RowResult<E extends ImportEntity = ImportEntity> = { ok: true; record: ImportRecordOf[E] } | { ok: false; reason: string };

/** Reads a column's value from one row. */
export type RowValues = (column: string) => unknown;

interface CompiledTarget {
  field: TargetField;
  column: string;
}

/** A mapping prepared for many rows. */
export interface RowMapper<E extends ImportEntity> {
  entity: E;
  map(values: RowValues): RowResult<E>;
}

const set = (obj: Record<string, unknown>, path: string, value: unknown) => {
  const dot = path.indexOf('.');
  if (dot < 0) obj[path] = value;
  else {
    const head = path.slice(0, dot);
    const inner = (obj[head] ??= {}) as Record<string, unknown>;
    inner[path.slice(dot + 1)] = value;
  }
};

function parseValue(field: TargetField, raw: unknown, opts: RowOptions): Parsed<unknown> | undefined {
  if (raw === null || raw === undefined || (typeof raw === 'string' && raw.trim() === '')) return undefined;
  switch (field.kind) {
    case 'text': {
      const v = textValue(raw);
      if (v === undefined) return undefined;
      // PostgreSQL text cannot hold NUL: say so here rather than fail the row at write time.
      return v.includes('\u0000') ? { ok: false, reason: 'contains a NUL character' } : { ok: true, value: v };
    }
    case 'money':
      return parseMoney(raw, opts.decimal);
    case 'decimal':
      return parseDecimal(raw, opts.decimal);
    case 'date':
      return parseDate(raw);
    case 'datetime':
      return parseDateTime(raw, opts.timeZone);
    case 'currency':
      return parseCurrency(raw);
  }
}

/** Record paths (after the entity's shaping) back to the target field names users mapped. */
const RECORD_PATH_TO_TARGET: Record<string, string> = {
  totalMinor: 'total',
  subtotalMinor: 'subtotal',
  discountMinor: 'discount',
  shippingMinor: 'shipping',
  taxMinor: 'tax',
  priceMinor: 'price',
  unitPriceMinor: 'unitPrice',
};

function describeIssues(error: z.ZodError, columnOf: (target: string) => string | undefined, prefix = ''): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => {
      const path = issue.path.map(String).filter((p) => p !== 'item');
      const joined = path.join('.');
      const target = RECORD_PATH_TO_TARGET[joined] ?? (joined || prefix);
      const column = columnOf(target);
      const label = target ? `${target}${column ? ` (column "${column}")` : ''}: ` : '';
      const message = issue.code === 'invalid_type' && issue.input === undefined ? 'required, but empty' : issue.message;
      return `${label}${message}`;
    })
    .join('; ');
}

function shape(entity: ImportEntity, v: Record<string, unknown>, opts: RowOptions): Record<string, unknown> {
  switch (entity) {
    case 'customers':
      return v;
    case 'orders': {
      const { total, subtotal, discount, shipping, tax, ...rest } = v;
      return {
        ...rest,
        status: rest.status ?? DEFAULT_ORDER_STATUS,
        currency: rest.currency ?? opts.currency,
        totalMinor: total,
        ...(subtotal !== undefined ? { subtotalMinor: subtotal } : {}),
        ...(discount !== undefined ? { discountMinor: discount } : {}),
        ...(shipping !== undefined ? { shippingMinor: shipping } : {}),
        ...(tax !== undefined ? { taxMinor: tax } : {}),
      };
    }
    case 'order_items': {
      const { orderExternalId, unitPrice, total, quantity = 1, ...rest } = v as { orderExternalId?: string; unitPrice?: number; total?: number; quantity?: number };
      const q = quantity as number;
      // One of unit price and line total is enough: the other follows from the quantity.
      const unitPriceMinor = unitPrice ?? (total !== undefined && q > 0 ? Math.round(total / q) : undefined);
      const totalMinor = total ?? (unitPrice !== undefined ? Math.round(unitPrice * q) : undefined);
      return { orderExternalId, item: { ...rest, quantity: q, unitPriceMinor, totalMinor } };
    }
    case 'products': {
      const { price, ...rest } = v;
      return {
        ...rest,
        externalId: rest.externalId ?? rest.sku,
        ...(price !== undefined ? { priceMinor: price, currency: rest.currency ?? opts.currency } : {}),
      };
    }
  }
}

const itemRow = orderItemRecord;
const schemaOf = { customers: profileRecord, orders: orderRecord, products: productRecord } as const;

/** Prepares a mapping (already checked with checkMapping) for many rows. */
export function rowMapper<E extends ImportEntity>(entity: E, mapping: ColumnMapping, opts: RowOptions): RowMapper<E> {
  const targets: CompiledTarget[] = Object.entries(mapping).flatMap(([key, column]) => {
    const field = targetField(entity, key);
    return field ? [{ field, column }] : [];
  });
  const columnOf = (target: string) => mapping[target];
  return {
    entity,
    map(values: RowValues): RowResult<E> {
      const v: Record<string, unknown> = {};
      const problems: string[] = [];
      for (const { field, column } of targets) {
        const parsed = parseValue(field, values(column), opts);
        if (!parsed) continue;
        if (!parsed.ok) problems.push(`${field.key} (column "${column}"): ${parsed.reason}`);
        else if (field.key.startsWith(ATTRIBUTE_PREFIX)) ((v.attributes ??= {}) as Record<string, unknown>)[field.key.slice(ATTRIBUTE_PREFIX.length)] = parsed.value;
        else set(v, field.key, parsed.value);
      }
      if (problems.length) return { ok: false, reason: problems.slice(0, 3).join('; ') };
      const shaped = shape(entity, v, opts);
      if (entity === 'order_items') {
        const orderId = shaped.orderExternalId;
        if (typeof orderId !== 'string' || !orderId) return { ok: false, reason: `orderExternalId${mapping.orderExternalId ? ` (column "${mapping.orderExternalId}")` : ''}: required, but empty` };
        if (orderId.length > 255) return { ok: false, reason: 'orderExternalId: longer than 255 characters' };
        const r = itemRow.safeParse(shaped.item);
        if (!r.success) return { ok: false, reason: describeIssues(r.error, columnOf) };
        return { ok: true, record: { orderExternalId: orderId, item: r.data } as ImportRecordOf[E] };
      }
      const r = schemaOf[entity as Exclude<ImportEntity, 'order_items'>].safeParse(shaped);
      if (!r.success) return { ok: false, reason: describeIssues(r.error, columnOf) };
      return { ok: true, record: r.data as ImportRecordOf[E] };
    },
  };
}

/** Values of a CSV row by header name. Rows whose field count differs from the header's are rejected before. */
export function csvValues(columns: readonly string[]): (fields: readonly string[]) => RowValues {
  const index = new Map<string, number>();
  columns.forEach((c, i) => {
    if (!index.has(c)) index.set(c, i);
  });
  return (fields) => (column) => {
    const i = index.get(column);
    return i === undefined ? undefined : fields[i];
  };
}

/** Values of a JSON object by key; "a.b" reaches into nested objects when there is no key "a.b". */
export function jsonValues(obj: Record<string, unknown>): RowValues {
  return (column) => {
    if (column in obj) return obj[column];
    if (!column.includes('.')) return undefined;
    let cur: unknown = obj;
    for (const part of column.split('.')) {
      if (!cur || typeof cur !== 'object') return undefined;
      cur = (cur as Record<string, unknown>)[part];
    }
    return cur;
  };
}

/** A JSON-lines line → its object, or the reason it is not one. */
export function parseJsonObject(text: string): Parsed<Record<string, unknown>> {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    return { ok: false, reason: `not valid JSON: ${(err as Error).message}` };
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) return { ok: false, reason: 'not a JSON object' };
  return { ok: true, value: v as Record<string, unknown> };
}

/** The top-level keys of a JSON object, as the "columns" a mapping can name (nested keys as a.b). */
export function jsonColumns(obj: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(obj)) {
    out.push(k);
    if (v && typeof v === 'object' && !Array.isArray(v)) for (const inner of Object.keys(v)) out.push(`${k}.${inner}`);
  }
  return out;
}

/** A CSV record whose field count does not match the header's. */
export const fieldCountReason = (got: number, want: number) => `has ${got} field${got === 1 ? '' : 's'}; the header has ${want}`;

/** A row with nothing in it (";;;;" lines spreadsheets leave at the end) is skipped, not reported. */
export const isBlankRow = (fields: readonly string[]) => fields.every((f) => f.trim() === '');

export interface RowPlan {
  entity: ImportEntity;
  format: 'csv' | 'jsonl';
  mapping: ColumnMapping;
  options: RowOptions;
  /** CSV header names (JSON-lines: unused). */
  columns: readonly string[];
}

/** Turns rows of one file into records: CSV fields, JSON-lines text, or either as staged for the workflow. */
export function rowReader<E extends ImportEntity>(plan: RowPlan & { entity: E }) {
  const mapper = rowMapper(plan.entity, plan.mapping, plan.options);
  const byColumn = csvValues(plan.columns);
  const width = plan.columns.length;
  const fromFields = (fields: readonly string[]): RowResult<E> =>
    fields.length !== width ? { ok: false, reason: fieldCountReason(fields.length, width) } : mapper.map(byColumn(fields));
  const fromJsonText = (text: string): RowResult<E> => {
    const obj = parseJsonObject(text);
    return obj.ok ? mapper.map(jsonValues(obj.value)) : obj;
  };
  return {
    fromFields,
    fromJsonText,
    /** Staged content: CSV rows are stored as a JSON array of their fields, JSON-lines as the line itself. */
    fromStaged(content: string): RowResult<E> {
      if (plan.format === 'jsonl') return fromJsonText(content);
      const fields = JSON.parse(content) as string[];
      return fromFields(fields);
    },
  };
}
