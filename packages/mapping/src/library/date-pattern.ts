/**
 * Date patterns in the familiar Unicode/Java style ('yyyy-MM-dd', 'dd/MM/yyyy HH:mm'), a small
 * subset that covers what ERP and commerce systems exchange. English month and day names only.
 */
import { type WallTime, formatOffset, parseOffset } from './zones.ts';

export type PatternPart = { kind: 'literal'; text: string } | { kind: 'field'; letter: string; width: number };

const monthNames = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const dayNames = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** Pattern letters and the widths each accepts. */
const supported: Record<string, { widths: number[]; meaning: string }> = {
  y: { widths: [1, 2, 4], meaning: 'year' },
  M: { widths: [1, 2, 3, 4], meaning: 'month' },
  d: { widths: [1, 2], meaning: 'day of month' },
  E: { widths: [3, 4], meaning: 'day of week' },
  H: { widths: [1, 2], meaning: 'hour 0-23' },
  h: { widths: [1, 2], meaning: 'hour 1-12' },
  a: { widths: [1], meaning: 'AM/PM' },
  m: { widths: [1, 2], meaning: 'minute' },
  s: { widths: [1, 2], meaning: 'second' },
  S: { widths: [1, 2, 3], meaning: 'fraction of second' },
  X: { widths: [1, 2, 3], meaning: 'zone offset, Z for UTC' },
  x: { widths: [1, 2, 3], meaning: 'zone offset' },
};

export const supportedPatternLetters = 'yyyy yy y MMMM MMM MM M dd d EEEE EEE HH H hh h a mm m ss s SSS XXX XX X xxx xx x, text in single quotes';

