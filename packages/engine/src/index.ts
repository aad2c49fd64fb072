export { runFlow } from './run-flow.ts';
export type { RunOutcome, RunRequest, RunStatus } from './run-flow.ts';
export { EngineError, toStepError } from './errors.ts';
export type { EngineErrorCode, StepError } from './errors.ts';
export { realClock, TRIGGER_INPUT } from './ports.ts';
export type { Clock, EnginePorts, StepRecord } from './ports.ts';
export { DEFAULT_HOST_RETRY, DEFAULT_ISOLATE_RETRY, retryDelayMs } from './retry.ts';
export { idempotencyKey } from './idempotency.ts';
