import { ConnectorError, defineTrigger, prop } from '@tributary/connector-sdk';

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

/**
 * `core.schedule`: cron in a time zone, optionally only inside a daily window (e.g. 02:00–05:00;
 * a window may wrap midnight, end exclusive). The scheduler (packages/queue) fires it; the event is
 * `{ scheduledAt, firedAt, timezone }`. Use `scheduleFromConfig` to turn node config into a schedule.
 */
export const scheduleTrigger = defineTrigger({
  name: 'schedule',
  label: 'Schedule',
  description: 'Start the flow on a cron schedule in a time zone, optionally only inside a daily run window.',
  group: 'Triggers',
  source: 'schedule',
  props: {
    cron: prop.cron({ label: 'Cron', required: true, placeholder: '*/15 * * * *', description: 'minute hour day-of-month month day-of-week' }),
    timezone: prop.timezone({ label: 'Time zone', default: 'UTC' }),
    windowStart: prop.string({ label: 'Run window start (HH:MM)', placeholder: '02:00' }),
    windowEnd: prop.string({ label: 'Run window end (HH:MM)', placeholder: '05:00' }),
  },
  exampleProps: { cron: '0 2 * * *', timezone: 'Europe/Berlin', windowStart: '02:00', windowEnd: '05:00' },
  sampleOutput: { scheduledAt: '2025-03-10T01:00:00.000Z', firedAt: '2025-03-10T01:00:00.412Z', timezone: 'Europe/Berlin' },
});

export interface ScheduleConfig {
  cron: string;
  timezone: string;
  window?: { start: string; end: string };
}

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/**
 * Checks a schedule node's props and returns what the scheduler needs; every problem is reported with
 * its field in one CONFIG_INVALID error. The cron syntax itself is checked by the scheduler.
 * @example scheduleFromConfig({ cron: '0 2 * * *', timezone: 'Europe/Berlin', windowStart: '02:00', windowEnd: '05:00' })
 */
export function scheduleFromConfig(props: { cron: string; timezone?: string | undefined; windowStart?: string | undefined; windowEnd?: string | undefined }): ScheduleConfig {
  const issues: Array<{ path: string; message: string }> = [];
  const timezone = props.timezone ?? 'UTC';
  if (props.cron.trim() === '') issues.push({ path: 'cron', message: 'cron must not be empty' });
  if (!isTimeZone(timezone)) issues.push({ path: 'timezone', message: `unknown time zone "${timezone}"` });
  const start = props.windowStart?.trim() || undefined;
  const end = props.windowEnd?.trim() || undefined;
  if ((start === undefined) !== (end === undefined)) issues.push({ path: start === undefined ? 'windowStart' : 'windowEnd', message: 'a run window needs both a start and an end' });
  if (start !== undefined && !HHMM.test(start)) issues.push({ path: 'windowStart', message: `"${start}" is not a time like 02:00` });
  if (end !== undefined && !HHMM.test(end)) issues.push({ path: 'windowEnd', message: `"${end}" is not a time like 05:00` });
  if (start !== undefined && start === end) issues.push({ path: 'windowEnd', message: 'the run window is empty (start equals end)' });
  if (issues.length > 0) throw new ConnectorError('CONFIG_INVALID', `invalid schedule: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, { details: { issues } });
  return { cron: props.cron.trim(), timezone, ...(start !== undefined && end !== undefined ? { window: { start, end } } : {}) };
}
