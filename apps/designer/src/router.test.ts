import { describe, expect, it } from 'vitest';
import { matchRoute } from './router.ts';

describe('matchRoute', () => {
  it.each([
    ['', { name: 'flows' }],
    ['#/', { name: 'flows' }],
    ['#/login', { name: 'login' }],
    ['#/flows/flw_1', { name: 'flow', flowId: 'flw_1' }],
    ['#/flows/flw%201/versions', { name: 'versions', flowId: 'flw 1' }],
    ['#/runs/r1', { name: 'run', runId: 'r1' }],
    ['#/kpis', { name: 'kpis' }],
    ['#/nope/x', { name: 'notFound', path: '/nope/x' }],
  ])('%s', (hash, expected) => {
    expect(matchRoute(hash)).toEqual(expected);
  });

  it('keeps the runs page filters from the query string', () => {
    const r = matchRoute('#/runs?flowId=f1&status=failed');
    expect(r.name).toBe('runs');
    if (r.name === 'runs') expect(Object.fromEntries(r.query)).toEqual({ flowId: 'f1', status: 'failed' });
  });
});
