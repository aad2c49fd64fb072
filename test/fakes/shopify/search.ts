/**
 * The subset of Shopify's search syntax (https://shopify.dev/api/usage/search-syntax) the fake understands:
 * `field:value`, comparators `:<`, `:<=`, `:>`, `:>=`, quoted values ('…' or "…"), negation with `-`,
 * terms joined by whitespace or `AND`, and `OR` between terms. Free text matches the resource's default fields.
 * Unknown fields are ignored, as Shopify does (it answers with the unfiltered list and a search warning).
 */

type Comparator = ':' | ':<' | ':<=' | ':>' | ':>=';

interface Term {
  field: string | null;
  comparator: Comparator;
  value: string;
  negated: boolean;
}

/** How one resource exposes its searchable fields: `time` fields compare as instants, others as case-insensitive text. */
export interface SearchFields<T> {
  fields: Record<string, { kind: 'text' | 'time' | 'number'; get(rec: T): string | number | null | readonly string[] }>;
  defaultText(rec: T): string[];
}

function tokenize(query: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < query.length) {
    while (i < query.length && /\s/.test(query[i]!)) i++;
    if (i >= query.length) break;
    let tok = '';
    while (i < query.length && !/\s/.test(query[i]!)) {
      const ch = query[i]!;
      if (ch === "'" || ch === '"') {
        const end = query.indexOf(ch, i + 1);
        const stop = end === -1 ? query.length : end;
        tok += query.slice(i, stop + 1);
        i = stop + 1;
      } else {
        tok += ch;
        i++;
      }
    }
    tokens.push(tok);
  }
  return tokens;
}

function unquote(v: string): string {
  if (v.length >= 2 && (v[0] === "'" || v[0] === '"') && v[v.length - 1] === v[0]) return v.slice(1, -1);
  return v;
}

function parseTerm(tok: string): Term {
  let negated = false;
  let t = tok;
  if (t.startsWith('-') && t.length > 1) {
    negated = true;
    t = t.slice(1);
  }
  const m = /^([a-z_][a-z0-9_.]*)(:>=|:<=|:>|:<|:)(.*)$/i.exec(t);
  if (!m) return { field: null, comparator: ':', value: unquote(t), negated };
  return { field: m[1]!.toLowerCase(), comparator: m[2] as Comparator, value: unquote(m[3]!), negated };
}

function compare(a: number, b: number, c: Comparator): boolean {
  switch (c) {
    case ':':
      return a === b;
    case ':<':
      return a < b;
    case ':<=':
      return a <= b;
    case ':>':
      return a > b;
    case ':>=':
      return a >= b;
  }
}

function matchTerm<T>(rec: T, term: Term, spec: SearchFields<T>): boolean {
  if (term.field === null) {
    const needle = term.value.toLowerCase();
    return spec.defaultText(rec).some((s) => s.toLowerCase().includes(needle));
  }
  const field = spec.fields[term.field];
  // Unknown fields are ignored (whatever the negation).
  if (!field) return !term.negated;
  const raw = field.get(rec);
  if (raw === null) return false;
  if (field.kind === 'time') {
    const a = Date.parse(String(raw));
    const b = Date.parse(term.value);
    if (Number.isNaN(b)) return true;
    return compare(a, b, term.comparator);
  }
  if (field.kind === 'number') return compare(Number(raw), Number(term.value), term.comparator);
  const values = (Array.isArray(raw) ? raw : [raw]).map((v) => String(v).toLowerCase());
  const want = term.value.toLowerCase();
  if (want.endsWith('*')) return values.some((v) => v.startsWith(want.slice(0, -1)));
  return values.some((v) => v === want);
}

/** Filters `records` by a Shopify search query; an empty or absent query keeps everything. */
export function searchFilter<T>(records: readonly T[], query: string | null | undefined, spec: SearchFields<T>): T[] {
  if (!query || !query.trim()) return [...records];
  // Disjunction of conjunctions: `a b OR c` = (a AND b) OR c.
  const groups: Term[][] = [[]];
  for (const tok of tokenize(query)) {
    if (tok === 'AND') continue;
    if (tok === 'OR') {
      groups.push([]);
      continue;
    }
    groups[groups.length - 1]!.push(parseTerm(tok));
  }
  return records.filter((rec) => groups.some((terms) => terms.every((t) => matchTerm(rec, t, spec) !== t.negated)));
}
