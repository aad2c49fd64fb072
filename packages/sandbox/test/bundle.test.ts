import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { jsonataPatches, patchJsonata } from '../src/bundle.ts';

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
