// DESIGN §2's dependency rules, checked on the source: pure packages stay pure, the engine stays
// port-driven, and nothing reaches into apps/* or another package's src/.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function sources(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      if (name === 'node_modules' || name === 'dist') continue;
      const p = path.join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(ts|tsx)$/.test(name) && !/\.test\.tsx?$/.test(name)) out.push(p);
    }
  };
  walk(path.join(root, dir));
  return out;
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const m of text.matchAll(IMPORT)) found.push((m[1] ?? m[2])!);
  return found;
}

const RULES: Array<{ dir: string; forbid: RegExp; why: string }> = [
  { dir: 'packages/flow/src', forbid: /^(node:|express|bullmq|ioredis|isolated-vm|react|pg$|@electric-sql|jsonata|@tributary\/)/, why: 'flow is pure and depends on zod only' },
  { dir: 'packages/mapping/src', forbid: /^(node:|express|bullmq|ioredis|isolated-vm|react|pg$|@electric-sql|@tributary\/(?!flow$))/, why: 'mapping is pure' },
  { dir: 'packages/engine/src', forbid: /^(node:|express|bullmq|ioredis|isolated-vm|react|pg$|@electric-sql|@tributary\/(connectors-|connector-(?!sdk)|store|queue|sandbox|server))/, why: 'the engine gets store, connectors, sandbox and clock as ports' },
  { dir: 'packages/queue/src', forbid: /^@tributary\/(engine|store|sandbox|server)/, why: 'the queue knows nothing of the engine or store' },
  { dir: 'packages/store/src', forbid: /^@tributary\/(engine|queue|sandbox|server)/, why: 'the store knows nothing of the engine or queue' },
];

describe('dependency direction (DESIGN §2)', () => {
  it.each(RULES)('$dir: $why', ({ dir, forbid }) => {
    const offenders: string[] = [];
    for (const file of sources(dir)) for (const spec of importsOf(file)) if (forbid.test(spec)) offenders.push(`${path.relative(root, file)} imports ${spec}`);
    expect(offenders).toEqual([]);
  });

  it('nothing imports apps/* and no package deep-imports another package', () => {
    const offenders: string[] = [];
    for (const dir of ['packages', 'connectors']) {
      for (const pkg of readdirSync(path.join(root, dir))) {
        const src = path.join(dir, pkg, 'src');
        try {
          statSync(path.join(root, src));
        } catch {
          continue;
        }
        for (const file of sources(src)) {
          for (const spec of importsOf(file)) {
            if (/^@tributary\/(server|designer)/.test(spec) || /apps\//.test(spec)) offenders.push(`${file} imports ${spec}`);
            if (/^@tributary\/[^/]+\/src\//.test(spec) || (spec.startsWith('.') && /\/(packages|connectors)\//.test(path.resolve(path.dirname(file), spec).replace(path.join(root, dir, pkg), '')))) offenders.push(`${file} deep-imports ${spec}`);
          }
        }
      }
    }
    expect(offenders).toEqual([]);
  });

  it('the rule catches a forbidden import (self-check)', () => {
    expect(RULES[0]!.forbid.test('node:fs')).toBe(true);
    expect(RULES[2]!.forbid.test('@tributary/store')).toBe(true);
    expect(RULES[2]!.forbid.test('@tributary/connector-sdk')).toBe(false);
  });
});
