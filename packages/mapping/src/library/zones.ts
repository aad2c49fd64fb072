/**
 * Time zone arithmetic on top of Intl.DateTimeFormat (the only zone database available in the
 * browser and in an isolate). A zone is either a fixed UTC offset or an IANA name.
 */

export type Zone = { kind: 'fixed'; offsetMinutes: number } | { kind: 'iana'; name: string; format: Intl.DateTimeFormat };

/** Calendar date and wall-clock time, without a zone. month is 1-12. */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

const utc: Zone = { kind: 'fixed', offsetMinutes: 0 };
const formatCache = new Map<string, Intl.DateTimeFormat>();

/** "+05:30", "-0800", "+02" -> minutes; undefined when not an offset. "Z" is 0. */
export function parseOffset(text: string): number | undefined {
  if (text === 'Z' || text === 'z') return 0;
  const match = /^([+-])(\d{2}):?(\d{2})?$/.exec(text);
  if (!match) return undefined;
  const [, sign, hours = '0', minutes = '0'] = match;
  const h = Number(hours);
  const m = Number(minutes);
  if (h > 18 || m > 59) return undefined;
  const total = h * 60 + m;
  return sign === '-' ? -total : total;
}

/** Resolves a zone name or offset; undefined when Intl does not know the name. */
export function resolveZone(name: string): Zone | undefined {
  const trimmed = name.trim();
  const upper = trimmed.toUpperCase();
  if (upper === 'UTC' || upper === 'Z' || upper === 'GMT' || upper === 'ETC/UTC') return utc;
  const offset = parseOffset(trimmed);
  if (offset !== undefined) return { kind: 'fixed', offsetMinutes: offset };
  let format = formatCache.get(trimmed);
  if (format === undefined) {
    try {
      format = new Intl.DateTimeFormat('en-US', {
        timeZone: trimmed,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
        era: 'short',
      });
    } catch {
      // Intl throws RangeError for an unknown zone; the caller turns that into an argument error.
      return undefined;
    }
    formatCache.set(trimmed, format);
  }
  return { kind: 'iana', name: trimmed, format };
}

export function fixedZone(offsetMinutes: number): Zone {
  return { kind: 'fixed', offsetMinutes };
}

/** Milliseconds since the epoch of a wall time read as UTC (Date.UTC maps years 0-99 to 19xx; this does not). */
export function wallToUtcMs(wall: WallTime): number {
  const date = new Date(0);
  date.setUTCFullYear(wall.year, wall.month - 1, wall.day);
  date.setUTCHours(wall.hour, wall.minute, wall.second, wall.millisecond);
  return date.getTime();
}

export function utcMsToWall(ms: number): WallTime {
  const date = new Date(ms);
  return {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    hour: date.getUTCHours(),
    minute: date.getUTCMinutes(),
    second: date.getUTCSeconds(),
    millisecond: date.getUTCMilliseconds(),
  };
}

/** Offset of the zone from UTC, in minutes, at the given instant (e.g. -300 for New York in winter). */
export function offsetAt(zone: Zone, epochMs: number): number {
  if (zone.kind === 'fixed') return zone.offsetMinutes;
  const whole = Math.floor(epochMs / 1000) * 1000;
  const parts = zone.format.formatToParts(new Date(whole));
  const get = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const era = parts.find((p) => p.type === 'era')?.value ?? 'AD';
  const year = era === 'BC' || era === 'B' ? 1 - get('year') : get('year');
  const local = wallToUtcMs({ year, month: get('month'), day: get('day'), hour: get('hour') % 24, minute: get('minute'), second: get('second'), millisecond: 0 });
  return Math.round((local - whole) / 60000);
}

/** Wall time in the zone at an instant. */
export function toWall(zone: Zone, epochMs: number): { wall: WallTime; offsetMinutes: number } {
  const offsetMinutes = offsetAt(zone, epochMs);
  return { wall: utcMsToWall(epochMs + offsetMinutes * 60000), offsetMinutes };
}

/**
 * The instant a wall time denotes in a zone. Around daylight-saving changes this follows the usual
 * "compatible" rule: a time that occurs twice (clocks going back) takes the earlier instant; a time
 * that does not exist (clocks going forward) is moved forward by the length of the gap.
 */
export function fromWall(zone: Zone, wall: WallTime): number {
  const local = wallToUtcMs(wall);
  if (zone.kind === 'fixed') return local - zone.offsetMinutes * 60000;
  const day = 86_400_000;
  const before = offsetAt(zone, local - day);
  const after = offsetAt(zone, local + day);
  const valid = [...new Set([before, after])]
    .map((offset) => local - offset * 60000)
    .filter((t) => offsetAt(zone, t) * 60000 === local - t);
  if (valid.length > 0) return Math.min(...valid);
  return local - before * 60000;
}

/** "+05:30" / "-08:00"; "Z" for zero when `zulu`. */
export function formatOffset(offsetMinutes: number, options: { zulu: boolean; colon: boolean }): string {
  if (offsetMinutes === 0 && options.zulu) return 'Z';
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return options.colon ? `${sign}${hh}:${mm}` : `${sign}${hh}${mm}`;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(wallToUtcMs({ year, month: month + 1, day: 0, hour: 0, minute: 0, second: 0, millisecond: 0 })).getUTCDate();
}

export function isValidWall(wall: WallTime): boolean {
  return (
    Number.isInteger(wall.year) &&
    wall.month >= 1 &&
    wall.month <= 12 &&
    wall.day >= 1 &&
    wall.day <= daysInMonth(wall.year, wall.month) &&
    wall.hour >= 0 &&
    wall.hour <= 23 &&
    wall.minute >= 0 &&
    wall.minute <= 59 &&
    wall.second >= 0 &&
    wall.second <= 59 &&
    wall.millisecond >= 0 &&
    wall.millisecond <= 999
  );
}
