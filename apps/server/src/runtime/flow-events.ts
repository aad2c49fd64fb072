import { EventEmitter } from 'node:events';
import { Redis } from 'ioredis';

/**
 * "Flow changed" notices (publish, enable, disable, delete) so every process drops its cached view at
 * once: in-process for the embedded mode, Redis pub/sub when several processes share a Redis.
 */
export interface FlowEvents {
  publish(flowId: string): Promise<void>;
  subscribe(listener: (flowId: string) => void): () => void;
  close(): Promise<void>;
}

export function localFlowEvents(): FlowEvents {
  const bus = new EventEmitter();
  bus.setMaxListeners(0);
  return {
    publish: async (flowId) => void bus.emit('changed', flowId),
    subscribe: (l) => {
      bus.on('changed', l);
      return () => bus.off('changed', l);
    },
    close: async () => void bus.removeAllListeners(),
  };
}

export async function redisFlowEvents(redisUrl: string, channel = 'tributary:flow-changed'): Promise<FlowEvents> {
  const pub = new Redis(redisUrl, { maxRetriesPerRequest: 3, lazyConnect: true });
  const sub = new Redis(redisUrl, { maxRetriesPerRequest: null, lazyConnect: true });
  await Promise.all([pub.connect(), sub.connect()]);
  const local = localFlowEvents();
  await sub.subscribe(channel);
  sub.on('message', (_ch: string, flowId: string) => void local.publish(flowId));
  return {
    publish: async (flowId) => {
      await pub.publish(channel, flowId);
    },
    subscribe: local.subscribe,
    close: async () => {
      await local.close();
      pub.disconnect();
      sub.disconnect();
    },
  };
}
