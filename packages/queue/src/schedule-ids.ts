/** The job id a schedule tick enqueues: one per schedule and tick, so a tick fired twice still runs once. */
export function scheduleJobId(scheduleId: string, scheduledAt: number): string {
  return `sched.${scheduleId}.${scheduledAt}`;
}
