// Probabilistic record linkage (Fellegi–Sunter) over NormalizedIdentity pairs. Pure.
//
// Every comparison sorts a pair into one of its ordered levels (most similar first); each level has
//   m = P(level | same person)   and   u = P(level | different people),
// and contributes the Bayes factor log2(m / u) bits. A missing value on either side is the level
// "missing" and contributes 0. With λ the prior probability that two random profiles are the same
// person (Splink's convention):
//   weight      = log2(λ / (1 − λ)) + Σ log2(m / u)
//   probability = 2^weight / (1 + 2^weight)
import { jaroWinkler, levenshteinSimilarity, withinOneEdit } from './similarity.ts';
import type { NormalizedIdentity } from './types.ts';

export const MISSING = 'missing';

export interface ComparisonLevel {
  name: string;
  /** P(level | match). */
  m: number;
  /** P(level | non-match). */
  u: number;
  description: string;
}

export interface Comparison<T = NormalizedIdentity> {
  name: string;
  description: string;
  /** Most similar first. The m (and u) of a comparison's levels sum to 1. */
  levels: readonly ComparisonLevel[];
  /** The level name the pair falls in, or null when a value is missing on either side. Must be symmetric. */
  compare: (a: T, b: T) => string | null;
}

export interface FellegiSunterModel<T = NormalizedIdentity> {
  /** Prior probability that two profiles drawn at random are the same person. */
  lambda: number;
  comparisons: readonly Comparison<T>[];
}

export interface MatchScore {
  /** Total match weight in bits (prior + Σ level weights). */
  weight: number;
  /** 2^weight / (1 + 2^weight). */
  probability: number;
  /** Comparison name → level name ("missing" when a value is absent): the "why" of the score. */
  levels: Record<string, string>;
  /** Comparison name → the bits its level contributed (0 for missing). */
  weights: Record<string, number>;
}

/** log2 of a Bayes factor. */
export const bayesFactorBits = (m: number, u: number) => Math.log2(m / u);

/** Splink's probability from a match weight; stable for large |weight|. */
export function weightToProbability(weight: number): number {
  if (weight >= 0) return 1 / (1 + 2 ** -weight);
  const p = 2 ** weight;
  return p / (1 + p);
}

/** The match weight for a probability (inverse of weightToProbability). */
export const probabilityToWeight = (probability: number) => Math.log2(probability / (1 - probability));

interface CompiledModel {
  prior: number;
  weights: Map<string, number>[];
  /** Comparison indexes, largest possible gain first (the order the bound check visits them). */
  order: number[];
  /** remainingMax[k]: the most the comparisons order[k..] can still add (a missing value adds 0). */
  remainingMax: number[];
}

// Compiled level weights per model (models are immutable values; the cache is only a speed-up).
const compiled = new WeakMap<object, CompiledModel>();

function compile<T>(model: FellegiSunterModel<T>): CompiledModel {
  let c = compiled.get(model);
  if (!c) {
    const weights = model.comparisons.map((cmp) => new Map(cmp.levels.map((l) => [l.name, bayesFactorBits(l.m, l.u)])));
    const best = weights.map((w) => Math.max(0, ...w.values()));
    const order = best.map((_, i) => i).sort((x, y) => best[y]! - best[x]! || x - y);
    const remainingMax = order.map((_, k) => order.slice(k).reduce((sum, i) => sum + best[i]!, 0));
    c = { prior: Math.log2(model.lambda / (1 - model.lambda)), weights, order, remainingMax };
    compiled.set(model, c);
  }
  return c;
}

/**
 * True when the pair's weight is certainly below `minWeight`, found without scoring every comparison: the
 * comparisons with the most to gain go first, and scoring stops as soon as the weight so far plus everything
 * the rest could still add cannot reach `minWeight`. Most candidate pairs of a block (same last name and birth
 * year, different people) are settled after two or three comparisons. When it returns false, call scorePair.
 */
export function scoresBelow(a: NormalizedIdentity, b: NormalizedIdentity, minWeight: number, model?: FellegiSunterModel<NormalizedIdentity>): boolean;
export function scoresBelow<T>(a: T, b: T, minWeight: number, model: FellegiSunterModel<T>): boolean;
export function scoresBelow<T>(a: T, b: T, minWeight: number, model: FellegiSunterModel<T> = defaultModel as unknown as FellegiSunterModel<T>): boolean {
  const { prior, weights, order, remainingMax } = compile(model);
  let weight = prior;
  for (let k = 0; k < order.length; k++) {
    if (weight + remainingMax[k]! < minWeight) return true;
    const i = order[k]!;
    const level = model.comparisons[i]!.compare(a, b);
    if (level !== null) weight += weights[i]!.get(level) ?? 0;
  }
  return weight < minWeight;
}

