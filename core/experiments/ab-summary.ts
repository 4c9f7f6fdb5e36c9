// Every statistic for one control/variant pair, as plain JSON: what `npm run cdp -- stats ab` prints so analysts can
// check numbers outside the app (the same functions the results page uses). Pure.
import { betaChanceToBeat, bayesianTest } from './bayesian.ts';
import { sequentialTest, tTest } from './frequentist.ts';
import { powerForSampleSize, sampleSizePerVariant } from './power.ts';
import { srmPValue } from './srm.ts';
import type { VariantStats } from './sufficient-stats.ts';

/** "49/100" (conversions/units) or "mean,sd,n". */
export function parseArm(spec: string, metric: 'proportion' | 'mean'): VariantStats {
  if (metric === 'proportion') {
    const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(spec);
    if (!m || Number(m[1]) > Number(m[2]) || Number(m[2]) < 2) throw new Error(`"${spec}" is not conversions/units (e.g. 49/100)`);
    return { kind: 'proportion', n: Number(m[2]), sum: Number(m[1]) };
  }
  const parts = spec.split(',').map((p) => Number(p.trim()));
  if (parts.length !== 3 || parts.some((p) => !Number.isFinite(p)) || parts[2]! < 2 || parts[1]! < 0) throw new Error(`"${spec}" is not mean,sd,n (e.g. 10.5,3.2,1000)`);
  const [mu, sd, n] = parts as [number, number, number];
  // Σx and Σx² reproducing the sample mean and (n − 1) standard deviation.
  return { kind: 'mean', n, sum: mu * n, sumSquares: sd * sd * (n - 1) + mu * mu * n };
}

const ci = (c: readonly [number, number]) => ({ lower: c[0], upper: c[1] });

export function abSummary(control: VariantStats, variant: VariantStats, opts: { alpha?: number; weights?: [number, number] } = {}) {
  const alpha = opts.alpha ?? 0.05;
  const test = (scale: 'relative' | 'absolute') => {
    const t = tTest(control, variant, { alpha, scale });
    const s = sequentialTest(control, variant, { alpha, scale });
    const b = bayesianTest(control, variant, { alpha, scale });
    return {
      estimate: t.estimate,
      standardError: t.standardError,
      fixed: { pValue: t.pValue, ci: ci(t.ci), dof: t.dof },
      sequential: { pValue: s.pValue, ci: ci(s.ci) },
      bayesian: { chanceToWin: b.chanceToWin, ci: ci(b.ci), expectedLoss: { control: b.risk[0], variant: b.risk[1] } },
    };
  };
  const base = {
    metric: control.kind,
    alpha,
    control: { n: control.n, mean: control.n ? control.sum / control.n : 0 },
    variant: { n: variant.n, mean: variant.n ? variant.sum / variant.n : 0 },
    relative: test('relative'),
    absolute: test('absolute'),
    srm: { pValue: srmPValue([control.n, variant.n], opts.weights ?? [1, 1]), threshold: 0.001 },
  };
  if (control.kind !== 'proportion' || variant.kind !== 'proportion') return base;
  const pA = control.sum / control.n;
  const delta = variant.sum / variant.n - pA;
  return {
    ...base,
    bayesianBeta: { chanceToWin: betaChanceToBeat(1 + control.sum, 1 + control.n - control.sum, 1 + variant.sum, 1 + variant.n - variant.sum) },
    power: {
      observedEffect: delta,
      powerAtObservedEffect: powerForSampleSize(Math.min(control.n, variant.n), { baselineRate: pA, mde: delta, alpha }),
      sampleSizePerVariantFor80: Math.ceil(sampleSizePerVariant({ baselineRate: pA, mde: delta, alpha, power: 0.8 })),
    },
  };
}
