// BG/NBD (Fader, Hardie & Lee 2005, "Counting Your Customers the Easy Way") with lifetimes' conventions
// (analytics.md §1.1–1.2): x repeat purchases, tx recency and T age, all in the caller's period unit.
import { invert, minimizeLikelihood, numericHessian } from './optimize.ts';
import { digamma, hyp2f1, lbeta, lgamma, logAddExp, logHyp2f1 } from '../math/special.ts';

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

/**
 * Log-likelihood and its gradient with respect to (ln r, ln α, ln a, ln b), for the BFGS polish on large data.
 * Per repeat row, with s = P(dead-and-silent branch) = σ(v − u) of the two terms of the log-sum:
 *   ∂/∂r = −(1−s)·ln(α+T) − s·ln(α+tx), ∂/∂α = −(r+x)·[(1−s)/(α+T) + s/(α+tx)], ∂/∂a = s/a, ∂/∂b = −s/(b+x−1);
 * per distinct x the ln Γ terms differentiate to digammas.
 */
export function preparedLogLikelihoodGradient(p: BgNbdParams, d: PreparedSummaries, grad: Float64Array, buf = scratch(d)): number {
  const { r, alpha, a, b } = p;
  grad.fill(0);
  if (!(r > 0 && alpha > 0 && a > 0 && b > 0)) return Number.NaN;
  const lnAlpha = Math.log(alpha);
  let ll = 0;
  let gr = 0;
  let gAlpha = 0;
  let ga = 0;
  let gb = 0;
  for (let k = 0; k < d.zeroT.length; k++) {
    const w = d.zeroWeight[k]!;
    const lnT0 = Math.log(alpha + d.zeroT[k]!);
    ll += w * r * (lnAlpha - lnT0);
    gr += w * (lnAlpha - lnT0);
    gAlpha += w * r * (1 / alpha - 1 / (alpha + d.zeroT[k]!));
  }
  if (d.rowX.length > 0) {
    const lgR = lgamma(r);
    const lgB = lgamma(b);
    const lgAB = lgamma(a + b);
    const psiR = digamma(r);
    const psiB = digamma(b);
    const psiAB = digamma(a + b);
    const lnA = Math.log(a);
    const { base, c4, lnT, lnTx } = buf;
    for (let j = 0; j < d.xs.length; j++) {
      const x = d.xs[j]!;
      const w = d.xsWeight[j]!;
      base[j] = lgamma(r + x) - lgR + r * lnAlpha + lgAB + lgamma(b + x) - lgB - lgamma(a + b + x);
      c4[j] = lnA - Math.log(b + x - 1);
      ll += w * base[j]!;
      const psiABX = digamma(a + b + x);
      gr += w * (digamma(r + x) - psiR + lnAlpha);
      gAlpha += (w * r) / alpha;
      ga += w * (psiAB - psiABX);
      gb += w * (psiAB + digamma(b + x) - psiB - psiABX);
    }
    const invT = new Float64Array(d.Ts.length);
    const invTx = new Float64Array(d.txs.length);
    for (let j = 0; j < d.Ts.length; j++) {
      lnT[j] = Math.log(alpha + d.Ts[j]!);
      invT[j] = 1 / (alpha + d.Ts[j]!);
    }
    for (let j = 0; j < d.txs.length; j++) {
      lnTx[j] = Math.log(alpha + d.txs[j]!);
      invTx[j] = 1 / (alpha + d.txs[j]!);
    }
    const { rowX, rowT, rowTx, rowWeight, xs } = d;
    for (let k = 0; k < rowX.length; k++) {
      const xi = rowX[k]!;
      const x = xs[xi]!;
      const rx = r + x;
      const ti = rowT[k]!;
      const txi = rowTx[k]!;
      const u = -rx * lnT[ti]!;
      const v = c4[xi]! - rx * lnTx[txi]!;
      const w = rowWeight[k]!;
      let sv: number; // weight of the v branch
      if (u > v) {
        const e = Math.exp(v - u);
        ll += w * (u + Math.log1p(e));
        sv = e / (1 + e);
      } else {
        const e = Math.exp(u - v);
        ll += w * (v + Math.log1p(e));
        sv = 1 / (1 + e);
      }
      const su = 1 - sv;
      gr -= w * (su * lnT[ti]! + sv * lnTx[txi]!);
      gAlpha -= w * rx * (su * invT[ti]! + sv * invTx[txi]!);
      ga += (w * sv) / a;
      gb -= (w * sv) / (b + x - 1);
    }
  }
  // Chain rule to log-parameters: ∂/∂ln θ = θ · ∂/∂θ.
  grad[0] = gr * r;
  grad[1] = gAlpha * alpha;
  grad[2] = ga * a;
  grad[3] = gb * b;
  return ll;
}

