import type { RunWindow } from './types.ts';

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Minutes since midnight for `HH:MM`, or null when malformed. */
export function parseHhmm(value: string): number | null {
  const match = HHMM.exec(value);
  if (match === null) return null;
  return Number(match[1]) * 60 + Number(match[2]);
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', hour: '2-digit', minute: '2-digit' });
    formatters.set(tz, f);
  }
  return f;
}

export function isValidTimeZone(tz: string): boolean {
  try {
    formatter(tz);
    return true;
  } catch {
    // Intl throws a RangeError for unknown zones: that is the answer, not a failure.
    return false;
  }
}

/** Wall-clock minutes since midnight of `at` in `tz`. */
export function minutesInZone(at: number, tz: string): number {
  let hour = 0;
  let minute = 0;
  for (const part of formatter(tz).formatToParts(new Date(at))) {
    if (part.type === 'hour') hour = Number(part.value);
    if (part.type === 'minute') minute = Number(part.value);
  }
  return hour * 60 + minute;
}

/**
 * Whether a tick at `at` falls inside the window, read on the wall clock of `tz`.
 * Start is inclusive, end exclusive; a window whose end is before its start wraps midnight
 * (22:00–02:00 holds 23:30 and 01:59, not 02:00).
 */
export function isInWindow(options: { at: number; tz: string; window: RunWindow }): boolean {
  const start = parseHhmm(options.window.start);
  const end = parseHhmm(options.window.end);
  if (start === null || end === null) return false;
  const now = minutesInZone(options.at, options.tz);
  return start < end ? now >= start && now < end : now >= start || now < end;
}
