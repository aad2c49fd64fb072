import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { linkSignals } from './signals.ts';

describe('linkSignals', () => {
  it("aborts with the first source's reason and lets go of the others", () => {
    const a = new AbortController();
    const b = new AbortController();
    const link = linkSignals([a.signal, undefined, b.signal]);
    expect(getEventListeners(b.signal, 'abort')).toHaveLength(1);
    a.abort(new Error('worker closing'));
    expect(link.signal.aborted).toBe(true);
    expect((link.signal.reason as Error).message).toBe('worker closing');
    expect(link.timedOut).toBe(false);
    expect(getEventListeners(b.signal, 'abort')).toHaveLength(0);
  });

  it('is aborted at once when a source already is, and arms no deadline', () => {
    const a = new AbortController();
    a.abort('gone');
    let asked = 0;
    const link = linkSignals([a.signal], { ms: 1, reason: () => ++asked });
    expect(link.signal.reason).toBe('gone');
    expect(asked).toBe(0);
  });

  it('aborts with the deadline reason after ms, and says it timed out', async () => {
    const caller = new AbortController();
    const link = linkSignals([caller.signal], { ms: 5, reason: () => new DOMException('too slow', 'TimeoutError') });
    await new Promise((r) => setTimeout(r, 30));
    expect(link.timedOut).toBe(true);
    expect((link.signal.reason as DOMException).name).toBe('TimeoutError');
    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(0);
  });

  it('holds nothing once disposed: no listener on a source, no deadline left to fire', async () => {
    const caller = new AbortController();
    const link = linkSignals([caller.signal], { ms: 5, reason: () => 'late' });
    link.dispose();
    link.dispose();
    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 30));
    caller.abort();
    expect(link.signal.aborted).toBe(false);
    expect(link.timedOut).toBe(false);
  });
});
