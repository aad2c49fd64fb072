import { ConnectorError, defineAction, prop, retryLater } from '@tributary/connector-sdk';

/** Longest wait a step holds its worker for; longer delays are handed back to the engine. */
export const MAX_IN_PROCESS_DELAY_MS = 15 * 60_000;
/** Longest delay accepted at all. */
export const MAX_DELAY_MS = 30 * 86_400_000;

/**
 * `core.delay`: waits `ms`, or until the ISO time `until`, then passes its input on.
 *
 * Up to 15 minutes the step sleeps (through `ctx.sleep`, so cancelling the run ends the wait).
 * Longer waits throw RETRY_LATER with `retryAfterMs`: the engine re-queues the step for then
 * instead of holding a worker, without counting a failed attempt. The due time of an `ms` delay is
 * kept in the flow's state per run and node, so a re-queued step waits only for what is left.
 * Delays beyond 30 days are refused. Mind the flow's `timeoutMs` (default 5 minutes) for in-process waits.
 */
export const delayAction = defineAction({
  name: 'delay',
  label: 'Delay',
  description: 'Wait for a duration or until a time, then continue with the same data. Waits over 15 minutes are rescheduled instead of holding a worker.',
  group: 'Logic',
  kind: 'logic',
  runsIn: 'host',
  props: {
    ms: prop.integer({ label: 'Wait (milliseconds)', min: 0, max: MAX_DELAY_MS }),
    until: prop.string({ label: 'Wait until (ISO time)', placeholder: '2025-03-10T14:00:00Z' }),
  },
  exampleProps: { ms: 5000 },
  sampleOutput: { id: 1001 },
  async run(ctx) {
    const { ms, until } = ctx.props;
    if ((ms === undefined) === (until === undefined || until === '')) {
      throw new ConnectorError('CONFIG_INVALID', 'set exactly one of "ms" and "until"', { details: { path: ms === undefined ? 'ms' : 'until' } });
    }
    const now = ctx.now();
    const stateKey = `delay:${ctx.run.runId}:${ctx.run.nodeId}`;
    let due: number;
    let stored = false;
    if (until !== undefined && until !== '') {
      due = Date.parse(until);
      if (Number.isNaN(due) || !/^\d{4}-\d{2}-\d{2}T/.test(until)) {
        throw new ConnectorError('CONFIG_INVALID', `"${until}" is not an ISO date-time such as 2025-03-10T14:00:00Z`, { details: { path: 'until' } });
      }
      if (due - now > MAX_DELAY_MS) throw new ConnectorError('CONFIG_INVALID', `"${until}" is more than 30 days away`, { details: { path: 'until' } });
    } else {
      const previous = await ctx.state.get(stateKey);
      stored = typeof previous === 'number';
      due = typeof previous === 'number' ? previous : now + (ms ?? 0);
    }
    const remaining = due - now;
    if (remaining > MAX_IN_PROCESS_DELAY_MS) {
      if (until === undefined || until === '') await ctx.state.set(stateKey, due);
      // The run page shows this beside the time the run resumes: say what the wait is, not the time again.
      const what = until !== undefined && until !== '' ? `a delay until ${until}` : `a delay of ${spoken(ms ?? 0)}`;
      throw retryLater(remaining, what, { dueAt: new Date(due).toISOString() });
    }
    if (remaining > 0) await ctx.sleep(remaining, ctx.signal);
    if (stored) await ctx.state.set(stateKey, null);
    return ctx.input;
  },
});

/** 7_200_000 → "2 hours", 5_400_000 → "1 hour 30 minutes", 86_400_000 → "1 day". */
function spoken(ms: number): string {
  const units: Array<[string, number]> = [['day', 86_400_000], ['hour', 3_600_000], ['minute', 60_000], ['second', 1000]];
  const parts: string[] = [];
  let rest = ms;
  for (const [name, size] of units) {
    const n = Math.floor(rest / size);
    if (n > 0 && parts.length < 2) parts.push(`${n} ${name}${n === 1 ? '' : 's'}`);
    rest -= n * size;
  }
  return parts.length > 0 ? parts.join(' ') : `${ms} ms`;
}
