// Transactions → (x, tx, T, mbar) per customer, exactly as lifetimes' summary_data_from_transaction_data (§1.1).

export interface Transaction {
  customerId: string;
  date: string /* YYYY-MM-DD */;
  amount: number;
}

const MS_PER_DAY = 86_400_000;

/** Days since 1970-01-01 of an ISO date (a time part, if any, is ignored: purchases count per calendar day). */
export function dayNumber(date: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(date);
  if (!m) throw new RangeError(`not an ISO date: ${JSON.stringify(date)}`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const check = new Date(ms);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) {
    throw new RangeError(`not a calendar date: ${JSON.stringify(date)}`);
  }
  return ms / MS_PER_DAY;
}

/** 1970-01-01 was a Thursday: day 4 of an ISO (Monday-first) week. */
const isoWeekStart = (day: number) => day - ((day + 3) % 7);

/**
 * Per customer:
 * - several purchases in one period (a day, or a calendar week with `bucket: 'iso-week'`) are one transaction
 *   whose amount is their sum;
 * - x = purchase periods − 1 (repeat purchases);
 * - tx = (last − first purchase) / unitDays, 0 when x = 0;
 * - T = (observationEnd − first purchase) / unitDays;
 * - mbar = mean amount of the repeat periods (the first is excluded, as in the Gamma–Gamma papers), 0 if x = 0.
 * Purchases after observationEnd are ignored (a calibration period); customers whose first purchase is after
 * it are absent. Units: `unitDays` 7 gives weeks as the CDNOW files (38.86 = 272 days / 7). `bucket: 'iso-week'`
 * counts whole Monday–Sunday weeks as lifetimes' freq="W" does (then x, tx and T are integers of weeks).
 */
export function summarize(
  tx: readonly Transaction[],
  o: { observationEnd: string; unitDays: number; bucket?: 'day' | 'iso-week' },
): Map<string, { x: number; tx: number; T: number; mbar: number }> {
  if (!(o.unitDays > 0)) throw new RangeError('unitDays must be positive');
  const weekly = o.bucket === 'iso-week';
  const end = dayNumber(o.observationEnd);
  const endPeriod = weekly ? isoWeekStart(end) : end;
  const unit = weekly ? 7 : o.unitDays;
  const byCustomer = new Map<string, Map<number, number>>();
  for (const t of tx) {
    if (!Number.isFinite(t.amount)) throw new RangeError(`amount of ${t.customerId} on ${t.date} is not a number`);
    const day = dayNumber(t.date);
    if (day > end) continue;
    const period = weekly ? isoWeekStart(day) : day;
    let periods = byCustomer.get(t.customerId);
    if (!periods) byCustomer.set(t.customerId, (periods = new Map()));
    periods.set(period, (periods.get(period) ?? 0) + t.amount);
  }
  const out = new Map<string, { x: number; tx: number; T: number; mbar: number }>();
  for (const [id, periods] of byCustomer) {
    const days = [...periods.keys()].sort((a, b) => a - b);
    const first = days[0]!;
    const last = days[days.length - 1]!;
    const x = days.length - 1;
    let repeat = 0;
    for (let i = 1; i < days.length; i++) repeat += periods.get(days[i]!)!;
    out.set(id, { x, tx: (last - first) / unit, T: (endPeriod - first) / unit, mbar: x > 0 ? repeat / x : 0 });
  }
  return out;
}

/** Column form of summaries for the fitters, in the map's order. */
export function toColumns(s: ReadonlyMap<string, { x: number; tx: number; T: number; mbar: number }>) {
  const n = s.size;
  const ids: string[] = [];
  const x = new Float64Array(n);
  const txs = new Float64Array(n);
  const T = new Float64Array(n);
  const mbar = new Float64Array(n);
  let i = 0;
  for (const [id, v] of s) {
    ids.push(id);
    x[i] = v.x;
    txs[i] = v.tx;
    T[i] = v.T;
    mbar[i] = v.mbar;
    i++;
  }
  return { ids, x, tx: txs, T, mbar };
}
