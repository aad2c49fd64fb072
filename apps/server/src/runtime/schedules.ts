import type { ScheduleSpec } from '@tributary/queue';
import type { ActiveFlow } from './flow-cache.ts';

/**
 * The schedule a flow's trigger asks for, or null for webhook and manual triggers. Schedule triggers
 * give `cron` (and `timezone`, `windowStart`/`windowEnd` or `window`); poll triggers give `cron` or
 * `intervalMinutes`.
 */
export function scheduleFor(flow: ActiveFlow): Omit<ScheduleSpec, 'id' | 'job'> | null {
  const source = flow.triggerSpec?.trigger?.source;
  if (source !== 'schedule' && source !== 'poll') return null;
  const c = flow.triggerNode.config;
  const interval = typeof c['intervalMinutes'] === 'number' ? c['intervalMinutes'] : undefined;
  const cron = typeof c['cron'] === 'string' && c['cron'] ? c['cron'] : interval ? `*/${Math.max(1, Math.round(interval))} * * * *` : '*/5 * * * *';
  const tz = typeof c['timezone'] === 'string' && c['timezone'] ? c['timezone'] : 'UTC';
  const w = c['window'];
  const window =
    typeof w === 'object' && w !== null && 'start' in w && 'end' in w
      ? { start: String((w as { start: unknown }).start), end: String((w as { end: unknown }).end) }
      : typeof c['windowStart'] === 'string' && typeof c['windowEnd'] === 'string' && c['windowStart'] && c['windowEnd']
        ? { start: c['windowStart'], end: c['windowEnd'] }
        : undefined;
  return { cron, tz, ...(window ? { window } : {}) };
}
