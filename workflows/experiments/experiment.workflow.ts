// One experiment's life: wait for its start date, evaluate at start, on a timer and on demand (each evaluation is
// stored), ship the winner when the decision rule says so and auto-select is on, stop at the end date, and end on
// the stop / declareWinner signals. Every ending goes through recordExperimentDecision (an activity), which is a
// no-op when the API already recorded it. Deterministic; continue-as-new carries the evaluation count.
import { condition, continueAsNew, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { ExperimentActivities, ExperimentSettings } from '../../activities/experiments/experiments.activities.ts';
import {
  experimentEvaluateSignal,
  experimentStateQuery,
  experimentStopSignal,
  experimentWinnerSignal,
  type ExperimentWorkflowInput,
  type ExperimentWorkflowState,
} from './experiment.contract.ts';

const acts = proxyActivities<ExperimentActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '2 seconds', maximumInterval: '2 minutes', backoffCoefficient: 2 },
});

/** Bounded history even when the server does not suggest continue-as-new. */
const MAX_ROUNDS_PER_RUN = 500;

type Ending = { kind: 'stopped'; reason: string; by: string } | { kind: 'winner'; variant: string; reason: string; by: string };

export async function experimentWorkflow(input: ExperimentWorkflowInput): Promise<{ status: string; evaluations: number }> {
  const ref = { tenantId: input.tenantId, experimentId: input.experimentId };
  const state: ExperimentWorkflowState = { status: 'scheduled', evaluations: input.evaluations ?? 0, lastEvaluatedAt: null, lastDecision: null };
  let ending: Ending | null = null;
  let evaluateRequested = false;
  setHandler(experimentStopSignal, (s) => {
    ending ??= { kind: 'stopped', reason: s.reason ?? 'Stopped by hand.', by: s.by };
  });
  setHandler(experimentWinnerSignal, (s) => {
    ending ??= { kind: 'winner', variant: s.variant, reason: s.reason ?? `${s.variant} declared the winner by hand.`, by: s.by };
  });
  setHandler(experimentEvaluateSignal, () => {
    evaluateRequested = true;
  });
  setHandler(experimentStateQuery, () => state);

  let settings: ExperimentSettings | null = await acts.experimentSettings(ref);
  if (!settings || settings.status === 'draft') return { status: settings?.status ?? 'deleted', evaluations: state.evaluations };
  state.status = settings.status;

  const evaluate = async (trigger: 'start' | 'timer' | 'manual' | 'final') => {
    const out = await acts.evaluateExperiment({ ...ref, trigger });
    if (!out) return null;
    state.evaluations++;
    state.lastEvaluatedAt = out.evaluatedAt;
    state.lastDecision = out.decision;
    settings = out.settings;
    state.status = out.settings.status;
    return out;
  };
  const finish = async (e: Ending) => {
    await evaluate('final');
    const { decision } = await acts.decideExperiment({ ...ref, decision: e });
    state.status = decision?.kind === 'winner' ? 'completed' : 'stopped';
    return { status: state.status, evaluations: state.evaluations };
  };
  const msUntil = (iso: string | null) => (iso ? Date.parse(iso) - Date.now() : Infinity);

  if (settings.status === 'scheduled') {
    const wait = msUntil(settings.startAt);
    if (wait > 0 && Number.isFinite(wait)) await condition(() => ending !== null, wait);
    if (ending) return finish(ending);
    settings = await acts.beginExperiment(ref);
    if (!settings) return { status: 'deleted', evaluations: state.evaluations };
    state.status = settings.status;
  }
  if (settings.status !== 'running') return { status: settings.status, evaluations: state.evaluations };
  if (!input.evaluations) await evaluate('start');

  for (let round = 0; ; round++) {
    if (ending) return finish(ending);
    const s: ExperimentSettings = settings;
    // The API may have ended it without the signal reaching us yet (or it was deleted).
    if (s.status !== 'running') return { status: s.status, evaluations: state.evaluations };
    if (state.lastDecision?.kind === 'ship' && s.autoSelectWinner) return finish({ kind: 'winner', variant: state.lastDecision.variant, reason: state.lastDecision.reason, by: 'auto' });
    const toEnd = msUntil(s.endAt);
    if (toEnd <= 0) return finish({ kind: 'stopped', reason: 'The end date was reached without a decision.', by: 'schedule' });
    if (round >= MAX_ROUNDS_PER_RUN || workflowInfo().continueAsNewSuggested) {
      await continueAsNew<typeof experimentWorkflow>({ ...input, evaluations: state.evaluations });
    }
    const timedOut = !(await condition(() => ending !== null || evaluateRequested, Math.min(s.evaluationIntervalMinutes * 60_000, toEnd)));
    if (ending) continue;
    if (timedOut && msUntil(s.endAt) <= 0) continue;
    const trigger = evaluateRequested ? 'manual' : 'timer';
    evaluateRequested = false;
    const out = await evaluate(trigger);
    if (!out) return { status: 'deleted', evaluations: state.evaluations };
  }
}
