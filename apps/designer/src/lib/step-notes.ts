import type { Step } from '../api/types.ts';
import { formatDuration, formatTime } from './format.ts';

/** A field of a step's or run's recorded `error.details`, if there is one. */
function detail(subject: { error?: unknown }, key: string): unknown {
  const details = typeof subject.error === 'object' && subject.error !== null ? (subject.error as Record<string, unknown>)['details'] : undefined;
  return typeof details === 'object' && details !== null && !Array.isArray(details) ? (details as Record<string, unknown>)[key] : undefined;
}

/** What a waiting step says: when it runs again (`details.resumeAt`) and why (its message, not an error). */
export function waitingText(step: Step): string {
  const e = typeof step.error === 'object' && step.error !== null ? (step.error as Record<string, unknown>) : {};
  const why = typeof e['message'] === 'string' ? e['message'] : 'the step asked to run again later';
  const at = detail(step, 'resumeAt');
  return typeof at === 'string' ? `Waiting until ${formatTime(at)}: ${why}.` : `Waiting: ${why}.`;
}

/**
 * For a failed attempt the engine will try again (`details.retryInMs`, backoff or the vendor's
 * Retry-After): says so, so the failure does not read as the end of the run. Null otherwise.
 */
export function retryNote(step: Step): string | null {
  const inMs = detail(step, 'retryInMs');
  return step.status === 'failed' && typeof inMs === 'number' ? `Attempt ${step.attempt ?? 1} failed; the next one was scheduled ${formatDuration(inMs)} later.` : null;
}

/**
 * What a waiting run says, in the runs list and on its page: when it resumes, the step it stopped at
 * and the cause (a vendor's 503 keeps its code; a plain "run again later" needs none).
 */
export function runWaitingText(run: { error?: unknown }): string {
  const e = typeof run.error === 'object' && run.error !== null ? (run.error as Record<string, unknown>) : {};
  const message = typeof e['message'] === 'string' ? e['message'] : 'a step asked to run again later';
  const code = typeof e['code'] === 'string' && e['code'] !== 'RETRY_LATER' ? `${e['code']}: ` : '';
  const at = detail(run, 'resumeAt');
  const node = detail(run, 'nodeId');
  const when = typeof at === 'string' ? `Waiting until ${formatTime(at)}` : 'Waiting';
  return `${when}${typeof node === 'string' ? ` at step ${node}` : ''}: ${code}${message}`;
}
