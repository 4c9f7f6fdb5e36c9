// Frequentist comparison of a variant against control: Welch's t-test (two-proportion test for conversions)
// and GrowthBook's sequential variant (asymptotic confidence sequences, Waudby-Smith et al. 2023), whose
// p-values stay valid however often results are looked at. Pure.
import { studentTCdf, studentTQuantile, studentTSurvival } from './distributions.ts';
import { effect, welchDof, type EffectScale, type VariantStats } from './sufficient-stats.ts';

export type Alternative = 'two-sided' | 'greater' | 'less';

export interface TestOptions {
  scale?: EffectScale;
  /** 1 − confidence level; default 0.05. */
  alpha?: number;
  alternative?: Alternative;
}

export interface TestResult {
  estimate: number;
  standardError: number;
  ci: [number, number];
  pValue: number;
  /** Welch–Satterthwaite dof (t-test) or null (sequential, normal). */
  dof: number | null;
  meanA: number;
  meanB: number;
  scale: EffectScale;
  alternative: Alternative;
}

/** A difference that cannot be tested (no units, zero control mean or no variance) reports p = 1 and an infinite interval. */
function untestable(estimate: number, se: number, mA: number, mB: number, scale: EffectScale, alternative: Alternative): TestResult {
  return { estimate: Number.isFinite(estimate) ? estimate : 0, standardError: Number.isFinite(se) ? se : 0, ci: [-Infinity, Infinity], pValue: 1, dof: null, meanA: mA, meanB: mB, scale, alternative };
}

/** Welch's t-test of B against control A (GrowthBook's frequentist engine). */
export function tTest(a: VariantStats, b: VariantStats, opts: TestOptions = {}): TestResult {
  const scale = opts.scale ?? 'relative';
  const alpha = opts.alpha ?? 0.05;
  const alternative = opts.alternative ?? 'two-sided';
  const { estimate, standardError: se, meanA, meanB } = effect(a, b, scale);
  if (a.n < 2 || b.n < 2 || !(se > 0) || !Number.isFinite(estimate)) return untestable(estimate, se, meanA, meanB, scale, alternative);
  const dof = welchDof(a, b);
  const t = estimate / se;
  if (alternative === 'two-sided') {
    const q = studentTQuantile(1 - alpha / 2, dof);
    return { estimate, standardError: se, ci: [estimate - q * se, estimate + q * se], pValue: Math.min(1, 2 * studentTSurvival(Math.abs(t), dof)), dof, meanA, meanB, scale, alternative };
  }
  const q = studentTQuantile(1 - alpha, dof);
  return alternative === 'greater'
    ? { estimate, standardError: se, ci: [estimate - q * se, Infinity], pValue: studentTSurvival(t, dof), dof, meanA, meanB, scale, alternative }
    : { estimate, standardError: se, ci: [-Infinity, estimate + q * se], pValue: studentTCdf(t, dof), dof, meanA, meanB, scale, alternative };
}

export interface SequentialOptions extends TestOptions {
  /** GrowthBook's N* tuning parameter: the sample size at which the sequence is tightest. Default 5000. */
  tuning?: number;
}

const rhoFor = (alpha: number, tuning: number) => Math.sqrt((-2 * Math.log(alpha) + Math.log(-2 * Math.log(alpha) + 1)) / tuning);

/** Half-width of the asymptotic confidence sequence after n units (two-sided, or one-sided with `oneSided`). */
function halfWidth(se: number, n: number, alpha: number, tuning: number, oneSided: boolean): number {
  const rho = rhoFor(oneSided ? 2 * alpha : alpha, tuning);
  const s = se * Math.sqrt(n);
  const nr2 = n * rho * rho + 1;
  const log = oneSided ? Math.log(1 + Math.sqrt(nr2) / (2 * alpha)) : Math.log(Math.sqrt(nr2) / alpha);
  return s * Math.sqrt((2 * nr2 * log) / (n * rho) ** 2);
}

/** Sequential test (always-valid p-value and confidence sequence); the default for automatic decisions. */
export function sequentialTest(a: VariantStats, b: VariantStats, opts: SequentialOptions = {}): TestResult {
  const scale = opts.scale ?? 'relative';
  const alpha = opts.alpha ?? 0.05;
  const alternative = opts.alternative ?? 'two-sided';
  const tuning = opts.tuning ?? 5000;
  const { estimate, standardError: se, meanA, meanB } = effect(a, b, scale);
  if (a.n < 2 || b.n < 2 || !(se > 0) || !Number.isFinite(estimate)) return untestable(estimate, se, meanA, meanB, scale, alternative);
  const n = a.n + b.n;
  if (alternative === 'two-sided') {
    const hw = halfWidth(se, n, alpha, tuning, false);
    const rho = rhoFor(alpha, tuning);
    const nr2 = n * rho * rho + 1;
    const st2 = (estimate * estimate * n) / (se * se);
    // ln E, so that an overwhelming effect gives p ≈ 1e-44 instead of overflowing to 0 or NaN.
    const logE = (rho * rho * st2) / (2 * nr2) - 0.5 * Math.log(nr2);
    return { estimate, standardError: se, ci: [estimate - hw, estimate + hw], pValue: Math.min(1, Math.exp(-logE)), dof: null, meanA, meanB, scale, alternative };
  }
  const hw = halfWidth(se, n, alpha, tuning, true);
  const ci: [number, number] = alternative === 'greater' ? [estimate - hw, Infinity] : [-Infinity, estimate + hw];
  // One-sided p-value: the smallest α whose sequence excludes 0, by bisection on [1e-5, 0.4999] (GrowthBook).
  const excludesZero = (al: number) => {
    const h = halfWidth(se, n, al, tuning, true);
    return alternative === 'greater' ? estimate - h > 0 : estimate + h < 0;
  };
  let pValue = 0.4999;
  if (excludesZero(0.4999)) {
    let lo = 1e-5;
    let hi = 0.4999;
    if (excludesZero(lo)) pValue = lo;
    else {
      for (let i = 0; i < 60; i++) {
        const mid = (lo + hi) / 2;
        if (excludesZero(mid)) hi = mid;
        else lo = mid;
      }
      pValue = hi;
    }
  }
  return { estimate, standardError: se, ci, pValue, dof: null, meanA, meanB, scale, alternative };
}

