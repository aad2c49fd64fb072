// The isolate evaluates mappings with a synchronous build of jsonata (src/bundle.ts,
// toSynchronousJsonata). These tests hold it to upstream jsonata: the same results and the same errors
// over every operator and built-in function, and the same answer from the sandbox where the synchronous
// build runs out of stack and the runtime falls back to upstream.
import { readFileSync } from 'node:fs';
import { registerLibrary } from '@tributary/mapping/library';
import jsonata from 'jsonata';
import { afterAll, describe, expect, it } from 'vitest';
import { synchronousJsonataSource } from '../src/bundle.ts';
import { createSandbox } from '../src/index.ts';

type SyncJsonata = (text: string) => { evaluate(input: unknown, bindings?: Record<string, unknown>): unknown };

async function loadSynchronousJsonata(): Promise<SyncJsonata> {
  const module = { exports: {} as unknown };
  new Function('module', 'exports', await synchronousJsonataSource())(module, module.exports);
  return module.exports as SyncJsonata;
}

const jsonataSync = await loadSynchronousJsonata();
const order: unknown = JSON.parse(readFileSync(new URL('./fixtures/shopify-orders-create.json', import.meta.url), 'utf8'));
const mapping = readFileSync(new URL('./fixtures/shopify-order-to-erp-sales-order.jsonata', import.meta.url), 'utf8');

// The jsonata documentation's sample document, with a few values for the numeric and date functions.
const account = {
  FirstName: 'Fred',
  Surname: 'Smith',
  Age: 28,
  Address: { Street: 'Hursley Park', City: 'Winchester', Postcode: 'SO21 2JN' },
  Phone: [
    { type: 'home', number: '0203 544 1234' },
    { type: 'office', number: '01962 001234' },
    { type: 'office', number: '01962 001235' },
    { type: 'mobile', number: '077 7700 1234' },
  ],
  Email: [
    { type: 'work', address: ['fred.smith@my-work.com', 'fsmith@my-work.com'] },
    { type: 'home', address: ['freddy@my-social.com', 'frederic.smith@very-serious.com'] },
  ],
  Other: { 'Over 18 ?': true, Misc: null, 'Alternative.Address': { Street: 'Brick Lane', City: 'London', Postcode: 'E1 6RF' } },
  Account: {
    'Account Name': 'Firefly',
    Order: [
      {
        OrderID: 'order103',
        Product: [
          { 'Product Name': 'Bowler Hat', ProductID: 858383, SKU: '0406654608', Description: { Colour: 'Purple', Width: 300, Height: 200, Depth: 210, Weight: 0.75 }, Price: 34.45, Quantity: 2 },
          { 'Product Name': 'Trilby hat', ProductID: 858236, SKU: '0406634348', Description: { Colour: 'Orange', Width: 300, Height: 200, Depth: 210, Weight: 0.6 }, Price: 21.67, Quantity: 1 },
        ],
      },
      {
        OrderID: 'order104',
        Product: [
          { 'Product Name': 'Bowler Hat', ProductID: 858383, SKU: '040657863', Description: { Colour: 'Purple', Width: 300, Height: 200, Depth: 210, Weight: 0.75 }, Price: 34.45, Quantity: 4 },
          { ProductID: 345664, SKU: '0406654603', 'Product Name': 'Cloak', Description: { Colour: 'Black', Width: 30, Height: 20, Depth: 210, Weight: 2 }, Price: 107.99, Quantity: 1 },
        ],
      },
    ],
  },
  Numbers: [3, -1.5, 0, 42, 7.25],
  Dates: ['2026-11-23T10:15:00.000Z', '2025-01-01T00:00:00Z'],
};

