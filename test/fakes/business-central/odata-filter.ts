/**
 * The OData v4 `$filter` subset the fake Business Central understands: comparisons `eq ne gt ge lt le`,
 * `and`, `or`, `not`, parentheses, `contains/startswith/endswith(field,'text')`, and literals as OData v4 spells
 * them — 'text' (with '' escaping), numbers, true/false/null, unquoted DateTimeOffset (2025-01-15T10:00:00Z),
 * unquoted dates (2025-01-15) and unquoted GUIDs. Comparing a typed field with a quoted string is a type error,
 * as on the real service (e.g. `lastModifiedDateTime gt '2025-01-01T00:00:00Z'`).
 */

export type FieldType = 'string' | 'guid' | 'number' | 'boolean' | 'date' | 'datetime';

export class ODataFilterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ODataFilterError';
  }
}

type Literal = { kind: 'literal'; type: FieldType | 'null'; value: string | number | boolean | null };
type Ref = { kind: 'field'; name: string };
type Operand = Literal | Ref;
type Cmp = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';
type Node =
  | { kind: 'cmp'; op: Cmp; left: Operand; right: Operand }
  | { kind: 'and' | 'or'; left: Node; right: Node }
  | { kind: 'not'; inner: Node }
  | { kind: 'fn'; name: 'contains' | 'startswith' | 'endswith'; field: Ref; text: string };

interface Token {
  t: 'ident' | 'lit' | '(' | ')' | ',';
  v: string;
  lit?: Literal;
  pos: number;
}

const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})/;
const DATE = /^\d{4}-\d{2}-\d{2}(?![\dT])/;
const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/;
const NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/;
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*/;

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const ch = src[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === '(' || ch === ')' || ch === ',') {
      out.push({ t: ch, v: ch, pos: i });
      i++;
      continue;
    }
    if (ch === "'") {
      let j = i + 1;
      let text = '';
      for (;;) {
        if (j >= src.length) throw new ODataFilterError(`Unterminated string literal at position ${i} in '${src}'.`);
        if (src[j] === "'") {
          if (src[j + 1] === "'") {
            text += "'";
            j += 2;
            continue;
          }
          break;
        }
        text += src[j];
        j++;
      }
      out.push({ t: 'lit', v: text, lit: { kind: 'literal', type: 'string', value: text }, pos: i });
      i = j + 1;
      continue;
    }
    const rest = src.slice(i);
    const m = DATETIME.exec(rest) ?? null;
    if (m) {
      out.push({ t: 'lit', v: m[0], lit: { kind: 'literal', type: 'datetime', value: m[0] }, pos: i });
      i += m[0].length;
      continue;
    }
    const g = GUID.exec(rest);
    if (g) {
      out.push({ t: 'lit', v: g[0], lit: { kind: 'literal', type: 'guid', value: g[0].toLowerCase() }, pos: i });
      i += g[0].length;
      continue;
    }
    const d = DATE.exec(rest);
    if (d) {
      out.push({ t: 'lit', v: d[0], lit: { kind: 'literal', type: 'date', value: d[0] }, pos: i });
      i += d[0].length;
      continue;
    }
    const n = NUMBER.exec(rest);
    if (n) {
      out.push({ t: 'lit', v: n[0], lit: { kind: 'literal', type: 'number', value: Number(n[0]) }, pos: i });
      i += n[0].length;
      continue;
    }
    const id = IDENT.exec(rest);
    if (id) {
      const word = id[0];
      if (word === 'true' || word === 'false') out.push({ t: 'lit', v: word, lit: { kind: 'literal', type: 'boolean', value: word === 'true' }, pos: i });
      else if (word === 'null') out.push({ t: 'lit', v: word, lit: { kind: 'literal', type: 'null', value: null }, pos: i });
      else out.push({ t: 'ident', v: word, pos: i });
      i += word.length;
      continue;
    }
    throw new ODataFilterError(`Syntax error at position ${i} in '${src}'.`);
  }
  return out;
}

const CMP = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);
const OP_NAMES: Record<Cmp, string> = { eq: 'Equal', ne: 'NotEqual', gt: 'GreaterThan', ge: 'GreaterThanOrEqual', lt: 'LessThan', le: 'LessThanOrEqual' };
const EDM: Record<FieldType | 'null', string> = { string: 'Edm.String', guid: 'Edm.Guid', number: 'Edm.Decimal', boolean: 'Edm.Boolean', date: 'Edm.Date', datetime: 'Edm.DateTimeOffset', null: 'null' };

