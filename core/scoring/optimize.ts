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
