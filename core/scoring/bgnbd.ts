// BG/NBD (Fader, Hardie & Lee 2005, "Counting Your Customers the Easy Way") with lifetimes' conventions
// (analytics.md §1.1–1.2): x repeat purchases, tx recency and T age, all in the caller's period unit.
import { invert, minimizeWithRestarts, numericHessian, type MinimizeResult } from './optimize.ts';
import { lbeta, lgamma, logAddExp, logHyp2f1 } from './special.ts';

export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}
/** Summaries as columns; `weight` lets callers compress identical (x, tx, T) rows (needed for 1M customers in ≤ 10 s). */
export interface Summaries {
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  weight?: Float64Array;
}
export interface FitReport<P> {
  params: P;
  logLikelihood: number;
  converged: boolean;
  iterations: number;
  starts: number;
  message?: string;
  /** Asymptotic standard errors (inverse observed information, delta method from log space); absent when the
   *  information matrix is singular, as at a boundary. */
  standardErrors?: P;
}

/** Distinct values of a column and each row's index into them: logs are then taken once per distinct value. */
function distinct(values: Float64Array, rows: Int32Array): { values: Float64Array; index: Int32Array } {
  const ids = new Map<number, number>();
  const index = new Int32Array(rows.length);
  const out: number[] = [];
  for (let k = 0; k < rows.length; k++) {
    const v = values[rows[k]!]!;
    let id = ids.get(v);
    if (id === undefined) {
      id = out.length;
      ids.set(v, id);
      out.push(v);
    }
    index[k] = id;
  }
  return { values: Float64Array.from(out), index };
}

/**
 * The data rearranged for fast likelihoods: customers without repeat purchases contribute r·ln(α/(α+T)) only, so
 * they collapse to total weight per distinct T; repeat buyers keep one row each but share per-x terms
 * (ln Γ, ln B) and per-distinct-value logs of α+T and α+tx.
 */
export interface PreparedSummaries {
  zeroT: Float64Array;
  zeroWeight: Float64Array;
  xs: Float64Array; // distinct x > 0
  xsWeight: Float64Array; // total weight per distinct x
  rowX: Int32Array;
  rowT: Int32Array;
  rowTx: Int32Array;
  rowWeight: Float64Array;
  Ts: Float64Array;
  txs: Float64Array;
  totalWeight: number;
}

export function prepareSummaries(s: Summaries): PreparedSummaries {
  const n = s.x.length;
  if (s.tx.length !== n || s.T.length !== n || (s.weight && s.weight.length !== n)) throw new RangeError('summary columns differ in length');
  const zero = new Map<number, number>();
  const repeat: number[] = [];
  let totalWeight = 0;
  for (let i = 0; i < n; i++) {
    const x = s.x[i]!;
    const tx = s.tx[i]!;
    const T = s.T[i]!;
    const w = s.weight ? s.weight[i]! : 1;
    if (!(x >= 0 && tx >= 0 && T >= tx && w >= 0) || !Number.isFinite(T) || !Number.isFinite(w)) {
      throw new RangeError(`invalid summary row ${i}: x=${x}, tx=${tx}, T=${T}, weight=${w} (need x ≥ 0, 0 ≤ tx ≤ T)`);
    }
    if (w === 0) continue;
    totalWeight += w;
    if (x === 0) zero.set(T, (zero.get(T) ?? 0) + w);
    else repeat.push(i);
  }
  const rows = Int32Array.from(repeat);
  const X = distinct(s.x, rows);
  const Tt = distinct(s.T, rows);
  const Tx = distinct(s.tx, rows);
  const rowWeight = new Float64Array(rows.length);
  const xsWeight = new Float64Array(X.values.length);
  for (let k = 0; k < rows.length; k++) {
    rowWeight[k] = s.weight ? s.weight[rows[k]!]! : 1;
    xsWeight[X.index[k]!]! += rowWeight[k]!;
  }
  return {
    zeroT: Float64Array.from(zero.keys()),
    zeroWeight: Float64Array.from(zero.values()),
    xs: X.values,
    xsWeight,
    rowX: X.index,
    rowT: Tt.index,
    rowTx: Tx.index,
    rowWeight,
    Ts: Tt.values,
    txs: Tx.values,
    totalWeight,
  };
}