/** Parses `$filter` against an entity's field types; throws ODataFilterError with the service's wording. */
export function parseFilter(src: string, fields: Record<string, FieldType>, entityType: string): Node {
  const toks = tokenize(src);
  let p = 0;
  const peek = (): Token | undefined => toks[p];
  const expect = (t: Token['t']): Token => {
    const tok = toks[p];
    if (!tok || tok.t !== t) throw new ODataFilterError(`Syntax error at position ${tok?.pos ?? src.length} in '${src}'.`);
    p++;
    return tok;
  };
  const fieldRef = (name: string): Ref => {
    if (!(name in fields)) throw new ODataFilterError(`Could not find a property named '${name}' on type 'Microsoft.NAV.${entityType}'.`);
    return { kind: 'field', name };
  };
  const operand = (): Operand => {
    const tok = toks[p++];
    if (!tok) throw new ODataFilterError(`Syntax error at position ${src.length} in '${src}'.`);
    if (tok.t === 'lit') return tok.lit!;
    if (tok.t === 'ident') return fieldRef(tok.v);
    throw new ODataFilterError(`Syntax error at position ${tok.pos} in '${src}'.`);
  };
  const typeOf = (o: Operand): FieldType | 'null' => (o.kind === 'field' ? fields[o.name]! : o.type);
  const compatible = (a: FieldType | 'null', b: FieldType | 'null'): boolean =>
    a === b || a === 'null' || b === 'null' || (a === 'datetime' && b === 'date') || (a === 'date' && b === 'datetime');

  const primary = (): Node => {
    const tok = peek();
    if (tok?.t === '(') {
      p++;
      const inner = orExpr();
      expect(')');
      return inner;
    }
    if (tok?.t === 'ident' && tok.v === 'not') {
      p++;
      return { kind: 'not', inner: primary() };
    }
    if (tok?.t === 'ident' && (tok.v === 'contains' || tok.v === 'startswith' || tok.v === 'endswith') && toks[p + 1]?.t === '(') {
      p += 2;
      const f = operand();
      expect(',');
      const lit = operand();
      expect(')');
      if (f.kind !== 'field' || lit.kind !== 'literal' || lit.type !== 'string') throw new ODataFilterError(`No function signature for the function with name '${tok.v}' matches the specified arguments.`);
      return { kind: 'fn', name: tok.v, field: f, text: String(lit.value) };
    }
    const left = operand();
    const opTok = toks[p++];
    if (!opTok || opTok.t !== 'ident' || !CMP.has(opTok.v)) throw new ODataFilterError(`Syntax error at position ${opTok?.pos ?? src.length} in '${src}'.`);
    const right = operand();
    const op = opTok.v as Cmp;
    const lt = typeOf(left);
    const rt = typeOf(right);
    if (!compatible(lt, rt)) {
      throw new ODataFilterError(`A binary operator with incompatible types was detected. Found operand types '${EDM[lt]}' and '${EDM[rt]}' for operator kind '${OP_NAMES[op]}'.`);
    }
    return { kind: 'cmp', op, left, right };
  };
  const andExpr = (): Node => {
    let left = primary();
    while (peek()?.t === 'ident' && peek()!.v === 'and') {
      p++;
      left = { kind: 'and', left, right: primary() };
    }
    return left;
  };
  const orExpr = (): Node => {
    let left = andExpr();
    while (peek()?.t === 'ident' && peek()!.v === 'or') {
      p++;
      left = { kind: 'or', left, right: andExpr() };
    }
    return left;
  };
  const node = orExpr();
  if (p < toks.length) throw new ODataFilterError(`Syntax error at position ${toks[p]!.pos} in '${src}'.`);
  return node;
}

type Row = Record<string, unknown>;

function value(o: Operand, row: Row): unknown {
  return o.kind === 'field' ? row[o.name] : o.value;
}

function compareValues(a: unknown, b: unknown, type: FieldType | 'null'): number | null {
  if (a === null || a === undefined || b === null || b === undefined) return a === b || (a == null && b == null) ? 0 : null;
  if (type === 'datetime') return Date.parse(String(a)) - Date.parse(String(b));
  if (type === 'number') return Number(a) - Number(b);
  if (type === 'boolean') return Number(a) - Number(b);
  // Text compares case-insensitively: Business Central databases use a case-insensitive collation.
  const x = String(a).toLowerCase();
  const y = String(b).toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Evaluates a parsed filter against one entity row. */
export function matches(node: Node, row: Row, fields: Record<string, FieldType>): boolean {
  switch (node.kind) {
    case 'and':
      return matches(node.left, row, fields) && matches(node.right, row, fields);
    case 'or':
      return matches(node.left, row, fields) || matches(node.right, row, fields);
    case 'not':
      return !matches(node.inner, row, fields);
    case 'fn': {
      const v = String(row[node.field.name] ?? '').toLowerCase();
      const t = node.text.toLowerCase();
      return node.name === 'contains' ? v.includes(t) : node.name === 'startswith' ? v.startsWith(t) : v.endsWith(t);
    }
    case 'cmp': {
      const type = node.left.kind === 'field' ? fields[node.left.name]! : node.right.kind === 'field' ? fields[node.right.name]! : node.left.type;
      const c = compareValues(value(node.left, row), value(node.right, row), type);
      if (c === null) return node.op === 'ne';
      switch (node.op) {
        case 'eq':
          return c === 0;
        case 'ne':
          return c !== 0;
        case 'gt':
          return c > 0;
        case 'ge':
          return c >= 0;
        case 'lt':
          return c < 0;
        case 'le':
          return c <= 0;
      }
    }
  }
}
