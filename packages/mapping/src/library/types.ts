/** Host tables for `$lookup`: table name -> key -> value. Plain JSON so it can cross into an isolate. */
export type LookupTables = Record<string, Record<string, unknown>>;

/** What a library function can see of the evaluation besides its arguments. */
export interface LibraryCallContext {
  /** Tables given to registerLibrary. */
  tables: LookupTables;
  /** Reads a variable bound for this evaluation (e.g. the `tables` binding), or undefined. */
  binding(name: string): unknown;
}

export interface LibraryExample {
  /** A complete JSONata expression using the function. */
  expression: string;
  /** The input document the example runs against, when it reads one. */
  input?: unknown;
  /** Tables supplied by the host for the example. */
  tables?: LookupTables;
  /** The exact result; every example is evaluated by the test suite. */
  result: unknown;
}

/** Definition of one library function: its behaviour and the documentation the designer shows. */
export interface LibraryFunction {
  /** Name without the `$`. */
  name: string;
  /** Call shape shown in autocomplete, e.g. `$money(value, decimals?)`. */
  signature: string;
  description: string;
  examples: LibraryExample[];
  implementation: (args: unknown[], context: LibraryCallContext) => unknown;
}

/** JSON shape of one entry of `libraryDocs`. */
export interface LibraryDoc {
  name: string;
  signature: string;
  description: string;
  examples: LibraryExample[];
}