/**
 * Identical (x, tx, T) rows collapsed into one row with their total weight: summaries built from whole days
 * repeat a lot (every one-time buyer of the same day is one row), which is what makes a million customers cheap.
 */
export function compressSummaries(s: Summaries): Summaries & { weight: Float64Array } {
  const n = s.x.length;
  // Number the distinct values of each column, then key a row by its three numbers packed into one double
  // (exact below 2^53): a numeric Map is several times faster than string keys on a million rows.
  const number = (col: Float64Array) => {
    const ids = new Map<number, number>();
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let id = ids.get(col[i]!);
      if (id === undefined) ids.set(col[i]!, (id = ids.size));
      out[i] = id;
    }
    return { ids: out, count: ids.size };
  };
  const X = number(s.x);
  const Tx = number(s.tx);
  const Tt = number(s.T);
  const packed = X.count * Tx.count * Tt.count < 2 ** 53;
  const groups = new Map<number | string, number>();
  const rows: number[] = [];
  const weight: number[] = [];
  for (let i = 0; i < n; i++) {
    const key = packed ? (X.ids[i]! * Tx.count + Tx.ids[i]!) * Tt.count + Tt.ids[i]! : `${s.x[i]} ${s.tx[i]} ${s.T[i]}`;
    const w = s.weight ? s.weight[i]! : 1;
    const g = groups.get(key);
    if (g !== undefined) weight[g]! += w;
    else {
      groups.set(key, rows.length);
      rows.push(i);
      weight.push(w);
    }
  }
  return {
    x: Float64Array.from(rows, (i) => s.x[i]!),
    tx: Float64Array.from(rows, (i) => s.tx[i]!),
    T: Float64Array.from(rows, (i) => s.T[i]!),
    weight: Float64Array.from(weight),
  };
}

/** Log-likelihood summed over customers (lifetimes reports the mean negative of it). */
export function bgNbdLogLikelihood(p: BgNbdParams, s: Summaries): number {
  return preparedLogLikelihood(p, prepareSummaries(s));
}

const LOG_BOUND = 25; // e^±25: beyond this a parameter has run off to 0 or ∞ and the fit is degenerate.
const toParams = (v: readonly number[]): BgNbdParams => ({ r: Math.exp(v[0]!), alpha: Math.exp(v[1]!), a: Math.exp(v[2]!), b: Math.exp(v[3]!) });

/**
 * A systematic sample for the first, cheap fit: every k-th repeat customer and every j-th zero-repeat group,
 * weights scaled by k and j, re-prepared so its distinct-value tables are small too.
 */
