// Derivative-free minimisation for the CLV likelihoods: Nelder–Mead with restarts.

export interface MinimizeResult {
  x: number[];
  fx: number;
  iterations: number;
  evaluations: number;
  converged: boolean;
}

export interface NelderMeadOptions {
  /** Initial simplex edge along each axis. */
  step?: number;
  maxIterations?: number;
  /** Converged when the simplex's function values and coordinates both span less than these. */
  fTolerance?: number;
  xTolerance?: number;
}

/**
 * Nelder–Mead (standard coefficients 1, 2, 0.5, 0.5). A non-finite objective value counts as +∞, so a
 * likelihood that overflows or returns NaN just repels the simplex instead of poisoning it.
 */
export function nelderMead(f: (x: number[]) => number, x0: readonly number[], o: NelderMeadOptions = {}): MinimizeResult {
  const n = x0.length;
  const step = o.step ?? 0.5;
  const maxIterations = o.maxIterations ?? 2000;
  const fTol = o.fTolerance ?? 1e-10;
  const xTol = o.xTolerance ?? 1e-8;
  let evaluations = 0;
  const fx = (x: number[]) => {
    evaluations++;
    const v = f(x);
    return Number.isFinite(v) ? v : Infinity;
  };
  const points: number[][] = [x0.slice()];
  for (let i = 0; i < n; i++) {
    const p = x0.slice();
    p[i]! += step;
    points.push(p);
  }
  const values = points.map(fx);
  const order = points.map((_, i) => i);
  let iterations = 0;
  let converged = false;
  const combine = (c: number[], p: number[], t: number) => c.map((ci, j) => ci + t * (p[j]! - ci));
  while (iterations < maxIterations) {
    order.sort((i, j) => values[i]! - values[j]!);
    const best = order[0]!;
    const worst = order[n]!;
    const second = order[n - 1]!;
    const fSpread = Math.abs(values[worst]! - values[best]!);
    let xSpread = 0;
    for (const i of order) for (let j = 0; j < n; j++) xSpread = Math.max(xSpread, Math.abs(points[i]![j]! - points[best]![j]!));
    if (fSpread <= fTol * (1 + Math.abs(values[best]!)) && xSpread <= xTol) {
      converged = true;
      break;
    }
    iterations++;
    const centroid = new Array<number>(n).fill(0);
    for (const i of order) {
      if (i === worst) continue;
      for (let j = 0; j < n; j++) centroid[j]! += points[i]![j]! / n;
    }
    const reflected = combine(centroid, points[worst]!, -1);
    const fr = fx(reflected);
    if (fr < values[best]!) {
      const expanded = combine(centroid, points[worst]!, -2);
      const fe = fx(expanded);
      if (fe < fr) {
        points[worst] = expanded;
        values[worst] = fe;
      } else {
        points[worst] = reflected;
        values[worst] = fr;
      }
      continue;
    }
    if (fr < values[second]!) {
      points[worst] = reflected;
      values[worst] = fr;
      continue;
    }
    // Contract toward the better of the worst point and its reflection.
    const outside = fr < values[worst]!;
    const contracted = combine(centroid, outside ? reflected : points[worst]!, 0.5);
    const fc = fx(contracted);
    if (fc < (outside ? fr : values[worst]!)) {
      points[worst] = contracted;
      values[worst] = fc;
      continue;
    }
    for (const i of order) {
      if (i === best) continue;
      points[i] = combine(points[best]!, points[i]!, 0.5);
      values[i] = fx(points[i]!);
    }
  }
  order.sort((i, j) => values[i]! - values[j]!);
  return { x: points[order[0]!]!, fx: values[order[0]!]!, iterations, evaluations, converged };
}

/**
 * Nelder–Mead from several starts, each restarted from its own optimum until a restart no longer improves it
 * (a collapsed simplex is the classic Nelder–Mead stall). Returns the best optimum and the total work done.
 */
