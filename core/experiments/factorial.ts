// Multivariate (full factorial) experiments: cells are combinations of factor levels; the main effect of a
// level is the pooled cells with that level against the pooled cells with the factor's baseline level. Pure.
import { pool, type VariantStats } from './sufficient-stats.ts';

export interface Factor {
  name: string;
  /** levels[0] is the baseline. */
  levels: readonly string[];
}

export type Cell = Record<string, string>;

/** Every combination of levels, in a stable order (first factor varies slowest). */
export function fullFactorialCells(factors: readonly Factor[]): Cell[] {
  let cells: Cell[] = [{}];
  for (const f of factors) cells = cells.flatMap((c) => f.levels.map((level) => ({ ...c, [f.name]: level })));
  return cells;
}

export const cellKey = (cell: Cell, factors: readonly Factor[]) => factors.map((f) => `${f.name}=${cell[f.name]}`).join('&');

/** Per factor: baseline pooled stats and each other level's pooled stats, ready for any two-arm test. */
export function mainEffectArms(factors: readonly Factor[], cells: readonly { cell: Cell; stats: VariantStats }[]) {
  return factors.map((f) => {
    const byLevel = (level: string) => pool(cells.filter((c) => c.cell[f.name] === level).map((c) => c.stats));
    return { factor: f.name, baseline: { level: f.levels[0]!, stats: byLevel(f.levels[0]!) }, levels: f.levels.slice(1).map((level) => ({ level, stats: byLevel(level) })) };
  });
}
