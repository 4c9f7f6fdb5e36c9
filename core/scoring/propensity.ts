// Category purchase propensity: a transparent L2-regularised logistic regression, and AUC to back-test it.

export interface LogisticModel {
  features: string[];
  weights: number[];
  intercept: number;
  l2: number;
  iterations: number;
  converged: boolean;
}

export function fitLogistic(_X: readonly Float64Array[], _y: Uint8Array, _o: { features: string[]; l2?: number; maxIterations?: number }): LogisticModel {
  throw new Error('not implemented');
}
export function predictLogistic(_m: LogisticModel, _x: Float64Array): number {
  throw new Error('not implemented');
}
/** Ties averaged (Mann–Whitney). */
export function auc(_scores: ArrayLike<number>, _labels: ArrayLike<number>): number {
  throw new Error('not implemented');
}
/** Features of one customer for one category, fixed order = PROPENSITY_FEATURES. */
export const PROPENSITY_FEATURES: readonly string[] = [];
export function propensityFeatures(_c: {
  daysSinceLastInCategory: number | null;
  ordersInCategory: number;
  spendInCategory: number;
  ordersTotal: number;
  daysSinceLastOrder: number | null;
  coPurchaseAffinity: number;
}): Float64Array {
  throw new Error('not implemented');
}