/** Scratch buffers reused across likelihood evaluations of one fit (no allocation per evaluation). */
function scratch(d: PreparedSummaries) {
  return {
    base: new Float64Array(d.xs.length),
    c4: new Float64Array(d.xs.length),
    lnT: new Float64Array(d.Ts.length),
    lnTx: new Float64Array(d.txs.length),
  };
}

/**
 * Σ w·LL_i with LL_i = ln Γ(r+x) − ln Γ(r) + r ln α + ln B(a, b+x) − ln B(a, b)
 *   + ln[(α+T)^−(r+x) + δ(x>0) · a/(b+x−1) · (α+tx)^−(r+x)]   (paper eq. 6, in log space).
 */
export function preparedLogLikelihood(p: BgNbdParams, d: PreparedSummaries, buf = scratch(d)): number {
  const { r, alpha, a, b } = p;
  if (!(r > 0 && alpha > 0 && a > 0 && b > 0)) return Number.NaN;
  const lnAlpha = Math.log(alpha);
  let ll = 0;
  for (let k = 0; k < d.zeroT.length; k++) ll += d.zeroWeight[k]! * r * (lnAlpha - Math.log(alpha + d.zeroT[k]!));
  if (d.rowX.length === 0) return ll;
  const lgR = lgamma(r);
  const lgB = lgamma(b);
  const lgAB = lgamma(a + b);
  const lnA = Math.log(a);
  const { base, c4, lnT, lnTx } = buf;
  for (let j = 0; j < d.xs.length; j++) {
    const x = d.xs[j]!;
    base[j] = lgamma(r + x) - lgR + r * lnAlpha + lgAB + lgamma(b + x) - lgB - lgamma(a + b + x);
    c4[j] = lnA - Math.log(b + x - 1);
    ll += d.xsWeight[j]! * base[j]!;
  }
  for (let j = 0; j < d.Ts.length; j++) lnT[j] = Math.log(alpha + d.Ts[j]!);
  for (let j = 0; j < d.txs.length; j++) lnTx[j] = Math.log(alpha + d.txs[j]!);
  const { rowX, rowT, rowTx, rowWeight, xs } = d;
  for (let k = 0; k < rowX.length; k++) {
    const xi = rowX[k]!;
    const rx = r + xs[xi]!;
    const u = -rx * lnT[rowT[k]!]!;
    const v = c4[xi]! - rx * lnTx[rowTx[k]!]!;
    ll += rowWeight[k]! * (u > v ? u + Math.log1p(Math.exp(v - u)) : v + Math.log1p(Math.exp(u - v)));
  }
  return ll;
}

/** Log-likelihood summed over customers (lifetimes reports the mean negative of it). */
export function bgNbdLogLikelihood(p: BgNbdParams, s: Summaries): number {
  return preparedLogLikelihood(p, prepareSummaries(s));
}

const LOG_BOUND = 25; // e^±25: beyond this a parameter has run off to 0 or ∞ and the fit is degenerate.
const toParams = (v: readonly number[]): BgNbdParams => ({ r: Math.exp(v[0]!), alpha: Math.exp(v[1]!), a: Math.exp(v[2]!), b: Math.exp(v[3]!) });

/** Every k-th repeat row and zero-class group with weight ×k: a cheap systematic sample for a first fit. */
function subsample(d: PreparedSummaries, size: number): PreparedSummaries {
  const k = Math.max(1, Math.floor(d.rowX.length / size));
  if (k === 1) return d;
  const keep: number[] = [];
  for (let i = 0; i < d.rowX.length; i += k) keep.push(i);
  const pick = <A extends Int32Array | Float64Array>(arr: A, make: (n: number) => A) => {
    const out = make(keep.length);
    keep.forEach((row, j) => (out[j] = arr[row]!));
    return out;
  };
  const rowWeight = pick(d.rowWeight, (n) => new Float64Array(n)).map((w) => w * k);
  const rowX = pick(d.rowX, (n) => new Int32Array(n));
  const xsWeight = new Float64Array(d.xs.length);
  rowX.forEach((xi, j) => (xsWeight[xi]! += rowWeight[j]!));
  return { ...d, rowX, rowT: pick(d.rowT, (n) => new Int32Array(n)), rowTx: pick(d.rowTx, (n) => new Int32Array(n)), rowWeight, xsWeight };
}

