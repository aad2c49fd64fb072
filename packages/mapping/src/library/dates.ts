import { type ArgumentRef, argumentError, argumentProblem, expectInteger, expectSingle, expectString, optionalString } from './args.ts';
import { formatWall, parseWithPattern, tokenizePattern, type PatternPart } from './date-pattern.ts';
import type { LibraryFunction } from './types.ts';
import {
  type WallTime,
  type Zone,
  fixedZone,
  formatOffset,
  fromWall,
  isValidWall,
  parseOffset,
  resolveZone,
  toWall,
  utcMsToWall,
  wallToUtcMs,
} from './zones.ts';

/**
 * What a date argument can be: a calendar date ("2026-11-24"), a wall time without a zone
 * ("2026-11-24T09:00:00"), or an instant (ISO text with an offset, or epoch milliseconds).
 */
type DateValue =
  | { kind: 'date'; wall: WallTime }
  | { kind: 'local'; wall: WallTime }
  | { kind: 'instant'; epochMs: number; offsetMinutes?: number };

const isoPattern =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

const dateExpectation = 'an ISO date or date-time such as "2026-11-20" or "2026-11-20T09:14:27-05:00", or epoch milliseconds';

function readIso(ref: ArgumentRef, text: string): DateValue {
  const match = isoPattern.exec(text.trim());
  if (!match) throw argumentError(ref, dateExpectation, text);
  const [, y, mo, d, h, mi, s, fraction, offset] = match;
  const wall: WallTime = {
    year: Number(y),
    month: Number(mo),
    day: Number(d),
    hour: Number(h ?? 0),
    minute: Number(mi ?? 0),
    second: Number(s ?? 0),
    millisecond: fraction === undefined ? 0 : Number(fraction.padEnd(3, '0').slice(0, 3)),
  };
  if (!isValidWall(wall)) throw argumentProblem(ref, `is not a real date or time: ${JSON.stringify(text)}`);
  if (h === undefined) return { kind: 'date', wall };
  if (offset === undefined) return { kind: 'local', wall };
  const offsetMinutes = parseOffset(offset.toUpperCase());
  if (offsetMinutes === undefined) throw argumentProblem(ref, `has an invalid zone offset: ${JSON.stringify(text)}`);
  return { kind: 'instant', epochMs: wallToUtcMs(wall) - offsetMinutes * 60000, offsetMinutes };
}

/** Reads a date argument; undefined/null/blank pass through as undefined/null. */
function readDate(ref: ArgumentRef, raw: unknown): DateValue | null | undefined {
  const value = expectSingle(ref, raw);
  if (value === undefined) return undefined;
  if (value === null || (typeof value === 'string' && value.trim() === '')) return null;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw argumentError(ref, dateExpectation, value);
    return { kind: 'instant', epochMs: value };
  }
  if (typeof value !== 'string') throw argumentError(ref, dateExpectation, value);
  return readIso(ref, value);
}

function readZone(ref: ArgumentRef, raw: unknown): Zone | undefined {
  const name = optionalString(ref, raw);
  if (name === undefined || name.trim() === '') return undefined;
  const zone = resolveZone(name);
  if (zone === undefined) {
    throw argumentProblem(ref, `is not a known time zone: ${JSON.stringify(name)} (use an IANA name such as "America/New_York" or an offset such as "+02:00")`);
  }
  return zone;
}

