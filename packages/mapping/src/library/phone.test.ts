import { describe, expect, it } from 'vitest';
import { evaluateWithLibrary as run, libraryError } from './test-helpers.ts';

describe('$normalizePhone', () => {
  it.each([
    ['$normalizePhone("+1 510-555-0142")', '+15105550142'],
    ['$normalizePhone("1 (510) 555-0142")', '+15105550142'],
    ['$normalizePhone("510.555.0142 x204")', '+15105550142'],
    ['$normalizePhone("011 44 20 7946 0958")', '+442079460958'],
    ['$normalizePhone("555-0142")', null],
    ['$normalizePhone(5105550142)', '+15105550142'],
    ['$normalizePhone("020 7946 0958", "GB")', '+442079460958'],
    ['$normalizePhone("020 7946 0958", "United Kingdom")', '+442079460958'],
    ['$normalizePhone("+44 (0)20 7946 0958", "GB")', '+4402079460958'],
    ['$normalizePhone("06 12345678", "NL")', '+31612345678'],
    ['$normalizePhone("91 123 45 67", "ES")', '+34911234567'],
    ['$normalizePhone("06-30-123-4567", "HU")', '+36301234567'],
    ['$normalizePhone("8 495 123-45-67", "RU")', '+74951234567'],
    ['$normalizePhone("+49 30 1234567", "FR")', '+49301234567'],
    ['$normalizePhone("1-800-FLOWERS")', null],
    ['$normalizePhone("+1234567890123456")', null],
    ['$normalizePhone("")', null],
    ['$normalizePhone(null)', null],
  ])('%s = %j', async (expression, expected) => {
    expect(await run(expression)).toBe(expected);
  });

  it('names an unknown default country', async () => {
    const error = await libraryError('$normalizePhone("123456789", "Atlantis")');
    expect(error.code).toBe('MAPPING_ARGUMENT');
    expect(error.message).toMatch(/^\$normalizePhone: argument 2 \(defaultCountry\) is not a country with a known calling code: "Atlantis"/);
  });
});
