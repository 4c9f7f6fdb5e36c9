// What callers need to start, follow and schedule nightly scoring, without importing the workflow body.
import { defineQuery } from '@temporalio/workflow';

export interface NightlyScoringInput {
  tenantId: string;
  /** Given by the API so it can answer with the run id at once; a scheduled run makes its own. */
  runId?: string;
  /** ISO instant to score as of (back-testing); default: when the workflow started. */
  asOf?: string;
  trigger?: 'schedule' | 'manual';
}

export const SCORING_STEPS = ['summaries', 'models', 'neighbours', 'propensity', 'customers', 'prospects', 'finish', 'write_back'] as const;
export type ScoringStep = (typeof SCORING_STEPS)[number];

export interface ScoringProgress {
  runId: string;
  asOf: string;
  step: ScoringStep | 'starting' | 'done' | 'failed';
  stepsDone: ScoringStep[];
  customers: number;
  customersScored: number;
}

export const scoringProgressQuery = defineQuery<ScoringProgress>('progress');

export const scoringScheduleId = (tenantId: string) => `scoring:${tenantId}`;
/** A manual run's workflow id: unique per run, so "run now" twice is two runs. */
export const manualScoringWorkflowId = (tenantId: string, runId: string) => `scoring:${tenantId}:run:${runId}`;
