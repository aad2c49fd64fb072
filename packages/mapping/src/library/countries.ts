import { argumentError, expectSingle } from './args.ts';
import { countryRows } from './country-table.ts';
import type { LibraryFunction } from './types.ts';

/** Lower case, accents and punctuation removed, "&" read as "and", a leading "the" dropped. */
export function countryKey(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[.'’()]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .replace(/^the /, '');
}

let index: Map<string, string> | undefined;

/** Built on first use: most mappings never call $countryCode. */
function countryIndex(): Map<string, string> {
  if (index !== undefined) return index;
  const built = new Map<string, string>();
  for (const row of countryRows) {
    const [alpha2 = '', ...names] = row.split('|');
    built.set(countryKey(alpha2), alpha2);
    for (const name of names) {
      const key = countryKey(name);
      if (!built.has(key)) built.set(key, alpha2);
    }
  }
  index = built;
  return built;
}

/** ISO 3166-1 alpha-2 code for a code or a name, or undefined. */
export function lookupCountry(text: string): string | undefined {
  return countryIndex().get(countryKey(text));
}

export const countryCode: LibraryFunction = {
  name: 'countryCode',
  signature: '$countryCode(nameOrCode)',
  description:
    'ISO 3166-1 alpha-2 code for a country given as an alpha-2 or alpha-3 code or an English (or common local) name, ' +
    'ignoring case, accents and punctuation: "United States", "USA", "us", "Deutschland", "Côte d\'Ivoire", "UK". ' +
    'Returns null when the country is not recognised; a missing value stays missing.',
  examples: [
    { expression: '$countryCode("United States")', result: 'US' },
    { expression: '$countryCode("deu")', result: 'DE' },
    { expression: '$countryCode("UK")', result: 'GB' },
    { expression: '$countryCode("The Netherlands")', result: 'NL' },
    { expression: '$countryCode("Atlantis")', result: null },
  ],
  implementation([value]) {
    const ref = { fn: 'countryCode', index: 1, name: 'nameOrCode' };
    const raw = expectSingle(ref, value);
    if (raw === undefined || raw === null) return raw;
    if (typeof raw !== 'string') throw argumentError(ref, 'text', raw);
    return lookupCountry(raw) ?? null;
  },
};
