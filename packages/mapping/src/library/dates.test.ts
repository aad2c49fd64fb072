import { describe, expect, it } from 'vitest';
import { evaluateWithLibrary as run, libraryError } from './test-helpers.ts';

describe('$parseDate', () => {
  it.each([
    ['$parseDate("2026-11-20")', '2026-11-20T00:00:00Z'],
    ['$parseDate("2026-11-20T09:14:27")', '2026-11-20T09:14:27Z'],
    ['$parseDate("2026-11-20 09:14:27.5+0530")', '2026-11-20T09:14:27.500+05:30'],
    ['$parseDate("2026-11-20T09:14:27-05:00", null, "Asia/Tokyo")', '2026-11-20T23:14:27+09:00'],
    ['$parseDate(1763647200000)', '2025-11-20T14:00:00Z'],
    ['$parseDate("20.11.2026", "dd.MM.yyyy", "Europe/Zurich")', '2026-11-20T00:00:00+01:00'],
    ['$parseDate("11/20/26 9:05 pm", "MM/dd/yy h:mm a", "America/Chicago")', '2026-11-20T21:05:00-06:00'],
    ['$parseDate("Friday, 20 November 2026", "EEEE, d MMMM yyyy")', '2026-11-20T00:00:00Z'],
    ['$parseDate("20261120T091427Z", "yyyyMMdd\'T\'HHmmssX")', '2026-11-20T09:14:27Z'],
    ['$parseDate("2026-11-20 09:14 +02:00", "yyyy-MM-dd HH:mm XXX", "UTC")', '2026-11-20T07:14:00Z'],
    // 02:30 does not exist in New York on 2026-03-08 (clocks jump from 02:00 to 03:00): moved forward.
    ['$parseDate("2026-03-08T02:30:00", null, "America/New_York")', '2026-03-08T03:30:00-04:00'],
    // 01:30 happens twice on 2026-11-01: the earlier (daylight time) instant is used.
    ['$parseDate("2026-11-01T01:30:00", null, "America/New_York")', '2026-11-01T01:30:00-04:00'],
    ['$parseDate("2026-11-20", null, "+05:30")', '2026-11-20T00:00:00+05:30'],
    ['$parseDate("")', null],
  ])('%s = %j', async (expression, expected) => {
    expect(await run(expression)).toBe(expected);
  });

  it('leaves a missing value missing', async () => {
    expect(await run('$exists($parseDate(order.date))', {})).toBe(false);
  });

  it.each([
    ['$parseDate("20/11/2026")', 1, '$parseDate: argument 1 (text) must be an ISO date or date-time such as "2026-11-20" or "2026-11-20T09:14:27-05:00", or epoch milliseconds, got the text "20/11/2026"'],
    ['$parseDate("2026-02-30")', 1, '$parseDate: argument 1 (text) is not a real date or time: "2026-02-30"'],
    ['$parseDate("31/02/2026", "dd/MM/yyyy")', 1, '$parseDate: argument 1 (text) is not a real date or time: "31/02/2026"'],
    ['$parseDate("2026-11-20", "dd/MM/yyyy")', 1, '$parseDate: argument 1 (text) "2026-11-20" does not match the pattern "dd/MM/yyyy"'],
    ['$parseDate("2026-11-20", "yyyy-MM-dd QQ")', 2, '$parseDate: argument 2 (format) uses "QQ", which is not supported (supported: yyyy yy y MMMM MMM MM M dd d EEEE EEE HH H hh h a mm m ss s SSS XXX XX X xxx xx x, text in single quotes)'],
    ['$parseDate("2026-11-20", null, "Mars/Olympus")', 3, '$parseDate: argument 3 (tz) is not a known time zone: "Mars/Olympus" (use an IANA name such as "America/New_York" or an offset such as "+02:00")'],
    ['$parseDate(true)', 1, '$parseDate: argument 1 (text) must be an ISO date or date-time such as "2026-11-20" or "2026-11-20T09:14:27-05:00", or epoch milliseconds, got boolean true'],
  ])('%s fails with MAPPING_ARGUMENT', async (expression, index, message) => {
    const error = await libraryError(expression);
    expect(error.code).toBe('MAPPING_ARGUMENT');
    expect(error.details).toMatchObject({ functionName: 'parseDate', argumentIndex: index });
    expect(error.message).toBe(message);
  });
});

describe('$formatDate', () => {
  it.each([
    ['$formatDate("2026-11-20T09:14:27-05:00", "yyyy-MM-dd")', '2026-11-20'],
    ['$formatDate("2026-11-20T09:14:27-05:00", "dd/MM/yyyy HH:mm", "Europe/London")', '20/11/2026 14:14'],
    ['$formatDate("2026-07-20T09:14:27-05:00", "dd/MM/yyyy HH:mm", "Europe/London")', '20/07/2026 15:14'],
    ['$formatDate("2026-11-20T21:05:09Z", "h:mm:ss a", "America/Los_Angeles")', '1:05:09 PM'],
    ['$formatDate("2026-11-20T00:05:00Z", "hh:mm a")', '12:05 AM'],
    ['$formatDate("2026-11-20T09:14:27Z", "d MMM yy, EEE")', '20 Nov 26, Fri'],
    ['$formatDate("2026-11-20T09:14:27Z", "\'Day\' D", "UTC")', null],
    ['$formatDate("2026-11-20T09:14:27.042Z", "HH:mm:ss.SSS xx", "Asia/Kolkata")', '14:44:27.042 +0530'],
    ['$formatDate("2026-11-20", "yyyy-MM-dd HH:mm XXX", "Asia/Tokyo")', '2026-11-20 00:00 +09:00'],
    ['$formatDate("2026-11-20T10:00:00", "HH:mm", "Asia/Tokyo")', '10:00'],
    ['$formatDate("2026-11-20T10:00:00Z", "\'It\'\'s\' HH \'o\'\'clock\'")', "It's 10 o'clock"],
  ])('%s = %j', async (expression, expected) => {
    if (expected === null) {
      const error = await libraryError(expression);
      expect(error.message).toContain('uses "D", which is not supported');
      return;
    }
    expect(await run(expression)).toBe(expected);
  });
});

describe('$toDate and $addDays', () => {
  it.each([
    ['$toDate("2026-11-20T23:30:00-05:00")', '2026-11-20'],
    ['$toDate("2026-11-20T23:30:00-05:00", "UTC")', '2026-11-21'],
    ['$toDate("2026-11-24")', '2026-11-24'],
    ['$toDate("2026-11-24", "Pacific/Kiritimati")', '2026-11-24'],
    ['$toDate(created_at) = $substring(created_at, 0, 10)', true],
    ['$addDays("2024-02-28", 1)', '2024-02-29'],
    ['$addDays("2026-12-31", 1)', '2027-01-01'],
    ['$addDays("2026-11-20T09:14:27", 10)', '2026-11-30T09:14:27'],
    ['$addDays("2026-11-20T09:14:27-05:00", 30)', '2026-12-20T09:14:27-05:00'],
    ['$addDays("2026-03-07T12:00:00-05:00", 1, "America/New_York")', '2026-03-08T12:00:00-04:00'],
    ['$addDays("2026-11-20T09:14:27Z", -20)', '2026-10-31T09:14:27Z'],
  ])('%s = %j', async (expression, expected) => {
    expect(await run(expression, { created_at: '2026-11-20T09:14:27-05:00' })).toBe(expected);
  });

  it('rejects a fractional number of days', async () => {
    const error = await libraryError('$addDays("2026-11-20", 1.5)');
    expect(error.message).toBe('$addDays: argument 2 (days) must be a whole number, got number 1.5');
  });
});
