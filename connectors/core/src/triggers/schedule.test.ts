import { describe, expect, it } from 'vitest';
import { ConnectorError } from '@tributary/connector-sdk';
import { scheduleFromConfig } from './schedule.ts';

describe('scheduleFromConfig', () => {
  it.each([
    ['UTC by default', { cron: '*/15 * * * *' }, { cron: '*/15 * * * *', timezone: 'UTC' }],
    ['a window that wraps midnight', { cron: '0 * * * *', timezone: 'Europe/Berlin', windowStart: '22:00', windowEnd: '02:00' }, { cron: '0 * * * *', timezone: 'Europe/Berlin', window: { start: '22:00', end: '02:00' } }],
    ['blank window fields as no window', { cron: '0 2 * * *', windowStart: '', windowEnd: ' ' }, { cron: '0 2 * * *', timezone: 'UTC' }],
  ])('accepts %s', (_what, props, expected) => {
    expect(scheduleFromConfig(props)).toEqual(expected);
  });

  it.each([
    ['an unknown time zone', { cron: '0 2 * * *', timezone: 'Mars/Olympus' }, ['timezone']],
    ['half a window', { cron: '0 2 * * *', windowStart: '02:00' }, ['windowEnd']],
    ['times that are not HH:MM', { cron: '0 2 * * *', windowStart: '2:00', windowEnd: '25:00' }, ['windowStart', 'windowEnd']],
    ['an empty window', { cron: '0 2 * * *', windowStart: '02:00', windowEnd: '02:00' }, ['windowEnd']],
    ['an empty cron and a bad zone together', { cron: ' ', timezone: 'Nowhere' }, ['cron', 'timezone']],
  ])('refuses %s, naming every field', (_what, props, paths) => {
    try {
      scheduleFromConfig(props);
      throw new Error('expected CONFIG_INVALID');
    } catch (err) {
      expect(err).toBeInstanceOf(ConnectorError);
      expect((err as ConnectorError).code).toBe('CONFIG_INVALID');
      expect(((err as ConnectorError).details as { issues: Array<{ path: string }> }).issues.map((i) => i.path)).toEqual(paths);
    }
  });
});
