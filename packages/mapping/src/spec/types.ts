/**
 * The visual field-mapping spec the designer edits as a table: one row per target field.
 *
 * - `target`: dot path in the output. `[]` marks an array whose elements are built row by row:
 *   `lines[].itemNumber`. A row whose target is just `lines[]` names the array to iterate when no
 *   other row under it has a source.
 * - `source`: dot path in the input, `[]` marking arrays: `shipping_address.city`, `line_items[].sku`.
 *   Under an array target, the source's first `[]` is the array iterated (`line_items[]`); the rest is
 *   read from each element.
 * - `expression`: any JSONata instead of a source; under an array target it is evaluated on each element.
 *   A row with neither gives null.
 * - `variables`: named JSONata values computed once before the rows (`$po := …`), usable in expressions.
 */
export interface MappingSpecRow {
  target: string;
  source?: string;
  expression?: string;
}

export interface MappingSpecVariable {
  /** Without the `$`. */
  name: string;
  expression: string;
}

export interface MappingSpec {
  rows: MappingSpecRow[];
  variables?: MappingSpecVariable[];
}

export type JsonataToSpecResult = { ok: true; spec: MappingSpec } | { ok: false; reason: string };