function boundaryMessage(p: BgNbdParams): string | undefined {
  const off = Object.entries(p).filter(([, v]) => Math.abs(Math.log(v)) > LOG_BOUND - 2);
  if (off.length) return `parameter ${off.map(([k, v]) => `${k} → ${v < 1 ? '0' : '∞'}`).join(', ')} ran to the boundary: the data do not identify the model`;
  // E[dropout probability] = a/(a+b) → 0 is a ridge (any small a/(a+b) fits equally well): nobody is seen to
  // drop out, BG/NBD degenerates to the NBD and P(alive) means nothing.
  const dropout = p.a / (p.a + p.b);
  if (dropout < 1e-6) return `dropout probability a/(a+b) = ${dropout.toExponential(2)} → 0 (a → 0): no churn is identified, the model degenerates to the NBD`;
  return undefined;
}

/** Standard errors from the observed information in log space: se(θ) = θ · se(ln θ). */
export function standardErrorsFromLogHessian(f: (v: number[]) => number, v: readonly number[], totalWeight: number): number[] | undefined {
  const H = numericHessian(f, v, 1e-3).map((row) => row.map((h) => h * totalWeight));
  const cov = invert(H);
  if (!cov) return undefined;
  const se = v.map((c, i) => Math.exp(c) * Math.sqrt(cov[i]![i]!));
  return se.every((x) => Number.isFinite(x) && x > 0) ? se : undefined;
}

/**
 * Maximum likelihood in log-parameter space (positivity for free) by Nelder–Mead from several deterministic
 * starts with restarts. Large inputs are first fitted on a systematic sample and then polished on all rows.
 * `converged` is false, with a message, when the optimiser stalls or a parameter runs to 0 or ∞ (e.g. a → 0):
 * the caller then keeps its last good parameters.
 */
