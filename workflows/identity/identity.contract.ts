// What callers need to start and watch identity workflows, without importing their bodies.
import { defineQuery } from '@temporalio/workflow';

export interface FullResolutionInput {
  tenantId: string;
  requestedBy: string;
  /** Carried across continue-as-new. */
  progress?: FullResolutionProgress;
}

export interface FullResolutionProgress {
  total: number;
  done: number;
  customersCreated: number;
  customersMerged: number;
  reviewsOpened: number;
}

export const fullResolutionProgressQuery = defineQuery<FullResolutionProgress>('progress');

export interface MergeInput {
  tenantId: string;
  customerId: string;
  otherCustomerId: string;
  actor: string;
  reason: string;
  kind?: 'manual_merge' | 'review_merge';
  details?: Record<string, unknown>;
}

export interface UnmergeInput {
  tenantId: string;
  customerId: string;
  sourceProfileIds: string[];
  actor: string;
  reason: string;
}

export const fullResolutionWorkflowId = (tenantId: string) => `identity-resolve:${tenantId}`;
export const IDENTITY_BATCH = 2000;
