// BG/NBD (Fader, Hardie & Lee 2005) with lifetimes' conventions (analytics.md §1.1–1.2).

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
}

export function fitBgNbd(_s: Summaries, _opts?: { starts?: number; maxIterations?: number }): FitReport<BgNbdParams> {
  throw new Error('not implemented');
}
export function bgNbdLogLikelihood(_p: BgNbdParams, _s: Summaries): number {
  throw new Error('not implemented');
}
/** Conditional expected purchases in the next t periods. */
export function expectedPurchases(_p: BgNbdParams, _t: number, _x: number, _tx: number, _T: number): number {
  throw new Error('not implemented');
}
export function probabilityAlive(_p: BgNbdParams, _x: number, _tx: number, _T: number): number {
  throw new Error('not implemented');
}
/** 1 − P(Y(t) = 0 | x, tx, T): propensity to buy in the next t periods (analytics.md §4). */
export function probabilityOfPurchase(_p: BgNbdParams, _t: number, _x: number, _tx: number, _T: number): number {
  throw new Error('not implemented');
}