export function fitBgNbd(s: Summaries, opts: { starts?: number; maxIterations?: number } = {}): FitReport<BgNbdParams> {
  const d = prepareSummaries(s);
  if (d.totalWeight === 0) throw new RangeError('fitBgNbd needs at least one customer');
  if (d.rowX.length === 0) {
    return { params: { r: Number.NaN, alpha: Number.NaN, a: Number.NaN, b: Number.NaN }, logLikelihood: Number.NaN, converged: false, iterations: 0, starts: 0, message: 'no repeat purchases: BG/NBD is not identified' };
  }
  const maxIterations = opts.maxIterations ?? 3000;
  const objective = (data: PreparedSummaries) => {
    const buf = scratch(data);
    const scale = 1 / data.totalWeight; // mean NLL keeps tolerances independent of the customer count
    return (v: number[]) => {
      for (const c of v) if (Math.abs(c) > LOG_BOUND) return Infinity;
      return -preparedLogLikelihood(toParams(v), data, buf) * scale;
    };
  };
  let meanT = 0;
  for (let k = 0; k < d.zeroT.length; k++) meanT += d.zeroT[k]! * d.zeroWeight[k]!;
  for (let k = 0; k < d.rowT.length; k++) meanT += d.Ts[d.rowT[k]!]! * d.rowWeight[k]!;
  meanT = Math.max(meanT / d.totalWeight, 1e-6);
  // α is in time units: scale its starts with the observation length.
  const allStarts = [
    [1, meanT / 4, 1, 1],
    [0.25, meanT / 10, 0.5, 2],
    [2, meanT, 2, 5],
    [0.5, meanT / 2, 0.2, 0.5],
    [5, meanT * 2, 5, 10],
  ].map((p) => p.map(Math.log));
  const starts = allStarts.slice(0, Math.max(1, Math.min(opts.starts ?? 3, allStarts.length)));
  const tol = { fTolerance: 1e-13, xTolerance: 1e-7, maxIterations };
  let iterations = 0;
  let best: MinimizeResult;
  const SAMPLE = 40_000;
  if (d.rowX.length > 2 * SAMPLE) {
    const first = minimizeWithRestarts(objective(subsample(d, SAMPLE)), starts, { ...tol, fTolerance: 1e-10, xTolerance: 1e-4 });
    iterations += first.iterations;
    best = minimizeWithRestarts(objective(d), [first.x], { ...tol, step: 0.05, maxRestarts: 2 });
    iterations += best.iterations;
  } else {
    best = minimizeWithRestarts(objective(d), starts, tol);
    iterations += best.iterations;
  }
  const params = toParams(best.x);
  const logLikelihood = preparedLogLikelihood(params, d);
  const boundary = boundaryMessage(params);
  const finite = Number.isFinite(logLikelihood);
  const converged = best.converged && !boundary && finite;
  const message = !finite ? 'log-likelihood is not finite at the optimum' : boundary ?? (best.converged ? undefined : `no convergence within ${maxIterations} iterations`);
  const se = converged ? standardErrorsFromLogHessian(objective(d), best.x, d.totalWeight) : undefined;
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

/** ln[a/(b+x−1) · ((α+T)/(α+tx))^(r+x)]: the log odds of "dead" to "alive and silent" (−∞ when x = 0). */
function logDeadOdds(p: BgNbdParams, x: number, tx: number, T: number): number {
  if (x === 0) return -Infinity;
  return Math.log(p.a) - Math.log(p.b + x - 1) + (p.r + x) * (Math.log(p.alpha + T) - Math.log(p.alpha + tx));
}

/** P(alive | x, tx, T) = 1 / (1 + δ(x>0) · a/(b+x−1) · ((α+T)/(α+tx))^(r+x)); exactly 1 when x = 0. */
export function probabilityAlive(p: BgNbdParams, x: number, tx: number, T: number): number {
  const l = logDeadOdds(p, x, tx, T);
  return l > 700 ? 0 : 1 / (1 + Math.exp(l));
}

/**
 * E[Y(t) | x, tx, T] = (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) · ₂F₁(r+x, b+x; a+b+x−1; t/(α+T+t))] · P(alive).
 * Conditional expected purchases in the next t periods.
 */
export function expectedPurchases(p: BgNbdParams, t: number, x: number, tx: number, T: number): number {
  if (t === 0) return 0;
  const { r, alpha, a, b } = p;
  const z = t / (alpha + T + t);
  const logTerm = (r + x) * (Math.log(alpha + T) - Math.log(alpha + T + t)) + logHyp2f1(r + x, b + x, a + b + x - 1, z);
  return ((a + b + x - 1) / (a - 1)) * -Math.expm1(logTerm) * probabilityAlive(p, x, tx, T);
}

/** E[X(t)] for a new customer (paper eq. 9): (a+b−1)/(a−1) · [1 − (α/(α+t))^r · ₂F₁(r, b; a+b−1; t/(α+t))]. */
export function expectedPurchasesNewCustomer(p: BgNbdParams, t: number): number {
  if (t === 0) return 0;
  const { r, alpha, a, b } = p;
  const logTerm = r * (Math.log(alpha) - Math.log(alpha + t)) + logHyp2f1(r, b, a + b - 1, t / (alpha + t));
  return ((a + b - 1) / (a - 1)) * -Math.expm1(logTerm);
}

/** P(X(t) = n) for a new customer (paper eq. 8). */
export function probabilityOfNPurchases(p: BgNbdParams, t: number, n: number): number {
  const { r, alpha, a, b } = p;
  const lnP = Math.log(alpha / (alpha + t));
  const lnQ = Math.log(t / (alpha + t));
  const lbAB = lbeta(a, b);
  const first = Math.exp(lbeta(a, b + n) - lbAB + lgamma(r + n) - lgamma(r) - lgamma(n + 1) + r * lnP + n * lnQ);
  if (n === 0) return first;
  let sum = 0;
  for (let j = 0; j < n; j++) sum += Math.exp(lgamma(r + j) - lgamma(r) - lgamma(j + 1) + j * lnQ);
  return first + Math.exp(lbeta(a + 1, b + n - 1) - lbAB) * (1 - Math.exp(r * lnP) * sum);
}

/**
 * 1 − P(Y(t) = 0 | x, tx, T), with P(Y(t)=0) = [A(T+t) + D] / [A(T) + D] (analytics.md §4): the common factor
 * Γ(r+x)α^r / (Γ(r) B(a,b)) cancels, leaving B(a,b+x)(α+s)^−(r+x) for A(s) and B(a+1,b+x−1)(α+tx)^−(r+x) for D.
 */
export function probabilityOfPurchase(p: BgNbdParams, t: number, x: number, tx: number, T: number): number {
  if (t === 0) return 0;
  const { r, alpha, a, b } = p;
  const lA = (s: number) => lbeta(a, b + x) - (r + x) * Math.log(alpha + s);
  const lD = x > 0 ? lbeta(a + 1, b + x - 1) - (r + x) * Math.log(alpha + tx) : -Infinity;
  const logP0 = logAddExp(lA(T + t), lD) - logAddExp(lA(T), lD);
  return -Math.expm1(logP0);
}
