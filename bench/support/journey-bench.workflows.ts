// The bench worker's workflows: every product workflow plus the minimal one-activity workflow that measures the
// ceiling of this Temporal server and worker (bench:journeys compares journeys against it).
import { proxyActivities } from '@temporalio/workflow';

export * from '../../workflows/index.ts';

const { benchNoop } = proxyActivities<{ benchNoop(): Promise<void> }>({ startToCloseTimeout: '1 minute' });

export async function benchMinimalWorkflow(): Promise<void> {
  await benchNoop();
}
