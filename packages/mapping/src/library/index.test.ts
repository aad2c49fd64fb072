import jsonata from 'jsonata';
import { describe, expect, it } from 'vitest';
import { MappingError } from '../errors.ts';
import readme from '../../README.md?raw';
import { libraryDocs, libraryFunctionNames, registerLibrary } from './index.ts';

async function run(expression: string, input: unknown = {}, tables = {}): Promise<unknown> {
  const compiled = registerLibrary(jsonata(expression), { tables });
  return compiled.evaluate(input);
}

describe('registerLibrary', () => {
  it('makes every documented function callable', async () => {
    for (const name of libraryFunctionNames) {
      const result = await run(`$type($${name})`);
      expect(result, name).toBe('function');
    }
  });

  describe('every documented example gives its documented result', () => {
    const cases = libraryDocs.flatMap((doc) => doc.examples.map((example) => ({ name: doc.name, ...example })));
    it.each(cases)('$name: $expression', async ({ expression, input, tables, result }) => {
      expect(await run(expression, input ?? {}, tables ?? {})).toEqual(result);
    });
  });

  it('documents every function with a signature, a description and at least two examples', () => {
    for (const doc of libraryDocs) {
      expect(doc.signature.startsWith(`$${doc.name}(`), doc.name).toBe(true);
      expect(doc.description.length, doc.name).toBeGreaterThan(20);
      expect(doc.examples.length, doc.name).toBeGreaterThanOrEqual(2);
    }
    expect(JSON.parse(JSON.stringify(libraryDocs))).toEqual(libraryDocs);
  });

  it('documents every function and example in the README', () => {
    for (const doc of libraryDocs) {
      expect(readme, doc.name).toContain(`#### \`${doc.signature}\``);
      for (const example of doc.examples) expect(readme, example.expression).toContain(example.expression.replace(/\|/g, '\\|'));
    }
  });

  it('raises MAPPING_ARGUMENT naming the function and the argument', async () => {
    const error: unknown = await run('$money(true)').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MappingError);
    expect(error).toMatchObject({ code: 'MAPPING_ARGUMENT', details: { functionName: 'money', argumentIndex: 1 } });
    expect((error as MappingError).message).toBe(
      '$money: argument 1 (value) must be a number or a decimal text such as "12.50", got boolean true',
    );
  });

  it('prefers tables bound at evaluation over registered tables', async () => {
    const compiled = registerLibrary(jsonata('$lookup("terms", "Net 30")'), { tables: { terms: { 'Net 30': 'REGISTERED' } } });
    expect(await compiled.evaluate({})).toBe('REGISTERED');
    expect(await compiled.evaluate({}, { tables: { terms: { 'Net 30': 'BOUND' } } })).toBe('BOUND');
  });
});
