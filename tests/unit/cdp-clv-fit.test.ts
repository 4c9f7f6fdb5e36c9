// `npm run cdp -- clv fit`: the analysts' way to check the CLV models outside the app, on the CDNOW CSV.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseTransactionsCsv } from '#core/scoring/clv-fit.ts';
import { cdnowTransactionsCsv } from '#tests/support/scoring.ts';

const run = promisify(execFile);
const cdp = (args: string[]) => run(process.execPath, ['--import', 'tsx', 'scripts/cdp.ts', ...args], { cwd: process.cwd(), timeout: 60_000 });
const rel = (a: number, e: number) => Math.abs(a - e) / Math.abs(e);

describe('cdp clv fit', () => {
  // Each case starts a Node process with tsx: allow for a loaded 2-core machine.
  it('prints the published CDNOW parameters (BG/NBD and Gamma–Gamma within 0.5%) as JSON', { timeout: 90_000 }, async () => {
    const { stdout, stderr } = await cdp(['clv', 'fit', '--transactions', cdnowTransactionsCsv, '--calibration-end', '1997-09-30', '--unit', 'week']);
    expect(stderr).toBe('');
    const out = JSON.parse(stdout);
    expect(Object.keys(out)).toEqual(['bgnbd', 'gammaGamma', 'customers']);
    expect(Object.keys(out.bgnbd)).toEqual(['r', 'alpha', 'a', 'b', 'logLikelihood']);
    expect(Object.keys(out.gammaGamma)).toEqual(['p', 'q', 'v', 'logLikelihood']);
    expect(out.customers).toBe(2357);
    const published = { r: 0.2426, alpha: 4.4135, a: 0.7929, b: 2.4258, p: 6.2488, q: 3.7446, v: 15.4477 };
    for (const k of ['r', 'alpha', 'a', 'b'] as const) expect(rel(out.bgnbd[k], published[k]), k).toBeLessThan(0.005);
    for (const k of ['p', 'q', 'v'] as const) expect(rel(out.gammaGamma[k], published[k]), k).toBeLessThan(0.005);
    // The CSV has exact dates; the published summary file rounds t_x and T to 2 decimals, hence not −9582.4256 exactly.
    expect(out.bgnbd.logLikelihood).toBeCloseTo(-9582.43, 1);
    expect(out.gammaGamma.logLikelihood).toBeCloseTo(-4055.92, 1);
  });

  it('explains bad input and exits non-zero', { timeout: 90_000 }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdp-clv-'));
    try {
      const bad = path.join(dir, 'bad.csv');
      fs.writeFileSync(bad, 'customer_id,date,amount\n1,1997-01-01,10\n2,01/02/1997,5\n');
      await expect(cdp(['clv', 'fit', '--transactions', bad, '--calibration-end', '1997-09-30'])).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('line 3: date') });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('parseTransactionsCsv', () => {
  it('reads the header in any column order, a BOM, CRLF, quoted fields and date-times', () => {
    expect(parseTransactionsCsv('\uFEFFamount,customer_id,date\r\n"12.5",c1,2024-01-02 10:00\r\n\r\n3,c2,2024-01-03\r\n')).toEqual([
      { customerId: 'c1', date: '2024-01-02', amount: 12.5 },
      { customerId: 'c2', date: '2024-01-03', amount: 3 },
    ]);
  });

  it.each([
    ['id,date,amount\n1,2024-01-01,1', /header/],
    ['customer_id,date,amount\n,2024-01-01,1', /line 2: customer_id/],
    ['customer_id,date,amount\n1,2024-01-01,abc', /line 2: amount/],
    ['customer_id,date,amount\n1,2024-01-01,', /line 2: amount/],
  ])('rejects %j', (csv, message) => {
    expect(() => parseTransactionsCsv(csv)).toThrow(message);
  });
});