/** Score one pair. Symmetric when every comparison is. */
export function scorePair(a: NormalizedIdentity, b: NormalizedIdentity, model?: FellegiSunterModel<NormalizedIdentity>): MatchScore;
export function scorePair<T>(a: T, b: T, model: FellegiSunterModel<T>): MatchScore;
export function scorePair<T>(a: T, b: T, model: FellegiSunterModel<T> = defaultModel as unknown as FellegiSunterModel<T>): MatchScore {
  const { prior, weights } = compile(model);
  const levels: Record<string, string> = {};
  const contributions: Record<string, number> = {};
  let weight = prior;
  for (let i = 0; i < model.comparisons.length; i++) {
    const cmp = model.comparisons[i]!;
    const level = cmp.compare(a, b);
    if (level === null) {
      levels[cmp.name] = MISSING;
      contributions[cmp.name] = 0;
      continue;
    }
    const w = weights[i]!.get(level);
    if (w === undefined) throw new Error(`comparison ${cmp.name} returned unknown level ${level}`);
    levels[cmp.name] = level;
    contributions[cmp.name] = w;
    weight += w;
  }
  return { weight, probability: weightToProbability(weight), levels, weights: contributions };
}

// ---------------------------------------------------------------------------------------------------
// Comparison functions over NormalizedIdentity

const noSpaces = (s: string) => (s.includes(' ') ? s.replaceAll(' ', '') : s);

/** Jaro–Winkler that ignores spacing ("de la fuente" = "delafuente", "soph ie" ≈ "sophie"). Symmetric. */
function nameSimilarity(a: string, b: string): number {
  const direct = jaroWinkler(a, b);
  if (direct === 1 || (!a.includes(' ') && !b.includes(' '))) return direct;
  return Math.max(direct, jaroWinkler(noSpaces(a), noSpaces(b)));
}

const NAME_CLOSE = 0.94;
const NAME_SIMILAR = 0.85;

/** First and last name entered in each other's fields (common in forms: "apellido, nombre"). */
function namesSwapped(a: NormalizedIdentity, b: NormalizedIdentity): boolean {
  if (a.firstName === null || a.lastName === null || b.firstName === null || b.lastName === null) return false;
  // The direct reading must not already be a good match, else this is just a pair with similar names.
  if (nameSimilarity(a.firstName, b.firstName) >= NAME_SIMILAR && nameSimilarity(a.lastName, b.lastName) >= NAME_SIMILAR) return false;
  return nameSimilarity(a.firstName, b.lastName) >= NAME_CLOSE && nameSimilarity(a.lastName, b.firstName) >= NAME_CLOSE;
}

function nameLevel(x: string | null, y: string | null, a: NormalizedIdentity, b: NormalizedIdentity): string | null {
  if (x === null || y === null) return null;
  if (x === y) return 'exact';
  const s = nameSimilarity(x, y);
  if (s >= NAME_CLOSE) return 'close';
  if (namesSwapped(a, b)) return 'swapped';
  if (s >= NAME_SIMILAR) return 'similar';
  return 'different';
}

function documentLevel(a: NormalizedIdentity, b: NormalizedIdentity): string | null {
  if ((a.dnis.length === 0 && a.cuits.length === 0) || (b.dnis.length === 0 && b.cuits.length === 0)) return null;
  for (const d of a.dnis) if (b.dnis.includes(d)) return 'exact';
  for (const c of a.cuits) if (b.cuits.includes(c)) return 'exact';
  for (const d of a.dnis) for (const e of b.dnis) if (withinOneEdit(d, e) && Math.abs(Number(d) - Number(e)) !== 1) return 'close';
  return 'different';
}

function exactLevel(x: string | null, y: string | null): string | null {
  if (x === null || y === null) return null;
  return x === y ? 'exact' : 'different';
}

function emailLevel(x: string | null, y: string | null): string | null {
  if (x === null || y === null) return null;
  if (x === y) return 'exact';
  return withinOneEdit(x, y) ? 'close' : 'different';
}

/** YYYY-MM-DD. */
function birthDateLevel(x: string | null, y: string | null): string | null {
  if (x === null || y === null) return null;
  if (x === y) return 'exact';
  const sameYear = x.slice(0, 4) === y.slice(0, 4);
  // Day and month entered the other way round (DD/MM vs MM/DD), or one digit typed wrong / two swapped.
  const dayMonthSwapped = sameYear && x.slice(5, 7) === y.slice(8, 10) && x.slice(8, 10) === y.slice(5, 7);
  if (dayMonthSwapped || withinOneEdit(x, y)) return 'close';
  return sameYear ? 'year' : 'different';
}

