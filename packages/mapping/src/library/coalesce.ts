import type { LibraryFunction } from './types.ts';

function isBlank(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === 'string') return value.trim() === '';
  if (Array.isArray(value)) return value.length === 0;
  return false;
}

export const coalesce: LibraryFunction = {
  name: 'coalesce',
  signature: '$coalesce(a, b, ...)',
  description:
    'Returns the first argument that has a value: missing values, null, empty or whitespace-only text and empty arrays are skipped. ' +
    '0 and false count as values. Returns nothing when every argument is blank.',
  examples: [
    { expression: '$coalesce(shipping.phone, billing.phone, "n/a")', input: { shipping: { phone: '' }, billing: { phone: '+15105550142' } }, result: '+15105550142' },
    { expression: '$coalesce(null, "  ", 0)', result: 0 },
    { expression: '$coalesce(po, name)', input: { name: '#W1042' }, result: '#W1042' },
  ],
  implementation(args) {
    return args.find((value) => !isBlank(value));
  },
};
