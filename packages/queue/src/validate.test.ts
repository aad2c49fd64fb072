import { describe, expect, it } from 'vitest';
import { QueueError } from './errors.ts';
import { parseNewJob, parseScheduleSpec } from './validate.ts';

function errorOf(fn: () => unknown): QueueError {
  try {
    fn();
  } catch (error) {
    if (error instanceof QueueError) return error;
    throw error;
  }
  throw new Error('expected a QueueError');
}

const good = { id: 'run_01', flowId: 'flw_1', data: { a: [1, 'x', null, true] }, priority: 'high' };

describe('parseNewJob', () => {
  it('accepts a plain JSON job', () => {
    expect(parseNewJob(good, 1024)).toEqual(good);
  });

  it.each([
    { name: 'id with a colon', job: { ...good, id: 'run:1' }, path: 'id' },
    { name: 'integer id', job: { ...good, id: '42' }, path: 'id' },
    { name: 'empty id', job: { ...good, id: '' }, path: 'id' },
    { name: 'unknown priority', job: { ...good, priority: 'urgent' }, path: 'priority' },
    { name: 'missing flowId', job: { id: 'run_1', data: null, priority: 'low' }, path: 'flowId' },
    { name: 'a Date in data', job: { ...good, data: { at: new Date(0) } }, path: 'data' },
    { name: 'undefined in data', job: { ...good, data: { a: undefined } }, path: 'data' },
    { name: 'NaN in data', job: { ...good, data: [Number.NaN] }, path: 'data' },
    { name: 'negative delay', job: { ...good, delayMs: -5 }, path: 'delayMs' },
  ])('rejects $name naming the field', ({ job, path }) => {
    const error = errorOf(() => parseNewJob(job, 1024));
    expect(error.code).toBe('QUEUE_INVALID_JOB');
    expect(error.kind).toBe('user');
    expect(error.details['issues']).toEqual(expect.arrayContaining([expect.objectContaining({ path })]));
  });

  it('reports every bad field at once', () => {
    const error = errorOf(() => parseNewJob({ id: 'a:b', flowId: '', data: () => 1, priority: 'x' }, 1024));
    const issues = error.details['issues'];
    expect(Array.isArray(issues) ? issues.map((i: { path: string }) => i.path).sort() : issues).toEqual(['data', 'flowId', 'id', 'priority']);
  });

  it('rejects payloads over the size limit', () => {
    const error = errorOf(() => parseNewJob({ ...good, data: 'x'.repeat(2000) }, 1024));
    expect(error.code).toBe('QUEUE_PAYLOAD_TOO_LARGE');
  });
});

describe('parseScheduleSpec', () => {
  const spec = { id: 'flw_1', cron: '0 2 * * *', tz: 'Europe/Berlin', window: { start: '22:00', end: '02:00' }, job: { flowId: 'flw_1', data: {}, priority: 'low' } };

  it('accepts a cron with tz and a wrapping window', () => {
    expect(parseScheduleSpec(spec)).toEqual(spec);
  });

  it.each([
    { name: 'bad cron', input: { ...spec, cron: '61 * * * *' }, path: 'cron' },
    { name: 'unknown time zone', input: { ...spec, tz: 'Europe/Atlantis' }, path: 'tz' },
    { name: 'bad window time', input: { ...spec, window: { start: '25:00', end: '02:00' } }, path: 'window.start' },
    { name: 'empty window', input: { ...spec, window: { start: '02:00', end: '02:00' } }, path: 'window.end' },
    { name: 'schedule id with a colon', input: { ...spec, id: 'a:b' }, path: 'id' },
  ])('rejects $name', ({ input, path }) => {
    const error = errorOf(() => parseScheduleSpec(input));
    expect(error.code).toBe('QUEUE_INVALID_SCHEDULE');
    expect(error.details['issues']).toEqual(expect.arrayContaining([expect.objectContaining({ path })]));
  });
});
