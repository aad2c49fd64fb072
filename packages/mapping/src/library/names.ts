import { argumentError, expectSingle } from './args.ts';
import type { LibraryFunction } from './types.ts';

/** Honorifics dropped from the front of a name (compared without dots, lower case). */
const titles = new Set(['mr', 'mrs', 'ms', 'miss', 'mx', 'dr', 'prof', 'sir', 'dame', 'lady', 'lord', 'rev', 'fr', 'herr', 'frau', 'mme', 'mlle']);
/** Suffixes dropped from the end. */
const suffixes = new Set(['jr', 'sr', 'ii', 'iii', 'iv', 'phd', 'md', 'esq', 'mba', 'cpa', 'dds', 'jd']);
/** Lower-case particles that belong to the family name ("van der Berg", "de la Cruz", "von Trapp"). */
const particles = new Set(['van', 'von', 'der', 'den', 'de', 'del', 'della', 'di', 'da', 'dos', 'das', 'du', 'la', 'le', 'ter', 'ten', 'bin', 'ibn', 'al', 'el', 'st', 'zu', 'op']);

const bare = (word: string): string => word.replace(/[.,]/g, '').toLowerCase();

/** Splits a full name into given and family name. See the $splitName docs for the rules. */
export function splitFullName(full: string): { first: string; last: string } {
  let text = full.replace(/\s+/g, ' ').trim();
  // "Berg, Jane" — family name first — unless the part after the comma is just a suffix ("Jane Berg, Jr.").
  const comma = text.indexOf(',');
  if (comma !== -1) {
    const after = text.slice(comma + 1).trim();
    if (after !== '' && !after.split(' ').every((w) => suffixes.has(bare(w)))) {
      const last = text.slice(0, comma).trim();
      const firstWords = after.replace(/,/g, ' ').split(' ').filter((w) => !titles.has(bare(w)) && !suffixes.has(bare(w)));
      return { first: firstWords.filter((w) => w !== '').join(' '), last };
    }
    text = text.replace(/,/g, ' ').replace(/\s+/g, ' ').trim();
  }
  const words = text === '' ? [] : text.split(' ');
  while (words.length > 1 && titles.has(bare(words[0] ?? ''))) words.shift();
  while (words.length > 1 && suffixes.has(bare(words.at(-1) ?? ''))) words.pop();
  if (words.length === 0) return { first: '', last: '' };
  if (words.length === 1) return { first: words[0] ?? '', last: '' };
  // The family name is the last word plus any particles directly before it; at least one word stays given.
  let start = words.length - 1;
  while (start > 1 && particles.has((words[start - 1] ?? '').toLowerCase()) && words[start - 1] === (words[start - 1] ?? '').toLowerCase()) start--;
  return { first: words.slice(0, start).join(' '), last: words.slice(start).join(' ') };
}

export const splitName: LibraryFunction = {
  name: 'splitName',
  signature: '$splitName(fullName)',
  description:
    'Splits a full name into `{ "first": …, "last": … }` for systems with separate name fields. Extra spaces are ignored; titles ' +
    '(Dr., Mr., Mrs., Prof.…) and suffixes (Jr., III, PhD…) are dropped; lower-case particles stay with the family name ' +
    '("van der Berg", "de la Cruz"); "Berg, Jane" is read family name first. A single word is a first name with an empty last name.',
  examples: [
    { expression: '$splitName("Dr. Jane van der Berg")', result: { first: 'Jane', last: 'van der Berg' } },
    { expression: '$splitName("  Mary   Ann  Smith ")', result: { first: 'Mary Ann', last: 'Smith' } },
    { expression: '$splitName("Cher")', result: { first: 'Cher', last: '' } },
    { expression: '$splitName("Whitfield, Dana")', result: { first: 'Dana', last: 'Whitfield' } },
    { expression: '$splitName("Martin Luther King Jr.").last', result: 'King' },
  ],
  implementation([fullName]) {
    const ref = { fn: 'splitName', index: 1, name: 'fullName' };
    const raw = expectSingle(ref, fullName);
    if (raw === undefined || raw === null) return raw;
    if (typeof raw !== 'string') throw argumentError(ref, 'text', raw);
    return splitFullName(raw);
  },
};