export function minimizeWithRestarts(
  f: (x: number[]) => number,
  starts: readonly (readonly number[])[],
  o: NelderMeadOptions & { maxRestarts?: number } = {},
): MinimizeResult & { starts: number } {
  let best: MinimizeResult | undefined;
  let iterations = 0;
  let evaluations = 0;
  for (const start of starts) {
    let r = nelderMead(f, start, o);
    iterations += r.iterations;
    evaluations += r.evaluations;
    for (let k = 0; k < (o.maxRestarts ?? 3); k++) {
      const again = nelderMead(f, r.x, { ...o, step: Math.min(o.step ?? 0.5, 0.1) });
      iterations += again.iterations;
      evaluations += again.evaluations;
      const improved = again.fx < r.fx - (o.fTolerance ?? 1e-10) * (1 + Math.abs(r.fx));
      r = again.fx <= r.fx ? again : r;
      if (!improved) break;
    }
    if (!best || r.fx < best.fx) best = r;
  }
  if (!best) throw new Error('minimizeWithRestarts needs at least one start');
  return { ...best, iterations, evaluations, starts: starts.length };
}

/** Central-difference Hessian of f at x (step h in each coordinate). */
export function numericHessian(f: (x: number[]) => number, x: readonly number[], h = 1e-3): number[][] {
  const n = x.length;
  const at = (di: number, si: number, dj: number, sj: number) => {
    const p = x.slice();
    p[di]! += si * h;
    p[dj]! += sj * h;
    return f(p);
  };
  const f0 = f(x.slice());
  const H = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    const p = x.slice();
    p[i]! += h;
    const fp = f(p);
    p[i]! -= 2 * h;
    const fm = f(p);
    H[i]![i] = (fp - 2 * f0 + fm) / (h * h);
    for (let j = 0; j < i; j++) {
      const v = (at(i, 1, j, 1) - at(i, 1, j, -1) - at(i, -1, j, 1) + at(i, -1, j, -1)) / (4 * h * h);
      H[i]![j] = v;
      H[j]![i] = v;
    }
  }
  return H;
}

/** Eigenvalues of a small symmetric matrix (cyclic Jacobi rotations), ascending. */
export function symmetricEigenvalues(m: readonly (readonly number[])[]): number[] {
  const n = m.length;
  const a = m.map((row) => row.slice());
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) off += a[i]![j]! ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p]![q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q]![q]! - a[p]![p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k]![p]!;
          const akq = a[k]![q]!;
          a[k]![p] = c * akp - s * akq;
          a[k]![q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p]![k]!;
          const aqk = a[q]![k]!;
          a[p]![k] = c * apk - s * aqk;
          a[q]![k] = s * apk + c * aqk;
        }
      }
    }
  }
  return a.map((row, i) => row[i]!).sort((u, v) => u - v);
}

/** Inverse of a small symmetric positive-definite matrix (Gauss–Jordan); null when singular. */
export function invert(m: readonly (readonly number[])[]): number[][] | null {
  const n = m.length;
  const a = m.map((row, i) => [...row, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[pivot]![c]!)) pivot = r;
    if (Math.abs(a[pivot]![c]!) < 1e-300) return null;
    [a[c], a[pivot]] = [a[pivot]!, a[c]!];
    const d = a[c]![c]!;
    for (let k = 0; k < 2 * n; k++) a[c]![k]! /= d;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = a[r]![c]!;
      if (f !== 0) for (let k = 0; k < 2 * n; k++) a[r]![k]! -= f * a[c]![k]!;
    }
  }
  return a.map((row) => row.slice(n));
}

/**
 * BFGS with a backtracking (Armijo) line search, for polishing an optimum found by Nelder–Mead when the
 * objective is expensive and its gradient cheap. `fg` returns f and writes ∇f into `grad`.
 */
