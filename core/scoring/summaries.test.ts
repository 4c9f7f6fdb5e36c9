import { describe, expect, it } from 'vitest';
import { cdnowSummaries, cdnowTransactions } from '#tests/support/scoring.ts';
import { dayNumber, summarize, toColumns, type Transaction } from './summaries.ts';

const tx = (rows: [string | number, string, number?][]): Transaction[] => rows.map(([id, date, amount]) => ({ customerId: String(id), date, amount: amount ?? 0 }));
const asRows = (m: ReturnType<typeof summarize>) => Object.fromEntries([...m].map(([id, v]) => [id, [v.x, v.tx, v.T, v.mbar]]));

// lifetimes tests/test_utils.py fixtures (analytics.md §1.1).
const small = tx([
  [1, '2015-02-01'],
  [1, '2015-02-06'],
  [2, '2015-01-01'],
  [3, '2015-01-01'],
  [3, '2015-01-02'],
  [3, '2015-01-05'],
]);
const large = tx([
  [1, '2015-01-01', 1],
  [1, '2015-02-06', 2],
  [2, '2015-01-01', 2],
  [3, '2015-01-01', 3],
  [3, '2015-01-02', 1],
  [3, '2015-01-05', 5],
  [4, '2015-01-16', 6],
  [4, '2015-02-02', 3],
  [4, '2015-02-05', 3],
  [5, '2015-01-16', 3],
  [5, '2015-01-17', 1],
  [5, '2015-01-18', 8],
  [6, '2015-02-02', 5],
]);

describe('summarize: lifetimes summary_data_from_transaction_data', () => {
  it('daily (frequency, recency, T) of test_summary_data_from_transaction_data_returns_correct_results', () => {
    const s = summarize(small, { observationEnd: '2015-02-07', unitDays: 1 });
    expect(asRows(s)).toEqual({ 1: [1, 5, 6, 0], 2: [0, 0, 37, 0], 3: [2, 4, 37, 0] });
  });

  it('weekly calendar periods (freq="W") of test_summary_date_from_transaction_data_with_specific_non_daily_frequency', () => {
    const s = summarize(large, { observationEnd: '2015-02-07', unitDays: 7, bucket: 'iso-week' });
    expect(Object.fromEntries([...s].map(([id, v]) => [id, [v.x, v.tx, v.T]]))).toEqual({
      1: [1, 5, 5],
      2: [0, 0, 5],
      3: [1, 1, 5],
      4: [1, 3, 3],
      5: [0, 0, 3],
      6: [0, 0, 0],
    });
    // Two purchases in one week are one transaction whose amount is their sum.
    expect(summarize(tx([[1, '2015-01-05', 2], [1, '2015-01-11', 3], [1, '2015-01-12', 7]]), { observationEnd: '2015-01-12', unitDays: 7, bucket: 'iso-week' }).get('1')).toEqual({ x: 1, tx: 1, T: 1, mbar: 7 });
  });

  it('monetary value = mean of the repeat transactions (test_summary_date_from_transaction_with_monetary_values)', () => {
    const s = summarize(large, { observationEnd: '2015-02-07', unitDays: 1 });
    expect(asRows(s)).toEqual({
      1: [1, 36, 37, 2],
      2: [0, 0, 37, 0],
      3: [2, 4, 37, 3],
      4: [2, 20, 22, 3],
      5: [2, 2, 22, 4.5],
      6: [0, 0, 5, 0],
    });
    // Unordered input gives the same result.
    expect(asRows(summarize([...large].reverse(), { observationEnd: '2015-02-07', unitDays: 1 }))).toEqual(asRows(s));
  });

  it('drops the chronologically first purchase from the monetary mean, whatever the input order (lifetimes issue 85)', () => {
    const ordered = tx([[2, '2014-03-14', 10], [2, '2014-04-09', 20], [2, '2014-05-21', 25]]);
    const unordered = tx([[2, '2014-04-09', 20], [2, '2014-03-14', 10], [2, '2014-05-21', 25]]);
    expect(summarize(ordered, { observationEnd: '2014-05-21', unitDays: 1 }).get('2')!.mbar).toBe(22.5);
    expect(summarize(unordered, { observationEnd: '2014-05-21', unitDays: 1 })).toEqual(summarize(ordered, { observationEnd: '2014-05-21', unitDays: 1 }));
  });

  it('merges several purchases on one day and ignores purchases after the observation end', () => {
    const s = summarize(tx([[1, '2015-01-01', 5], [1, '2015-01-01', 7], [1, '2015-01-03', 4], [1, '2015-01-03', 6], [1, '2015-03-01', 99], [2, '2015-03-01', 1]]), { observationEnd: '2015-01-10', unitDays: 1 });
    expect(asRows(s)).toEqual({ 1: [1, 2, 9, 10] });
  });

  it('rejects dates that are not calendar dates', () => {
    expect(() => dayNumber('2015-02-30')).toThrow(RangeError);
    expect(() => dayNumber('07/02/2015')).toThrow(RangeError);
    expect(dayNumber('1970-01-02')).toBe(1);
  });

  it('rebuilds cdnow_customers_summary_with_transactions.csv from CDNOW_sample.txt with 0 mismatches (weeks, end 1997-09-30)', () => {
    const s = summarize(cdnowTransactions(), { observationEnd: '1997-09-30', unitDays: 7 });
    const ref = cdnowSummaries();
    expect(s.size).toBe(2357);
    let mismatches = 0;
    ref.id.forEach((id, i) => {
      const v = s.get(id);
      const same =
        v !== undefined &&
        v.x === ref.x[i] &&
        v.tx.toFixed(2) === ref.tx[i]!.toFixed(2) &&
        v.T.toFixed(2) === ref.T[i]!.toFixed(2) &&
        Math.abs(v.mbar - ref.mbar[i]!) < 0.005 + 1e-9;
      if (!same) mismatches++;
    });
    expect(mismatches).toBe(0);
    const c = toColumns(s);
    expect(c.x.reduce((a, b) => a + b, 0)).toBe(2457);
    expect(c.x.filter((x) => x === 0).length).toBe(1411);
    // Repeat-customer spend statistics of the iso-value paper (lifetimes test_summary_statistics_are_indentical_to_hardies_paper).
    const spend = [...c.mbar].filter((_, i) => c.x[i]! > 0).sort((a, b) => a - b);
    const mean = spend.reduce((a, b) => a + b, 0) / spend.length;
    const sd = Math.sqrt(spend.reduce((a, b) => a + (b - mean) ** 2, 0) / (spend.length - 1));
    expect(spend.length).toBe(946);
    // 35.0786 is the mean of the file's 2-decimal zbar; from the unrounded transactions it is 35.0778.
    expect(mean).toBeCloseTo(35.078, 3);
    expect(Math.round(sd)).toBe(30);
    expect(Math.round(spend[0]!)).toBe(3);
    expect(Math.round((spend[472]! + spend[473]!) / 2)).toBe(27);
    expect(Math.round(spend[945]!)).toBe(300);
  });
});
