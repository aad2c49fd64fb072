import { describe, expect, it } from 'vitest';
import { splitFullName } from './names.ts';
import { evaluateWithLibrary as run, libraryError } from './test-helpers.ts';

describe('$splitName', () => {
  it.each([
    ['Dr. Jane van der Berg', 'Jane', 'van der Berg'],
    ['Jane Doe', 'Jane', 'Doe'],
    ['  Jane    Doe  ', 'Jane', 'Doe'],
    ['Cher', 'Cher', ''],
    ['', '', ''],
    ['Mr Dr John Smith', 'John', 'Smith'],
    ['Ludwig van Beethoven', 'Ludwig', 'van Beethoven'],
    ['Maria de la Cruz', 'Maria', 'de la Cruz'],
    ['Maria Da Silva', 'Maria Da', 'Silva'],
    ['Mary Ann Smith', 'Mary Ann', 'Smith'],
    ['John Smith Jr.', 'John', 'Smith'],
    ['John Smith, Jr.', 'John', 'Smith'],
    ['Jane Doe PhD', 'Jane', 'Doe'],
    ['Whitfield, Dana', 'Dana', 'Whitfield'],
    ['van der Berg, Dr. Jane', 'Jane', 'van der Berg'],
    ['Berg, Jane, PhD', 'Jane', 'Berg'],
    ['Dr.', 'Dr.', ''],
    ['von Trapp', 'von', 'Trapp'],
  ])('%j -> first %j, last %j', (full, first, last) => {
    expect(splitFullName(full)).toEqual({ first, last });
  });

  it('works on a Shopify customer name and leaves missing names missing', async () => {
    expect(await run('$splitName(customer.first_name & " " & customer.last_name)', { customer: { first_name: 'Dana', last_name: 'Whitfield' } })).toEqual({
      first: 'Dana',
      last: 'Whitfield',
    });
    expect(await run('$exists($splitName(name))', {})).toBe(false);
  });

  it('rejects non-text', async () => {
    expect((await libraryError('$splitName(42)')).message).toBe('$splitName: argument 1 (fullName) must be text, got number 42');
  });
});