/** Splits a pattern into parts; returns an error description for unsupported letters. */
export function tokenizePattern(pattern: string): PatternPart[] | string {
  const parts: PatternPart[] = [];
  let i = 0;
  const pushLiteral = (text: string): void => {
    const last = parts.at(-1);
    if (last?.kind === 'literal') last.text += text;
    else parts.push({ kind: 'literal', text });
  };
  while (i < pattern.length) {
    const ch = pattern.charAt(i);
    if (ch === "'") {
      if (pattern.charAt(i + 1) === "'") {
        pushLiteral("'");
        i += 2;
        continue;
      }
      // Quoted literal text; '' inside it is a quote character.
      let j = i + 1;
      let text = '';
      for (;;) {
        if (j >= pattern.length) return `has an unterminated quoted text starting at character ${i + 1}`;
        if (pattern.charAt(j) === "'") {
          if (pattern.charAt(j + 1) !== "'") break;
          text += "'";
          j += 2;
          continue;
        }
        text += pattern.charAt(j);
        j++;
      }
      pushLiteral(text);
      i = j + 1;
      continue;
    }
    if (/[A-Za-z]/.test(ch)) {
      let width = 1;
      while (pattern.charAt(i + width) === ch) width++;
      const spec = supported[ch];
      if (spec === undefined || !spec.widths.includes(width)) {
        return `uses "${ch.repeat(width)}", which is not supported (supported: ${supportedPatternLetters})`;
      }
      parts.push({ kind: 'field', letter: ch, width });
      i += width;
      continue;
    }
    pushLiteral(ch);
    i++;
  }
  return parts;
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

export function formatWall(parts: PatternPart[], wall: WallTime, offsetMinutes: number): string {
  return parts
    .map((part) => {
      if (part.kind === 'literal') return part.text;
      const { letter, width } = part;
      switch (letter) {
        case 'y':
          return width === 2 ? pad(wall.year % 100, 2) : pad(wall.year, width === 4 ? 4 : 1);
        case 'M':
          if (width === 4) return monthNames[wall.month - 1] ?? '';
          if (width === 3) return (monthNames[wall.month - 1] ?? '').slice(0, 3);
          return pad(wall.month, width);
        case 'd':
          return pad(wall.day, width);
        case 'E': {
          const date = new Date(0);
          date.setUTCFullYear(wall.year, wall.month - 1, wall.day);
          const name = dayNames[date.getUTCDay()] ?? '';
          return width === 4 ? name : name.slice(0, 3);
        }
        case 'H':
          return pad(wall.hour, width);
        case 'h':
          return pad(wall.hour % 12 === 0 ? 12 : wall.hour % 12, width);
        case 'a':
          return wall.hour < 12 ? 'AM' : 'PM';
        case 'm':
          return pad(wall.minute, width);
        case 's':
          return pad(wall.second, width);
        case 'S':
          return pad(wall.millisecond, 3).slice(0, width);
        case 'X':
          return width === 1 && offsetMinutes % 60 === 0 && offsetMinutes !== 0
            ? formatOffset(offsetMinutes, { zulu: true, colon: false }).slice(0, 3)
            : formatOffset(offsetMinutes, { zulu: true, colon: width === 3 });
        default:
          return width === 1 && offsetMinutes % 60 === 0
            ? formatOffset(offsetMinutes, { zulu: false, colon: false }).slice(0, 3)
            : formatOffset(offsetMinutes, { zulu: false, colon: width === 3 });
      }
    })
    .join('');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function fieldRegExp(letter: string, width: number): string {
  switch (letter) {
    case 'y':
      return width === 4 ? '(\\d{4})' : width === 2 ? '(\\d{2})' : '(\\d{1,4})';
    case 'M':
      return width >= 3 ? '([A-Za-z]+\\.?)' : width === 2 ? '(\\d{2})' : '(\\d{1,2})';
    case 'E':
      return '([A-Za-z]+\\.?)';
    case 'a':
      return '([AaPp]\\.?[Mm]\\.?)';
    case 'S':
      return '(\\d{1,9})';
    case 'X':
    case 'x':
      return '(Z|z|[+-]\\d{2}(?::?\\d{2})?)';
    default:
      return width === 2 ? '(\\d{2})' : '(\\d{1,2})';
  }
}

export interface ParsedText {
  wall: WallTime;
  offsetMinutes?: number;
}

/**
 * Reads text with a pattern. Spaces in the pattern match any run of whitespace and letters are
 * matched case-insensitively. Returns a description of the problem when the text does not fit.
 */
export function parseWithPattern(parts: PatternPart[], text: string): ParsedText | string {
  const fields: Array<{ letter: string; width: number }> = [];
  const source = parts
    .map((part) => {
      if (part.kind === 'literal') return escapeRegExp(part.text).replace(/\s+/g, '\\s+');
      fields.push(part);
      return fieldRegExp(part.letter, part.width);
    })
    .join('');
  const match = new RegExp(`^\\s*${source}\\s*$`, 'i').exec(text);
  if (!match) return 'does not match the pattern';
  const wall: WallTime = { year: 1970, month: 1, day: 1, hour: 0, minute: 0, second: 0, millisecond: 0 };
  let pm: boolean | undefined;
  let hour12: number | undefined;
  let offsetMinutes: number | undefined;
  let hasYear = false;
  for (const [i, field] of fields.entries()) {
    const value = match[i + 1] ?? '';
    switch (field.letter) {
      case 'y': {
        const n = Number(value);
        wall.year = field.width === 2 ? (n < 70 ? 2000 + n : 1900 + n) : n;
        hasYear = true;
        break;
      }
      case 'M': {
        if (field.width >= 3) {
          const name = value.replace('.', '').toLowerCase();
          const index = monthNames.findIndex((m) => m.toLowerCase() === name || m.slice(0, 3).toLowerCase() === name);
          if (index === -1) return `has an unknown month name "${value}"`;
          wall.month = index + 1;
        } else wall.month = Number(value);
        break;
      }
      case 'd':
        wall.day = Number(value);
        break;
      case 'E':
        break; // the day of week is implied by the date
      case 'H':
        wall.hour = Number(value);
        break;
      case 'h':
        hour12 = Number(value);
        break;
      case 'a':
        pm = value.toLowerCase().startsWith('p');
        break;
      case 'm':
        wall.minute = Number(value);
        break;
      case 's':
        wall.second = Number(value);
        break;
      case 'S':
        wall.millisecond = Number(value.padEnd(3, '0').slice(0, 3));
        break;
      default:
        offsetMinutes = parseOffset(value);
        if (offsetMinutes === undefined) return `has an invalid zone offset "${value}"`;
    }
  }
  if (!hasYear) return 'has no year (the pattern needs y, yy or yyyy)';
  if (hour12 !== undefined) {
    if (hour12 < 1 || hour12 > 12) return `has an hour ${hour12} outside 1-12`;
    wall.hour = (hour12 % 12) + (pm === true ? 12 : 0);
  }
  return offsetMinutes === undefined ? { wall } : { wall, offsetMinutes };
}
