import { describe, expect, it } from 'vitest';
import { countryRows } from './country-table.ts';
import { countryKey, lookupCountry } from './countries.ts';
import { evaluateWithLibrary as run } from './test-helpers.ts';

describe('$countryCode', () => {
  it.each([
    ['US', 'US'],
    ['us', 'US'],
    ['USA', 'US'],
    ['United States of America', 'US'],
    ['U.S.A.', 'US'],
    ['GBR', 'GB'],
    ['Great Britain', 'GB'],
    ['Deutschland', 'DE'],
    ['germany ', 'DE'],
    ["Côte d'Ivoire", 'CI'],
    ['Cote dIvoire', 'CI'],
    ['Bosnia & Herzegovina', 'BA'],
    ['Korea, Republic of', 'KR'],
    ['South Korea', 'KR'],
    ['Türkiye', 'TR'],
    ['Turkey', 'TR'],
    ['Czech Republic', 'CZ'],
    ['Holland', 'NL'],
    ['Atlantis', undefined],
    ['', undefined],
  ])('%j -> %j', (input, code) => {
    expect(lookupCountry(input)).toBe(code);
  });

  it('covers all 249 ISO 3166-1 countries with unique alpha-2 and alpha-3 codes, each finding itself', () => {
    expect(countryRows).toHaveLength(249);
    const alpha2 = new Set<string>();
    const alpha3 = new Set<string>();
    for (const row of countryRows) {
      const [a2 = '', a3 = '', name = ''] = row.split('|');
      expect(a2).toMatch(/^[A-Z]{2}$/);
      expect(a3).toMatch(/^[A-Z]{3}$/);
      alpha2.add(a2);
      alpha3.add(a3);
      expect(lookupCountry(a3), row).toBe(a2);
      expect(lookupCountry(name), row).toBe(a2);
    }
    expect(alpha2.size).toBe(249);
    expect(alpha3.size).toBe(249);
  });

  it('never lets a name or alias shadow another country', () => {
    const owner = new Map<string, string>();
    for (const row of countryRows) {
      const [a2 = '', ...names] = row.split('|');
      for (const name of names) {
        const key = countryKey(name);
        const previous = owner.get(key);
        expect(previous === undefined || previous === a2, `${name} is claimed by ${previous} and ${a2}`).toBe(true);
        owner.set(key, a2);
      }
    }
    for (const row of countryRows) {
      const a2 = row.split('|')[0] ?? '';
      const claimed = owner.get(countryKey(a2));
      expect(claimed === undefined || claimed === a2, `alias ${a2} belongs to ${claimed}`).toBe(true);
    }
  });

  it('returns null for an unknown country and rejects non-text in a mapping', async () => {
    expect(await run('$countryCode(shipping_address.country)', { shipping_address: { country: 'United States' } })).toBe('US');
    expect(await run('$countryCode("Narnia")')).toBeNull();
    await expect(run('$countryCode(1)')).rejects.toMatchObject({ code: 'MAPPING_ARGUMENT' });
  });
});
