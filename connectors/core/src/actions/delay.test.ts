import { createTestServices, runAction } from '@tributary/connector-sdk/testing';
import { describe, expect, it } from 'vitest';
import { delayAction } from './delay.ts';

const T0 = Date.parse('2025-03-10T12:00:00Z');

describe('core.delay', () => {
  it('sleeps for ms and passes its input on', async () => {
    const services = createTestServices({ startAt: T0 });
    expect(await runAction(delayAction, { props: { ms: 5000 }, input: { id: 1 }, services })).toEqual({ id: 1 });
    expect(services.sleeps).toEqual([5000]);
  });

  it('sleeps until a time, and not at all for a time already past', async () => {
    const services = createTestServices({ startAt: T0 });
    await runAction(delayAction, { props: { until: '2025-03-10T12:10:00Z' }, input: null, services });
    await runAction(delayAction, { props: { until: '2025-03-10T11:00:00Z' }, input: null, services });
    expect(services.sleeps).toEqual([600_000]);
  });

  it('hands a wait over 15 minutes back to the engine as RETRY_LATER, then waits only for what is left', async () => {
    const services = createTestServices({ startAt: T0 });
    const opts = { props: { ms: 3_600_000 }, input: { id: 1 }, services, run: { runId: 'run_1', nodeId: 'wait' } };
    const err = await runAction(delayAction, opts).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'RETRY_LATER', retryable: true, retryAfterMs: 3_600_000, message: 'a delay of 1 hour' });
    expect(services.sleeps).toEqual([]);
    services.advance(3_000_000); // the engine re-runs the step 50 minutes later
    expect(await runAction(delayAction, opts)).toEqual({ id: 1 });
    expect(services.sleeps).toEqual([600_000]);
    expect(await services.state.get('delay:run_1:wait')).toBeNull();
  });

  it.each([
    [{ ms: 5_400_000 }, 'a delay of 1 hour 30 minutes'],
    [{ ms: 2 * 86_400_000 + 3_600_000 + 60_000 }, 'a delay of 2 days 1 hour'],
    [{ until: '2025-03-11T09:00:00Z' }, 'a delay until 2025-03-11T09:00:00Z'],
  ])('names the wait it hands back (%j) for the run history: %s', async (props, message) => {
    const err = await runAction(delayAction, { props, input: null, services: createTestServices({ startAt: T0 }) }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'RETRY_LATER', message });
  });

  it('stops waiting when the run is cancelled', async () => {
    const ac = new AbortController();
    ac.abort(new Error('run cancelled'));
    await expect(runAction(delayAction, { props: { ms: 1000 }, input: null, signal: ac.signal })).rejects.toThrow('run cancelled');
  });

  it.each([
    ['neither ms nor until', {}],
    ['both ms and until', { ms: 1, until: '2025-03-10T12:00:01Z' }],
    ['an until that is not ISO', { until: 'tomorrow' }],
    ['an until more than 30 days away', { until: '2025-06-10T12:00:00Z' }],
    ['a negative ms', { ms: -1 }],
  ])('refuses %s', async (_what, props) => {
    await expect(runAction(delayAction, { props, input: null, services: createTestServices({ startAt: T0 }) })).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
  });
});
