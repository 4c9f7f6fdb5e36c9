// An analyst runs an experiment in the browser: defines a metric, sets up an A/B experiment (with the sample-size
// calculator), starts it, reads the results table, SRM banner and lift chart, and declares the winner by hand.
// The experiment workflow is another part of the app: the evaluations read here are rows this test inserts, shaped
// like the ones the workflow stores (ExperimentResults).
import fs from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ExperimentResults } from '#core/experiments/results.ts';
import { experimentWorkflowId } from '#workflows/experiments/experiment.contract.ts';
import { apiTenant, appDatabase, closeAppDatabase } from '../support/api.ts';
import { launchBrowser, signedInPage, screenshotDir } from '../support/browser.ts';

let browser: Browser;
let page: Page;
let t: Awaited<ReturnType<typeof apiTenant>>;
let experimentId: string | undefined;
const web = () => inject('webUrl');
const shot = (name: string) => page.screenshot({ path: `${screenshotDir}/e2e-${name}.png`, fullPage: true });
const q = (sql: string, params: unknown[] = []) => appDatabase().$client.query(sql, params).then((r) => r.rows);

beforeAll(async () => {
  fs.mkdirSync(screenshotDir, { recursive: true });
  t = await apiTenant('e2e-exp');
  browser = await launchBrowser();
  page = await signedInPage(browser, web(), { workspace: t.tenant.slug, email: t.user.email, password: t.user.password }, { width: 1400, height: 1000 });
});

afterAll(async () => {
  await browser?.close();
  if (experimentId) {
    const connection = await Connection.connect({ address: inject('temporalAddress') });
    await new Client({ connection }).workflow.getHandle(experimentWorkflowId(t.tenant.id, experimentId)).terminate('test over').catch(() => undefined);
    await connection.close();
  }
  await closeAppDatabase();
});

function evaluation(asOf: string, metricId: string, lift: number): ExperimentResults {
  const iv = (e: number) => ({ estimate: e, lower: e - 0.08, upper: e + 0.08 });
  return {
    asOf,
    exposures: [
      { variant: 'control', units: 500, expectedShare: 0.5 },
      { variant: 'b', units: 510, expectedShare: 0.5 },
    ],
    holdoutUnits: 0,
    srm: { pValue: 0.75, mismatch: false },
    metrics: [
      {
        metricId,
        key: 'purchase',
        name: 'Purchase',
        type: 'conversion',
        role: 'primary',
        higherIsBetter: true,
        variants: [
          { variant: 'control', units: 500, numerator: 50, denominator: 500, value: 0.1 },
          { variant: 'b', units: 510, numerator: 64, denominator: 510, value: 64 / 510, vsControl: { relative: iv(lift), absolute: iv(0.025), pValue: 0.02, sequentialPValue: 0.04, sequentialRelative: iv(lift), chanceToWin: 0.975, expectedLoss: 0.001, cuped: false } },
        ],
      },
    ],
    decision: { kind: 'continue', reason: 'No variant is a significant winner on the primary metric yet.' },
  };
}

describe('experiments', () => {
  it('defines a metric, creates and starts an experiment, reads its results and declares a winner', async () => {
    await page.goto(`${web()}/experiments`);
    await page.getByTestId('experiments-empty').waitFor();

    // A metric, on the Metrics page.
    await page.goto(`${web()}/experiments/metrics`);
    await page.getByTestId('new-metric').click();
    await page.getByTestId('metric-name').fill('Purchase');
    await page.getByTestId('metric-key').fill('purchase');
    await page.getByTestId('metric-create').click();
    await page.getByTestId('metric-row').waitFor();
    expect(await page.getByTestId('metric-row').textContent()).toContain('purchase');
    const [metric] = await q(`select id from experiment_metrics where tenant_id = $1`, [t.tenant.id]);

    // The setup form: name, primary metric, the calculator's sample.
    await page.goto(`${web()}/experiments/new`);
    await page.getByTestId('experiment-name').fill('Checkout button');
    await page.getByTestId('calc-baseline').fill('10');
    await page.getByTestId('calc-mde').fill('20');
    await expect.poll(() => page.getByTestId('calc-per-variant').textContent()).toMatch(/3[.,]?623/);
    await page.getByTestId('experiment-primary').click();
    await page.getByRole('option', { name: /Purchase/ }).click();
    await page.getByTestId('experiment-min-sample').fill('200');
    await shot('experiment-setup');
    await page.getByTestId('experiment-save').click();
    await page.waitForURL(/\/experiments\/[0-9a-f-]{36}$/);
    experimentId = page.url().split('/').pop()!;
    await expect.poll(() => page.getByTestId('experiment-status').textContent()).toBe('Draft');
    expect(await page.getByTestId('experiment-no-results').isVisible()).toBe(true);

    await page.getByTestId('experiment-start').click();
    await expect.poll(() => page.getByTestId('experiment-status').textContent()).toBe('Running');
    const [row] = await q(`select status, definition from experiments where id = $1`, [experimentId]);
    expect(row).toMatchObject({ status: 'running', definition: { minSamplePerVariant: 200, primaryMetricId: metric!.id } });

    // Two stored evaluations (as the workflow would write them): the table shows the latest, the chart both. They are
    // dated after any evaluation the real workflow stores at start, so they stay the latest once it is registered.
    for (const [minutes, lift] of [
      [1, 0.1],
      [2, 0.255],
    ] as const) {
      const at = new Date(Date.now() + minutes * 60_000).toISOString();
      await q(`insert into experiment_evaluations (tenant_id, experiment_id, evaluated_at, trigger, results) values ($1, $2, $3, 'timer', $4::jsonb)`, [t.tenant.id, experimentId, at, JSON.stringify(evaluation(at, metric!.id as string, lift))]);
    }
    await page.reload();
    const b = page.locator('[data-testid="variant-result"][data-variant="b"]');
    await b.waitFor();
    expect(await b.getByTestId('variant-lift').textContent()).toContain('25.5%');
    expect(await b.getByTestId('variant-chance').textContent()).toBe('97.5%');
    expect(await page.locator('[data-testid="variant-result"][data-variant="control"]').getByTestId('variant-value').textContent()).toBe('10%');
    expect(await page.getByTestId('experiment-srm').textContent()).toContain('0.750');
    expect(await page.getByTestId('experiment-rule').textContent()).toContain('continue');
    expect(await page.getByTestId('lift-series').count()).toBe(1);
    await shot('experiment-results');

    await page.getByTestId('experiment-winner').click();
    await expect.poll(() => page.getByTestId('experiment-status').textContent()).toBe('Completed');
    expect(await page.getByTestId('experiment-decision').textContent()).toContain(`user:${t.user.email}`);
    expect((await q(`select winner_variant from experiments where id = $1`, [experimentId]))[0]).toEqual({ winner_variant: 'b' });
  });
});
