import { describe, expect, it } from 'vitest';

// Every source file of the package as text (tests and test helpers excluded).
const sources = Object.entries(
  import.meta.glob(['./**/*.ts', '!./**/*.test.ts', '!./**/test-helpers.ts'], { query: '?raw', import: 'default', eager: true }),
);

function importsOf(text: string): string[] {
  return [...text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]/gm), ...text.matchAll(/\bimport\s*\(\s*['"]([^'"]+)['"]/g)].map((m) => m[1] ?? '');
}

describe('package purity', () => {
  it('finds the sources', () => {
    expect(sources.length).toBeGreaterThan(20);
  });

  it.each(sources)('%s imports only jsonata, @tributary/flow and its own files', (_file, text) => {
    for (const specifier of importsOf(text)) {
      expect(specifier === 'jsonata' || specifier === '@tributary/flow' || (specifier.startsWith('.') && specifier.endsWith('.ts')), specifier).toBe(true);
    }
  });

  it.each(sources.filter(([file]) => file.startsWith('./library/')))(
    '%s (bundled into the isolate) imports nothing outside the library but errors.ts',
    (_file, text) => {
      for (const specifier of importsOf(text)) {
        expect(specifier.startsWith('./') || specifier === '../errors.ts', specifier).toBe(true);
      }
    },
  );

  it.each(sources)('%s uses no host globals', (_file, text) => {
    const code = text.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
    expect(code).not.toMatch(/\b(process|require|Buffer|globalThis|window|document|fetch|setTimeout|setInterval|queueMicrotask|console)\b/);
  });
});
