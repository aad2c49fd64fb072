import { describe, expect, it } from 'vitest';
import { MappingError } from './errors.ts';
import { positionAt } from './position.ts';
import { runtimeIssue } from './runtime-errors.ts';

const text = '{\n  "total": $money(flag),\n  "n": name + 1\n}';
// jsonata positions errors just after a token: after the "(" of a call, after an operator.
const afterParen = text.indexOf('(') + 1;
const afterPlus = text.indexOf('+') + 1;
const moneyAt = text.indexOf('$money');
const plusAt = text.indexOf('+');

describe('runtimeIssue', () => {
  it.each<[string, unknown, object]>([
    [
      'a MappingError serialised out of the isolate, positioned by jsonata at the "("',
      { name: 'MappingError', code: 'MAPPING_ARGUMENT', message: '$money: argument 1 (value) must be …', details: { functionName: 'money' }, position: afterParen, token: 'money' },
      { code: 'MAPPING_ARGUMENT', message: '$money: argument 1 (value) must be …', functionName: 'money', line: 2, column: 12, offset: moneyAt },
    ],
    [
      'a MappingError thrown in the host',
      Object.assign(new MappingError('MAPPING_ARGUMENT', 'bad', { details: { functionName: 'money' } }), { position: afterParen }),
      { code: 'MAPPING_ARGUMENT', message: 'bad', functionName: 'money', line: 2, column: 12, offset: moneyAt },
    ],
    [
      'a jsonata operator error',
      { code: 'T2001', position: afterPlus, token: '+', message: 'The left side of the "+" operator must evaluate to a number' },
      { code: 'MAPPING_RUNTIME', message: 'The left side of the "+" operator must evaluate to a number', line: 3, column: 13, offset: plusAt },
    ],
    [
      'a sandbox limit without position',
      { name: 'MappingError', code: 'MAPPING_MEMORY', message: 'The mapping used more than 64 MB', details: {} },
      { code: 'MAPPING_MEMORY', message: 'The mapping used more than 64 MB' },
    ],
    ['a jsonata timeout', { code: 'D1012', value: 100 }, { code: 'MAPPING_TIMEOUT', message: 'The mapping took longer than 100 ms and was stopped; check for a loop that never ends' }],
    ['a call of a non-function', { code: 'T1006', token: 'nope', position: afterParen }, { code: 'MAPPING_UNKNOWN_FUNCTION', message: 'Unknown function $nope', functionName: 'nope', line: 2, column: 12, offset: moneyAt }],
    ['a plain Error', new TypeError('boom'), { code: 'MAPPING_RUNTIME', message: 'boom' }],
  ])('%s', (_name, error, issue) => {
    expect(runtimeIssue(error, text)).toEqual(issue);
  });
});

describe('positionAt', () => {
  it.each([
    ['abc', 0, 1, 1],
    ['abc', 3, 1, 4],
    ['a\nb', 2, 2, 1],
    ['a\r\nb', 3, 2, 1],
    ['a\rb', 2, 2, 1],
    ['ab', 99, 1, 3],
  ])('%j at %i is line %i, column %i', (source, offset, line, column) => {
    expect(positionAt(source, offset)).toMatchObject({ line, column });
  });
});
