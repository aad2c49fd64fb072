import { describe, expect, it } from 'vitest';
import { evaluateWithLibrary as run, libraryError } from './test-helpers.ts';

describe('string functions', () => {
  it.each([
    ['$normalizeEmail(" Purchasing@Northwind-Outfitters.EXAMPLE ")', 'purchasing@northwind-outfitters.example'],
    ['$normalizeEmail("Jane+PO@Example.com")', 'jane+po@example.com'],
    ['$normalizeEmail("   ")', null],
    ['$slug("  Hello,   World!! ")', 'hello-world'],
    ['$slug("Ærøskøbing Straße")', 'aeroskobing-strasse'],
    ['$slug("東京 Store")', '東京-store'],
    ['$slug("Ça va? Très bien")', 'ca-va-tres-bien'],
    ['$slug(2026)', '2026'],
    ['$slug("---")', ''],
    ['$pad("7", -3, "0")', '007'],
    ['$pad(7, 3)', '7  '],
    ['$pad("x", -5, "ab")', 'ababx'],
    ['$pad("abc", 0)', 'abc'],
  ])('%s = %j', async (expression, expected) => {
    expect(await run(expression)).toBe(expected);
  });

  it('keeps the missing value missing', async () => {
    expect(await run('$exists($normalizeEmail(email)) or $exists($slug(title)) or $exists($pad(sku, 5))', {})).toBe(false);
  });

  it.each([
    ['$normalizeEmail(12)', '$normalizeEmail: argument 1 (text) must be text, got number 12'],
    ['$pad("a", "5")', '$pad: argument 2 (width) must be a whole number, got the text "5"'],
    ['$pad("a", 5, "")', '$pad: argument 3 (char) must not be empty'],
    ['$pad("a", -100000, "0")', '$pad: argument 2 (width) must be between -10000 and 10000, got -100000'],
    ['$slug({"a": 1})', '$slug: argument 1 (text) must be text, got an object'],
  ])('%s fails with %j', async (expression, message) => {
    const error = await libraryError(expression);
    expect(error.code).toBe('MAPPING_ARGUMENT');
    expect(error.message).toBe(message);
  });
});
