import { argumentError, argumentProblem, expectInteger, expectSingle, optionalString } from './args.ts';
import type { LibraryFunction } from './types.ts';

export const normalizeEmail: LibraryFunction = {
  name: 'normalizeEmail',
  signature: '$normalizeEmail(text)',
  description:
    'Trims an e-mail address and lower-cases it, keeping plus tags ("jane+orders@…") because many mailboxes route on them. ' +
    'Also drops a "mailto:" prefix. Empty text gives null; a missing value stays missing.',
  examples: [
    { expression: '$normalizeEmail("  Jane.Doe+Orders@Example.COM ")', result: 'jane.doe+orders@example.com' },
    { expression: '$normalizeEmail("mailto:Sales@Northwind.example")', result: 'sales@northwind.example' },
  ],
  implementation([text]) {
    const value = expectSingle({ fn: 'normalizeEmail', index: 1, name: 'text' }, text);
    if (value === undefined || value === null) return value;
    if (typeof value !== 'string') throw argumentError({ fn: 'normalizeEmail', index: 1, name: 'text' }, 'text', value);
    const trimmed = value.trim().replace(/^mailto:/i, '').trim().toLowerCase();
    return trimmed === '' ? null : trimmed;
  },
};

/** Latin letters that do not decompose into a base letter plus accent. */
const transliterations: Record<string, string> = {
  ß: 'ss', æ: 'ae', Æ: 'AE', ø: 'o', Ø: 'O', œ: 'oe', Œ: 'OE', ł: 'l', Ł: 'L', đ: 'd', Đ: 'D', þ: 'th', Þ: 'TH', ð: 'd', Ð: 'D', ı: 'i',
};

export const slug: LibraryFunction = {
  name: 'slug',
  signature: '$slug(text, separator?)',
  description:
    'Turns text into a URL- and code-safe slug: accents removed (ß becomes ss, æ ae, ø o), lower case, runs of anything that is not a letter or digit ' +
    'replaced by `separator` (default "-"), no leading or trailing separator.',
  examples: [
    { expression: '$slug("Trail Runner 2 – Slate / 10")', result: 'trail-runner-2-slate-10' },
    { expression: '$slug("Crème Brûlée", "_")', result: 'creme_brulee' },
  ],
  implementation([text, separator]) {
    const ref = { fn: 'slug', index: 1, name: 'text' };
    const value = expectSingle(ref, text);
    if (value === undefined || value === null) return value;
    if (typeof value !== 'string' && typeof value !== 'number') throw argumentError(ref, 'text', value);
    const sep = optionalString({ fn: 'slug', index: 2, name: 'separator' }, separator) ?? '-';
    const words = [...String(value).normalize('NFKD')]
      .map((ch) => transliterations[ch] ?? ch)
      .join('')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter((w) => w !== '');
    return words.join(sep);
  },
};

const maxPadWidth = 10_000;

export const pad: LibraryFunction = {
  name: 'pad',
  signature: '$pad(value, width, char?)',
  description:
    "JSONata's $pad, extended to accept numbers: pads `value` to `width` characters with `char` (default a space). " +
    'A positive width pads on the right, a negative width pads on the left (for zero-filled item or account numbers). ' +
    'Text already at least that long is returned unchanged.',
  examples: [
    { expression: '$pad(42, -6, "0")', result: '000042' },
    { expression: '$pad("AB", 5, ".")', result: 'AB...' },
    { expression: '$pad("ABCDEF", -3, "0")', result: 'ABCDEF' },
  ],
  implementation([value, width, char]) {
    const ref = { fn: 'pad', index: 1, name: 'value' };
    const raw = expectSingle(ref, value);
    if (raw === undefined) return undefined;
    if (typeof raw !== 'string' && typeof raw !== 'number') throw argumentError(ref, 'text or a number', raw);
    const w = expectInteger({ fn: 'pad', index: 2, name: 'width' }, width);
    const charRef = { fn: 'pad', index: 3, name: 'char' };
    const fill = optionalString(charRef, char) ?? ' ';
    if (fill === '') throw argumentProblem(charRef, 'must not be empty');
    const text = String(raw);
    const target = Math.abs(w);
    // A runaway width would build megabytes of padding in the designer's preview before any limit applies.
    if (target > maxPadWidth) throw argumentProblem({ fn: 'pad', index: 2, name: 'width' }, `must be between -${maxPadWidth} and ${maxPadWidth}, got ${w}`);
    const length = [...text].length;
    if (length >= target) return text;
    const padding = fill.repeat(Math.ceil((target - length) / [...fill].length));
    const cut = [...padding].slice(0, target - length).join('');
    return w < 0 ? cut + text : text + cut;
  },
};

export const stringFunctions: LibraryFunction[] = [normalizeEmail, slug, pad];
