import { describe, expect, it } from 'vitest';
import type { Step } from '../api/types.ts';
import { formatTime } from './format.ts';
import { retryNote, runWaitingText, waitingText } from './step-notes.ts';

const step = (over: Partial<Step>): Step => ({ nodeId: 'n', status: 'failed', logs: [], ...over }) as Step;

describe('waitingText', () => {
  it('says when the step runs again and why', () => {
    const at = '2026-11-23T13:31:02.374Z';
    expect(waitingText(step({ status: 'waiting', error: { code: 'RETRY_LATER', message: 'a delay of 2 hours', details: { resumeAt: at } } }))).toBe(`Waiting until ${formatTime(at)}: a delay of 2 hours.`);
  });

  it('still reads without a resume time or a message', () => {
    expect(waitingText(step({ status: 'waiting', error: null }))).toBe('Waiting: the step asked to run again later.');
  });
});

describe('retryNote', () => {
  it('tells a failed attempt that will be tried again from the end of the run', () => {
    expect(retryNote(step({ attempt: 2, error: { code: 'UPSTREAM_UNAVAILABLE', message: 'the ERP answered 503', details: { status: 503, retryInMs: 60_000 } } }))).toBe('Attempt 2 failed; the next one was scheduled 1 min 0 s later.');
  });

  it('says nothing of a final failure or a step that did not fail', () => {
    expect(retryNote(step({ attempt: 3, error: { code: 'UPSTREAM_UNAVAILABLE', message: 'the ERP answered 503', details: { status: 503 } } }))).toBeNull();
    expect(retryNote(step({ status: 'succeeded', error: null }))).toBeNull();
  });
});

describe('runWaitingText', () => {
  it('names the step a run waits at, the cause with its code, and when it resumes', () => {
    const at = '2026-11-23T13:31:02.374Z';
    const run = { status: 'waiting', error: { code: 'UPSTREAM_UNAVAILABLE', message: 'the ERP answered 503', details: { status: 503, nodeId: 'post-erp', resumeAt: at } } };
    expect(runWaitingText(run)).toBe(`Waiting until ${formatTime(at)} at step post-erp: UPSTREAM_UNAVAILABLE: the ERP answered 503`);
  });

  it('leaves out the code of a plain "run again later" and reads without details', () => {
    expect(runWaitingText({ error: { code: 'RETRY_LATER', message: 'a delay of 2 hours', details: { nodeId: 'wait' } } })).toBe('Waiting at step wait: a delay of 2 hours');
    expect(runWaitingText({ error: null })).toBe('Waiting: a step asked to run again later');
  });
});
