// Category purchase propensity: a transparent L2-regularised logistic regression, and AUC to back-test it.

export interface LogisticModel {
  features: string[];
  weights: number[];
  intercept: number;
  l2: number;
  iterations: number;
  converged: boolean;
}

const sigmoid = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/** Solves A·x = b for a symmetric positive-definite A (Cholesky); null if A is not positive definite. */
function solveSpd(A: number[][], b: number[]): number[] | null {
  const n = b.length;
  const L = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i]![j]!;
      for (let k = 0; k < j; k++) s -= L[i]![k]! * L[j]![k]!;
      if (i === j) {
        if (!(s > 0)) return null;
        L[i]![i] = Math.sqrt(s);
      } else L[i]![j] = s / L[j]![j]!;
    }
  }
  const y = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= L[i]![k]! * y[k]!;
    y[i] = s / L[i]![i]!;
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let k = i + 1; k < n; k++) s -= L[k]![i]! * x[k]!;
    x[i] = s / L[i]![i]!;
  }
  return x;
}

/**
 * Maximum penalised likelihood: minimises −Σ[y ln p + (1−y) ln(1−p)] + (l2/2)·‖w‖² (the intercept is not
 * penalised) by Newton's method (IRLS) with step halving. Default l2 = 1. Features are used as given: scale
 * them comparably (propensityFeatures does) so one l2 suits all.
 */
export function fitLogistic(X: readonly Float64Array[], y: Uint8Array, o: { features: string[]; l2?: number; maxIterations?: number }): LogisticModel {
  const n = X.length;
  const d = o.features.length;
  if (y.length !== n) throw new RangeError('X and y differ in length');
  for (const row of X) if (row.length !== d) throw new RangeError(`every row needs ${d} features`);
  const l2 = o.l2 ?? 1;
  if (!(l2 >= 0)) throw new RangeError('l2 must be ≥ 0');
  const maxIterations = o.maxIterations ?? 100;
  // θ = [intercept, w1..wd]
  let theta = new Array<number>(d + 1).fill(0);
  const loss = (t: readonly number[]) => {
    let s = 0;
    for (let i = 0; i < n; i++) {
      let z = t[0]!;
      const row = X[i]!;
      for (let j = 0; j < d; j++) z += t[j + 1]! * row[j]!;
      // −ln σ(z) = ln(1 + e^−z), computed without overflow.
      const m = y[i] ? -z : z;
      s += m > 0 ? m + Math.log1p(Math.exp(-m)) : Math.log1p(Math.exp(m));
    }
    for (let j = 1; j <= d; j++) s += 0.5 * l2 * t[j]! ** 2;
    return s;
  };
  let current = loss(theta);
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations) {
    iterations++;
    const g = new Array<number>(d + 1).fill(0);
    const H = Array.from({ length: d + 1 }, () => new Array<number>(d + 1).fill(0));
    for (let i = 0; i < n; i++) {
      const row = X[i]!;
      let z = theta[0]!;
      for (let j = 0; j < d; j++) z += theta[j + 1]! * row[j]!;
      const p = sigmoid(z);
      const r = p - (y[i] ? 1 : 0);
      const w = Math.max(p * (1 - p), 1e-12);
      for (let a = 0; a <= d; a++) {
        const xa = a === 0 ? 1 : row[a - 1]!;
        g[a]! += r * xa;
        for (let b = 0; b <= a; b++) H[a]![b]! += w * xa * (b === 0 ? 1 : row[b - 1]!);
      }
    }
    for (let a = 0; a <= d; a++) for (let b = 0; b < a; b++) H[b]![a] = H[a]![b]!;
    for (let j = 1; j <= d; j++) {
      g[j]! += l2 * theta[j]!;
      H[j]![j]! += l2;
    }
    H[0]![0]! += 1e-12; // keeps an all-one-class sample solvable
    const step = solveSpd(H, g);
    if (!step) break;
    let t = 1;
    let next = theta.map((v, j) => v - step[j]!);
    let nextLoss = loss(next);
    while (nextLoss > current + 1e-12 * (1 + Math.abs(current)) && t > 1e-6) {
      t /= 2;
      next = theta.map((v, j) => v - t * step[j]!);
      nextLoss = loss(next);
    }
    const moved = Math.max(...step.map((s) => Math.abs(t * s)));
    theta = next;
    const improvement = current - nextLoss;
    current = nextLoss;
    if (moved < 1e-8 || (improvement >= 0 && improvement < 1e-12 * (1 + Math.abs(current)) && moved < 1e-5)) {
      converged = true;
      break;
    }
  }
  return { features: [...o.features], weights: theta.slice(1), intercept: theta[0]!, l2, iterations, converged };
}

export function predictLogistic(m: LogisticModel, x: Float64Array): number {
  if (x.length !== m.weights.length) throw new RangeError(`expected ${m.weights.length} features, got ${x.length}`);
  let z = m.intercept;
  for (let j = 0; j < x.length; j++) z += m.weights[j]! * x[j]!;
  return sigmoid(z);
}

/**
 * Area under the ROC curve = P(score of a random positive > score of a random negative), ties counting ½
 * (Mann–Whitney U with average ranks). Labels are 1 (positive) or 0. NaN without both classes.
 */
export function auc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const n = scores.length;
  if (labels.length !== n) throw new RangeError('scores and labels differ in length');
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => scores[i]! - scores[j]!);
  let positives = 0;
  let rankSum = 0;
  for (let start = 0; start < n; ) {
    let end = start;
    while (end + 1 < n && scores[order[end + 1]!] === scores[order[start]!]) end++;
    const averageRank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) {
      if (labels[order[k]!] === 1) {
        positives++;
        rankSum += averageRank;
      }
    }
    start = end + 1;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Features of one customer for one category, fixed order = PROPENSITY_FEATURES. */
export const PROPENSITY_FEATURES: readonly string[] = [
  'category_recency', // e^(−days since last purchase in the category / 90), 0 if never
  'category_orders_log', // ln(1 + orders in the category)
  'category_spend_log', // ln(1 + spend in the category, major units)
  'orders_log', // ln(1 + orders overall)
  'recency', // e^(−days since last order / 90), 0 if never
  'co_purchase_affinity', // 0..1: how strongly the customer's other categories co-occur with this one
];

/** Recency decays with a 90-day scale: recent activity counts most, and "never" is the limit 0. */
const RECENCY_SCALE_DAYS = 90;
const decay = (days: number | null) => (days === null ? 0 : Math.exp(-Math.max(0, days) / RECENCY_SCALE_DAYS));

/** Bounded, comparably scaled features, so one L2 strength regularises them all alike. */
export function propensityFeatures(c: {
  daysSinceLastInCategory: number | null;
  ordersInCategory: number;
  spendInCategory: number;
  ordersTotal: number;
  daysSinceLastOrder: number | null;
  coPurchaseAffinity: number;
}): Float64Array {
  return Float64Array.of(
    decay(c.daysSinceLastInCategory),
    Math.log1p(Math.max(0, c.ordersInCategory)),
    Math.log1p(Math.max(0, c.spendInCategory)),
    Math.log1p(Math.max(0, c.ordersTotal)),
    decay(c.daysSinceLastOrder),
    Math.min(1, Math.max(0, c.coPurchaseAffinity)),
  );
}
