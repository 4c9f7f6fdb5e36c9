// Gamma–Gamma spend model (Fader, Hardie & Lee 2005, "RFM and CLV: Using Iso-Value Curves"; Hardie note 025),
// lifetimes conventions (analytics.md §1.3): fitted on repeat customers, x = repeat purchases, mbar = their mean spend.
import { standardErrorsFromLogHessian, type FitReport } from './bgnbd.ts';
import { minimizeLikelihood } from './optimize.ts';
import { digamma, lgamma } from '../math/special.ts';

export interface GammaGammaParams {
  p: number;
  q: number;
  v: number;
}

interface PreparedSpend {
  xs: Float64Array; // distinct x
  xsWeight: Float64Array;
  rowX: Int32Array;
  x: Float64Array;
  m: Float64Array;
  w: Float64Array;
  /** Σ w·x·ln m, Σ w·ln m, Σ w·x·ln x: the data-only parts of the likelihood. */
  sxlnm: number;
  slnm: number;
  sxlnx: number;
  totalWeight: number;
  meanSpend: number;
}

function prepare(s: { x: Float64Array; mbar: Float64Array; weight?: Float64Array }): PreparedSpend {
  const n = s.x.length;
  if (s.mbar.length !== n || (s.weight && s.weight.length !== n)) throw new RangeError('spend columns differ in length');
  const keep: number[] = [];
  for (let i = 0; i < n; i++) {
    const w = s.weight ? s.weight[i]! : 1;
    // Only repeat customers with a positive mean spend have a Gamma–Gamma density (x = 0 carries no spend).
    if (s.x[i]! > 0 && s.mbar[i]! > 0 && w > 0 && Number.isFinite(s.mbar[i]!)) keep.push(i);
  }
  const ids = new Map<number, number>();
  const xsList: number[] = [];
  const rowX = new Int32Array(keep.length);
  const x = new Float64Array(keep.length);
  const m = new Float64Array(keep.length);
  const w = new Float64Array(keep.length);
  let sxlnm = 0;
  let slnm = 0;
  let sxlnx = 0;
  let totalWeight = 0;
  let spend = 0;
  keep.forEach((i, k) => {
    x[k] = s.x[i]!;
    m[k] = s.mbar[i]!;
    w[k] = s.weight ? s.weight[i]! : 1;
    let id = ids.get(x[k]!);
    if (id === undefined) ids.set(x[k]!, (id = xsList.push(x[k]!) - 1));
    rowX[k] = id;
    const lnm = Math.log(m[k]!);
    sxlnm += w[k]! * x[k]! * lnm;
    slnm += w[k]! * lnm;
    sxlnx += w[k]! * x[k]! * Math.log(x[k]!);
    totalWeight += w[k]!;
    spend += w[k]! * m[k]!;
  });
  const xs = Float64Array.from(xsList);
  const xsWeight = new Float64Array(xs.length);
  rowX.forEach((id, k) => (xsWeight[id]! += w[k]!));
  return { xs, xsWeight, rowX, x, m, w, sxlnm, slnm, sxlnx, totalWeight, meanSpend: totalWeight ? spend / totalWeight : 0 };
}

/**
 * Σ w·[ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln v + (px−1) ln m + px ln x − (px+q) ln(x·m + v)]: the density of
 * the observed mean spend, including the Jacobian terms lifetimes includes (so the values compare with it).
 */
function preparedLogLikelihood(g: GammaGammaParams, d: PreparedSpend): number {
  const { p, q, v } = g;
  if (!(p > 0 && q > 0 && v > 0)) return Number.NaN;
  let ll = d.totalWeight * (q * Math.log(v) - lgamma(q)) + p * d.sxlnm - d.slnm + p * d.sxlnx;
  for (let j = 0; j < d.xs.length; j++) ll += d.xsWeight[j]! * (lgamma(p * d.xs[j]! + q) - lgamma(p * d.xs[j]!));
  const { x, m, w } = d;
  for (let k = 0; k < x.length; k++) ll -= w[k]! * (p * x[k]! + q) * Math.log(x[k]! * m[k]! + v);
  return ll;
}

/** Log-likelihood and its gradient with respect to (ln p, ln q, ln v). */
function preparedLogLikelihoodGradient(g: GammaGammaParams, d: PreparedSpend, grad: number[]): number {
  const { p, q, v } = g;
  if (!(p > 0 && q > 0 && v > 0)) return Number.NaN;
  const W = d.totalWeight;
  let ll = W * (q * Math.log(v) - lgamma(q)) + p * d.sxlnm - d.slnm + p * d.sxlnx;
  let gp = d.sxlnm + d.sxlnx;
  let gq = W * (Math.log(v) - digamma(q));
  let gv = (W * q) / v;
  for (let j = 0; j < d.xs.length; j++) {
    const x = d.xs[j]!;
    const w = d.xsWeight[j]!;
    ll += w * (lgamma(p * x + q) - lgamma(p * x));
    const psiPXQ = digamma(p * x + q);
    gp += w * x * (psiPXQ - digamma(p * x));
    gq += w * psiPXQ;
  }
  const { x, m, w } = d;
  for (let k = 0; k < x.length; k++) {
    const s = x[k]! * m[k]! + v;
    const ls = Math.log(s);
    const px = p * x[k]!;
    ll -= w[k]! * (px + q) * ls;
    gp -= w[k]! * x[k]! * ls;
    gq -= w[k]! * ls;
    gv -= (w[k]! * (px + q)) / s;
  }
  grad[0] = gp * p;
  grad[1] = gq * q;
  grad[2] = gv * v;
  return ll;
}

