import type { Redis } from 'ioredis';
import type { ConnectorRegistry, RateLimiterPort, SandboxPort } from '@tributary/connector-sdk';
import type { JobQueue } from '@tributary/queue';
import type { Store } from '@tributary/store';
import type { Config } from './config.ts';
import type { PinoLogger } from './logger.ts';
import type { Metrics } from './metrics.ts';
import type { FlowEvents } from './runtime/flow-events.ts';
import type { Runtime } from './runtime/runtime.ts';
import type { SecretBox } from './secrets.ts';

/** Everything a process wires together once; routes and commands receive it instead of reaching for globals. */
export interface AppContext {
  config: Config;
  mode: 'embedded' | 'server' | 'worker' | 'cli';
  store: Store;
  queue: JobQueue;
  sandbox: SandboxPort & { close(): Promise<void> };
  registry: ConnectorRegistry;
  runtime: Runtime;
  secrets: SecretBox;
  log: PinoLogger;
  metrics: Metrics;
  events: FlowEvents;
  rateLimiter: RateLimiterPort;
  /** Redis in the scaled mode (shared state across processes, e.g. sign-in attempt counters); absent or null embedded. */
  redis?: Redis | null;
}
