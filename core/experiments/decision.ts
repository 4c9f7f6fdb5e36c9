// When an experiment may stop and what it ships, as a pure rule the experiment workflow applies on every
// evaluation (GrowthBook's "Clear Signals" preset plus the issue's gates): no decision before every variant has
// its minimum sample, or while traffic shows a sample-ratio mismatch; ship a variant only if it is a
// significant winner on the primary metric and harms no guardrail; roll back on a harmed guardrail.

export interface MetricVerdict {
  metric: string;
  /** Sequential (always-valid) p-value of the variant against control, two-sided. */
  pValue: number;
  /** Direction of the estimate, already oriented so that "up" is good for this metric. */
  estimate: number;
}

export interface VariantEvaluation {
  variant: string;
  units: number;
  primary: MetricVerdict;
  guardrails: readonly MetricVerdict[];
}

export interface DecisionInput {
  variants: readonly VariantEvaluation[];
  controlUnits: number;
  minSamplePerVariant: number;
  srmPValue: number;
  srmThreshold?: number;
  alpha?: number;
}

export type Decision =
  | { kind: 'continue'; reason: string }
  | { kind: 'blocked'; reason: string }
  | { kind: 'ship'; variant: string; reason: string }
  | { kind: 'rollback'; reason: string };

const significant = (m: MetricVerdict, alpha: number) => m.pValue < alpha;

export function decide(input: DecisionInput): Decision {
  const alpha = input.alpha ?? 0.05;
  const srmThreshold = input.srmThreshold ?? 0.001;
  if (input.srmPValue < srmThreshold)
    return { kind: 'blocked', reason: `Sample ratio mismatch (p = ${input.srmPValue.toExponential(2)} < ${srmThreshold}): traffic did not split as configured; fix assignment before trusting results.` };
  const short = [{ variant: 'control', units: input.controlUnits }, ...input.variants].filter((v) => v.units < input.minSamplePerVariant);
  if (short.length) return { kind: 'continue', reason: `Minimum sample of ${input.minSamplePerVariant} per variant not reached (${short.map((s) => `${s.variant}: ${s.units}`).join(', ')}).` };

  const harmed = input.variants.flatMap((v) => v.guardrails.filter((g) => significant(g, alpha) && g.estimate < 0).map((g) => `${v.variant} harms ${g.metric} (p = ${g.pValue.toPrecision(3)})`));
  const winners = input.variants.filter((v) => significant(v.primary, alpha) && v.primary.estimate > 0 && !v.guardrails.some((g) => significant(g, alpha) && g.estimate < 0));
  const losers = input.variants.filter((v) => significant(v.primary, alpha) && v.primary.estimate < 0);
  if (harmed.length && !winners.length) return { kind: 'rollback', reason: `Guardrail harmed: ${harmed.join('; ')}.` };
  if (winners.length === 1 && winners.length + losers.length === input.variants.length) {
    const w = winners[0]!;
    return { kind: 'ship', variant: w.variant, reason: `${w.variant} beats control on ${w.primary.metric} (sequential p = ${w.primary.pValue.toPrecision(3)}) with no guardrail harmed${losers.length ? `; ${losers.map((l) => l.variant).join(', ')} lose` : ''}.` };
  }
  // GrowthBook's early stopping: ship only when exactly one variant qualifies and every other one loses.
  if (winners.length > 1) return { kind: 'continue', reason: `${winners.map((w) => w.variant).join(' and ')} both beat control; no single winner yet (declare one by hand or keep running).` };
  if (losers.length === input.variants.length) return { kind: 'rollback', reason: `Every variant loses to control on ${input.variants[0]?.primary.metric ?? 'the primary metric'}.` };
  return { kind: 'continue', reason: 'No variant is a significant winner on the primary metric yet.' };
}