/** For tests: the gradient of the log-likelihood with respect to the log-parameters. */
export function gammaGammaLogLikelihoodGradient(g: GammaGammaParams, s: { x: Float64Array; mbar: Float64Array; weight?: Float64Array }): { logLikelihood: number; gradient: number[] } {
  const gradient = [0, 0, 0];
  const logLikelihood = preparedLogLikelihoodGradient(g, prepare(s), gradient);
  return { logLikelihood, gradient };
}

export function gammaGammaLogLikelihood(g: GammaGammaParams, s: { x: Float64Array; mbar: Float64Array; weight?: Float64Array }): number {
  return preparedLogLikelihood(g, prepare(s));
}

function sample(d: PreparedSpend, size: number): PreparedSpend {
  const k = Math.max(1, Math.floor(d.x.length / size));
  if (k === 1) return d;
  const rows: number[] = [];
  for (let i = 0; i < d.x.length; i += k) rows.push(i);
  const weight = Float64Array.from(rows, (i) => d.w[i]! * k);
  return prepare({ x: Float64Array.from(rows, (i) => d.x[i]!), mbar: Float64Array.from(rows, (i) => d.m[i]!), weight });
}

const LOG_BOUND = 25;
const toParams = (c: readonly number[]): GammaGammaParams => ({ p: Math.exp(c[0]!), q: Math.exp(c[1]!), v: Math.exp(c[2]!) });

/**
 * x > 0 only (rows with x = 0 or a non-positive mean spend are ignored). Maximum likelihood in log space by
 * Nelder–Mead from several deterministic starts; large inputs are fitted on a systematic sample first, then
 * polished on all rows. Not converged (with a message) when the optimiser stalls, a parameter runs off, or
 * q ≤ 1 (the expected spend p·v/(q−1) would be infinite).
 */
export function fitGammaGamma(
  s: { x: Float64Array; mbar: Float64Array; weight?: Float64Array },
  opts: { starts?: number; maxIterations?: number; /** Rows above which the sample-then-BFGS path runs (default 40,000). */ large?: number } = {},
): FitReport<GammaGammaParams> {
  const d = prepare(s);
  if (d.totalWeight === 0) {
    return { params: { p: Number.NaN, q: Number.NaN, v: Number.NaN }, logLikelihood: Number.NaN, converged: false, iterations: 0, starts: 0, message: 'no repeat customer with a positive spend' };
  }
  const maxIterations = opts.maxIterations ?? 3000;
  const objective = (data: PreparedSpend) => (c: number[]) => {
    for (const v of c) if (Math.abs(v) > LOG_BOUND) return Infinity;
    return -preparedLogLikelihood(toParams(c), data) / data.totalWeight;
  };
  const mean = Math.max(d.meanSpend, 1e-9);
  const allStarts = [
    [1, 1, 1],
    [2, 2, mean],
    [5, 3, mean * 2],
    [0.5, 5, mean / 2],
    [10, 10, mean * 5],
  ].map((p) => p.map(Math.log));
  const starts = allStarts.slice(0, Math.max(1, Math.min(opts.starts ?? 3, allStarts.length)));
  const grad = [0, 0, 0];
  const meanNllGradient = (c: number[], g: number[]) => {
    for (const v of c) if (Math.abs(v) > LOG_BOUND) return Infinity;
    const ll = preparedLogLikelihoodGradient(toParams(c), d, grad);
    for (let i = 0; i < 3; i++) g[i] = -grad[i]! / d.totalWeight;
    return -ll / d.totalWeight;
  };
  const best = minimizeLikelihood({ rows: d.x.length, full: objective(d), sampled: () => objective(sample(d, 5_000)), gradient: meanNllGradient, starts, maxIterations, large: opts.large });
  const iterations = best.iterations;
  const params = toParams(best.x);
  const logLikelihood = preparedLogLikelihood(params, d);
  const off = Object.entries(params).filter(([, v]) => Math.abs(Math.log(v)) > LOG_BOUND - 2);
  const message = !Number.isFinite(logLikelihood)
    ? 'log-likelihood is not finite at the optimum'
    : off.length
      ? `parameter ${off.map(([k, v]) => `${k} → ${v < 1 ? '0' : '∞'}`).join(', ')} ran to the boundary`
      : params.q <= 1
        ? `q = ${params.q.toFixed(3)} ≤ 1: the expected spend p·v/(q−1) is not finite`
        : best.converged
          ? undefined
          : `no convergence within ${maxIterations} iterations`;
  const converged = message === undefined;
  const se = converged ? standardErrorsFromLogHessian(objective(d), best.x, d.totalWeight, meanNllGradient) : undefined;
  return {
    params,
    logLikelihood,
    converged,
    iterations,
    starts: starts.length,
    ...(message ? { message } : {}),
    ...(se ? { standardErrors: toParams(se.map(Math.log)) } : {}),
  };
}

/** E(M | x, m̄) = (v + m̄·x)·p / (p·x + q − 1); with x = 0 it is the population mean p·v/(q−1). */
export function expectedAverageValue(g: GammaGammaParams, x: number, mbar: number): number {
  return ((g.v + mbar * x) * g.p) / (g.p * x + g.q - 1);
}
