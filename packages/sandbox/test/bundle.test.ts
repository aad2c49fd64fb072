import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { buildRuntimeBundle, jsonataPatches, patchJsonata, synchronousRewrites, toSynchronousJsonata } from '../src/bundle.ts';

const jsonataSource = readFileSync(createRequire(import.meta.url).resolve('jsonata'), 'utf8');

describe('jsonata patches', () => {
  it('each applies exactly once to the installed jsonata', () => {
    const patched = patchJsonata(jsonataSource);
    for (const patch of jsonataPatches) {
      expect(patched).not.toContain(patch.find);
      expect(patched.split(patch.replace)).toHaveLength(2);
    }
  });

  it('refuses a jsonata that no longer matches, naming the patch', () => {
    const moved = jsonataSource.replace("environment.lookup('clone')", "environment.lookup( 'clone' )");
    expect(() => patchJsonata(moved)).toThrow(/transform clones with the built-in \$clone only/);
  });
});

describe('synchronous jsonata', () => {
  it('applies each rewrite the expected number of times and leaves nothing asynchronous', () => {
    const out = toSynchronousJsonata(patchJsonata(jsonataSource));
    for (const rewrite of synchronousRewrites) expect(out).not.toMatch(new RegExp(rewrite.find.source));
    expect(out).not.toMatch(/\bawait\b|\basync function\b|\bPromise\b/);
  });

  it('refuses a jsonata with an asynchronous construct it does not know, naming it', () => {
    const extra = jsonataSource.replace('function isPromise(arg) {', 'function isPromise(arg) { new Promise(() => {});');
    expect(() => toSynchronousJsonata(extra)).toThrow(/asynchronous construct after the rewrite \("Promise" on line \d+\)/);
    const moreAwaits = jsonataSource.replace('function isPromise(arg) {', 'async function isPromise(arg) { await 0;');
    expect(() => toSynchronousJsonata(moreAwaits)).toThrow(/rewrite "async functions" expected 43 matches and found 44/);
  });

  it('is what the isolate runtime bundles next to upstream jsonata', async () => {
    const bundle = await buildRuntimeBundle();
    // Upstream (for deep recursion) keeps its async functions; the synchronous copy adds none.
    const asyncFunctions = bundle.code.match(/\basync function\b/g)?.length ?? 0;
    expect(asyncFunctions).toBeGreaterThanOrEqual(43);
    expect(asyncFunctions).toBeLessThan(43 * 2);
    expect(bundle.code).toContain('__tributary_evaluateNow');
  });
});
