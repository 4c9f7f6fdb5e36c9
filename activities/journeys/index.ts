// The journey engine's activities: per-run work, the dispatcher (activation loop), batch / date entries, control.
import type { Db } from '#db/client.ts';
import { createJourneyControlActivities } from './control.activities.ts';
import { createJourneyDispatchActivities } from './dispatch.activities.ts';
import { createJourneyEntryActivities } from './entries.activities.ts';
import { createJourneyRunActivities } from './run.activities.ts';
import type { TemporalDeps } from './temporal.ts';

export function createJourneyActivities(deps: { db: Db } & TemporalDeps) {
  return { ...createJourneyRunActivities(deps), ...createJourneyDispatchActivities(deps), ...createJourneyEntryActivities(deps), ...createJourneyControlActivities(deps) };
}

export type JourneyActivities = ReturnType<typeof createJourneyActivities>;
