import { argumentError, argumentProblem, expectSingle, optionalString } from './args.ts';
import { lookupCountry } from './countries.ts';
import type { LibraryFunction } from './types.ts';

/**
 * Calling code and national trunk prefix ("0" in most of Europe) per country, for the countries
 * wholesale customers are most often in. Italy, Spain, Portugal, Denmark, Norway and others have no
 * trunk prefix: a leading 0 there is part of the number and is kept.
 */
const callingCodes: Record<string, { code: string; trunk?: string }> = {
  US: { code: '1', trunk: '1' }, CA: { code: '1', trunk: '1' }, PR: { code: '1', trunk: '1' },
  GB: { code: '44', trunk: '0' }, IE: { code: '353', trunk: '0' }, DE: { code: '49', trunk: '0' },
  AT: { code: '43', trunk: '0' }, CH: { code: '41', trunk: '0' }, FR: { code: '33', trunk: '0' },
  BE: { code: '32', trunk: '0' }, NL: { code: '31', trunk: '0' }, LU: { code: '352' },
  IT: { code: '39' }, ES: { code: '34' }, PT: { code: '351' }, DK: { code: '45' },
  SE: { code: '46', trunk: '0' }, NO: { code: '47' }, FI: { code: '358', trunk: '0' },
  PL: { code: '48' }, CZ: { code: '420' }, SK: { code: '421', trunk: '0' }, HU: { code: '36', trunk: '06' },
  GR: { code: '30' }, RO: { code: '40', trunk: '0' }, BG: { code: '359', trunk: '0' },
  HR: { code: '385', trunk: '0' }, SI: { code: '386', trunk: '0' }, EE: { code: '372' },
  LV: { code: '371' }, LT: { code: '370', trunk: '8' }, IS: { code: '354' },
  TR: { code: '90', trunk: '0' }, RU: { code: '7', trunk: '8' }, UA: { code: '380', trunk: '0' },
  IL: { code: '972', trunk: '0' }, AE: { code: '971', trunk: '0' }, SA: { code: '966', trunk: '0' },
  IN: { code: '91', trunk: '0' }, PK: { code: '92', trunk: '0' }, CN: { code: '86', trunk: '0' },
  HK: { code: '852' }, TW: { code: '886', trunk: '0' }, JP: { code: '81', trunk: '0' },
  KR: { code: '82', trunk: '0' }, SG: { code: '65' }, MY: { code: '60', trunk: '0' },
  TH: { code: '66', trunk: '0' }, ID: { code: '62', trunk: '0' }, PH: { code: '63', trunk: '0' },
  VN: { code: '84', trunk: '0' }, AU: { code: '61', trunk: '0' }, NZ: { code: '64', trunk: '0' },
  ZA: { code: '27', trunk: '0' }, NG: { code: '234', trunk: '0' }, KE: { code: '254', trunk: '0' },
  EG: { code: '20', trunk: '0' }, MA: { code: '212', trunk: '0' }, MX: { code: '52' },
  BR: { code: '55', trunk: '0' }, AR: { code: '54', trunk: '0' }, CL: { code: '56' },
  CO: { code: '57' }, PE: { code: '51', trunk: '0' },
};

/** Countries in the calling-code table, for documentation. */
export const phoneCountries: readonly string[] = Object.keys(callingCodes).sort();

const extension = /\s*(?:ext\.?|extension|x|#)\s*\d+\s*$/i;

export const normalizePhone: LibraryFunction = {
  name: 'normalizePhone',
  signature: '$normalizePhone(text, defaultCountry?)',
  description:
    'Normalises a phone number to E.164 form ("+15105550142"): spaces, dots, dashes and brackets removed, extensions dropped, ' +
    'international prefixes "+" and "00" understood. A national number gets the calling code of `defaultCountry` ' +
    '(ISO code or name, default "US") and loses its trunk prefix (the leading 0 in "030 1234567"). ' +
    'Returns null when the text does not look like a phone number (letters, fewer than 7 or more than 15 digits).',
  examples: [
    { expression: '$normalizePhone("(510) 555-0142")', result: '+15105550142' },
    { expression: '$normalizePhone("+1 510-555-0199 ext. 12")', result: '+15105550199' },
    { expression: '$normalizePhone("030 1234567", "DE")', result: '+49301234567' },
    { expression: '$normalizePhone("0044 20 7946 0958", "DE")', result: '+442079460958' },
    { expression: '$normalizePhone("06 1234 5678", "Italy")', result: '+390612345678' },
    { expression: '$normalizePhone("call me")', result: null },
  ],
  implementation([text, defaultCountry]) {
    const ref = { fn: 'normalizePhone', index: 1, name: 'text' };
    const countryRef = { fn: 'normalizePhone', index: 2, name: 'defaultCountry' };
    const raw = expectSingle(ref, text);
    const countryText = optionalString(countryRef, defaultCountry) ?? 'US';
    const country = lookupCountry(countryText);
    const calling = country === undefined ? undefined : callingCodes[country];
    if (calling === undefined) {
      throw argumentProblem(countryRef, `is not a country with a known calling code: ${JSON.stringify(countryText)} (known: ${phoneCountries.join(', ')})`);
    }
    if (raw === undefined || raw === null) return raw;
    if (typeof raw !== 'string' && typeof raw !== 'number') throw argumentError(ref, 'text', raw);
    const cleaned = String(raw).trim().replace(extension, '');
    if (!/^\+?[\d\s().\-/]+$/.test(cleaned)) return null;
    let digits = cleaned.replace(/\D/g, '');
    let international: string;
    if (cleaned.startsWith('+')) international = digits;
    else if (digits.startsWith('00')) international = digits.slice(2);
    else if (calling.code === '1' && digits.startsWith('011')) international = digits.slice(3);
    else {
      if (calling.code === '1') {
        if (digits.length === 11 && digits.startsWith('1')) digits = digits.slice(1);
        // North American numbers are always area code + 7 digits.
        if (digits.length !== 10) return null;
      } else if (calling.trunk !== undefined && digits.startsWith(calling.trunk)) {
        digits = digits.slice(calling.trunk.length);
      }
      international = calling.code + digits;
    }
    if (international.length < 7 || international.length > 15) return null;
    return `+${international}`;
  },
};
