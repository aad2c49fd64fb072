import { describe, expect, it } from 'vitest';
import { isInWindow, isValidTimeZone, parseHhmm } from './window.ts';

describe('isInWindow', () => {
  const cases: Array<{ name: string; iso: string; tz: string; start: string; end: string; inside: boolean }> = [
    { name: 'inside a day window', iso: '2025-03-10T03:00:00Z', tz: 'UTC', start: '02:00', end: '05:00', inside: true },
    { name: 'start is inclusive', iso: '2025-03-10T02:00:00Z', tz: 'UTC', start: '02:00', end: '05:00', inside: true },
    { name: 'end is exclusive', iso: '2025-03-10T05:00:00Z', tz: 'UTC', start: '02:00', end: '05:00', inside: false },
    { name: 'before a day window', iso: '2025-03-10T01:59:00Z', tz: 'UTC', start: '02:00', end: '05:00', inside: false },
    { name: 'wrapping window, late evening', iso: '2025-03-10T23:30:00Z', tz: 'UTC', start: '22:00', end: '02:00', inside: true },
    { name: 'wrapping window, after midnight', iso: '2025-03-10T01:59:00Z', tz: 'UTC', start: '22:00', end: '02:00', inside: true },
    { name: 'wrapping window, end exclusive', iso: '2025-03-10T02:00:00Z', tz: 'UTC', start: '22:00', end: '02:00', inside: false },
    { name: 'wrapping window, midday', iso: '2025-03-10T12:00:00Z', tz: 'UTC', start: '22:00', end: '02:00', inside: false },
    // 01:30 UTC is 02:30 in Berlin (CET, +1): inside 02:00–05:00 there, outside in UTC.
    { name: 'evaluated in the schedule tz', iso: '2025-01-15T01:30:00Z', tz: 'Europe/Berlin', start: '02:00', end: '05:00', inside: true },
    { name: 'same instant in UTC', iso: '2025-01-15T01:30:00Z', tz: 'UTC', start: '02:00', end: '05:00', inside: false },
    // Summer time: 01:30 UTC is 03:30 in Berlin (CEST, +2).
    { name: 'daylight saving offset', iso: '2025-07-15T01:30:00Z', tz: 'Europe/Berlin', start: '03:00', end: '04:00', inside: true },
    { name: 'negative offset zone', iso: '2025-01-15T03:00:00Z', tz: 'America/New_York', start: '22:00', end: '23:00', inside: true },
  ];
  it.each(cases)('$name', ({ iso, tz, start, end, inside }) => {
    expect(isInWindow({ at: Date.parse(iso), tz, window: { start, end } })).toBe(inside);
  });
});

describe('parseHhmm / isValidTimeZone', () => {
  it.each([
    ['00:00', 0],
    ['23:59', 1439],
    ['24:00', null],
    ['7:00', null],
    ['12:60', null],
    ['noon', null],
  ] as const)('%s -> %s', (value, minutes) => {
    expect(parseHhmm(value)).toBe(minutes);
  });

  it('knows IANA zones and rejects made-up ones', () => {
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
  });
});