function streetLevel(x: string | null, y: string | null): string | null {
  if (x === null || y === null) return null;
  if (x === y) return 'exact';
  const s = levenshteinSimilarity(x, y);
  if (s >= 0.9) return 'close';
  if (s >= 0.7) return 'similar';
  return 'different';
}

function phoneLevel(a: NormalizedIdentity, b: NormalizedIdentity): string | null {
  if (a.phone === null || b.phone === null) return null;
  if (a.phone !== b.phone) return 'different';
  return a.phoneIsMobile && b.phoneIsMobile ? 'exact' : 'exact_landline';
}

function postalCodeLevel(x: string | null, y: string | null): string | null {
  if (x === null || y === null) return null;
  if (x === y) return 'exact';
  return withinOneEdit(x, y) ? 'close' : 'different';
}

function cityLevel(x: string | null, y: string | null): string | null {
  if (x === null || y === null) return null;
  if (x === y) return 'exact';
  return jaroWinkler(x, y) >= 0.9 ? 'close' : 'different';
}

// ---------------------------------------------------------------------------------------------------
// The default model. Hand-set, not fitted: m values are typical data-entry error rates (cross-checked
// against Febrl dataset1, whose generator simulates them, and softened towards real customer data where
// people move, use several emails and phones, and write nicknames); u values are Argentine-population
// frequencies for two random people, made deliberately conservative (larger) where Febrl's synthetic
// population is more diverse than a real one (names, cities).
//
// Location fields are not independent (the street implies the postal code implies the city implies the
// province) and a shared address is household evidence, not person evidence: P(same person | same
// address) is about 1 / household size. Their u values are therefore "effective" ones: full location
// agreement adds 12.6 bits, which takes the prior (λ = 1e-4, −13.3 bits) to about 1 in 2.6 (a household)
// and no further, and full disagreement (someone who moved) costs 9.5 bits, not four independent penalties.
//
// Documents are authoritative in Argentina: two different DNIs (not one typo apart) cost 7.6 bits, enough
// to keep twins (same last name, birth date and address) out of automatic merging even though Febrl
// gives ~5% of its true pairs unrelated ids.
//
// Level weights, bits (log2 m/u), prior −13.3:
//   document     exact +19.8  close +12.7  different −7.6
//   email        exact +12.6  close +6.6   different −1.4
//   phone        exact (mobile) +13.3  exact_landline +7.6  different −1.3
//   firstName    exact +6.4   close +4.5   swapped +4.3  similar +0.6  different −4.3
//   lastName     exact +7.3   close +5.3   swapped +4.9  similar +2.0  different −4.3
//   birthDate    exact +14.4  close +5.3   year +0.5     different −4.0
//   street       exact +6.0   close +4.1   similar +2.7  different −2.3
//   postalCode   exact +3.0   close +0.4   different −2.1
//   city         exact +2.0   close +0.6   different −2.3
//   province     exact +1.6   different −2.8

const level = (name: string, m: number, u: number, description: string): ComparisonLevel => ({ name, m, u, description });

