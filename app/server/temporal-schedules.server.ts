// Create-or-update and delete for Temporal Schedules, shared by connection syncs and nightly scoring.
import { ScheduleAlreadyRunning, ScheduleNotFoundError, type Client, type ScheduleOptions } from '@temporalio/client';

/** Creates the schedule or, if it exists (ScheduleAlreadyRunning), brings it in line with `options`. */
export async function upsertSchedule(client: Client, options: ScheduleOptions): Promise<'created' | 'updated'> {
  try {
    await client.schedule.create(options);
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  const { scheduleId, ...update } = options;
  await client.schedule.getHandle(scheduleId).update(() => ({ ...update, state: { paused: update.state?.paused, note: update.state?.note } }));
  return 'updated';
}

/** Deletes the schedule; one that is already gone is fine. */
export async function deleteSchedule(client: Client, scheduleId: string): Promise<void> {
  try {
    await client.schedule.getHandle(scheduleId).delete();
  } catch (err) {
    if (!(err instanceof ScheduleNotFoundError)) throw err;
  }
}
