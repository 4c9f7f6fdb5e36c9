// Gamma–Gamma spend model (Fader, Hardie & Lee 2005, iso-value curves; lifetimes conventions, analytics.md §1.3).
import type { FitReport } from './bgnbd.ts';

export interface GammaGammaParams {
  p: number;
  q: number;
  v: number;
}

/** x > 0 only. */
export function fitGammaGamma(
  _s: { x: Float64Array; mbar: Float64Array; weight?: Float64Array },
  _opts?: { starts?: number },
): FitReport<GammaGammaParams> {
  throw new Error('not implemented');
}
export function expectedAverageValue(_p: GammaGammaParams, _x: number, _mbar: number): number {
  throw new Error('not implemented');
}