export const defaultComparisons: readonly Comparison[] = [
  {
    name: 'document',
    description: 'DNI / CUIT',
    levels: [
      // u: two people sharing a document is a data error (a relative's DNI typed in), about one in a million pairs.
      level('exact', 0.93, 0.000001, 'a DNI or CUIT in common'),
      // ~100 numbers lie one edit away from a DNI, out of ~50 million in use. Consecutive numbers are excluded:
      // siblings (twins above all) registered together get consecutive DNIs.
      level('close', 0.065, 0.00001, 'DNIs one typo apart (one digit wrong, missing, extra, or two swapped)'),
      // Strong evidence against, but not a veto: ~5% of true pairs carry an unrelated document (Febrl: 4.6%).
      level('different', 0.005, 0.999989, 'both have documents, none alike'),
    ],
    compare: documentLevel,
  },
  {
    name: 'email',
    description: 'Email',
    levels: [
      // m: people use several addresses; u: households share one, so 1e-4 rather than ~0.
      level('exact', 0.6, 0.0001, 'same email'),
      level('close', 0.02, 0.0002, 'one typo apart'),
      level('different', 0.38, 0.9997, 'different emails'),
    ],
    compare: (a, b) => emailLevel(a.email, b.email),
  },
  {
    name: 'phone',
    description: 'Phone',
    levels: [
      // A mobile is personal (u: recycled or shared numbers); a landline is the household's.
      level('exact', 0.5, 0.00005, 'same mobile number'),
      level('exact_landline', 0.1, 0.0005, 'same landline (household) number'),
      level('different', 0.4, 0.99945, 'different numbers'),
    ],
    compare: phoneLevel,
  },
  {
    name: 'firstName',
    description: 'First name',
    levels: [
      // u 0.01: Σ p² over Argentine first names (María, Juan… are a few % each). Febrl dataset1: 0.004.
      level('exact', 0.82, 0.01, 'same first name'),
      level('close', 0.07, 0.003, 'Jaro–Winkler ≥ 0.94'),
      level('swapped', 0.03, 0.0015, 'first and last name swapped'),
      level('similar', 0.03, 0.02, 'Jaro–Winkler ≥ 0.85'),
      level('different', 0.05, 0.9655, 'different first names'),
    ],
    compare: (a, b) => nameLevel(a.firstName, b.firstName, a, b),
  },
  {
    name: 'lastName',
    description: 'Last name',
    levels: [
      // u 0.005: González, Rodríguez, Gómez… Febrl dataset1: 0.003.
      level('exact', 0.8, 0.005, 'same last name'),
      level('close', 0.08, 0.002, 'Jaro–Winkler ≥ 0.94'),
      level('swapped', 0.03, 0.001, 'first and last name swapped'),
      level('similar', 0.04, 0.01, 'Jaro–Winkler ≥ 0.85'),
      level('different', 0.05, 0.982, 'different last names'),
    ],
    compare: (a, b) => nameLevel(a.lastName, b.lastName, a, b),
  },
  {
    name: 'birthDate',
    description: 'Birth date',
    levels: [
      // u: 1 / (365 × ~70 years). m: placeholder dates (01/01) and typos.
      level('exact', 0.88, 0.00004, 'same date'),
      level('close', 0.04, 0.001, 'day and month swapped, or one digit wrong / two swapped'),
      level('year', 0.02, 0.014, 'same year only'),
      level('different', 0.06, 0.98496, 'different dates'),
    ],
    compare: (a, b) => birthDateLevel(a.birthDate, b.birthDate),
  },
  {
    name: 'street',
    description: 'Street address',
    levels: [
      // Effective u (see above). m(different) 0.2: people move.
      level('exact', 0.55, 0.0086, 'same street and number'),
      level('close', 0.15, 0.009, 'Levenshtein similarity ≥ 0.9'),
      level('similar', 0.1, 0.015, 'Levenshtein similarity ≥ 0.7'),
      level('different', 0.2, 0.9674, 'different addresses'),
    ],
    compare: (a, b) => streetLevel(a.street, b.street),
  },
  {
    name: 'postalCode',
    description: 'Postal code',
    levels: [
      // A 4-digit código postal covers a whole neighbourhood or town.
      level('exact', 0.72, 0.09, 'same postal code'),
      level('close', 0.08, 0.06, 'one typo apart'),
      level('different', 0.2, 0.85, 'different postal codes'),
    ],
    compare: (a, b) => postalCodeLevel(a.postalCode, b.postalCode),
  },
  {
    name: 'city',
    description: 'City',
    levels: [
      // Customers concentrate in a few cities (CABA, Córdoba, Rosario…).
      level('exact', 0.76, 0.19, 'same city'),
      level('close', 0.09, 0.06, 'Jaro–Winkler ≥ 0.9'),
      level('different', 0.15, 0.75, 'different cities'),
    ],
    compare: (a, b) => cityLevel(a.city, b.city),
  },
  {
    name: 'province',
    description: 'Province',
    levels: [
      // Σ p² over provinces (Buenos Aires ~38%, CABA, Córdoba, Santa Fe…) ≈ 0.2; raised for dependence.
      level('exact', 0.9, 0.3, 'same province'),
      level('different', 0.1, 0.7, 'different provinces'),
    ],
    compare: (a, b) => exactLevel(a.province, b.province),
  },
];

/** λ = 1e-4: about one duplicate per 10,000 random profile pairs. The engine may override it per tenant. */
export const defaultModel: FellegiSunterModel = {
  lambda: 0.0001,
  comparisons: defaultComparisons,
};

/**
 * Match probabilities. ≥ autoMerge (weight ≥ ~10 bits): merged without a human (clusters are the connected
 * components of these links). ≥ review (weight ≥ ~4.2 bits) and below autoMerge: queued for a person to
 * decide. Below review: not a match. Chosen so that household members stay apart: a father and son with the
 * same name and address but different birth dates (8.9 bits), or twins with different DNIs (9.1 bits), go to
 * review; a sibling (−1.7 bits) is not even reviewed; the same person with name and birth date but a new
 * address and no shared contact (5.3 bits) is reviewed.
 */
export const DEFAULT_THRESHOLDS = { autoMerge: 0.999, review: 0.95 } as const;