const corpus: string[] = [
  // paths, predicates, wildcards, index and focus binding, parent, context
  'Surname', 'Address.City', 'Phone.number', 'Phone[0].number', 'Phone[-1]', 'Phone[type="office"].number', 'Phone[[0..1]]',
  'Phone[type="mobile"][0]', 'Email.address', 'Email.address[0]', 'Email.(address)[0]', '(Email.address)[0]', '*.City', '**.Postcode',
  'Other.`Over 18 ?`', 'Other.`Alternative.Address`.City', 'Other.Misc', 'Other.Nothing', 'Account.Order[0].Product[0].`Product Name`',
  'Account.Order.Product.Price', 'Account.Order.Product[Price > 30].SKU', 'Account.Order#$i.Product.{ "order": $i, "sku": SKU }',
  'Account.Order.Product@$p.Description@$d.{ "name": $p.`Product Name`, "w": $d.Weight }', 'Account.Order.Product.%.OrderID',
  'Account.Order.Product.Description.%.%.OrderID', 'Phone#$i[$i > 1].number', '$.Age', '$$.Surname', 'Account.Order[OrderID="order104"].Product.SKU',
  'Account.Order.Product[$contains(`Product Name`, "Hat")].ProductID', 'Phone[type in ["home", "mobile"]].number',
  // arithmetic, comparison, boolean, string, ranges, conditional, elvis and coalescing
  '1 + 2 * 3 - 4 / 8 % 3', '-Age', '(Age + 2) * 10', 'Age > 18 and Age < 30', 'Age = 28 or false', 'not(Age = 28)', 'Age != 28',
  'FirstName & " " & Surname', '[1..5]', '[1..5, 8, 10..12]', '[5..1]', 'Age > 18 ? "adult" : "minor"', 'Other.Misc ? "y" : "n"',
  'Other.Nothing ?: "default"', 'Other.Nothing ?? "fallback"', 'Other.Misc ?? "fallback"', '"a" < "b"', '1 = "1"', 'true and 1',
  // constructors
  '{ "name": FirstName, "phones": Phone.number }', 'Phone{ type: number }', 'Phone{ type: $count(number) }', 'Phone.{ type: number }',
  '[Address, Other.`Alternative.Address`].City', '[[1, 2], [3]]', '[]', '{}', 'Phone.[type, number]', 'Account.Order.[Product.Price]',
  'Account.Order.Product{ `Product Name`: $sum(Price * Quantity) }', 'Account.Order{ OrderID: Product.SKU }', '{ "a": [1, 2][] }',
  // variables, blocks, lambdas, closures, recursion, partial application, chaining, higher-order functions
  '($x := 5; $y := $x * 2; $y + 1)', '($f := function($a, $b) { $a * $b }; $f(3, 4))', '($add := function($a){ function($b){ $a + $b } }; $add(2)(3))',
  '($fact := function($n) { $n <= 1 ? 1 : $n * $fact($n - 1) }; $fact(10))', '($fib := λ($n){ $n < 2 ? $n : $fib($n-1) + $fib($n-2) }; $fib(15))',
  '($f := $substring(?, 0, 3); $f("abcdef"))', '"hello" ~> $uppercase()', 'Phone.number ~> $join(", ")', '$map([1, 2, 3], function($v, $i) { $v * $i })',
  '$filter(Phone, function($p) { $p.type = "office" }).number', '$reduce([1, 2, 3, 4], function($a, $b) { $a + $b })', '$reduce([1, 2, 3], function($a, $b) { $a * $b }, 10)',
  '$sift(Address, function($v, $k) { $k ~> /^S/ })', '$each(Address, function($v, $k) { $k & "=" & $v })', '$single(Phone, function($p) { $p.type = "home" }).number',
  '($compose := function($f, $g) { function($x) { $g($f($x)) } }; $compose($uppercase, $length)("abc"))', '($twice := function($f) { function($x) { $f($f($x)) } }; $twice(function($x){ $x * 3 })(2))',
  '($loop := function($n, $acc) { $n = 0 ? $acc : $loop($n - 1, $acc + $n) }; $loop(500, 0))', 'function($x){ $x }', '$map(Phone, $string)',
  // string functions
  '$string(Age)', '$string({"a": 1})', '$string([1, "x"], true)', '$length(Surname)', '$substring(Surname, 1, 3)', '$substring(Surname, -3)',
  '$substringBefore(Address.Postcode, " ")', '$substringAfter(Address.Postcode, " ")', '$uppercase(FirstName)', '$lowercase(Surname)',
  '$trim("  a   b  ")', '$pad("x", 5, "-")', '$pad("x", -5)', '$contains(Surname, "mit")', '$contains(Surname, /m.t/)', '$split(Address.Postcode, " ")',
  '$split("a,b,,c", ",", 2)', '$split("a1b2c3", /\\d/)', '$join(["a", "b"], "-")', '$match("ab12cd345", /\\d+/)', '$replace(Surname, "S", "Sch")',
  '$replace("abcabc", /b(c)/, "[$1]")', '$replace("abc", /b/, function($m) { $uppercase($m.match) })', '$eval("1 + 2")', '$eval("Age * 2", $)',
  '$base64encode("tributary")', '$base64decode("dHJpYnV0YXJ5")', '$encodeUrlComponent("a b&c")', '$encodeUrl("https://x.test/a b")',
  '$decodeUrlComponent("a%20b")', '$decodeUrl("https://x.test/a%20b")', '/^[A-Z]/ ("Fred")', 'Phone[number ~> /^01962/].type',
  // numeric functions
  '$number("42.5")', '$number(true)', '$abs(-3.2)', '$floor(3.7)', '$ceil(3.2)', '$round(2.5)', '$round(3.14159, 2)', '$round(1234, -2)',
  '$power(2, 10)', '$sqrt(16)', '$formatNumber(1234.5678, "#,##0.00")', '$formatNumber(0.25, "0%")', '$formatBase(255, 16)', '$formatInteger(42, "w")',
  '$parseInteger("forty-two", "w")', '$sum(Numbers)', '$max(Numbers)', '$min(Numbers)', '$average(Numbers)', '$count(Numbers)',
  '$sum(Account.Order.Product.(Price * Quantity))',
  // array and object functions
  '$append(Numbers, [1])', '$append(1, 2)', '$sort(Numbers)', '$sort(Numbers, function($a, $b) { $a < $b })', '$sort(Account.Order.Product, function($l, $r) { $l.Price > $r.Price }).SKU',
  '$reverse(Numbers)', '$shuffle([]) ', '$distinct([1, 2, 2, "a", "a"])', '$zip([1, 2, 3], ["a", "b"])', '$keys(Address)', '$keys(Phone)', '$lookup(Address, "City")',
  '$spread(Address)', '$merge([{"a": 1}, {"b": 2}, {"a": 3}])', '$type(Phone)', '$type(null)', '$type(function(){1})', '$exists(Other.Misc)', '$exists(Other.Nothing)',
  '$boolean([])', '$boolean("0")', '$not(0)', 'Account.Order^(>OrderID).OrderID', 'Account.Order.Product^(Price, <Quantity).SKU', 'Phone^(type).number',
  // date and time with fixed inputs
  '$toMillis(Dates[0])', '$fromMillis(1795400000000)', '$fromMillis(1795400000000, "[Y0001]-[M01]-[D01] [H01]:[m01]")', '$fromMillis(0, "[FNn], [D1o] [MNn] [Y]", "+0200")',
  '$toMillis("23/11/2026", "[D]/[M]/[Y]")', '$toMillis(Dates[1]) < $toMillis(Dates[0])',
  // transform, group-by with reduction, object and array flattening
  '$ ~> |Address|{"City": "Southampton"}, ["Postcode"]|', 'Account ~> |Order.Product|{"Total": Price * Quantity}|', 'Account.Order.Product{ SKU: Quantity }',
  'Account.Order.Product { Description.Colour: $sum(Quantity) }', 'Phone{ type: $join(number, "; ") }', '$clone(Address)',
  // the mapping library
  '$coalesce(Other.Nothing, Other.Misc, "x")', '$splitName("Fred Smith")', '$normalizePhone("01962 001234", "GB")',
  // errors: type, argument, undefined function, invocation, ranges, syntax
  '"a" + 1', 'Age & {}', '$substring(1, 2)', '$nothing(1)', 'Age()', '[1..1e9]', '$number("x")', '$sum("a")', '$formatNumber("x", "0")',
  'Phone.number[', '$f := ', '{ "a": 1, "a": 2 }', '$split("a", "")', '$error("custom message")', '$assert(false, "asserted")',
  '$lookup(1, "x")', '$keys(1)', '[1, 2] ~> |$|{}|', '$replace("a", "", "b")', '1 / 0', '$power(-1, 0.5)', '$sqrt(-1)', '"a" < 1',
  'Account.Order.Product{ Price: SKU }', '$fromMillis("x")', '$toMillis("nope")', '$sort([1, "a"])',
];

