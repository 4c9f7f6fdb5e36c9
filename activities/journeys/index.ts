// The journey engine's activities: per-run work, the dispatcher (activation loop) and batch / date entries.
import type { Db } from '#db/client.ts';
import { createJourneyDispatchActivities } from './dispatch.activities.ts';
import { createJourneyEntryActivities } from './entries.activities.ts';
import { createJourneyRunActivities } from './run.activities.ts';
import type { TemporalDeps } from './temporal.ts';

export function createJourneyActivities(deps: { db: Db } & TemporalDeps) {
  return { ...createJourneyRunActivities(deps), ...createJourneyDispatchActivities(deps), ...createJourneyEntryActivities(deps) };
}

export type JourneyActivities = ReturnType<typeof createJourneyActivities>;