function readPattern(ref: ArgumentRef, raw: unknown): PatternPart[] {
  const pattern = expectString(ref, raw);
  const parts = tokenizePattern(pattern);
  if (typeof parts === 'string') throw argumentProblem(ref, parts);
  return parts;
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

function isoDate(wall: WallTime): string {
  return `${pad(wall.year, 4)}-${pad(wall.month)}-${pad(wall.day)}`;
}

function isoLocal(wall: WallTime): string {
  const ms = wall.millisecond === 0 ? '' : `.${pad(wall.millisecond, 3)}`;
  return `${isoDate(wall)}T${pad(wall.hour)}:${pad(wall.minute)}:${pad(wall.second)}${ms}`;
}

/** ISO 8601 text of an instant as seen in a zone: "2026-11-20T09:14:27-05:00", "…Z" for UTC. */
function isoInstant(zone: Zone, epochMs: number): string {
  const { wall, offsetMinutes } = toWall(zone, epochMs);
  return `${isoLocal(wall)}${formatOffset(offsetMinutes, { zulu: true, colon: true })}`;
}

const utcZone = fixedZone(0);

/** The zone an instant is shown in: the one asked for, else the offset it was written with, else UTC. */
function displayZone(value: { offsetMinutes?: number }, zone: Zone | undefined): Zone {
  if (zone !== undefined) return zone;
  return value.offsetMinutes === undefined ? utcZone : fixedZone(value.offsetMinutes);
}

/** Wall time and offset a value is formatted with. Calendar dates and zone-less times are not shifted. */
function wallFor(value: DateValue, zone: Zone | undefined): { wall: WallTime; offsetMinutes: number } {
  if (value.kind === 'instant') return toWall(displayZone(value, zone), value.epochMs);
  const z = zone ?? utcZone;
  const epochMs = fromWall(z, value.wall);
  return { wall: value.wall, offsetMinutes: toWall(z, epochMs).offsetMinutes };
}

export const parseDate: LibraryFunction = {
  name: 'parseDate',
  signature: '$parseDate(text, format?, tz?)',
  description:
    'Reads a date or date-time and returns ISO 8601 text with an offset. Without `format` the text must be ISO 8601 (or epoch milliseconds). ' +
    '`format` uses pattern letters (yyyy, MM, MMM, dd, HH, hh, a, mm, ss, SSS, XXX, literal text in single quotes). ' +
    'Text without an offset is read as wall time in `tz` (an IANA zone such as "Europe/Berlin", or an offset; default UTC). ' +
    'The result is expressed in `tz` when given, else in the offset the text carried, else UTC. Text that is not a date is an argument error; empty text gives null.',
  examples: [
    { expression: '$parseDate("24/11/2026 14:30", "dd/MM/yyyy HH:mm", "Europe/Berlin")', result: '2026-11-24T14:30:00+01:00' },
    { expression: '$parseDate("2026-07-01", null, "America/New_York")', result: '2026-07-01T00:00:00-04:00' },
    { expression: '$parseDate("2026-11-20T09:14:27-05:00")', result: '2026-11-20T09:14:27-05:00' },
    { expression: '$parseDate("2026-11-20T09:14:27-05:00", null, "UTC")', result: '2026-11-20T14:14:27Z' },
    { expression: '$parseDate("Nov 3, 2026 4:05 PM", "MMM d, yyyy h:mm a")', result: '2026-11-03T16:05:00Z' },
  ],
  implementation([text, format, tz]) {
    const textRef = { fn: 'parseDate', index: 1, name: 'text' };
    const zone = readZone({ fn: 'parseDate', index: 3, name: 'tz' }, tz);
    if (format === undefined || format === null) {
      const value = readDate(textRef, text);
      if (value === undefined || value === null) return value;
      if (value.kind === 'instant') return isoInstant(displayZone(value, zone), value.epochMs);
      const z = zone ?? utcZone;
      return isoInstant(z, fromWall(z, value.wall));
    }
    const parts = readPattern({ fn: 'parseDate', index: 2, name: 'format' }, format);
    const raw = expectSingle(textRef, text);
    if (raw === undefined) return undefined;
    if (raw === null || (typeof raw === 'string' && raw.trim() === '')) return null;
    if (typeof raw !== 'string') throw argumentError(textRef, 'text', raw);
    const parsed = parseWithPattern(parts, raw);
    if (typeof parsed === 'string') {
      throw argumentProblem(textRef, `${JSON.stringify(raw)} ${parsed} ${JSON.stringify(String(format))}`);
    }
    if (!isValidWall(parsed.wall)) throw argumentProblem(textRef, `is not a real date or time: ${JSON.stringify(raw)}`);
    if (parsed.offsetMinutes !== undefined) {
      const epochMs = wallToUtcMs(parsed.wall) - parsed.offsetMinutes * 60000;
      return isoInstant(displayZone(parsed, zone), epochMs);
    }
    const z = zone ?? utcZone;
    return isoInstant(z, fromWall(z, parsed.wall));
  },
};

export const formatDate: LibraryFunction = {
  name: 'formatDate',
  signature: '$formatDate(value, pattern, tz?)',
  description:
    'Formats an ISO date/date-time (or epoch milliseconds) with a pattern such as "yyyy-MM-dd", "dd/MM/yyyy HH:mm" or "EEE d MMM yyyy". ' +
    'Instants are converted to `tz` (IANA name or offset) first; without `tz` they keep the offset they were written with (UTC for epoch milliseconds). ' +
    'Calendar dates ("2026-11-24") are never shifted. English month and day names.',
  examples: [
    { expression: '$formatDate("2026-11-20T09:14:27-05:00", "dd/MM/yyyy HH:mm")', result: '20/11/2026 09:14' },
    { expression: '$formatDate("2026-11-20T23:30:00-05:00", "yyyy-MM-dd HH:mm XXX", "Europe/Amsterdam")', result: '2026-11-21 05:30 +01:00' },
    { expression: '$formatDate("2026-11-24", "EEEE d MMMM yyyy")', result: 'Tuesday 24 November 2026' },
    { expression: '$formatDate(0, "yyyy-MM-dd\'T\'HH:mm:ss.SSSXXX")', result: '1970-01-01T00:00:00.000Z' },
  ],
  implementation([value, pattern, tz]) {
    const date = readDate({ fn: 'formatDate', index: 1, name: 'value' }, value);
    const parts = readPattern({ fn: 'formatDate', index: 2, name: 'pattern' }, pattern);
    const zone = readZone({ fn: 'formatDate', index: 3, name: 'tz' }, tz);
    if (date === undefined || date === null) return date;
    const { wall, offsetMinutes } = wallFor(date, zone);
    return formatWall(parts, wall, offsetMinutes);
  },
};

export const toDate: LibraryFunction = {
  name: 'toDate',
  signature: '$toDate(value, tz?)',
  description:
    'The calendar date ("YYYY-MM-DD") of an ISO date-time in time zone `tz`; without `tz`, the date as written (in the offset the text carries). ' +
    'Use it for ERP "order date" fields: an order placed at 23:30 in New York is the next day in Amsterdam.',
  examples: [
    { expression: '$toDate("2026-11-20T09:14:27-05:00")', result: '2026-11-20' },
    { expression: '$toDate("2026-11-20T23:30:00-05:00", "Europe/Amsterdam")', result: '2026-11-21' },
    { expression: '$toDate("2026-11-21T02:00:00Z", "America/Los_Angeles")', result: '2026-11-20' },
  ],
  implementation([value, tz]) {
    const date = readDate({ fn: 'toDate', index: 1, name: 'value' }, value);
    const zone = readZone({ fn: 'toDate', index: 2, name: 'tz' }, tz);
    if (date === undefined || date === null) return date;
    return isoDate(wallFor(date, zone).wall);
  },
};

function addDaysToWall(wall: WallTime, days: number): WallTime {
  const shifted = utcMsToWall(wallToUtcMs({ ...wall, hour: 12, minute: 0, second: 0, millisecond: 0 }) + days * 86_400_000);
  return { ...wall, year: shifted.year, month: shifted.month, day: shifted.day };
}

export const addDays: LibraryFunction = {
  name: 'addDays',
  signature: '$addDays(value, days, tz?)',
  description:
    'Adds (or with a negative number subtracts) calendar days. A date gives a date; a date-time keeps its wall-clock time across ' +
    'daylight-saving changes in `tz` (default: the offset it was written with) and is returned as ISO text in that zone.',
  examples: [
    { expression: '$addDays("2026-11-20", 30)', result: '2026-12-20' },
    { expression: '$addDays("2026-03-01", -1)', result: '2026-02-28' },
    { expression: '$addDays("2026-10-24T09:00:00+02:00", 1, "Europe/Berlin")', result: '2026-10-25T09:00:00+01:00' },
    { expression: '$addDays("2026-03-28T09:00:00+01:00", 1, "Europe/Berlin")', result: '2026-03-29T09:00:00+02:00' },
  ],
  implementation([value, days, tz]) {
    const date = readDate({ fn: 'addDays', index: 1, name: 'value' }, value);
    const n = expectInteger({ fn: 'addDays', index: 2, name: 'days' }, days);
    const zone = readZone({ fn: 'addDays', index: 3, name: 'tz' }, tz);
    if (date === undefined || date === null) return date;
    if (date.kind === 'date') return isoDate(addDaysToWall(date.wall, n));
    if (date.kind === 'local') return isoLocal(addDaysToWall(date.wall, n));
    const z = displayZone(date, zone);
    const { wall } = toWall(z, date.epochMs);
    return isoInstant(z, fromWall(z, addDaysToWall(wall, n)));
  },
};

export const dateFunctions: LibraryFunction[] = [parseDate, formatDate, toDate, addDays];
