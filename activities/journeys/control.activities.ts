// Pause / resume / archive reach running customers by signal, so held sends go out as soon as a journey resumes.
import { WorkflowNotFoundError } from '@temporalio/client';
import type { Db } from '#db/client.ts';
import { runningWorkflowsPage } from '#db/queries/journey-runs.ts';
import { journeyControlSignal } from '#workflows/journeys/journey.contract.ts';
import { mapLimit } from '../connectors/http.ts';
import { clientOf, heartbeat, type TemporalDeps } from './temporal.ts';

export interface ControlPageInput {
  tenantId: string;
  journeyId: string;
  status: 'active' | 'paused' | 'archived';
  after?: string;
  pageSize: number;
}

export function createJourneyControlActivities(deps: { db: Db } & TemporalDeps) {
  return {
    /** Signals one page of running entries; a run that ended meanwhile is skipped. */
    async signalJourneyControlPage(input: ControlPageInput): Promise<{ signalled: number; last?: string }> {
      const page = await runningWorkflowsPage(deps.db.$client, input.tenantId, input.journeyId, input.after, input.pageSize);
      const client = await clientOf(deps);
      let signalled = 0;
      await mapLimit(page, 32, async (e) => {
        try {
          await client.workflow.getHandle(e.workflowId).signal(journeyControlSignal, { status: input.status });
          signalled++;
          if (signalled % 200 === 0) heartbeat({ signalled });
        } catch (err) {
          if (!(err instanceof WorkflowNotFoundError)) throw err;
        }
      });
      return { signalled, last: page.length === input.pageSize ? page[page.length - 1]!.id : undefined };
    },
  };
}

export type JourneyControlActivities = ReturnType<typeof createJourneyControlActivities>;
