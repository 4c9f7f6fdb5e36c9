// What the API needs to talk to an experiment's workflow without importing its body.
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { ExperimentStatus } from '../../core/experiments/definition.ts';
import type { Decision } from '../../core/experiments/decision.ts';

/** One workflow per experiment, on TASK_QUEUES.journeys; type name 'experimentWorkflow'. */
export const EXPERIMENT_WORKFLOW_TYPE = 'experimentWorkflow';
export const experimentWorkflowId = (tenantId: string, experimentId: string) => `experiment:${tenantId}:${experimentId}`;

export interface ExperimentWorkflowInput {
  tenantId: string;
  experimentId: string;
  /** Carried across continue-as-new. */
  evaluations?: number;
  campaignDone?: boolean;
}

/** Stop without a winner (everyone keeps their variant; new traffic gets control). */
export const experimentStopSignal = defineSignal<[{ reason?: string; by: string }]>('stop');
/** Declare a winner by hand: all new traffic is routed to it. */
export const experimentWinnerSignal = defineSignal<[{ variant: string; reason?: string; by: string }]>('declareWinner');
/** Re-evaluate now (the results page's "refresh"). */
export const experimentEvaluateSignal = defineSignal<[]>('evaluate');

export interface ExperimentWorkflowState {
  status: ExperimentStatus;
  evaluations: number;
  lastEvaluatedAt: string | null;
  lastDecision: Decision | null;
  /** Campaign sends (segment audience with templates): members done / total. */
  campaign?: { done: number; total: number };
}
export const experimentStateQuery = defineQuery<ExperimentWorkflowState>('state');
