// Entry point of the bundle that runs INSIDE every isolate (built by ../bundle.ts, loaded into the
// isolate snapshot). Only ECMAScript: no host API exists in an isolate.

import { currentLogs, runCode } from './code-runner.ts';
import { evaluateMapping, evaluateMappingNow } from './evaluate.ts';
import { runtimeGlobals } from './protocol.ts';

function install(name: string, value: unknown): void {
  // Not enumerable; configurable so a code run can remove them from its own context.
  Object.defineProperty(globalThis, name, { value, writable: false, enumerable: false, configurable: true });
}

install(runtimeGlobals.evaluate, evaluateMapping);
install(runtimeGlobals.evaluateNow, evaluateMappingNow);
install(runtimeGlobals.runCode, runCode);
install(runtimeGlobals.logs, currentLogs);