export function bfgs(
  fg: (x: number[], grad: number[]) => number,
  x0: readonly number[],
  o: { maxIterations?: number; gradientTolerance?: number; fTolerance?: number } = {},
): MinimizeResult {
  const n = x0.length;
  const maxIterations = o.maxIterations ?? 200;
  const gTol = o.gradientTolerance ?? 1e-9;
  const fTol = o.fTolerance ?? 1e-15;
  let x = x0.slice();
  let g = new Array<number>(n).fill(0);
  let f = fg(x, g);
  let evaluations = 1;
  // Inverse Hessian approximation, starting from the identity.
  let H: number[][] = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations) {
    if (!Number.isFinite(f)) break;
    if (Math.max(...g.map(Math.abs)) < gTol) {
      converged = true;
      break;
    }
    iterations++;
    const d = H.map((row) => -row.reduce((s, h, j) => s + h * g[j]!, 0));
    let slope = d.reduce((s, di, i) => s + di * g[i]!, 0);
    if (!(slope < 0)) {
      // Not a descent direction: reset to steepest descent.
      H = H.map((row, i) => row.map((_, j) => (i === j ? 1 : 0)));
      for (let i = 0; i < n; i++) d[i] = -g[i]!;
      slope = -g.reduce((s, gi) => s + gi * gi, 0);
    }
    let t = 1;
    let xNew: number[] = x;
    let gNew = new Array<number>(n).fill(0);
    let fNew = Infinity;
    for (let k = 0; k < 40; k++) {
      xNew = x.map((xi, i) => xi + t * d[i]!);
      fNew = fg(xNew, gNew);
      evaluations++;
      if (Number.isFinite(fNew) && fNew <= f + 1e-4 * t * slope) break;
      t /= 2;
      gNew = new Array<number>(n).fill(0);
    }
    if (!(fNew <= f)) break; // the line search failed: stay at the best point
    const s = xNew.map((xi, i) => xi - x[i]!);
    const y = gNew.map((gi, i) => gi - g[i]!);
    const sy = s.reduce((acc, si, i) => acc + si * y[i]!, 0);
    const improvement = f - fNew;
    x = xNew;
    g = gNew;
    f = fNew;
    if (sy > 1e-20) {
      const Hy = H.map((row) => row.reduce((acc, h, j) => acc + h * y[j]!, 0));
      const yHy = y.reduce((acc, yi, i) => acc + yi * Hy[i]!, 0);
      H = H.map((row, i) => row.map((h, j) => h + ((sy + yHy) * s[i]! * s[j]!) / (sy * sy) - (Hy[i]! * s[j]! + s[i]! * Hy[j]!) / sy));
    }
    if (improvement <= fTol * (1 + Math.abs(f)) && Math.max(...g.map(Math.abs)) < Math.sqrt(gTol)) {
      converged = true;
      break;
    }
  }
  return { x, fx: f, iterations, evaluations, converged };
}

/**
 * Maximum likelihood in log-parameter space, the way both CLV fits do it. Up to `large` rows: Nelder–Mead with
 * restarts on every row (exact on small data). Above: Nelder–Mead on a sample finds the basin (the exact one
 * would need ~1,000 full passes), then BFGS with the analytic gradient converges on every row in a few dozen
 * passes. `iterations` counts both stages.
 */
export function minimizeLikelihood(o: {
  rows: number;
  /** Mean negative log-likelihood over every row. */
  full: (x: number[]) => number;
  /** The same over a sample (built only when needed). */
  sampled: () => (x: number[]) => number;
  /** Mean negative log-likelihood and its gradient over every row. */
  gradient: (x: number[], g: number[]) => number;
  starts: readonly (readonly number[])[];
  maxIterations: number;
  large?: number;
}): MinimizeResult {
  const tol = { fTolerance: 1e-13, xTolerance: 1e-7, maxIterations: o.maxIterations };
  if (o.rows <= (o.large ?? 40_000)) return minimizeWithRestarts(o.full, o.starts, tol);
  const first = minimizeWithRestarts(o.sampled(), o.starts, { ...tol, fTolerance: 1e-8, xTolerance: 1e-2 });
  const best = bfgs(o.gradient, first.x, { maxIterations: o.maxIterations, gradientTolerance: 1e-8 });
  return { ...best, iterations: first.iterations + best.iterations };
}
