import type { ExpressionChecker } from '@tributary/flow';
import { describe, expect, it } from 'vitest';
import jsonata from 'jsonata';
import { checkExpression, compileMapping, createExpressionChecker } from './compile.ts';
import { MappingError, type MappingIssue } from './errors.ts';

function errorsOf(text: string): MappingIssue[] {
  const result = compileMapping(text);
  if (result.ok) throw new Error(`expected ${JSON.stringify(text)} not to compile`);
  return result.errors;
}

/** "line:column message" — positions point at the START of the offending token (1-based). */
const brief = (issues: MappingIssue[]): string[] => issues.map((i) => `${i.line}:${i.column} ${i.message}`);

describe('compileMapping: syntax errors', () => {
  it.each([
    ['{ "a": (b + 1 }', ['1:15 Expected ")" to close "(" opened at line 1, column 8, but found "}"']],
    ['foo(', ['1:5 Expected ")" to close "(" opened at line 1, column 4, but the mapping ended']],
    ['(\n  $x := 1;\n  { "a": ($x + 2 }\n)', ['3:18 Expected ")" to close "(" opened at line 3, column 10, but found "}"']],
    ['{ "a": 1 "b": 2 }', ['1:10 Expected "," or "}" before the text "b" (in the object opened at line 1, column 1)']],
    ['$substring(name 1)', ['1:17 Expected "," or ")" before the number 1 (in the function call opened at line 1, column 11)']],
    ['( $a := 1 $b := 2; $a )', ['1:11 Expected ";" or ")" before "$b" (in the block opened at line 1, column 1)']],
    ['{"a" 1}', ['1:6 Expected ":" between the field name and its value, but found the number 1']],
    ['$x := 1; { "x": $x }', ['1:8 Unexpected ";": to run several steps one after another (e.g. $x := …; { … }), wrap the whole mapping in ( … )']],
    ['{"a": 1,}', ['1:8 Trailing ",": remove it or add the missing value after it']],
    ['{"a": 1, "b": }', ['1:15 Unexpected "}": a value is missing before it']],
    ['a.b.', ['1:5 The mapping ends too early: a value is missing after "."']],
    ['"abc', ['1:1 The text starting at line 1, column 1 has no closing quote']],
    ['/* note', ['1:1 The comment starting at line 1, column 1 is never closed with "*/"']],
    ['`first name', ['1:1 The field name in backticks starting at line 1, column 1 has no closing backtick (`)']],
    ['$x := "\\q"', ['1:9 Unsupported escape sequence "\\q" in text (write "\\\\" for a backslash)']],
    ['   ', ['1:1 The mapping is empty']],
  ])('%j', (text, expected) => {
    const errors = errorsOf(text);
    expect(brief(errors)).toEqual(expected);
    expect(errors.every((e) => e.code === 'MAPPING_SYNTAX')).toBe(true);
  });

  it('reports every syntax error, not only the first, in reading order', () => {
    const text = ['{', '  "x": (a + ,', '  "y": [1, 2,', '  "z": "unterminated', '  "w": foo(1 2)', '}'].join('\n');
    expect(brief(errorsOf(text))).toEqual([
      '2:13 Unexpected ",": a value is missing before it',
      '2:13 Expected ")" to close "(" opened at line 2, column 8, but found ","',
      '3:13 Expected "]" to close "[" opened at line 3, column 8',
      '4:8 The text starting at line 4, column 8 runs over several lines; is its closing quote missing?',
      // Line 4 also lacks its comma.
      '5:3 Expected "," or "}" before the text "w" (in the object opened at line 1, column 1)',
      '5:14 Expected "," or ")" before the number 2 (in the function call opened at line 5, column 11)',
    ]);
  });

  it('gives offsets that index the offending token in the text', () => {
    const text = '{\r\n  "a": x\r\n  "b": y\r\n}';
    const [issue] = errorsOf(text);
    expect(issue).toMatchObject({ line: 3, column: 3 });
    expect(text.slice(issue?.offset, (issue?.offset ?? 0) + 3)).toBe('"b"');
  });

  it('reports the start of the token where jsonata reports its end', () => {
    const text = '{ "a": (b + 1 }';
    let jsonataPosition: unknown;
    try {
      jsonata(text);
    } catch (error) {
      jsonataPosition = (error as { position?: unknown }).position;
    }
    expect(jsonataPosition).toBe(15); // just after the "}" at offset 14
    expect(errorsOf(text)[0]).toMatchObject({ offset: 14, line: 1, column: 15 });
  });

  it('stops at 20 issues', () => {
    const text = `[${Array.from({ length: 30 }, (_, i) => `{"a${i}": 1 "b": 2}`).join(', ')}]`;
    expect(errorsOf(text)).toHaveLength(20);
  });
});