type Outcome = { ok: true; json: string | undefined } | { ok: false; code: unknown; position: unknown; token: unknown; message: string };

function outcomeOf(run: () => unknown): Outcome {
  try {
    return { ok: true, json: JSON.stringify(run(), (_key, value: unknown) => (typeof value === 'function' ? '<function>' : value)) };
  } catch (error) {
    const e = error as { code?: unknown; position?: unknown; token?: unknown; message?: unknown };
    return { ok: false, code: e.code, position: e.position, token: e.token, message: String(e.message) };
  }
}

async function outcomeOfAsync(run: () => Promise<unknown>): Promise<Outcome> {
  try {
    const value = await run();
    return outcomeOf(() => value);
  } catch (error) {
    return outcomeOf(() => {
      throw error;
    });
  }
}

describe('synchronous jsonata against upstream', () => {
  it.each(corpus.map((expression) => [expression]))('%s', async (expression) => {
    const upstream = await outcomeOfAsync(async () => registerLibrary(jsonata(expression)).evaluate(account, { tables: {} }));
    const synchronous = outcomeOf(() => (registerLibrary(jsonataSync(expression) as unknown as jsonata.Expression) as unknown as ReturnType<SyncJsonata>).evaluate(account, { tables: {} }));
    expect(synchronous).toEqual(upstream);
  });

  it('gives the reference mapping the same result, returned rather than promised', async () => {
    const expected = await registerLibrary(jsonata(mapping)).evaluate(order);
    const result = (registerLibrary(jsonataSync(mapping) as unknown as jsonata.Expression) as unknown as ReturnType<SyncJsonata>).evaluate(order);
    expect(result).not.toBeInstanceOf(Promise);
    expect(JSON.stringify(result)).toBe(JSON.stringify(expected));
  });

  it('covers the corpus with results and with errors', async () => {
    const outcomes = corpus.map((expression) => outcomeOf(() => jsonataSync(expression).evaluate(account)));
    expect(outcomes.filter((o) => o.ok).length).toBeGreaterThan(170);
    expect(outcomes.filter((o) => !o.ok).length).toBeGreaterThan(20);
  });
});

