import { SandboxError } from '../src/index.ts';

/** The SandboxError a call rejects with; anything else (or success) fails the test. */
export async function failure(promise: Promise<unknown>): Promise<SandboxError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof SandboxError)) throw new Error(`expected a SandboxError, got ${String(error)}`);
  return error;
}