describe('compileMapping: unknown functions', () => {
  it.each([
    ['$lowcase(name)', 1, 1, 'lowcase', '; did you mean $lowercase?'],
    ['{ "a": $toUpper(x) }', 1, 8, 'toUpper', ''],
    ['items.$moneySumm(price)', 1, 7, 'moneySumm', '; did you mean $moneySum?'],
    ['x ~> $nope', 1, 6, 'nope', ''],
    ['(\n  $r := $frobnicate(?, 2);\n  $r(1)\n)', 2, 9, 'frobnicate', ''],
  ])('%j reports $%s at %i:%i', (text, line, column, name, suffix) => {
    expect(errorsOf(text)).toEqual([
      {
        code: 'MAPPING_UNKNOWN_FUNCTION',
        message: `Unknown function $${name}: it is neither a JSONata function nor in the Tributary function library${suffix}`,
        functionName: name,
        line,
        column,
        offset: expect.any(Number),
      },
    ]);
  });

  it.each([
    '$uppercase(name)',
    '$money(price) + $moneyAdd(1, 2)',
    '( $double := function($n) { $n * 2 }; $double(2) )',
    '$map([1, 2], function($v, $i, $a) { $v })',
    '$now()',
    '$lookup("paymentTerms", "Net 30")',
  ])('accepts %j', (text) => {
    expect(compileMapping(text).ok).toBe(true);
  });

  it('accepts functions the host declares', () => {
    expect(compileMapping('$secretHash(x)', { knownFunctions: ['secretHash'] }).ok).toBe(true);
  });

  it('reports unknown functions together with syntax errors', () => {
    expect(brief(errorsOf('{ "a": $nope(1), "b": (2 }'))).toEqual([
      '1:8 Unknown function $nope: it is neither a JSONata function nor in the Tributary function library',
      '1:26 Expected ")" to close "(" opened at line 1, column 23, but found "}"',
    ]);
  });
});

describe('CompiledMapping.evaluate', () => {
  it('evaluates with the library and tables', async () => {
    const result = compileMapping('{ "terms": $lookup("paymentTerms", terms, "COD"), "total": $money(total) }');
    if (!result.ok) throw new Error('should compile');
    const output = await result.mapping.evaluate({ terms: 'Net 30', total: '1.005' }, { tables: { paymentTerms: { 'Net 30': 'NET30' } } });
    expect(output).toEqual({ terms: 'NET30', total: 1.01 });
    expect(result.mapping.functionNames).toEqual(['lookup', 'money']);
  });

  it('rejects with a MappingError carrying the issue', async () => {
    const result = compileMapping('{\n  "total": $money(flag)\n}');
    if (!result.ok) throw new Error('should compile');
    const error: unknown = await result.mapping.evaluate({ flag: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MappingError);
    expect((error as MappingError).details['issue']).toEqual({
      code: 'MAPPING_ARGUMENT',
      message: '$money: argument 1 (value) must be a number or a decimal text such as "12.50", got boolean true',
      functionName: 'money',
      line: 2,
      column: 12,
      offset: 13,
    });
  });

  it('stops a runaway mapping with MAPPING_TIMEOUT', async () => {
    const result = compileMapping('( $f := function($n) { $f($n + 1) }; $f(0) )', { timeoutMs: 50 });
    if (!result.ok) throw new Error('should compile');
    await expect(result.mapping.evaluate({})).rejects.toMatchObject({ code: 'MAPPING_TIMEOUT' });
  });
});

describe('checkExpression', () => {
  it('is the checker packages/flow expects', () => {
    const checker: ExpressionChecker = checkExpression;
    expect(checker('$trigger.name')).toEqual([]);
  });

  it('accepts host functions when created with them', () => {
    expect(checkExpression('$secret("erp")')).toHaveLength(1);
    expect(createExpressionChecker({ knownFunctions: ['secret'] })('$secret("erp")')).toEqual([]);
  });

  it.each([
    ['$trigger.name', []],
    ['$steps.toSalesOrder.lines[0', [{ message: 'Expected "]" to close "[" opened at line 1, column 26, but the mapping ended', line: 1, column: 28, offset: 27 }]],
    ['$uppr($trigger.name)', [{ message: 'Unknown function $uppr: it is neither a JSONata function nor in the Tributary function library', line: 1, column: 1, offset: 0 }]],
  ])('%j', (text, expected) => {
    expect(checkExpression(text)).toEqual(expected);
  });
});
