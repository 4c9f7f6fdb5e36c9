// Loaders for the scoring golden data in tests/fixtures/scoring/ (CDNOW from lifetimes, Online Retail mod-10).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Transaction } from '#core/scoring/summaries.ts';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/scoring/${name}`, import.meta.url));

/** CDNOW 1/10 sample: one row per purchase record (several records can share a customer and day). */
export function cdnowTransactions(): Transaction[] {
  return readFileSync(fixture('CDNOW_sample.txt'), 'utf8')
    .split(/\r?\n/)
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f.length === 5)
    .map(([, id, d, , dollars]) => ({
      customerId: String(Number(id)),
      date: `${d!.slice(0, 4)}-${d!.slice(4, 6)}-${d!.slice(6, 8)}`,
      amount: Number(dollars),
    }));
}

/** lifetimes' cdnow_customers_summary_with_transactions.csv: x, t_x, T in weeks, zbar in USD. */
export function cdnowSummaries() {
  const rows = readFileSync(fixture('cdnow_customers_summary_with_transactions.csv'), 'utf8')
    .split(/\r?\n/)
    .slice(1)
    .filter((l) => l.length > 0)
    .map((l) => l.split(',').map(Number) as [number, number, number, number, number]);
  return {
    id: rows.map((r) => String(r[0])),
    x: Float64Array.from(rows, (r) => r[1]),
    tx: Float64Array.from(rows, (r) => r[2]),
    T: Float64Array.from(rows, (r) => r[3]),
    mbar: Float64Array.from(rows, (r) => r[4]),
  };
}

export const cdnowTransactionsCsv = fixture('cdnow_transactions.csv');

/** Minimal RFC 4180 line split: the Online Retail descriptions quote commas and double their quotes. */
function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      out.push(field);
      field = '';
    }
    else field += c;
  }
  out.push(field);
  return out;
}

export interface RetailRow {
  invoice: string;
  stockCode: string;
  quantity: number;
  date: string; // YYYY-MM-DD HH:MM
  unitPrice: number;
  customerId: string;
}

/** online_retail_customers_mod10.csv (UCI Online Retail, customers with id % 10 = 0). */
export function onlineRetail(): RetailRow[] {
  const [, ...lines] = readFileSync(fixture('online_retail_customers_mod10.csv'), 'utf8').split(/\r?\n/).filter((l) => l.length > 0);
  return lines.map((l) => {
    const [invoice, stockCode, , quantity, date, unitPrice, customerId] = splitCsvLine(l);
    return { invoice: invoice!, stockCode: stockCode!, quantity: Number(quantity), date: date!, unitPrice: Number(unitPrice), customerId: customerId! };
  });
}

/** Non-product stock codes of the Online Retail data (postage, fees, manual adjustments). */
export const RETAIL_NON_PRODUCT_CODES = new Set(['POST', 'DOT', 'M', 'C2', 'D', 'S', 'B', 'BANK CHARGES', 'AMAZONFEE', 'CRUK', 'PADS']);
