import { isRouted, type StepResult } from '@tributary/connector-sdk';
import { createTestServices, runAction } from '@tributary/connector-sdk/testing';
import { describe, expect, it } from 'vitest';
import { batchAction } from './batch.ts';

const view = (r: StepResult) => (isRouted(r) ? { ports: [...r.ports], output: r.output } : { ports: ['out'], output: r });

describe('core.batch within one run', () => {
  it.each([
    ['splits into batches of N with a shorter last one', [1, 2, 3, 4, 5], 2, [[1, 2], [3, 4], [5]]],
    ['keeps an exact multiple', [1, 2, 3, 4], 2, [[1, 2], [3, 4]]],
    ['treats a single value as one item', 'only', 3, [['only']]],
    ['gives no batches for no items', [], 3, []],
  ])('%s', async (_what, input, size, batches) => {
    expect(view(await runAction(batchAction, { props: { size }, input }))).toEqual({ ports: ['out'], output: { batches, pending: 0 } });
  });
});

describe('core.batch across runs', () => {
  const run = (services: ReturnType<typeof createTestServices>, input: unknown[], props: Record<string, unknown> = {}) =>
    runAction(batchAction, { props: { size: 3, maxAgeSeconds: 60, ...props }, input: input as never, services, run: { nodeId: 'collect' } }).then(view);

  it('holds items until N are waiting, then emits full batches and keeps the rest', async () => {
    const services = createTestServices();
    expect(await run(services, ['a', 'b'])).toEqual({ ports: [], output: { batches: [], pending: 2 } });
    expect(await run(services, ['c', 'd'])).toEqual({ ports: ['out'], output: { batches: [['a', 'b', 'c']], pending: 1 } });
    expect(services.stateData.get('batch:collect')).toMatchObject({ items: ['d'] });
  });

  it('flushes a partial batch once the oldest item is maxAgeSeconds old', async () => {
    const services = createTestServices();
    await run(services, ['a']);
    services.advance(59_999);
    expect(await run(services, ['b'])).toEqual({ ports: [], output: { batches: [], pending: 2 } });
    services.advance(1);
    expect(await run(services, [])).toEqual({ ports: ['out'], output: { batches: [['a', 'b']], pending: 0 } });
    expect(await run(services, [])).toEqual({ ports: [], output: { batches: [], pending: 0 } });
  });

  it('ages leftovers from the oldest item still waiting', async () => {
    const services = createTestServices();
    await run(services, ['a', 'b', 'c', 'd'], { size: 2 }); // emits [a,b],[c,d]
    await run(services, ['e'], { size: 2 });
    services.advance(30_000);
    await run(services, ['f', 'g'], { size: 2 }); // emits [e,f], g waits from now
    services.advance(59_000);
    expect(await run(services, [], { size: 2 })).toMatchObject({ ports: [], output: { pending: 1 } });
    services.advance(1_000);
    expect(await run(services, [], { size: 2 })).toEqual({ ports: ['out'], output: { batches: [['g']], pending: 0 } });
  });

  it('keeps separate batches per key', async () => {
    const services = createTestServices();
    await run(services, ['a', 'b'], { key: 'eu' });
    expect(await run(services, ['x'], { key: 'us' })).toMatchObject({ output: { pending: 1 } });
    expect(await run(services, ['c'], { key: 'eu' })).toMatchObject({ output: { batches: [['a', 'b', 'c']] } });
  });

  it('refuses state under its key that is not a batch instead of overwriting it', async () => {
    const services = createTestServices();
    await services.state.set('batch:collect', 'something else');
    await expect(run(services, ['a'])).rejects.toMatchObject({ code: 'INTERNAL' });
    expect(services.stateData.get('batch:collect')).toBe('something else');
  });
});