describe('the sandbox past the synchronous build', () => {
  // A budget far above the time these calls take, so a busy CI machine cannot make one overrun (an
  // overrun retires the isolate, and the next call would go off the thread while a new one starts).
  const sandbox = createSandbox({ poolSize: 1, syncBudgetMs: 1000 });
  afterAll(() => sandbox.close());
  const deep = '($f := function($n) { $n = 0 ? 0 : 1 + $f($n - 1) }; $f(depth))';

  it('the synchronous build alone runs out of stack on a deep recursion that upstream finishes', async () => {
    expect(() => jsonataSync(deep).evaluate({ depth: 5000 })).toThrow(/call stack/);
    expect(await jsonata(deep).evaluate({ depth: 5000 })).toBe(5000);
  });

  it('answers a deep recursion as upstream does, on the calling thread path and off it', async () => {
    // Learnt as quick (an off-thread run within a tenth of the budget), so the next call runs on the calling thread.
    for (let i = 0; i < 5 && sandbox.stats().syncEvaluations === 0; i++) await sandbox.evaluate({ expression: deep, input: { depth: 10 } });
    expect(sandbox.stats().syncEvaluations).toBeGreaterThan(0);
    const before = sandbox.stats();
    expect(await sandbox.evaluate({ expression: deep, input: { depth: 5000 } })).toBe(5000);
    expect(await sandbox.evaluate({ expression: deep, input: { depth: 5000 } })).toBe(5000);
    const after = sandbox.stats();
    expect(after.syncEvaluations - before.syncEvaluations).toBe(1); // the second call went straight off the thread
    expect(after.syncOverruns).toBe(before.syncOverruns);
    expect(await sandbox.evaluate({ expression: '$sum([1..100])', input: {} })).toBe(5050);
  });
});
