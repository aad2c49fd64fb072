// Public API of @tributary/sandbox: the isolated-vm host that evaluates mappings, `$expr` values and
// code nodes in isolates. Only JSON crosses into and out of an isolate.
export {
  createSandbox,
  type CodeRequest,
  type CodeResult,
  type EvaluateRequest,
  type LogLine,
  type Sandbox,
  type SandboxOptions,
  type SandboxStats,
} from './sandbox.ts';
export { defaultLimits, limitBounds, type Limits } from './limits.ts';
export {
  SandboxError,
  isSandboxError,
  isSandboxErrorCode,
  sandboxErrorCodes,
  type SandboxErrorCode,
  type SandboxErrorKind,
  type SandboxErrorOptions,
  type SerializedSandboxError,
} from './errors.ts';