function subsample(d: PreparedSummaries, size: number): PreparedSummaries {
  const k = Math.max(1, Math.floor(d.rowX.length / size));
  const j = Math.max(1, Math.floor(d.zeroT.length / size));
  const x: number[] = [];
  const tx: number[] = [];
  const T: number[] = [];
  const w: number[] = [];
  for (let i = 0; i < d.zeroT.length; i += j) {
    x.push(0);
    tx.push(0);
    T.push(d.zeroT[i]!);
    w.push(d.zeroWeight[i]! * j);
  }
  for (let i = 0; i < d.rowX.length; i += k) {
    x.push(d.xs[d.rowX[i]!]!);
    tx.push(d.txs[d.rowTx[i]!]!);
    T.push(d.Ts[d.rowT[i]!]!);
    w.push(d.rowWeight[i]! * k);
  }
  return prepareSummaries({ x: Float64Array.from(x), tx: Float64Array.from(tx), T: Float64Array.from(T), weight: Float64Array.from(w) });
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

/**
 * Standard errors from the observed information in log space, se(θ) = θ · se(ln θ). `f` is the mean negative
 * log-likelihood; with `gradient` (its gradient) the Hessian is differenced from gradients, which is cheaper and
 * more accurate than from values.
 */
export function standardErrorsFromLogHessian(
  f: (v: number[]) => number,
  v: readonly number[],
  totalWeight: number,
  gradient?: (v: number[], g: number[]) => void,
): number[] | undefined {
  const n = v.length;
  let H: number[][];
  if (gradient) {
    const h = 1e-5;
    H = Array.from({ length: n }, () => new Array<number>(n).fill(0));
    for (let j = 0; j < n; j++) {
      const plus = v.slice();
      const minus = v.slice();
      plus[j]! += h;
      minus[j]! -= h;
      const gp = new Array<number>(n).fill(0);
      const gm = new Array<number>(n).fill(0);
      gradient(plus, gp);
      gradient(minus, gm);
      for (let i = 0; i < n; i++) H[i]![j] = (gp[i]! - gm[i]!) / (2 * h);
    }
    H = H.map((row, i) => row.map((x, j) => (x + H[j]![i]!) / 2));
  } else H = numericHessian(f, v.slice(), 1e-3);
  const cov = invert(H.map((row) => row.map((h) => h * totalWeight)));
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
export function fitBgNbd(s: Summaries, opts: { starts?: number; maxIterations?: number; /** Rows above which the sample-then-BFGS path runs (default 40,000). */ large?: number } = {}): FitReport<BgNbdParams> {
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
  const grad = new Float64Array(4);
  const buf = scratch(d);
  const meanNllGradient = (v: number[], g: number[]) => {
    for (const c of v) if (Math.abs(c) > LOG_BOUND) return Infinity;
    const ll = preparedLogLikelihoodGradient(toParams(v), d, grad, buf);
    for (let i = 0; i < 4; i++) g[i] = -grad[i]! / d.totalWeight;
    return -ll / d.totalWeight;
  };
  const best = minimizeLikelihood({ rows: d.rowX.length, full: objective(d), sampled: () => objective(subsample(d, 5_000)), gradient: meanNllGradient, starts, maxIterations, large: opts.large });
  const iterations = best.iterations;
  const params = toParams(best.x);
  const logLikelihood = preparedLogLikelihood(params, d);
  const boundary = boundaryMessage(params);
  const finite = Number.isFinite(logLikelihood);
  const converged = best.converged && !boundary && finite;
  const message = !finite ? 'log-likelihood is not finite at the optimum' : boundary ?? (best.converged ? undefined : `no convergence within ${maxIterations} iterations`);
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
 * 1 − e^logPrefactor · ₂F₁(A, B; C; z): in log space when C > 0 (all series terms positive; needed for frequent
 * buyers whose ₂F₁ overflows), by the signed series when a + b < 1 makes C negative (then A, B are small).
 */
function oneMinusPrefactorTimesHyp(logPrefactor: number, A: number, B: number, C: number, z: number): number {
  if (C > 0) return -Math.expm1(logPrefactor + logHyp2f1(A, B, C, z));
  return 1 - Math.exp(logPrefactor) * hyp2f1(A, B, C, z);
}

/**
 * E[Y(t) | x, tx, T] = (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) · ₂F₁(r+x, b+x; a+b+x−1; t/(α+T+t))] · P(alive).
 * Conditional expected purchases in the next t periods.
 */
export function expectedPurchases(p: BgNbdParams, t: number, x: number, tx: number, T: number): number {
  if (t === 0) return 0;
  return expectedPurchasesIfAlive(p, t, x, T) * probabilityAlive(p, x, tx, T);
}

/**
 * E[Y(t) | x, tx, T] / P(alive): the bracket of expectedPurchases. It does not depend on t_x, so a whole tenant
 * needs it only once per distinct (x, T), and the costly ₂F₁ is shared by customers with the same x and age.
 */
export function expectedPurchasesIfAlive(p: BgNbdParams, t: number, x: number, T: number): number {
  if (t === 0) return 0;
  const { r, alpha, a, b } = p;
  const z = t / (alpha + T + t);
  const logPrefactor = (r + x) * (Math.log(alpha + T) - Math.log(alpha + T + t));
  return ((a + b + x - 1) / (a - 1)) * oneMinusPrefactorTimesHyp(logPrefactor, r + x, b + x, a + b + x - 1, z);
}

/** E[X(t)] for a new customer (paper eq. 9): (a+b−1)/(a−1) · [1 − (α/(α+t))^r · ₂F₁(r, b; a+b−1; t/(α+t))]. */
export function expectedPurchasesNewCustomer(p: BgNbdParams, t: number): number {
  if (t === 0) return 0;
  const { r, alpha, a, b } = p;
  const logPrefactor = r * (Math.log(alpha) - Math.log(alpha + t));
  return ((a + b - 1) / (a - 1)) * oneMinusPrefactorTimesHyp(logPrefactor, r, b, a + b - 1, t / (alpha + t));
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
