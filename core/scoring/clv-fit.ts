// Fit both CLV models on raw transactions: what `cdp clv fit` prints and the nightly run stores per tenant.
import { fitBgNbd, type BgNbdParams, type FitReport } from './bgnbd.ts';
import { fitGammaGamma, type GammaGammaParams } from './gamma-gamma.ts';
import { summarize, toColumns, type Transaction } from './summaries.ts';

export const UNIT_DAYS = { day: 1, week: 7 } as const;
export type TimeUnit = keyof typeof UNIT_DAYS;

export interface ClvFit {
  bgnbd: FitReport<BgNbdParams>;
  gammaGamma: FitReport<GammaGammaParams>;
  customers: number;
}

/** Summaries up to `calibrationEnd` (later transactions are ignored), then BG/NBD on all and Gamma–Gamma on repeaters. */
export function fitClvModels(tx: readonly Transaction[], o: { calibrationEnd: string; unit: TimeUnit }): ClvFit {
  const summaries = summarize(tx, { observationEnd: o.calibrationEnd, unitDays: UNIT_DAYS[o.unit] });
  if (summaries.size === 0) throw new RangeError(`no transaction on or before ${o.calibrationEnd}`);
  const c = toColumns(summaries);
  return { bgnbd: fitBgNbd(c), gammaGamma: fitGammaGamma({ x: c.x, mbar: c.mbar }), customers: summaries.size };
}

/**
 * Parses the `customer_id,date,amount` CSV of the CLI (header required, ISO dates, amount in major units;
 * a time after the date is allowed and ignored). Errors name the line.
 */
export function parseTransactionsCsv(text: string): Transaction[] {
  const lines = text.split(/\r?\n/);
  const header = (lines[0] ?? '').replace(/^\uFEFF/, '').split(',').map((h) => h.trim().toLowerCase());
  const col = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw new RangeError(`the CSV header must have customer_id, date and amount (found: ${header.join(', ')})`);
    return i;
  };
  const [ci, di, ai] = [col('customer_id'), col('date'), col('amount')];
  const out: Transaction[] = [];
  for (let n = 1; n < lines.length; n++) {
    const line = lines[n]!;
    if (line.trim() === '') continue;
    const f = line.split(',').map((v) => v.trim().replace(/^"(.*)"$/, '$1'));
    const customerId = f[ci] ?? '';
    const date = f[di] ?? '';
    const amount = Number(f[ai]);
    if (!customerId) throw new RangeError(`line ${n + 1}: customer_id is empty`);
    if (!/^\d{4}-\d{2}-\d{2}/.test(date)) throw new RangeError(`line ${n + 1}: date ${JSON.stringify(date)} is not YYYY-MM-DD`);
    if (f[ai] === undefined || f[ai] === '' || !Number.isFinite(amount)) throw new RangeError(`line ${n + 1}: amount ${JSON.stringify(f[ai] ?? '')} is not a number`);
    out.push({ customerId, date: date.slice(0, 10), amount });
  }
  return out;
}
